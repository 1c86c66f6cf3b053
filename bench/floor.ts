/**
 * The least work any nightly run over a data set must do, each step timed on its own, so the stage table of
 * `npm run bench` can be read against a floor measured on the same machine in the same run:
 *   1. read every record of every input file once (DuckDB's read_json, every field as text, no validation),
 *   2. put the messages in conversation order once (one window sort, the sort every sequenced KPI needs),
 *   3. gather the distinct texts and analyse each once with the built-in lexicon and rules (JavaScript, one core).
 * Broken lines are skipped, not reported. Nothing is checked, deduplicated, quarantined, stored or aggregated:
 * a real run does all of that on top.
 *
 *   npm run bench:floor -- <fixtures dir> [--json]     (`npm run bench` runs it after its stage table)
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { forEachChunk } from '../src/db/chunks.js';
import { listParam, openDatabase } from '../src/db/database.js';
import { CANONICAL_FIELDS } from '../src/ingest/fields.js';
import { scoreOptionsFromConfig } from '../src/score/setup.js';

export interface FloorStep {
  step: string;
  seconds: number;
  cpuSeconds: number;
  rows: number;
}

/** Every field a record may carry (the bench's files use the canonical names), as ingest lands them: text. */
const COLUMNS = `{${CANONICAL_FIELDS.map((f) => `${f}: 'VARCHAR'`).join(', ')}}`;

/** The day files of a fixtures folder (the generator's answer keys beside them are not input). */
export function dayFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => join(dir, d.name, 'records.jsonl'))
    .sort();
}

export async function measureFloor(files: readonly string[]): Promise<FloorStep[]> {
  const db = await openDatabase(':memory:');
  const steps: FloorStep[] = [];
  async function timed(step: string, work: () => Promise<number>): Promise<void> {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const rows = await work();
    const used = process.cpuUsage(cpu);
    steps.push({ step, seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6, rows });
  }
  try {
    await timed('read every record once (read_json)', async () => {
      await db.run(
        `create table records as
         select * from read_json($files, format = 'newline_delimited', ignore_errors = true, columns = ${COLUMNS})`,
        { files: listParam(files) },
      );
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
    // Gathered and held in JavaScript first, so the analysis is timed apart from DuckDB's part.
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
  } finally {
    db.close();
  }
  return steps;
}

export function formatFloor(steps: readonly FloorStep[]): string {
  const total = steps.reduce((sum, s) => sum + s.seconds, 0);
  return [
    ...steps.map((s) => `${s.step.padEnd(48)} ${s.seconds.toFixed(2).padStart(7)} s ${s.cpuSeconds.toFixed(1).padStart(7)} CPU-s ${String(s.rows).padStart(11)} rows`),
    `${'total'.padEnd(48)} ${total.toFixed(2).padStart(7)} s`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  if (!dir) throw new Error('usage: npx tsx bench/floor.ts <fixtures dir> [--json]');
  const steps = await measureFloor(dayFiles(dir));
  console.log(process.argv.includes('--json') ? JSON.stringify(steps) : formatFloor(steps));
}
