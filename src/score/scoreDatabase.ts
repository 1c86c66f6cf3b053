/**
 * `csqa score` applied to a database: scores every conversation that is new, grew, or was scored by
 * another scorer or rule-set version; a killed run is completed by the next one (see scoreDatabase).
 *
 * Per batch of conversations: the distinct texts are streamed out of DuckDB in chunks and analysed once
 * each (canned replies repeat, so this is far fewer than the messages), the per-text results are
 * appended to work tables (hits already ranked per speaker role), and DuckDB joins them back to the
 * messages on (text, role) and evaluates the context rules in SQL. No per-message work happens in JavaScript.
 * The two halves overlap: while a second connection writes batch k and selects the messages of batch k+2,
 * this one analyses batch k+1 (JavaScript runs on one core; DuckDB's work would otherwise leave it idle).
 */
import { listParam, type Db } from '../db/database.js';
import { ConfigError, InputError } from '../errors.js';
import type { ProgressUpdate } from '../pipeline/progress.js';
import { appendColumns, appendRows, forEachChunk } from '../db/chunks.js';
import { ensureRawSchema } from '../db/schema.js';
import { withInsertionOrder } from '../db/insertionOrder.js';
import type { TextAnalyzer } from './analyzer.js';
import {
  CANNED_TEMPLATES_RECORD, CONTEXT_HIT_FILTER, insertContextSignals, insertTextSignals, UPDATE_CANNED_TEMPLATES,
} from './contextRules.js';
import { maskVariableParts, type Normalizer } from './normalize.js';
import { textForClustering } from '../privacy/redact.js';
import { firstHitsForRole } from './roleHits.js';
import { isLexiconScorer } from './scorers.js';
import { longEnoughForTemplate, TemplateIndex } from './templates.js';
import type { Sentiment, SentimentScorer, TextAnalysis } from './types.js';
import { WORK_CATALOG, WORK_DUE, WORK_PENDING, workTables, type WorkTables } from './workTables.js';

export const RULES_SCORER_NAME = 'rules';

/**
 * A text's key within a batch. DuckDB's hash() alone collides on real chat text whenever two edits cancel out
 * (付了10元~😭 / 付了15元~😊: six pairs among the 2.0M distinct texts of the 1M bench, 10,440 among 20M
 * generated variants), and a collision sends its batch down the exact-id fallback. XOR-ed with the hash of the
 * text shifted by one character, no collision at 53 bits in either set (nor with MD5, at 5-10x the cost: 2.5 s
 * against 0.4-0.5 s per 10.8M messages). Any collision that still happens is caught per batch (KeyList), so the
 * key only has to be rare to collide, not perfect. Keys are cut to 53 bits and held as DOUBLE (exact below 2^53):
 * JavaScript then reads, buffers and appends plain numbers, where UBIGINT keys cost a BigInt per text.
 */
export const TEXT_KEY_SQL = "xor(hash(m.text), hash('#' || m.text)) >> 11";

/** Role masks travel as DOUBLE too, exact up to 53 bits: one bit per speaker role of a batch. */
const MAX_BATCH_ROLES = 53;

/**
 * Personal data is redacted before clustering, so two pastes of one template that differ only by a phone or
 * order number fall into one cluster; the remaining digit runs are masked after.
 */
export const normalizeForClustering: Normalizer = (text) => maskVariableParts(textForClustering(text));

export interface ScoreOptions {
  analyzer: TextAnalyzer;
  sentiment: SentimentScorer;
  /** Masks variable parts before template clustering; the PII redactor can be plugged in here. */
  normalize?: Normalizer;
  apologyLoopMin: number;
  cannedMinConversations: number;
  cannedSimilarity: number;
  batchMessages: number;
  /**
   * Speaker roles whose messages get a sentiment row. The KPIs read customer sentiment only (spec/signals.md:
   * "a score per customer message"), so that is the default; `csqa signals` scores every line it is given.
   */
  sentimentRoles?: readonly string[];
  /**
   * SQL over m.text giving each distinct text a UBIGINT key (default: TEXT_KEY_SQL); tests pass a
   * key that collides to exercise the exact-id fallback.
   */
  textKeySql?: string;
  /** Clock for bookkeeping rows (tests pin it). */
  now?: () => Date;
  /** After each batch's rows are written (not yet recorded as scored): batches done of all, messages done. */
  onProgress?: (update: ProgressUpdate) => void;
}

export interface ScoreSummary {
  conversations: number;
  messages: number;
  distinctTexts: number;
  signals: number;
  newTemplates: number;
  /**
   * Conversations left as they were scored although they are due again (new rules, a new scorer version, or
   * new messages): `csqa purge` removed some of their text, so scoring them again would lose what it removed.
   */
  keptPurged: number;
}

/** The per-text tables of a batch slot, which analyseBatch fills. */
const createTextTables = (work: WorkTables) => `
create or replace table ${work.textSentiment} (text_key double, role varchar, score double, label varchar);
create or replace table ${work.textHits} (text_key double, role varchar, signal varchar, rule_id varchar,
  span_start integer, span_end integer, matched_text varchar, confidence double, context varchar);
create or replace table ${work.textTemplate} (text_key double, template_id varchar);
`;

/** Per-text results of one batch, keyed by the text's key in the slot's msgs table (text_key). */
export interface BatchBuffers {
  /** Columns of the text_sentiment table (one row per text and role: the biggest buffer). */
  sentiment: [number[], string[], number[], string[]];
  hits: Array<[number, string, string, string, number, number, string, number, string | null]>;
  templates: Array<[number, string]>;
}

export interface AnalysedBatch {
  buffers: BatchBuffers;
  /** Responder texts by key, with their normalised form for template clustering. */
  responderTexts: Array<[number, string]>;
  distinctTexts: number;
  /** Some text_key stood for more than one text: the results are unusable and the batch needs exact keys. */
  collided: boolean;
}

/**
 * Streams the distinct texts of `msgs` (a table of messages with text, role and text_key) and analyses each once,
 * for every speaker role it occurs with: the text half of scoring, which `npm run bench` also times alone.
 */
export async function analyseBatch(
  db: Db, msgs: string, analyzer: TextAnalyzer, sentiment: SentimentScorer, normalize: Normalizer,
  sentimentRoles: ReadonlySet<string>,
): Promise<AnalysedBatch> {
  const buffers: BatchBuffers = { sentiment: [[], [], [], []], hits: [], templates: [] };
  const responderTexts: Array<[number, string]> = [];
  const [sentimentKeys, sentimentRolesColumn, sentimentScores, sentimentLabels] = buffers.sentiment;
  const lexicon = isLexiconScorer(sentiment);
  const seenKeys = new KeyList();
  // The roles a text occurs with come as a bit mask over the batch's roles (a handful): cheaper than collecting
  // their names per text (a distinct aggregate and a string per row).
  const batchRoles = (await db.all<{ role: string }>(`select distinct role from ${msgs} order by role`)).map((r) => r.role);
  if (batchRoles.length > MAX_BATCH_ROLES) {
    throw new InputError(`raw.messages: more than ${MAX_BATCH_ROLES} distinct speaker roles in one scoring batch (${batchRoles.slice(0, 5).join(', ')}, ...)`);
  }
  const rolesOfMask = new Map<number, string[]>();
  // Decoded by arithmetic: JavaScript's bitwise operators keep only 32 bits.
  const rolesOf = (mask: number): string[] => {
    let roles = rolesOfMask.get(mask);
    if (!roles) rolesOfMask.set(mask, (roles = batchRoles.filter((_, i) => Math.floor(mask / 2 ** i) % 2 === 1)));
    return roles;
  };
  const distinctTexts = await forEachChunk(
    db,
    // Grouped by the text itself (not its key), so two texts sharing a key show up as a repeated key. Purged
    // text (NULL) has nothing to analyse.
    `select any_value(text_key) as text_key, text, bit_or(1::ubigint << (list_position($roles, role) - 1)::ubigint)::double as roles
     from ${msgs} where text is not null group by text`,
    { roles: listParam(batchRoles) },
    async (columns, rowCount) => {
      const keys = columns[0] as number[];
      const texts = columns[1] as string[];
      const roleMasks = columns[2] as number[];
      seenKeys.push(keys);
      const analyses: TextAnalysis[] = texts.map((t) => analyzer.analyze(t));
      const roleLists = roleMasks.map(rolesOf);
      const wantsSentiment = roleLists.map((roles) => roles.some((role) => sentimentRoles.has(role)));
      // A model scores only the texts someone needs a sentiment for (the model is the slow part there).
      const modelScores = new Map<number, Sentiment>();
      if (!lexicon) {
        const needed = wantsSentiment.flatMap((wanted, i) => (wanted ? [i] : []));
        const scores = await sentiment.scoreTexts(needed.map((i) => texts[i]!));
        needed.forEach((i, k) => modelScores.set(i, scores[k]!));
      }
      for (let i = 0; i < rowCount; i++) {
        const key = keys[i]!;
        const text = texts[i]!;
        const roles = roleLists[i]!;
        const analysis = analyses[i]!;
        for (const role of roles) {
          if (sentimentRoles.has(role)) {
            // Without any hit the role changes nothing: the role-free sentiment is the same value.
            const scored = !lexicon ? modelScores.get(i)! : analysis.hits.length === 0 ? analysis.sentiment : analyzer.sentimentFor(text, analysis, role);
            sentimentKeys.push(key);
            sentimentRolesColumn.push(role);
            sentimentScores.push(scored.score);
            sentimentLabels.push(scored.label);
          }
          if (analysis.hits.length === 0) continue;
          for (const h of firstHitsForRole(analysis.hits, role)) {
            buffers.hits.push([key, role, h.signal, h.ruleId, h.spanStart, h.spanEnd, h.matchedText, h.confidence,
              h.context ?? null]);
          }
        }
        if (roles.includes('agent') || roles.includes('bot')) {
          const normalized = normalize(text);
          // Acknowledgements (好的, 抱歉) get no template: repeating them is not pasting a script.
          if (longEnoughForTemplate(normalized)) responderTexts.push([key, normalized]);
        }
      }
    },
  );
  return { buffers, responderTexts, distinctTexts, collided: seenKeys.hasRepeat() };
}

/** The keys of a batch's distinct texts, collected in a growing typed array: a repeat means two texts share a key. */
class KeyList {
  private keys = new Float64Array(1 << 16);
  private size = 0;

  push(keys: readonly number[]): void {
    if (this.size + keys.length > this.keys.length) {
      const grown = new Float64Array(Math.max(this.keys.length * 2, this.size + keys.length));
      grown.set(this.keys.subarray(0, this.size));
      this.keys = grown;
    }
    for (const key of keys) this.keys[this.size++] = key;
  }

  hasRepeat(): boolean {
    const sorted = this.keys.subarray(0, this.size).sort();
    for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) return true;
    return false;
  }
}

export async function scoreDatabase(db: Db, options: ScoreOptions): Promise<ScoreSummary> {
  await ensureRawSchema(db);
  // DuckDB names a database file's catalog after the file: one named like the work database would be detached.
  if ((await db.value<string>('select current_database()')) === WORK_CATALOG) {
    throw new ConfigError(`${db.path}: a database file may not be named ${WORK_CATALOG} (csqa score attaches its work database under that name)`);
  }
  await db.run(`detach database if exists ${WORK_CATALOG}`);
  await db.run(`attach ':memory:' as ${WORK_CATALOG}`);
  try {
    // Nothing here reads a table's physical order: messages are sequenced by an explicit window order, and
    // the distinct texts of a batch are sorted before templates are assigned.
    return await withInsertionOrder(db, false, () => scoreWithWorkTables(db, options));
  } finally {
    await db.run(`detach database if exists ${WORK_CATALOG}`);
  }
}

async function scoreWithWorkTables(db: Db, options: ScoreOptions): Promise<ScoreSummary> {
  const { analyzer, sentiment } = options;
  const normalize = options.normalize ?? normalizeForClustering;
  const rulesVersion = analyzer.catalogVersion;
  const now = options.now ?? (() => new Date());
  const sentimentRoles = new Set(options.sentimentRoles ?? ['customer']);

  // No transaction around the batches (DuckDB writes large inserts inside one more slowly: at 100k, 8.6 s
  // with it and 7.8 s without): a conversation counts as scored only once scores.scored_conversations names
  // it, which the last, short transaction writes. A run killed before that leaves rows of conversations that
  // are still pending, and the next run deletes those rows before scoring them again, so it ends exactly as
  // an uninterrupted run. Until then, a KPI build over the database would miss those conversations' scores.
  // Batches are ranges of conversation ids holding about batchMessages messages each: a range is a filter
  // the scan of raw.messages applies itself (skipping row groups outside it), where a hash split would make
  // every batch read every message.
  // A conversation whose text was purged keeps the scores it has: they were computed from the text that is
  // gone, and scoring it again would delete them and find nothing. One never scored is scored from what is left.
  await db.run(`create table ${WORK_DUE} as
    with counts as (
      select conversation_id, count(*) as message_count, bool_or(text is null) as has_purged_text
      from raw.messages group by conversation_id
    )
    select c.conversation_id, c.message_count,
      c.has_purged_text and c.conversation_id in (select conversation_id from scores.scored_conversations) as is_kept
    from counts c
    left join scores.scored_conversations s
      on s.conversation_id = c.conversation_id and s.message_count = c.message_count
      and s.sentiment_scorer = $1 and s.sentiment_version = $2 and s.rules_version = $3
    where s.conversation_id is null`,
    [sentiment.name, sentiment.version, rulesVersion]);
  await db.run(`create table ${WORK_PENDING} as
    select conversation_id, message_count,
      ((sum(message_count) over running - message_count) // $1)::integer as part,
      (row_number() over running)::integer as conv
    from ${WORK_DUE}
    where not is_kept
    window running as (order by conversation_id rows between unbounded preceding and current row)`,
    [options.batchMessages]);
  const conversations = Number((await db.value<number>(`select count(*) from ${WORK_PENDING}`)) ?? 0);
  const messages = Number((await db.value<number>(`select coalesce(sum(message_count), 0) from ${WORK_PENDING}`)) ?? 0);
  const keptPurged = Number(await db.value<number>(`select count(*) from ${WORK_DUE} where is_kept`));
  const summary: ScoreSummary = { conversations, messages, distinctTexts: 0, signals: 0, newTemplates: 0, keptPurged };
  if (conversations === 0) return summary;
  // Rule results are rewritten whole; sentiment only this scorer's, so another scorer's rows stay to compare
  // (score.sentimentScorer picks which the KPIs read).
  for (const [table, scorerColumn] of [
    ['message_sentiment', 'scorer'], ['message_signals', null], ['message_templates', null], ['responder_templates', null],
    ['scored_conversations', 'sentiment_scorer'],
  ] as const) {
    await db.run(
      `delete from scores.${table} where conversation_id in (select conversation_id from ${WORK_PENDING})` +
        (scorerColumn ? ` and ${scorerColumn} = $1` : ''),
      scorerColumn ? [sentiment.name] : undefined,
    );
  }

  const parts = Number(await db.value<number>(`select max(part) + 1 from ${WORK_PENDING}`));

  const known = await db.all<{ id: string; text: string }>(
    'select template_id as id, example as text from scores.template_catalog order by first_seen, template_id',
  );
  const templates = new TemplateIndex(options.cannedSimilarity, known);
  const templateOf = new Map<string, string>();

  /** Fills the slot's msgs table with one batch's messages. */
  async function selectBatch(connection: Db, part: number, work: WorkTables): Promise<void> {
    // conv (a small integer per conversation) and seq key the messages for the context rules, so no
    // window or join there hashes or compares the long string keys.
    await connection.run(`create or replace table ${work.msgs} as
      select m.message_key, m.conversation_id, p.conv, m.role, m.text, m.sent_at, (${options.textKeySql ?? TEXT_KEY_SQL})::double as text_key,
        row_number() over (partition by p.conv order by m.sent_at, m.message_key) as seq
      from raw.messages m join ${WORK_PENDING} p on p.conversation_id = m.conversation_id
      where p.part = $1 and m.conversation_id between $2 and $3`, [part, ...(await partRange(connection, part))]);
  }

  /** Fills the slot's per-text tables for one selected batch (this connection; JavaScript does the analysis). */
  async function analyseSelected(work: WorkTables): Promise<void> {
    let batch = await analyseBatch(db, work.msgs, analyzer, sentiment, normalize, sentimentRoles);
    if (batch.collided) {
      // Two different texts share a 64-bit hash: key this batch by exact dense ids instead.
      await db.run(`update ${work.msgs} set text_key = i.text_key
        from (select text, row_number() over (order by text)::double as text_key from (select distinct text from ${work.msgs})) i
        where i.text = ${work.msgs}.text`);
      batch = await analyseBatch(db, work.msgs, analyzer, sentiment, normalize, sentimentRoles);
    }
    summary.distinctTexts += batch.distinctTexts;
    const { buffers, responderTexts } = batch;
    // DuckDB returns distinct texts in no fixed order; assigning templates in sorted order makes the
    // clusters and their founding ids the same on every rebuild of the same data. Batches are prepared
    // one after another, so templates are assigned in batch order too.
    const fresh = [...new Set(responderTexts.map(([, n]) => n).filter((n) => !templateOf.has(n)))].sort();
    for (const normalized of fresh) {
      templateOf.set(normalized, templates.assign(normalized));
    }
    for (const [key, normalized] of responderTexts) buffers.templates.push([key, templateOf.get(normalized)!]);

    await db.run(createTextTables(work));
    await appendColumns(db, work.textSentiment, buffers.sentiment);
    await appendRows(db, work.textHits, buffers.hits);
    await appendRows(db, work.textTemplate, buffers.templates);
  }

  /** Writes one prepared batch's per-message rows (SQL only); returns its message count. */
  async function writeBatch(writer: Db, work: WorkTables): Promise<number> {
    await writer.run(`insert into scores.message_sentiment
      select w.message_key, w.conversation_id, $1, $2, t.score, t.label
      from ${work.msgs} w join ${work.textSentiment} t on t.text_key = w.text_key and t.role = w.role`,
      [sentiment.name, sentiment.version]);
    // Only the hits the context rules read get a per-message work table; plain text hits go straight
    // into scores.message_signals (insertTextSignals).
    await writer.run(`create or replace table ${work.hits} as
      select w.message_key, w.conversation_id, w.conv, w.role, w.seq, w.sent_at, h.signal, h.rule_id, h.span_start,
        h.span_end, h.matched_text, h.confidence, h.context
      from ${work.msgs} w join ${work.textHits} h on h.text_key = w.text_key and h.role = w.role
      where ${CONTEXT_HIT_FILTER}`);
    await writer.run(`create or replace table ${work.templates} as
      select w.message_key, w.conversation_id, w.conv, w.seq, w.role, t.template_id
      from ${work.msgs} w join ${work.textTemplate} t on t.text_key = w.text_key where w.role in ('agent', 'bot')`);
    await writer.run(`insert into scores.responder_templates
      select message_key, conversation_id, role, template_id from ${work.templates}`);
    await writer.run(insertTextSignals(work), [RULES_SCORER_NAME, rulesVersion]);
    await writer.run(insertContextSignals(work), [RULES_SCORER_NAME, rulesVersion, options.apologyLoopMin]);
    return Number(await writer.value<number>(`select count(*) from ${work.msgs}`));
  }

  // Two lanes: this connection analyses batch k (JavaScript, the longer half) while the writer connection
  // writes batch k-1 and then selects batch k+1's messages, so each batch's messages are ready when its
  // analysis starts. Batch k uses slot k % 2: the writer's lane is sequential, so a slot is written and
  // refilled before the other lane touches it again.
  const slot = (part: number) => workTables((part % 2) as 0 | 1);
  const writer = await db.fork();
  let writerLane: Promise<void> | undefined;
  try {
    // The planner underestimates the filtered bot messages and would run the ASOF joins of the context
    // rules as nested loops (quadratic per conversation); the sort-based ASOF join is linear. A setting of
    // the writer's session, which runs only the batch statements here (no other has an ASOF join).
    await writer.run('set asof_loop_join_threshold = 0');
    await selectBatch(db, 0, slot(0));
    if (parts > 1) writerLane = selectBatch(writer, 1, slot(1));
    let messagesDone = 0;
    for (let part = 0; part < parts; part++) {
      await analyseSelected(slot(part));
      await writerLane;
      writerLane = (async () => {
        messagesDone += await writeBatch(writer, slot(part));
        options.onProgress?.({ done: part + 1, total: parts, unit: 'batches', rows: messagesDone, share: messagesDone / messages });
        if (part + 2 < parts) await selectBatch(writer, part + 2, slot(part + 2));
      })();
      // Awaited on the next turn or below; handled now so a failure mid-analysis is not reported as unhandled.
      writerLane.catch(() => undefined);
    }
    await writerLane;
  } catch (error) {
    await writerLane?.catch(() => undefined);
    throw error;
  } finally {
    writer.close();
  }

  const [cannedNow, cannedChanged, deleteTemplates, deleteAcross, insertTemplates, insertAcross] = UPDATE_CANNED_TEMPLATES;
  await db.run(cannedNow, [options.cannedMinConversations]);
  await db.run(cannedChanged);
  await db.run(deleteTemplates);
  await db.run(deleteAcross);
  await db.run(insertTemplates);
  await db.run(insertAcross, [RULES_SCORER_NAME, rulesVersion]);

  const seenAt = toTimestamp(now());
  const newTemplates = `${WORK_CATALOG}.main.new_templates`;
  await db.run(`create table ${newTemplates} (template_id varchar, example varchar)`);
  await appendRows(db, newTemplates, templates.added.map((t) => [t.id, t.text]));
  await db.transaction(async () => {
    await db.run(`insert into scores.template_catalog select template_id, example, $1::timestamp from ${newTemplates}`, [seenAt]);
    await db.run(`insert into scores.scored_conversations
      select conversation_id, message_count, $1, $2, $3, $4::timestamp from ${WORK_PENDING}`,
      [sentiment.name, sentiment.version, rulesVersion, seenAt]);
    for (const statement of CANNED_TEMPLATES_RECORD) await db.run(statement);
  });
  summary.newTemplates = templates.added.length;
  summary.signals = Number(
    await db.value<number>(`select count(*) from scores.message_signals where conversation_id in (select conversation_id from ${WORK_PENDING})`),
  );
  return summary;
}

/** First and last conversation id of a batch. */
async function partRange(db: Db, part: number): Promise<[string, string]> {
  const [range] = await db.all<{ lo: string; hi: string }>(
    `select min(conversation_id) as lo, max(conversation_id) as hi from ${WORK_PENDING} where part = $1`, [part],
  );
  return [range!.lo, range!.hi];
}

/** DuckDB TIMESTAMP literal (UTC) for binding as text. */
function toTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}
