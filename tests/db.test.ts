import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { databaseOptions } from '../src/commands/context.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { withInsertionOrder } from '../src/db/insertionOrder.js';

describe('database settings from the config', () => {
  it('applies memoryLimit and threads; 3.5GB and DuckDB\'s threads by default, DuckDB\'s memory limit when set empty', async () => {
    const config = loadConfig({ env: { CSQA_MEMORY_LIMIT: '1GB', CSQA_THREADS: '1' }, cwd: '/nonexistent' });
    const db = await openDatabase(':memory:', databaseOptions(config));
    try {
      expect(await db.value(`select current_setting('memory_limit')`)).toMatch(/^(1\.0 GiB|953\.[0-9] MiB|1000\.0 MB|1\.0 GB)$/);
      expect(Number(await db.value(`select current_setting('threads')`))).toBe(1);
    } finally {
      db.close();
    }
    expect(databaseOptions(loadConfig({ env: {}, cwd: '/nonexistent' }))).toEqual({ memoryLimit: '3.5GB', threads: undefined });
    expect(databaseOptions(loadConfig({ env: { CSQA_MEMORY_LIMIT: '' }, cwd: '/nonexistent' }))).toEqual({ memoryLimit: undefined, threads: undefined });
    expect(() => loadConfig({ env: { CSQA_MEMORY_LIMIT: 'lots' }, cwd: '/nonexistent' })).toThrow(/"memoryLimit" must be empty or a size/);
  });
});

describe('the storage format', () => {
  const storageVersion = async (path: string) => {
    const db = await openDatabase(path);
    try {
      return await db.value<string>(`select map_extract(tags, 'storage_version')[1] from duckdb_databases() where database_name = 'csqa'`);
    } finally {
      db.close();
    }
  };

  it('creates a file in the v1.5 format, and opens a file in the older default format as it is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csqa-storage-'));
    expect(await storageVersion(join(dir, 'csqa.duckdb'))).toBe('v1.5.0+');
    const older = join(mkdtempSync(join(dir, 'old-')), 'csqa.duckdb');
    // Written as DuckDB writes a file by default (csqa's own openDatabase would choose v1.5).
    const maker = await openDatabase(':memory:');
    await maker.run(`attach '${older}' as older (storage_version 'v1.0.0')`);
    await maker.run('create table older.main.t as select 42 as answer');
    maker.close();
    expect(await storageVersion(older)).toBe('v1.0.0+');
    const db = await openDatabase(older);
    expect(await db.value('select answer from t')).toBe(42);
    db.close();
  });
});

describe('a forked connection', () => {
  it('sees the tables and attached databases but not the temp tables, runs beside the first, and closes alone', async () => {
    const db = await openDatabase(':memory:');
    await db.run("create table shared as select 1 as x; create temp table private as select 2 as y; attach ':memory:' as side");
    await db.run('create table side.main.t as select 3 as z');
    const fork = await db.fork();
    expect(await fork.value('select x from shared')).toBe(1);
    expect(await fork.value('select z from side.main.t')).toBe(3);
    await expect(fork.value('select y from private')).rejects.toThrow(/private/);
    // Both connections at once: each write is visible to the other after it returns.
    await Promise.all([fork.run('insert into shared values (10)'), db.run('insert into side.main.t values (30)')]);
    expect(await db.value('select sum(x) from shared')).toBe(11);
    expect(await fork.value('select sum(z) from side.main.t')).toBe(33);
    fork.close();
    expect(await db.value('select count(*) from shared')).toBe(2);
    db.close();
  });
});

describe('withInsertionOrder', () => {
  const setting = (db: Awaited<ReturnType<typeof openDatabase>>) => db.value(`select current_setting('preserve_insertion_order')`);

  it('holds the setting for the work, for every connection of the instance, and restores it however the work ends', async () => {
    const db = await openDatabase(':memory:');
    const other = await db.fork();
    try {
      expect(await setting(db)).toBe(true);
      const seen = await withInsertionOrder(db, false, async () => [await setting(db), await setting(other)]);
      expect(seen).toEqual([false, false]);
      expect(await setting(db)).toBe(true);
      await expect(withInsertionOrder(db, false, async () => { throw new Error('model failed'); })).rejects.toThrow('model failed');
      expect(await setting(db)).toBe(true);
      // Ingest asks for the order inside a relaxed stage and hands the relaxed setting back.
      await withInsertionOrder(db, false, async () => {
        expect(await withInsertionOrder(db, true, () => setting(db))).toBe(true);
        expect(await setting(db)).toBe(false);
      });
    } finally {
      other.close();
      db.close();
    }
  });
});
