/**
 * Two runs at once: on one database the second exits 6 naming the database, or with run.lockWaitSeconds waits
 * and then does the work; on two databases sharing an output folder the second exits 6 naming the folder and
 * the pid holding it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { csqa, start, waitForStderr, type Started } from './child.js';

const root = mkdtempSync(join(tmpdir(), 'csqa-concurrent-'));
const config = join(root, 'config.json');
writeFileSync(config, JSON.stringify({ outDir: join(root, 'out'), inputs: ['fixtures/demo/2026-11-01/records.jsonl'] }));

afterAll(() => rmSync(root, { recursive: true, force: true }));

let holder: Started | undefined;
afterEach(async () => {
  if (holder && holder.child.exitCode === null && holder.child.signalCode === null) {
    holder.child.kill('SIGKILL');
    await holder.exited;
  }
  holder = undefined;
});

async function holdAt(db: string, point: string): Promise<Started> {
  holder = start(['--db', db, '-c', config, 'run'], { CSQA_TEST_PAUSE_AT: point });
  await waitForStderr(holder, `csqa-test-paused ${point}`);
  return holder;
}

describe('concurrent csqa runs', () => {
  it('a second run on the same database exits 6 naming it; with a wait budget it waits and then completes', async () => {
    const db = join(root, 'same.duckdb');
    const first = await holdAt(db, 'ingest:start');

    const second = csqa(['--db', db, '-c', config, 'run']);
    expect(second.code).toBe(6);
    expect(second.stderr).toContain(`database ${db} is in use by another process`);
    expect(JSON.parse(second.stdout)).toMatchObject({ status: 'failed', exitCode: 6, stages: [] });

    const waiting = start(['--db', db, '-c', config, 'run'], { CSQA_RUN_LOCK_WAIT_SECONDS: '60' });
    await waitForStderr(waiting, `database ${db} is in use by another process; waiting up to 60 s`);
    first.child.kill('SIGKILL');
    await first.exited;
    const { code } = await waiting.exited;
    expect(code, waiting.stderr()).toBe(0);
  }, 60_000);

  it('a run on another database writing the same output folder exits 6 naming the folder and the holder', async () => {
    const first = await holdAt(join(root, 'one.duckdb'), 'ingest:start');
    const second = csqa(['--db', join(root, 'two.duckdb'), '-c', config, 'run']);
    expect(second.code).toBe(6);
    expect(second.stderr).toContain(`output folder ${join(root, 'out')} is in use by csqa pid ${first.child.pid}`);
    expect(second.stderr).toContain(`database ${join(root, 'one.duckdb')}`);
  }, 30_000);
});
