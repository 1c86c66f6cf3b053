/**
 * Scoring throughput: `npx tsx bench/score.ts [messages] [uniqueShare]` (defaults 1,000,000 and 0.2).
 * Synthetic rows are generated in DuckDB with SQL from the hand-labelled texts; a share of them gets a
 * random order number appended so the distinct-text count is realistic (canned replies repeat, customers
 * paste order numbers). Reports end-to-end `csqa score` msg/s (wall, and per CPU second of this process,
 * DuckDB's threads included, which other work on a shared machine disturbs less) and the analyzer's raw texts/s.
 *
 * Then the text half alone (`text_pass_*`): every message keyed as score keys it, then score's own analyseBatch
 * over all of them at once (the distinct texts gathered from DuckDB and analysed once each: sentiment, every
 * phrase and pattern rule, the normalised form for template clustering), results held in JavaScript. This is
 * "lexicon + all rules" without what needs the conversation (context rules, canned templates) and without storing.
 *
 * Then what storing alone costs (`store_floor_*`): the per-message rows this run stored (sentiment, signals,
 * template memberships), inserted again from copies already in DuckDB into empty tables of the same database,
 * so no analysis, join or batch bookkeeping is in the figure. Storing per message is part of the job (the KPI
 * layer reads those tables), so `store_floor_messages_per_s` caps `csqa score` on this machine.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { openDatabase, type Db } from '../src/db/database.js';
import { withInsertionOrder } from '../src/db/insertionOrder.js';
import { ensureRawSchema } from '../src/db/schema.js';
import { compileAnalyzer } from '../src/score/analyzer.js';
import { loadCatalog } from '../src/score/catalog.js';
import { parseMessageLines } from '../src/score/messageInput.js';
import { analyseBatch, normalizeForClustering, scoreDatabase, TEXT_KEY_SQL } from '../src/score/scoreDatabase.js';
import { lexiconScorer } from '../src/score/scorers.js';

export async function benchScore(messages: number, uniqueShare: number): Promise<Record<string, number>> {
  const base = parseMessageLines(readFileSync('fixtures/labelled/dev.jsonl', 'utf8'), 'dev.jsonl');
  mkdirSync('.bench-cache', { recursive: true });
  const path = '.bench-cache/score-bench.duckdb';
  rmSync(path, { force: true });
  rmSync(path + '.wal', { force: true });
  const db = await openDatabase(path);
  try {
    await ensureRawSchema(db);
    await db.run('create table bench_texts (i integer, role varchar, text varchar)');
    for (const [i, m] of base.entries()) {
      await db.run('insert into bench_texts values ($1, $2, $3)', [i, m.role === 'any' ? 'customer' : m.role, m.text]);
    }
    const started = performance.now();
    await db.run(
      `insert into raw.messages (message_key, message_id, conversation_id, sent_at, role, text, record_hash, source_file, source_line)
       select 'm' || g, g::varchar, 'c' || (g // 12), timestamp '2026-01-01' + to_seconds(g), t.role,
         case when hash(g) % 1000 < $2 * 1000 then t.text || ' 订单' || (100000000 + hash(g * 7) % 900000000)::varchar else t.text end,
         'h', 'bench', g
       from range($1) r(g) join bench_texts t on t.i = hash(g * 31) % $3`,
      [messages, uniqueShare, base.length],
    );
    const generated = (performance.now() - started) / 1000;

    const analyzer = compileAnalyzer(loadCatalog());
    const options = {
      analyzer,
      sentiment: lexiconScorer(analyzer),
      apologyLoopMin: 3,
      cannedMinConversations: 5,
      cannedSimilarity: 0.7,
      batchMessages: 2_000_000,
    };
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const summary = await scoreDatabase(db, options);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;

    const k0 = performance.now();
    const c0 = process.cpuUsage();
    await db.run(`create table text_pass as select m.role, m.text, (${TEXT_KEY_SQL})::double as text_key from raw.messages m`);
    const keySeconds = (performance.now() - k0) / 1000;
    const a0 = performance.now();
    const pass = await analyseBatch(db, 'text_pass', analyzer, options.sentiment, normalizeForClustering, new Set(['customer']));
    const passSeconds = (performance.now() - k0) / 1000;
    const analyseSeconds = (performance.now() - a0) / 1000;
    const passCpu = process.cpuUsage(c0);
    if (pass.collided) throw new Error('text pass: two texts share a key; the figure would not be score\'s');
    await db.run('drop table text_pass');

    const store = await measureStoreFloor(db);

    const texts = (await db.all<{ text: string }>('select distinct text from raw.messages limit 200000')).map((r) => r.text);
    const t1 = performance.now();
    for (const text of texts) analyzer.analyze(text);
    const analyzerSeconds = (performance.now() - t1) / 1000;

    const result = {
      messages: summary.messages,
      distinct_texts: summary.distinctTexts,
      signals: summary.signals,
      generate_s: Number(generated.toFixed(2)),
      score_s: Number(seconds.toFixed(2)),
      score_cpu_s: Number(cpuSeconds.toFixed(2)),
      messages_per_s: Math.round(summary.messages / seconds),
      messages_per_cpu_s: Math.round(summary.messages / cpuSeconds),
      analyzer_texts_per_s: Math.round(texts.length / analyzerSeconds),
      text_pass_key_s: Number(keySeconds.toFixed(2)),
      text_pass_gather_analyse_s: Number(analyseSeconds.toFixed(2)),
      text_pass_s: Number(passSeconds.toFixed(2)),
      text_pass_cpu_s: Number(((passCpu.user + passCpu.system) / 1e6).toFixed(2)),
      text_pass_distinct_texts: pass.distinctTexts,
      text_pass_messages_per_s: Math.round(summary.messages / passSeconds),
      store_floor_rows: store.rows,
      store_floor_s: Number(store.seconds.toFixed(2)),
      store_floor_cpu_s: Number(store.cpuSeconds.toFixed(2)),
      store_floor_messages_per_s: Math.round(summary.messages / store.seconds),
    };
    return result;
  } finally {
    db.close();
    rmSync(path, { force: true });
    rmSync(path + '.wal', { force: true });
  }
}

/** The per-message tables `csqa score` fills. */
const STORED_TABLES = ['message_sentiment', 'message_signals', 'message_templates', 'responder_templates'];

/** Inserts copies of the rows score stored into empty tables of the same database; only the inserts are timed. */
async function measureStoreFloor(db: Db): Promise<{ rows: number; seconds: number; cpuSeconds: number }> {
  for (const table of STORED_TABLES) {
    await db.run(`create temp table copy_${table} as select * from scores.${table}`);
    await db.run(`create table scores.sink_${table} as select * from scores.${table} limit 0`);
  }
  const started = performance.now();
  const cpu = process.cpuUsage();
  let rows = 0;
  // As score writes: without DuckDB's insertion-order merge, then checkpointed.
  await withInsertionOrder(db, false, async () => {
    for (const table of STORED_TABLES) await db.run(`insert into scores.sink_${table} select * from copy_${table}`);
  });
  await db.run('checkpoint');
  const used = process.cpuUsage(cpu);
  const seconds = (performance.now() - started) / 1000;
  for (const table of STORED_TABLES) {
    rows += Number(await db.value(`select count(*) from scores.sink_${table}`));
    await db.run(`drop table copy_${table}`);
    await db.run(`drop table scores.sink_${table}`);
  }
  return { rows, seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const messages = Number(process.argv[2] ?? 1_000_000);
  const uniqueShare = Number(process.argv[3] ?? 0.2);
  console.log(JSON.stringify(await benchScore(messages, uniqueShare), null, 2));
}
