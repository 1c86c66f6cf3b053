/**
 * The least work any nightly run over a data set must do, each step timed on its own, so the stage table of
 * `npm run bench` can be read against a floor measured on the same machine in the same hour:
 *   1. read every record of every input file once (DuckDB's read_json, every field as text, no validation),
 *   2. put the messages in conversation order once (one window sort, the sort every sequenced KPI needs),
 *   3. gather the distinct texts and analyse each once with the built-in lexicon and rules (JavaScript, one core).
 * Broken lines are skipped, not reported. Nothing is checked, deduplicated, quarantined, stored or aggregated: a real run does all of that on top.
 *
 *   npx tsx bench/floor.ts [conversations=1000000] [--cache .bench-cache] [--seed 7]
 * (the fixtures must exist: `npm run bench -- --conversations N` generates and caches them)
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { forEachChunk } from '../src/db/chunks.js';
import { listParam, openDatabase } from '../src/db/database.js';
import { scoreOptionsFromConfig } from '../src/score/setup.js';

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : fallback;
};
const conversations = Number(argv.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const dir = join(option('cache', '.bench-cache'), `fixtures-${conversations}-seed${option('seed', '7')}`);
const files = readdirSync(dir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => join(dir, d.name, 'records.jsonl'))
  .sort();

const TEXT_FIELDS = ['type', 'conversation_id', 'message_id', 'sent_at', 'role', 'text', 'customer_id', 'agent_id', 'agent_name',
  'vendor', 'tier', 'channel', 'occurred_at', 'event', 'from_tier', 'to_tier', 'csat', 'nps', 'answered_at', 'comment'];
const columns = `{${TEXT_FIELDS.map((f) => `${f}: 'VARCHAR'`).join(', ')}}`;

const db = await openDatabase(':memory:');
const steps: Array<{ step: string; seconds: number; cpuSeconds: number; rows: number }> = [];
async function timed(step: string, work: () => Promise<number>): Promise<void> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const rows = await work();
  const used = process.cpuUsage(cpu);
  steps.push({ step, seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6, rows });
}

await timed('read every record once (read_json)', async () => {
  await db.run(`create table records as select * from read_json($files, format = 'newline_delimited', ignore_errors = true, columns = ${columns})`, {
    files: listParam(files),
  });
  return Number(await db.value('select count(*) from records'));
});
await db.run(`create table messages as select conversation_id, message_id, sent_at, role, text from records where type = 'message'`);
await db.run('drop table records');
await timed('sequence the messages once (one window sort)', async () => {
  await db.run(`create table sequenced as
    select *, row_number() over (partition by conversation_id order by sent_at, message_id) as seq from messages`);
  return Number(await db.value('select count(*) from sequenced'));
});
const { analyzer } = await scoreOptionsFromConfig(loadConfig({ env: {}, cwd: '/nonexistent' }));
// The distinct texts are gathered and held in JavaScript first, so the analysis is timed apart from DuckDB's part.
const texts: string[] = [];
await timed('gather the distinct texts (DuckDB to JavaScript)', () =>
  forEachChunk(db, 'select distinct text from messages', {}, (chunkColumns) => {
    for (const text of chunkColumns[0] as string[]) texts.push(text);
  }),
);
await timed('analyse each distinct text once (JavaScript)', async () => {
  for (const text of texts) analyzer.analyze(text);
  return texts.length;
});
db.close();

console.log(`csqa floor: ${conversations} conversations, ${files.length} files`);
for (const s of steps) console.log(`${s.step.padEnd(48)} ${s.seconds.toFixed(2).padStart(7)} s ${s.cpuSeconds.toFixed(1).padStart(7)} CPU-s ${String(s.rows).padStart(11)} rows`);
const total = steps.reduce((sum, s) => sum + s.seconds, 0);
console.log(`${'total'.padEnd(48)} ${total.toFixed(2).padStart(7)} s`);
