/**
 * The detector catalog is data: the shipped files in ./catalog plus any user files (`score.catalogFiles`).
 * This module reads and validates them and merges them into one catalog; the version is a hash of the
 * merged content, so scores written by an older rule set are recognised as stale and re-scored.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors.js';
import { ALL_SIGNALS, type Role } from './types.js';

export interface SentimentLexicon {
  terms: Record<string, number>;
  negators: string[];
  intensifiers: Record<string, number>;
  diminishers: Record<string, number>;
  contrast: string[];
  sarcasm: string[];
  rhetorical: Record<string, number>;
  /** Sentiment added when a signal fires (asking for a human or threatening a complaint reads as negative). */
  signalWeights: Record<string, number>;
}

export interface RuleSpec {
  id: string;
  signal: string;
  roles: Role[];
  confidence: number;
  /** Literal phrases (case-insensitive for ASCII, word-bounded when they start/end with a letter or digit). */
  phrases?: string[];
  /** A regular expression; `requires` lists literals of which one must occur before the regex is run. */
  pattern?: string;
  requires?: string[];
  caseSensitive?: boolean;
  /**
   * Matches of the pattern whose whole text matches this are ignored. It sees the whole match, so it cannot
   * exempt one word of a longer match ("SIM PIN"): exempt words inside the pattern instead (en.anger.caps).
   */
  exceptPattern?: string;
  /** Longer phrases that contain a match and mean something else (人工智能 is not 人工). */
  except?: string[];
  /**
   * Phrases that undo a match when they follow it in the same sentence: a question (搞定了吗), a contrast
   * (已经收到了，但是是坏的), what the match turns out to be about (稍后会联系您派件).
   */
  exceptAfter?: string[];
  /** The phrase must be the whole message, bar punctuation and spaces (back-door codes like "315", "0"). */
  whole?: boolean;
  /** Matches inside quotation marks count too (menu names: 在"我的订单"中查看). */
  matchInQuotes?: boolean;
  /** Negators before the match suppress it unless this is false. */
  negatable?: boolean;
  context?: 'after_human_request';
}

export interface CatalogFile {
  language: string;
  description?: string;
  sentiment?: Partial<SentimentLexicon>;
  rules?: RuleSpec[];
}

export interface Catalog {
  languages: string[];
  sentiment: SentimentLexicon;
  rules: RuleSpec[];
  version: string;
}

const CATALOG_DIR = join(dirname(fileURLToPath(import.meta.url)), 'catalog');
export const BUILTIN_CATALOG_FILES = [join(CATALOG_DIR, 'zh.json'), join(CATALOG_DIR, 'en.json')];
const ROLES: readonly Role[] = ['customer', 'bot', 'agent', 'system'];
const MARKERS = ['_apology', '_action', '_handover'];
/** Signals only the SQL context rules produce (src/score/contextRules.ts). */
const CONTEXT_ONLY = ['apology_loop', 'canned_repetition'];

function fail(file: string, message: string): never {
  throw new ConfigError(`catalog ${file}: ${message}`);
}

function validateRule(file: string, rule: RuleSpec, index: number): RuleSpec {
  const where = `rules[${index}]${rule?.id ? ` (${rule.id})` : ''}`;
  if (!rule || typeof rule !== 'object') fail(file, `${where} must be an object`);
  if (typeof rule.id !== 'string' || !rule.id) fail(file, `${where} needs an "id"`);
  if (!ALL_SIGNALS.includes(rule.signal) && !MARKERS.includes(rule.signal)) {
    fail(file, `${where}: unknown signal "${rule.signal}" (expected one of ${[...ALL_SIGNALS, ...MARKERS].join(', ')})`);
  }
  if (!Array.isArray(rule.roles) || rule.roles.length === 0 || rule.roles.some((r) => !ROLES.includes(r))) {
    fail(file, `${where}: "roles" must list some of ${ROLES.join(', ')}`);
  }
  if (typeof rule.confidence !== 'number' || rule.confidence <= 0 || rule.confidence > 1) {
    fail(file, `${where}: "confidence" must be a number in (0, 1]`);
  }
  const hasPhrases = Array.isArray(rule.phrases) && rule.phrases.length > 0;
  if (hasPhrases === (typeof rule.pattern === 'string')) fail(file, `${where}: give either "phrases" or "pattern"`);
  if (rule.phrases?.some((p) => typeof p !== 'string' || p.length === 0)) fail(file, `${where}: empty phrase`);
  for (const key of ['except', 'exceptAfter', 'requires'] as const) {
    const list = rule[key];
    if (list !== undefined && (!Array.isArray(list) || list.some((p) => typeof p !== 'string' || p.length === 0))) {
      fail(file, `${where}: "${key}" must be a list of non-empty strings`);
    }
  }
  for (const source of [rule.pattern, rule.exceptPattern]) {
    if (source === undefined) continue;
    try {
      new RegExp(source, 'u');
    } catch (error) {
      fail(file, `${where}: bad pattern (${(error as Error).message})`);
    }
  }
  if (rule.context !== undefined && rule.context !== 'after_human_request') {
    fail(file, `${where}: "context" can only be "after_human_request"`);
  }
  if (CONTEXT_ONLY.includes(rule.signal)) {
    fail(file, `${where}: ${rule.signal} is detected over the conversation, not by text rules`);
  }
  if (rule.signal === 'bot_transfer_block' && rule.context !== 'after_human_request') {
    fail(file, `${where}: bot_transfer_block rules need "context": "after_human_request"`);
  }
  return rule;
}

export function parseCatalogFile(file: string, text: string): CatalogFile {
  let parsed: CatalogFile;
  try {
    parsed = JSON.parse(text) as CatalogFile;
  } catch (error) {
    fail(file, `not valid JSON (${(error as Error).message})`);
  }
  if (!parsed || typeof parsed !== 'object' || typeof parsed.language !== 'string') {
    fail(file, 'expected an object with a "language" tag');
  }
  (parsed.rules ?? []).forEach((rule, i) => validateRule(file, rule, i));
  return parsed;
}

/** Later files extend earlier ones; a rule with an existing id replaces it, so users can override shipped rules. */
export function mergeCatalogs(files: readonly CatalogFile[]): Catalog {
  const sentiment: SentimentLexicon = {
    terms: {},
    negators: [],
    intensifiers: {},
    diminishers: {},
    contrast: [],
    sarcasm: [],
    rhetorical: {},
    signalWeights: {},
  };
  const rules = new Map<string, RuleSpec>();
  for (const file of files) {
    const s = file.sentiment ?? {};
    Object.assign(sentiment.terms, s.terms);
    Object.assign(sentiment.intensifiers, s.intensifiers);
    Object.assign(sentiment.diminishers, s.diminishers);
    Object.assign(sentiment.rhetorical, s.rhetorical);
    Object.assign(sentiment.signalWeights, s.signalWeights);
    sentiment.negators.push(...(s.negators ?? []));
    sentiment.contrast.push(...(s.contrast ?? []));
    sentiment.sarcasm.push(...(s.sarcasm ?? []));
    for (const rule of file.rules ?? []) rules.set(rule.id, rule);
  }
  const content = JSON.stringify({ sentiment, rules: [...rules.values()] });
  return {
    languages: [...new Set(files.map((f) => f.language))],
    sentiment,
    rules: [...rules.values()],
    version: createHash('sha256').update(content).digest('hex').slice(0, 12),
  };
}

export function loadCatalog(extraFiles: readonly string[] = []): Catalog {
  const files = [...BUILTIN_CATALOG_FILES, ...extraFiles].map((path) => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      fail(path, `cannot be read (${(error as Error).message})`);
    }
    return parseCatalogFile(path, text);
  });
  return mergeCatalogs(files);
}
