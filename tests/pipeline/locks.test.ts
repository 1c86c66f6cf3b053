import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { openDatabaseWaiting } from '../../src/db/openWaiting.js';
import { LockError } from '../../src/errors.js';
import { sweepTempFiles, writeFileAtomic } from '../../src/pipeline/atomicFile.js';
import { acquireOutDirLock, LOCK_FILE, ownerAlive, processStart } from '../../src/pipeline/outDirLock.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'csqa-lock-'));

describe('output folder lock', () => {
  it('refuses a second holder, naming pid and database, and lets go on release', () => {
    const dir = fresh();
    const lock = acquireOutDirLock(dir, { db: 'a.duckdb', startedAt: '2026-11-21T02:30:00Z' }, () => true);
    // Another live process holds it: simulate by rewriting the owner pid to one reported alive.
    const owner = JSON.parse(readFileSync(lock.path, 'utf8'));
    writeFileSync(lock.path, JSON.stringify({ ...owner, pid: owner.pid + 1 }));
    expect(() => acquireOutDirLock(dir, { db: 'b.duckdb', startedAt: 'x' }, () => true)).toThrow(
      new RegExp(`output folder .* is in use by csqa pid ${owner.pid + 1} .*database a\\.duckdb`),
    );
    // release() leaves a lock it no longer owns.
    lock.release();
    expect(existsSync(lock.path)).toBe(true);
  });

  it('takes over a lock whose pid is dead, reporting the old owner', () => {
    const dir = fresh();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 999_999, host: hostname(), db: 'old.duckdb', startedAt: 'x' }));
    const lock = acquireOutDirLock(dir, { db: 'new.duckdb', startedAt: 'y' }, (owner) => owner.pid !== 999_999);
    expect(lock.replacedStale).toMatchObject({ pid: 999_999, db: 'old.duckdb' });
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid, db: 'new.duckdb' });
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
  });

  it('never takes over a lock from another host (its pid cannot be checked here)', () => {
    const dir = fresh();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 999_999, host: 'elsewhere', db: 'x', startedAt: 'x' }));
    expect(() => acquireOutDirLock(dir, { db: 'y', startedAt: 'y' }, () => false)).toThrow(LockError);
  });
});

describe('lock owner liveness', () => {
  it('is alive for this process, dead for a reused pid (other start time) and for a gone pid', () => {
    const me = { pid: process.pid, host: hostname(), db: 'x', startedAt: 'x', processStart: processStart(process.pid) };
    expect(me.processStart).toMatch(/^\d+$/);
    expect(ownerAlive(me)).toBe(true);
    expect(ownerAlive({ ...me, processStart: '1' })).toBe(false);
    expect(ownerAlive({ ...me, pid: 2 ** 22 + 12345 })).toBe(false);
  });
});

describe('temp files', () => {
  it('writes atomically and sweeps only temp names left by killed runs', async () => {
    const dir = fresh();
    mkdirSync(join(dir, 'exports'));
    await writeFileAtomic(join(dir, 'summary.json'), '{}\n');
    writeFileSync(join(dir, 'exports', 'a.parquet.tmp-4242'), 'half');
    writeFileSync(join(dir, 'exports', 'a.parquet'), 'whole');
    expect(sweepTempFiles(dir)).toEqual([join(dir, 'exports', 'a.parquet.tmp-4242')]);
    expect(readFileSync(join(dir, 'summary.json'), 'utf8')).toBe('{}\n');
    expect(existsSync(join(dir, 'exports', 'a.parquet'))).toBe(true);
    expect(sweepTempFiles(dir)).toEqual([]);
  });
});

describe('waiting for a locked database', () => {
  const fakeDb = { path: 'x' } as Db;
  function opener(failures: number) {
    let calls = 0;
    return {
      open: async () => {
        calls += 1;
        if (calls <= failures) throw new LockError('database x.duckdb is in use by another process');
        return fakeDb;
      },
      calls: () => calls,
    };
  }
  function clock() {
    let t = 0;
    return { now: () => t, sleep: async (ms: number) => void (t += ms) };
  }

  it('fails at once with no wait budget', async () => {
    const o = opener(1);
    await expect(openDatabaseWaiting('x.duckdb', { waitSeconds: 0, open: o.open, ...clock() })).rejects.toThrow(/in use by another process$/);
    expect(o.calls()).toBe(1);
  });

  it('retries within the budget, telling once', async () => {
    const o = opener(3);
    const told: string[] = [];
    await expect(openDatabaseWaiting('x.duckdb', { waitSeconds: 5, open: o.open, onWait: (m) => told.push(m), ...clock() })).resolves.toBe(fakeDb);
    expect(o.calls()).toBe(4);
    expect(told).toEqual(['database x.duckdb is in use by another process; waiting up to 5 s (run.lockWaitSeconds)']);
  });

  it('gives up after the budget with exit code 6', async () => {
    const o = opener(1000);
    const error = await openDatabaseWaiting('x.duckdb', { waitSeconds: 2, open: o.open, ...clock() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockError);
    expect((error as LockError).exitCode).toBe(6);
    expect((error as Error).message).toContain('gave up after waiting 2 s');
    expect(o.calls()).toBe(5);
  });
});
