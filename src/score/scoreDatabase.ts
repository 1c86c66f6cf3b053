/**
 * `csqa score` applied to a database: scores every conversation that is new, grew, or was scored by
 * another scorer or rule-set version; a killed run is completed by the next one (see scoreDatabase).
 *
 * Per batch of conversations: the distinct texts are streamed out of DuckDB in chunks and analysed once
 * each (canned replies repeat, so this is far fewer than the messages), the per-text results are
 * appended to work tables (hits already ranked per speaker role), and DuckDB joins them back to the
 * messages on (text, role) and evaluates the context rules in SQL. No per-message work happens in JavaScript.
 */
import type { Db } from '../db/database.js';
import type { ProgressUpdate } from '../pipeline/progress.js';
import { appendColumns, appendRows, forEachChunk } from '../db/chunks.js';
import { ensureRawSchema } from '../db/schema.js';
import type { TextAnalyzer } from './analyzer.js';
import { CONTEXT_HIT_FILTER, INSERT_CONTEXT_SIGNALS, INSERT_TEXT_SIGNALS, REBUILD_CANNED_TEMPLATES } from './contextRules.js';
import { maskVariableParts, type Normalizer } from './normalize.js';
import { textForClustering } from '../privacy/redact.js';
import { firstHitsForRole } from './roleHits.js';
import { isLexiconScorer } from './scorers.js';
import { TemplateIndex } from './templates.js';
import type { Sentiment, SentimentScorer, TextAnalysis } from './types.js';

export const RULES_SCORER_NAME = 'rules';

/**
 * DuckDB's hash() collides on real chat text (付了10元~😭 and 付了15元~😊 share one), and a collision makes a
 * batch analyse its texts twice (see the exact-id fallback); 64 bits of MD5 cost about 2 s per 10M messages.
 */
const TEXT_KEY_SQL = 'md5_number_lower(m.text)';

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
   * SQL over m.text giving each distinct text a UBIGINT key (default: the low 64 bits of its MD5); tests pass a
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
}

const WORK_TABLES = `
create or replace temp table work_text_sentiment (text_key ubigint, role varchar, score double, label varchar);
create or replace temp table work_text_hits (text_key ubigint, role varchar, signal varchar, rule_id varchar,
  span_start integer, span_end integer, matched_text varchar, confidence double, context varchar);
create or replace temp table work_text_template (text_key ubigint, template_id varchar);
`;
const DROP_WORK_TABLES = ['work_pending', 'work_msgs', 'work_hits', 'work_templates', 'work_text_sentiment', 'work_text_hits', 'work_text_template', 'work_new_templates']
  .map((t) => `drop table if exists ${t};`)
  .join('\n');

/** Per-text results of one batch, keyed by the text's key in work_msgs (text_key). */
interface BatchBuffers {
  /** Columns of work_text_sentiment (one row per text and role: the biggest buffer). */
  sentiment: [bigint[], string[], number[], string[]];
  hits: Array<[bigint, string, string, string, number, number, string, number, string | null]>;
  templates: Array<[bigint, string]>;
}

interface AnalysedBatch {
  buffers: BatchBuffers;
  /** Responder texts by key, with their normalised form for template clustering. */
  responderTexts: Array<[bigint, string]>;
  distinctTexts: number;
  /** Some text_key stood for more than one text: the results are unusable and the batch needs exact keys. */
  collided: boolean;
}

/**
 * Streams the distinct texts of work_msgs (one row per text_key) and analyses each once, for every
 * speaker role it occurs with.
 */
async function analyseBatch(
  db: Db, analyzer: TextAnalyzer, sentiment: SentimentScorer, normalize: Normalizer, sentimentRoles: ReadonlySet<string>,
): Promise<AnalysedBatch> {
  const buffers: BatchBuffers = { sentiment: [[], [], [], []], hits: [], templates: [] };
  const responderTexts: Array<[bigint, string]> = [];
  const [sentimentKeys, sentimentRolesColumn, sentimentScores, sentimentLabels] = buffers.sentiment;
  const lexicon = isLexiconScorer(sentiment);
  let collided = false;
  const seenKeys = new Set<bigint>();
  const distinctTexts = await forEachChunk(
    db,
    // Grouped by the text itself (not its key), so two texts sharing a key show up as a repeated key.
    `select any_value(text_key) as text_key, text, string_agg(distinct role, ',') as roles from work_msgs group by text`,
    undefined,
    async (columns, rowCount) => {
      const keys = columns[0] as bigint[];
      const texts = columns[1] as string[];
      const roleCsvs = columns[2] as string[];
      for (const key of keys) {
        if (seenKeys.has(key)) collided = true;
        seenKeys.add(key);
      }
      if (collided) return;
      const analyses: TextAnalysis[] = texts.map((t) => analyzer.analyze(t));
      const roleLists = roleCsvs.map((csv) => csv.split(','));
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
        if (roles.includes('agent') || roles.includes('bot')) responderTexts.push([key, normalize(text)]);
      }
    },
  );
  return { buffers, responderTexts, distinctTexts, collided };
}

export async function scoreDatabase(db: Db, options: ScoreOptions): Promise<ScoreSummary> {
  await ensureRawSchema(db);
  const { analyzer, sentiment } = options;
  // Personal data is redacted before clustering, so two pastes of one template that differ only by a
  // phone or order number fall into one cluster; the remaining digit runs are masked after.
  const normalize = options.normalize ?? ((text: string) => maskVariableParts(textForClustering(text)));
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
  await db.run(`create or replace temp table work_pending as
    with counts as (select conversation_id, count(*) as message_count from raw.messages group by conversation_id),
    pending as (
      select c.conversation_id, c.message_count from counts c
      left join scores.scored_conversations s
        on s.conversation_id = c.conversation_id and s.message_count = c.message_count
        and s.sentiment_scorer = $1 and s.sentiment_version = $2 and s.rules_version = $3
      where s.conversation_id is null
    )
    select conversation_id, message_count,
      ((sum(message_count) over running - message_count) // $4)::integer as part,
      (row_number() over running)::integer as conv
    from pending
    window running as (order by conversation_id rows between unbounded preceding and current row)`,
    [sentiment.name, sentiment.version, rulesVersion, options.batchMessages]);
  const conversations = Number((await db.value<number>('select count(*) from work_pending')) ?? 0);
  const messages = Number((await db.value<number>('select coalesce(sum(message_count), 0) from work_pending')) ?? 0);
  const summary: ScoreSummary = { conversations, messages, distinctTexts: 0, signals: 0, newTemplates: 0 };
  if (conversations === 0) {
    await db.run(DROP_WORK_TABLES);
    return summary;
  }
  for (const table of ['message_sentiment', 'message_signals', 'responder_templates', 'scored_conversations']) {
    await db.run(`delete from scores.${table} where conversation_id in (select conversation_id from work_pending)`);
  }

  const parts = Number(await db.value<number>('select max(part) + 1 from work_pending'));

  const known = await db.all<{ id: string; text: string }>(
    'select template_id as id, example as text from scores.template_catalog order by first_seen, template_id',
  );
  const templates = new TemplateIndex(options.cannedSimilarity, known);
  const templateOf = new Map<string, string>();

  await db.run(WORK_TABLES);
  let messagesDone = 0;
  for (let part = 0; part < parts; part++) {
    // conv (a small integer per conversation) and seq key the messages for the context rules, so no
    // window or join there hashes or compares the long string keys.
    await db.run(`create or replace temp table work_msgs as
      select m.message_key, m.conversation_id, p.conv, m.role, m.text, m.sent_at, ${options.textKeySql ?? TEXT_KEY_SQL} as text_key,
        row_number() over (partition by p.conv order by m.sent_at, m.message_key) as seq
      from raw.messages m join work_pending p on p.conversation_id = m.conversation_id
      where p.part = $1 and m.conversation_id between $2 and $3`, [part, ...(await partRange(db, part))]);

    let batch = await analyseBatch(db, analyzer, sentiment, normalize, sentimentRoles);
    if (batch.collided) {
      // Two different texts share a 64-bit hash: key this batch by exact dense ids instead.
      await db.run(`update work_msgs set text_key = i.text_key
        from (select text, row_number() over (order by text)::ubigint as text_key from (select distinct text from work_msgs)) i
        where i.text = work_msgs.text`);
      batch = await analyseBatch(db, analyzer, sentiment, normalize, sentimentRoles);
    }
    summary.distinctTexts += batch.distinctTexts;
    const { buffers, responderTexts } = batch;
    // DuckDB returns distinct texts in no fixed order; assigning templates in sorted order makes the
    // clusters and their founding ids the same on every rebuild of the same data.
    const fresh = [...new Set(responderTexts.map(([, n]) => n).filter((n) => !templateOf.has(n)))].sort();
    for (const normalized of fresh) {
      templateOf.set(normalized, templates.assign(normalized));
    }
    for (const [key, normalized] of responderTexts) buffers.templates.push([key, templateOf.get(normalized)!]);

    await db.run('delete from work_text_sentiment; delete from work_text_hits; delete from work_text_template;');
    await appendColumns(db, 'work_text_sentiment', buffers.sentiment);
    await appendRows(db, 'work_text_hits', buffers.hits);
    await appendRows(db, 'work_text_template', buffers.templates);

    await db.run(`insert into scores.message_sentiment
      select w.message_key, w.conversation_id, $1, $2, t.score, t.label
      from work_msgs w join work_text_sentiment t on t.text_key = w.text_key and t.role = w.role`, [sentiment.name, sentiment.version]);
    // Only the hits the context rules read get a per-message work table; plain text hits go straight
    // into scores.message_signals (INSERT_TEXT_SIGNALS).
    await db.run(`create or replace temp table work_hits as
      select w.message_key, w.conversation_id, w.conv, w.role, w.seq, w.sent_at, h.signal, h.rule_id, h.span_start,
        h.span_end, h.matched_text, h.confidence, h.context
      from work_msgs w join work_text_hits h on h.text_key = w.text_key and h.role = w.role
      where ${CONTEXT_HIT_FILTER}`);
    await db.run(`create or replace temp table work_templates as
      select w.message_key, w.conversation_id, w.conv, w.seq, w.role, t.template_id
      from work_msgs w join work_text_template t on t.text_key = w.text_key where w.role in ('agent', 'bot')`);
    await db.run(`insert into scores.responder_templates
      select message_key, conversation_id, role, template_id from work_templates`);
    await db.run(INSERT_TEXT_SIGNALS, [RULES_SCORER_NAME, rulesVersion]);
    // The planner underestimates the filtered bot messages and would run the ASOF joins of the context
    // rules as nested loops (quadratic per conversation); the sort-based ASOF join is linear.
    await db.run('set asof_loop_join_threshold = 0');
    try {
      await db.run(INSERT_CONTEXT_SIGNALS, [RULES_SCORER_NAME, rulesVersion, options.apologyLoopMin]);
    } finally {
      await db.run('reset asof_loop_join_threshold');
    }
    messagesDone += Number(await db.value<number>('select count(*) from work_msgs'));
    options.onProgress?.({ done: part + 1, total: parts, unit: 'batches', rows: messagesDone, share: messagesDone / messages });
  }

  // Rebuilt whole from responder_templates (delete, then insert), so a rebuild cut short by a kill is simply
  // done again by the next run, whose conversations are still pending.
  const [deleteAcross, deleteTemplates, insertTemplates, insertAcross] = REBUILD_CANNED_TEMPLATES;
  await db.run(deleteAcross);
  await db.run(deleteTemplates);
  await db.run(insertTemplates, [options.cannedMinConversations]);
  await db.run(insertAcross, [RULES_SCORER_NAME, rulesVersion]);

  const seenAt = toTimestamp(now());
  await db.run('create or replace temp table work_new_templates (template_id varchar, example varchar)');
  await appendRows(db, 'work_new_templates', templates.added.map((t) => [t.id, t.text]));
  await db.transaction(async () => {
    await db.run('insert into scores.template_catalog select template_id, example, $1::timestamp from work_new_templates', [seenAt]);
    await db.run(`insert into scores.scored_conversations
      select conversation_id, message_count, $1, $2, $3, $4::timestamp from work_pending`,
      [sentiment.name, sentiment.version, rulesVersion, seenAt]);
  });
  summary.newTemplates = templates.added.length;
  summary.signals = Number(
    await db.value<number>('select count(*) from scores.message_signals where conversation_id in (select conversation_id from work_pending)'),
  );
  await db.run(DROP_WORK_TABLES);
  return summary;
}

/** First and last conversation id of a batch. */
async function partRange(db: Db, part: number): Promise<[string, string]> {
  const [range] = await db.all<{ lo: string; hi: string }>(
    'select min(conversation_id) as lo, max(conversation_id) as hi from work_pending where part = $1', [part],
  );
  return [range!.lo, range!.hi];
}

/** DuckDB TIMESTAMP literal (UTC) for binding as text. */
function toTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}
