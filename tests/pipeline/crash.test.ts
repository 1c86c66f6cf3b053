/**
 * The kill-and-rerun property: a `csqa run` SIGKILLed at any point (inside an ingest transaction, between
 * stages, inside the metrics transaction, half-way through the exports) and then run again ends with exactly
 * the tables and files of a run that was never interrupted.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csqa, snapshotDatabase, snapshotFiles, start, waitForStderr } from './child.js';

const root = mkdtempSync(join(tmpdir(), 'csqa-crash-'));

function workspace(name: string) {
  const dir = join(root, name);
  const config = join(root, `${name}.json`);
  writeFileSync(config, JSON.stringify({ outDir: join(dir, 'out'), inputs: [join(root, 'fixtures', '*', 'records.jsonl')] }));
  return { db: join(root, `${name}.duckdb`), out: join(dir, 'out'), args: ['-q', '--db', join(root, `${name}.duckdb`), '-c', config, 'run'] };
}

afterAll(() => rmSync(root, { recursive: true, force: true }));

let reference: { tables: Record<string, string>; files: Record<string, string> };

beforeAll(async () => {
  const generated = csqa(['fixtures', '--conversations', '200', '--days', '3', '--out', join(root, 'fixtures')]);
  expect(generated.code, generated.stderr).toBe(0);
  const ref = workspace('reference');
  const run = csqa(ref.args);
  expect(run.code, run.stderr).toBe(0);
  reference = { tables: await snapshotDatabase(ref.db), files: await snapshotFiles(ref.out) };
}, 120_000);

const rowCount = (fingerprint: string) => Number(/^(\d+) rows/.exec(fingerprint)?.[1] ?? NaN);

describe('csqa run killed and run again', () => {
  it('has a reference worth comparing against (rows in raw, marts and exports)', () => {
    expect(rowCount(reference.tables['raw.messages']!)).toBeGreaterThan(1000);
    expect(rowCount(reference.tables['marts.kpis_by_agent']!)).toBeGreaterThan(0);
    expect(Object.keys(reference.files)).toContain('exports/kpis_by_agent.parquet');
  });

  // One database through a chain of crashes, each run getting past the point the previous one died at (so
  // each crash is recovered by the next run) and dying at the next: ingest:2 is inside the second file's
  // transaction (rows decided, not committed), ingest:end between stages, score:1 after the score rows of the
  // batch were written and before they were recorded as scored, metrics:10 half-way through the models (built
  // beside the published marts), export:5 after the fifth export was written under its temp name and before
  // the rename.
  it('SIGKILL at ingest:2, ingest:end, score:1, metrics:10, export:5 in turn, then a full run: same tables and files', async () => {
    const ws = workspace('killed');
    for (const point of ['ingest:2', 'ingest:end', 'score:1', 'metrics:10', 'export:5']) {
      const killed = start(ws.args, { CSQA_TEST_PAUSE_AT: point });
      await waitForStderr(killed, `csqa-test-paused ${point}`);
      killed.child.kill('SIGKILL');
      expect((await killed.exited).signal).toBe('SIGKILL');
      expect(existsSync(join(ws.out, '.csqa.lock')), point).toBe(true);
    }
    // The last kill really left debris: a partial export under a temp name.
    expect(readdirSync(join(ws.out, 'exports')).filter((f) => /\.tmp-\d+$/.test(f))).toHaveLength(1);

    const again = csqa(ws.args);
    expect(again.code, again.stderr).toBe(0);
    const summary = JSON.parse(again.stdout);
    expect(summary.status).toBe('ok');
    // The run killed at ingest:end had committed every file: this one loads nothing new and says so.
    // (Later stages may add their own notes, e.g. the report on a chart with too little data.)
    const codes = summary.warnings.map((w: { code: string }) => w.code).filter((c: string) => c !== 'report');
    expect(codes).toEqual(['stale_lock_removed', 'temp_files_removed', 'no_new_rows']);
    expect(summary.stages[0].counts).toMatchObject({ files: 3, filesAlreadyLoaded: 3, rowsLoaded: 0 });

    expect(await snapshotDatabase(ws.db)).toEqual(reference.tables);
    expect(await snapshotFiles(ws.out)).toEqual(reference.files);
  }, 120_000);
});
