/**
 * The one place where every setting, its default and its documentation live.
 *
 * Precedence: command-line flag > environment (CSQA_<PATH>, e.g. CSQA_INGEST_TIMEZONE) > config file
 * (`--config`, env CSQA_CONFIG, or ./csqa.config.json when present) > default.
 * The config file is nested JSON mirroring the dotted keys below; unknown keys are errors, so a typo
 * never silently falls back to a default.
 */
import { existsSync, readFileSync } from 'node:fs';
import { ConfigError } from './errors.js';

type Kind = 'string' | 'number' | 'integer' | 'boolean' | 'string[]' | 'number[]' | 'map' | 'numberMap';

interface OptionSpec {
  kind: Kind;
  default: unknown;
  doc: string;
  /** Extra validation; returns what was expected when the value is wrong. */
  check?: (value: unknown) => string | undefined;
}

const CANONICAL_TIERS = ['bot', 'L1', 'L2', 'L3'] as const;
const CANONICAL_ROLES = ['customer', 'bot', 'agent', 'system'] as const;

function isValidTimeZone(value: unknown): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: String(value) });
    return undefined;
  } catch {
    return 'an IANA time zone such as "UTC" or "Asia/Shanghai"';
  }
}

function isCalendarDate(value: unknown): string | undefined {
  const text = String(value);
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(text + 'T00:00:00Z') : NaN;
  // Date.parse rolls 2026-02-30 over to March; a round trip rejects it.
  return Number.isFinite(ms) && new Date(ms).toISOString().startsWith(text) ? undefined : 'a date YYYY-MM-DD';
}

const between = (lo: number, hi: number) => (value: unknown) =>
  typeof value === 'number' && value >= lo && value <= hi ? undefined : `a number from ${lo} to ${hi}`;

const positive = (value: unknown) =>
  typeof value === 'number' && value > 0 ? undefined : 'a number greater than 0';

const ascendingPositive = (count: number) => (value: unknown) => {
  const list = value as number[];
  const ok = list.length === count && list.every((v, i) => v > 0 && (i === 0 || v > list[i - 1]!));
  return ok ? undefined : `${count} ascending numbers greater than 0`;
};

/** SLA maps are keyed by tier ("L1") or tier and channel ("L1:chat"); the more specific key wins. */
const slaMap = (value: unknown) => {
  const bad = Object.entries(value as Record<string, number>).find(
    ([k, v]) => !(CANONICAL_TIERS as readonly string[]).includes(k.split(':')[0]!) || !(v > 0),
  );
  return bad ? `keys "<tier>" or "<tier>:<channel>" with tier among ${CANONICAL_TIERS.join(', ')} and seconds > 0 (got "${bad[0]}")` : undefined;
};

const mapValuesIn = (allowed: readonly string[]) => (value: unknown) => {
  const bad = Object.entries(value as Record<string, string>).find(([, v]) => !allowed.includes(v));
  return bad ? `values among ${allowed.join(', ')} (got "${bad[1]}" for "${bad[0]}")` : undefined;
};

export const OPTIONS = {
  db: {
    kind: 'string',
    default: './csqa.duckdb',
    doc: 'DuckDB database file holding raw records, scores and marts (":memory:" for a throwaway run).',
  },
  memoryLimit: {
    kind: 'string',
    default: '3.5GB',
    doc: 'DuckDB memory_limit: past it DuckDB spills to disk (beside the database, `<db>.tmp`) instead of growing. The default keeps a night of 1M conversations under 6 GB peak per process at about a third more time on the KPI models (two consecutive bench runs: 65 s -> 85 s); "" means DuckDB\'s own default (80 % of RAM), the fastest on a machine with room.',
    check: (value) => (value === '' || /^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(String(value)) ? undefined : 'empty or a size such as "5GB"'),
  },
  threads: {
    kind: 'integer',
    default: 0,
    doc: 'DuckDB worker threads (0: one per core).',
    check: (value) => (typeof value === 'number' && value >= 0 ? undefined : 'a whole number, 0 or more'),
  },
  inputs: {
    kind: 'string[]',
    default: ['fixtures/demo/*/records.jsonl'],
    doc: 'Files, folders or globs that `csqa run` ingests; "{date}" is replaced by the run date (YYYY-MM-DD).',
  },
  outDir: {
    kind: 'string',
    default: './out',
    doc: 'Folder for exports, the report and coaching files.',
  },
  'ingest.timezone': {
    kind: 'string',
    default: 'UTC',
    doc: 'Time zone in which naive timestamps (no offset) are read. Everything is stored in UTC.',
    check: isValidTimeZone,
  },
  'ingest.columns': {
    kind: 'map',
    default: {},
    doc: 'Renames user fields onto canonical ones, e.g. {"sender_type": "role", "created_at": "sent_at"}.',
  },
  'ingest.roles': {
    kind: 'map',
    default: {},
    doc: 'Maps user role values onto customer/bot/agent/system, e.g. {"end_user": "customer", "robot": "bot"}.',
    check: mapValuesIn(CANONICAL_ROLES),
  },
  'ingest.tiers': {
    kind: 'map',
    default: {},
    doc: 'Maps user tier names onto bot/L1/L2/L3, e.g. {"智能客服": "bot", "外包一线": "L1", "专家坐席": "L3"}.',
    check: mapValuesIn(CANONICAL_TIERS),
  },
  'ingest.vendors': {
    kind: 'map',
    default: {},
    doc: 'Normalises vendor names, e.g. {"VendorA Ltd.": "vendor-a"}.',
  },
  'ingest.inHouseVendor': {
    kind: 'string',
    default: 'in-house',
    doc: 'Vendor name for records that carry none (in-house staff and bots).',
  },
  'ingest.encoding': {
    kind: 'string',
    default: 'utf-8',
    doc: 'Text encoding of JSON and CSV input files, e.g. gb18030 for CSV saved by Excel on Chinese Windows, big5, utf-16le; other than UTF-8, each file is read through a temporary UTF-8 copy. Parquet is always UTF-8.',
    check: (value) => {
      try {
        new TextDecoder(String(value));
        return undefined;
      } catch {
        return 'an encoding name such as utf-8, gb18030, big5 or utf-16le';
      }
    },
  },
  'ingest.maxTextChars': {
    kind: 'integer',
    default: 20000,
    doc: 'Messages with longer text are quarantined (runaway pastes, binary garbage).',
    check: positive,
  },
  'ingest.quarantineThreshold': {
    kind: 'number',
    default: 0.05,
    doc: 'A file whose quarantined share of rows exceeds this fails the ingest (exit 4) after loading the good rows.',
    check: between(0, 1),
  },
  'privacy.redact': {
    kind: 'boolean',
    default: true,
    doc: 'Replace personal data (phones, ID/card numbers, emails, IPs, URLs with tokens, addresses, order numbers, labelled names and WeChat/QQ ids) in every piece of log text csqa writes out by placeholders such as [PHONE]. false writes raw text and the report says so.',
  },
  'privacy.retentionDays': {
    kind: 'integer',
    default: 180,
    doc: '`csqa purge` without --before deletes raw log text (messages, survey comments, matched signal text, quarantine excerpts) older than this many days; keys, timestamps, scores and aggregates stay.',
    check: positive,
  },
  'report.timezone': {
    kind: 'string',
    default: 'UTC',
    doc: 'Time zone of reporting days (a conversation belongs to the day it started in this zone).',
    check: isValidTimeZone,
  },
  'fixtures.seed': {
    kind: 'integer',
    default: 42,
    doc: '`csqa fixtures`: seed of the generator; the same seed and options give byte-identical files.',
  },
  'fixtures.start': {
    kind: 'string',
    default: '2026-11-01',
    doc: '`csqa fixtures`: first UTC day (YYYY-MM-DD) of generated conversations.',
    check: isCalendarDate,
  },
  'fixtures.days': {
    kind: 'integer',
    default: 7,
    doc: '`csqa fixtures`: number of days the conversations are spread over.',
    check: between(1, 366),
  },
  'fixtures.messyRate': {
    kind: 'number',
    default: 0.01,
    doc: '`csqa fixtures`: share of lines followed by a planted bad line (listed in messy.jsonl); 0 for none.',
    check: between(0, 0.5),
  },
  'run.lockWaitSeconds': {
    kind: 'integer',
    default: 0,
    doc: '`csqa run` on a database another process holds: wait up to this many seconds for it, then exit 6 (0 = exit 6 at once).',
    check: (value) => (typeof value === 'number' && value >= 0 ? undefined : 'a whole number of seconds >= 0'),
  },
  'run.progressIntervalSeconds': {
    kind: 'number',
    default: 10,
    doc: 'When stderr is not a terminal (cron, CI), at most one progress line per stage every this many seconds.',
    check: positive,
  },
  'score.sentimentScorer': {
    kind: 'string',
    default: '',
    doc: 'Which sentiment scorer (scores.message_sentiment.scorer: "lexicon" or "model:<directory name>") the KPIs read; empty = the one csqa score uses under the same configuration (the model\'s when score.sentimentModel is set, else "lexicon").',
  },
  'metrics.asOf': {
    kind: 'string',
    default: '',
    doc: 'As-of time (ISO 8601, UTC unless an offset is given) deciding which windows have ended; empty = end of the last report day in the data.',
    check: (value) => (value === '' || !Number.isNaN(Date.parse(String(value))) ? undefined : 'an ISO 8601 time or empty'),
  },
  'metrics.periodDays': {
    kind: 'integer',
    default: 0,
    doc: 'Build the marts over the conversations that began in the last N report days up to the as-of time (0 = the whole history); a customer whose earlier conversation logs a callback in the period is left out whole. Bounds a nightly run on a database that keeps growing; every fact of a conversation in the period is the same as in a whole-history build.',
    check: (value) => (typeof value === 'number' && value >= 0 ? undefined : 'a whole number of days, 0 or more'),
  },
  'metrics.fcrWindowsHours': {
    kind: 'number[]',
    default: [24, 72, 168],
    doc: 'The three FCR windows in hours, exported as is_fcr_24h / is_fcr_72h / is_fcr_7d (short, medium, long); labels print the hours in force.',
    check: ascendingPositive(3),
  },
  'metrics.botContainmentWindowHours': {
    kind: 'number',
    default: 24,
    doc: 'A bot-only contact is contained when the customer makes no repeat contact within this many hours.',
    check: positive,
  },
  'metrics.reopenWindowHours': {
    kind: 'number',
    default: 24,
    doc: 'A new contact on the same ticket or order within this many hours counts as a reopen.',
    check: positive,
  },
  'metrics.humanReachTargetSeconds': {
    kind: 'number',
    default: 240,
    doc: 'Target from the first request for a human to the first human reply.',
    check: positive,
  },
  'metrics.promiseWindowHours': {
    kind: 'number',
    default: 48,
    doc: 'A callback promise is kept when a callback or a reply in a later contact follows within this many hours.',
    check: positive,
  },
  'metrics.completionWindowHours': {
    kind: 'number',
    default: 24,
    doc: 'An escalated ticket is completed when closed or resolved within this many hours of escalation.',
    check: positive,
  },
  'metrics.minSample': {
    kind: 'integer',
    default: 30,
    doc: 'Units whose sample comes from fewer conversations than this are shown but never ranked.',
    check: positive,
  },
  'metrics.minSurveySampleAgent': {
    kind: 'integer',
    default: 5,
    doc: 'Minimum answered surveys before an agent is ranked on survey-based metrics.',
    check: positive,
  },
  'metrics.slaFirstResponseSeconds': {
    kind: 'numberMap',
    default: { bot: 30, L1: 60, L2: 120, L3: 300 },
    doc: 'First-response target per tier of the first responder; "<tier>:<channel>" keys override, e.g. {"L1:email": 14400}.',
    check: slaMap,
  },
  'metrics.slaFirstHumanResponseSeconds': {
    kind: 'numberMap',
    default: { L1: 240, L2: 240, L3: 240 },
    doc: 'First-human-response target per tier of the first human responder; "<tier>:<channel>" keys override. A customer who needed a human and got none counts as a miss against the L1 target.',
    check: slaMap,
  },
  'coach.minConversations': {
    kind: 'integer',
    default: 30,
    doc: 'Agents with fewer conversations get no coaching plan: too few to tell a weak spot from chance.',
    check: positive,
  },
  'coach.minMetricSample': {
    kind: 'integer',
    default: 5,
    doc: 'Smallest sample (surveys, promises, timed replies) on which one metric of one agent is judged.',
    check: positive,
  },
  'coach.peerMinAgents': {
    kind: 'integer',
    default: 3,
    doc: 'Peers (other agents with enough conversations) needed in the same vendor and tier; below this the peer group is the whole tier.',
    check: positive,
  },
  'coach.confidence': {
    kind: 'number',
    default: 0.95,
    doc: 'Confidence of the Wilson intervals that decide whether a gap to peers is credible.',
    check: (value: unknown) => (typeof value === 'number' && value >= 0.5 && value < 1 ? undefined : 'a number from 0.5 to below 1'),
  },
  'coach.language': {
    kind: 'string',
    default: 'zh',
    doc: 'Language of the coaching Markdown and training modules: "zh" or "en".',
    check: (value: unknown) => (value === 'zh' || value === 'en' ? undefined : '"zh" or "en"'),
  },
  'coach.maxEvidence': {
    kind: 'integer',
    default: 3,
    doc: "Conversations quoted as evidence per weak spot (the agent's own).",
    check: positive,
  },
  'coach.maxExemplars': {
    kind: 'integer',
    default: 2,
    doc: 'Conversations by top peers shown as examples per weak spot.',
    check: positive,
  },
  'coach.vendorShare': {
    kind: 'number',
    default: 0.3,
    doc: "A weak spot shared by at least this share of a vendor's coached agents (and at least 2) is a vendor-level training need.",
    check: between(0, 1),
  },
  'coach.catalog': {
    kind: 'string',
    default: '',
    doc: 'Training catalog JSON replacing the shipped one (weak-spot type -> module title, goal and practice script per language).',
  },
  'report.charts': {
    kind: 'string[]',
    default: [
      'vendor_scorecard',
      'daily_trends',
      'tier_funnel',
      'time_to_human',
      'human_service_by_channel',
      'deflection_by_vendor',
      'sentiment_after_deflection',
      'agent_scatter',
      'canned_templates',
    ],
    doc: 'Charts `csqa report` draws, in page order; each is dashboards/<name>.vl.json + dashboards/<name>.sql.',
  },
  'report.outlierZ': {
    kind: 'number',
    default: 2,
    doc: 'Agents further than this many standard deviations from the mean (first response or CSAT) are labelled.',
    check: positive,
  },
  'report.topTemplates': {
    kind: 'integer',
    default: 15,
    doc: 'How many of the most used canned templates the report lists.',
    check: positive,
  },
  'score.sentimentModel': {
    kind: 'string',
    default: '',
    doc: 'Local model directory (config.json, tokenizer files, onnx/) for model-backed sentiment; empty uses the built-in lexicon scorer. Nothing is downloaded.',
  },
  'score.modelBatchSize': {
    kind: 'integer',
    default: 32,
    doc: 'Texts per inference batch for the model-backed sentiment scorer.',
    check: positive,
  },
  'score.catalogFiles': {
    kind: 'string[]',
    default: [],
    doc: 'Extra detector catalog files (JSON, same format as src/score/catalog/*.json); a rule with an existing id replaces it.',
  },
  'score.apologyLoopMin': {
    kind: 'integer',
    default: 3,
    doc: 'apology_loop fires on the Nth responder apology in a conversation without an action in between.',
    check: positive,
  },
  'score.cannedMinConversations': {
    kind: 'integer',
    default: 5,
    doc: 'A reply template pasted in at least this many conversations is a canned template (scores.message_templates).',
    check: positive,
  },
  'score.cannedSimilarity': {
    kind: 'number',
    default: 0.7,
    doc: 'Least Jaccard overlap (0.3..1) of the character-bigram sets of two normalised replies for them to count as the same template.',
    check: between(0.3, 1),
  },
  'score.batchMessages': {
    kind: 'integer',
    default: 2000000,
    doc: 'Messages per scoring batch (conversations are split by hash); bounds memory on big databases.',
    check: positive,
  },
} satisfies Record<string, OptionSpec>;

export type OptionKey = keyof typeof OPTIONS;

export interface Config {
  db: string;
  memoryLimit: string;
  threads: number;
  inputs: string[];
  outDir: string;
  ingest: {
    timezone: string;
    columns: Record<string, string>;
    roles: Record<string, string>;
    tiers: Record<string, string>;
    vendors: Record<string, string>;
    inHouseVendor: string;
    encoding: string;
    maxTextChars: number;
    quarantineThreshold: number;
  };
  privacy: {
    redact: boolean;
    retentionDays: number;
  };
  report: {
    timezone: string;
    charts: string[];
    outlierZ: number;
    topTemplates: number;
  };
  fixtures: {
    seed: number;
    start: string;
    days: number;
    messyRate: number;
  };
  run: {
    lockWaitSeconds: number;
    progressIntervalSeconds: number;
  };
  metrics: {
    asOf: string;
    periodDays: number;
    fcrWindowsHours: number[];
    botContainmentWindowHours: number;
    reopenWindowHours: number;
    humanReachTargetSeconds: number;
    promiseWindowHours: number;
    completionWindowHours: number;
    minSample: number;
    minSurveySampleAgent: number;
    slaFirstResponseSeconds: Record<string, number>;
    slaFirstHumanResponseSeconds: Record<string, number>;
  };
  coach: {
    minConversations: number;
    minMetricSample: number;
    peerMinAgents: number;
    confidence: number;
    language: 'zh' | 'en';
    maxEvidence: number;
    maxExemplars: number;
    vendorShare: number;
    catalog: string;
  };
  score: {
    sentimentScorer: string;
    sentimentModel: string;
    modelBatchSize: number;
    catalogFiles: string[];
    apologyLoopMin: number;
    cannedMinConversations: number;
    cannedSimilarity: number;
    batchMessages: number;
  };
}

/** Flag overrides use the same dotted keys as the reference, e.g. {"ingest.timezone": "Asia/Shanghai"}. */
export type Overrides = Partial<Record<OptionKey, unknown>>;

export interface ConfigSources {
  /** Path given with --config; when absent CSQA_CONFIG, then ./csqa.config.json if it exists. */
  file?: string;
  env?: Record<string, string | undefined>;
  flags?: Overrides;
  cwd?: string;
}

export function envName(key: string): string {
  return 'CSQA_' + key.replace(/([a-z])([A-Z])/g, '$1_$2').replace(/\./g, '_').toUpperCase();
}

function describe(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function expectedFor(kind: Kind): string {
  switch (kind) {
    case 'string[]':
      return 'a list of strings';
    case 'number[]':
      return 'a list of numbers';
    case 'map':
      return 'an object mapping strings to strings';
    case 'numberMap':
      return 'an object mapping strings to numbers';
    case 'integer':
      return 'a whole number';
    default:
      return `a ${kind}`;
  }
}

function hasKind(kind: Kind, value: unknown): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'string[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'number[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isFinite(v));
    case 'numberMap':
      return (
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.values(value).every((v) => typeof v === 'number' && Number.isFinite(v))
      );
    case 'map':
      return (
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.values(value).every((v) => typeof v === 'string')
      );
  }
}

/** Environment values arrive as text; lists and maps are written as JSON. */
function parseEnvValue(kind: Kind, raw: string, variable: string): unknown {
  switch (kind) {
    case 'string':
      return raw;
    case 'number':
    case 'integer': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) {
        throw new ConfigError(`${variable}: expected ${expectedFor(kind)}, got ${describe(raw)}`);
      }
      return n;
    }
    case 'boolean':
      if (raw === 'true' || raw === '1') return true;
      if (raw === 'false' || raw === '0') return false;
      throw new ConfigError(`${variable}: expected true or false, got ${describe(raw)}`);
    case 'string[]':
      if (!raw.trim().startsWith('[')) return raw.split(',').map((s) => s.trim()).filter(Boolean);
    // falls through: a JSON list
    case 'number[]':
      if (kind === 'number[]' && !raw.trim().startsWith('[')) return raw.split(',').map((s) => Number(s.trim()));
    // falls through: a JSON list
    case 'map':
    case 'numberMap':
      try {
        return JSON.parse(raw);
      } catch {
        throw new ConfigError(`${variable}: expected ${expectedFor(kind)} written as JSON, got ${describe(raw)}`);
      }
  }
}

function flatten(obj: Record<string, unknown>, prefix: string, out: Map<string, unknown>): void {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    const spec = (OPTIONS as Record<string, OptionSpec>)[key];
    if (!spec && v && typeof v === 'object' && !Array.isArray(v)) {
      const isSection = Object.keys(OPTIONS).some((o) => o.startsWith(key + '.'));
      if (isSection) {
        flatten(v as Record<string, unknown>, key, out);
        continue;
      }
    }
    out.set(key, v);
  }
}

function closest(key: string): string | undefined {
  const keys = Object.keys(OPTIONS);
  const leaf = key.split('.').pop()!.toLowerCase();
  return keys.find((k) => k.toLowerCase().endsWith(leaf)) ?? keys.find((k) => k.startsWith(key.split('.')[0]! + '.'));
}

function validate(key: string, value: unknown, origin: string): unknown {
  const spec = (OPTIONS as Record<string, OptionSpec>)[key];
  if (!spec) {
    const hint = closest(key);
    throw new ConfigError(`${origin}: unknown setting "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}`);
  }
  if (!hasKind(spec.kind, value)) {
    throw new ConfigError(`${origin}: "${key}" must be ${expectedFor(spec.kind)}, got ${describe(value)}`);
  }
  const problem = spec.check?.(value);
  if (problem) throw new ConfigError(`${origin}: "${key}" must be ${problem}, got ${describe(value)}`);
  return value;
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`config file ${path}: cannot be read (${(error as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`config file ${path}: not valid JSON (${(error as Error).message})`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`config file ${path}: expected a JSON object at the top level`);
  }
  return parsed as Record<string, unknown>;
}

function setPath(target: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    node[part] ??= {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts.at(-1)!] = value;
}

export function loadConfig(sources: ConfigSources = {}): Config {
  const env = sources.env ?? {};
  const values = new Map<string, unknown>();
  for (const [key, spec] of Object.entries(OPTIONS) as [string, OptionSpec][]) {
    values.set(key, structuredClone(spec.default));
  }

  const cwd = sources.cwd ?? process.cwd();
  const implicit = `${cwd}/csqa.config.json`;
  const file = sources.file ?? env.CSQA_CONFIG ?? (existsSync(implicit) ? implicit : undefined);
  if (file) {
    const fromFile = new Map<string, unknown>();
    flatten(readConfigFile(file), '', fromFile);
    for (const [key, value] of fromFile) values.set(key, validate(key, value, `config file ${file}`));
  }

  for (const [key, spec] of Object.entries(OPTIONS) as [string, OptionSpec][]) {
    const variable = envName(key);
    const raw = env[variable];
    if (raw !== undefined) values.set(key, validate(key, parseEnvValue(spec.kind, raw, variable), `environment ${variable}`));
  }

  for (const [key, value] of Object.entries(sources.flags ?? {})) {
    if (value !== undefined) values.set(key, validate(key, value, `option for "${key}"`));
  }

  const config: Record<string, unknown> = {};
  for (const [key, value] of values) setPath(config, key, value);
  return config as unknown as Config;
}

/** The reference table in the README is generated from this, so docs and defaults cannot drift. */
export function configReference(): string {
  const rows = (Object.entries(OPTIONS) as [string, OptionSpec][]).map(
    ([key, spec]) => `| \`${key}\` | \`${envName(key)}\` | \`${JSON.stringify(spec.default)}\` | ${spec.doc} |`,
  );
  return ['| key | environment | default | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

export { CANONICAL_ROLES, CANONICAL_TIERS };
