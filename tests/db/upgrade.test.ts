import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase, quoteIdent } from '../../src/db/database.js';
import { isOlder, storageVersionOf, upgradeStorage } from '../../src/db/upgrade.js';
import { ingest } from '../../src/ingest/load.js';

const pinned = () => new Date('2026-11-21T03:00:00Z');

/** A csqa database in DuckDB's default (v1.0) format, as csqa made them before choosing v1.5: edge fixtures loaded, plus a view. */
async function olderDatabase(): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'csqa-upgrade-')), 'csqa.duckdb');
  const maker = await openDatabase(':memory:');
  await maker.run(`attach '${path}' as older (storage_version 'v1.0.0')`);
  await maker.run('detach older');
  maker.close();
  const db = await openDatabase(path);
  await ingest(db, ['fixtures/edge/messages.jsonl'], loadConfig({ env: {}, file: 'fixtures/configs/edge.json', cwd: '/nonexistent' }), { now: pinned });
  await db.run(`create schema marts; create view marts.customer_texts as select message_key, text from raw.messages where role = 'customer'`);
  db.close();
  return path;
}

async function snapshot(path: string) {
  const db = await openDatabase(path);
  try {
    const tables = await db.all<{ schema_name: string; table_name: string }>(
      'select schema_name, table_name from duckdb_tables() where not temporary order by all',
    );
    let rows = 0;
    for (const t of tables) rows += Number(await db.value(`select count(*) from ${quoteIdent(t.schema_name)}.${quoteIdent(t.table_name)}`));
    return {
      version: await storageVersionOf(db),
      tables,
      rows,
      messages: await db.all('select * from raw.messages order by message_key'),
      quarantine: await db.all('select * from raw.quarantine order by all'),
      manifest: await db.all('select * from raw.load_manifest order by all'),
      view: await db.all('select * from marts.customer_texts order by message_key'),
    };
  } finally {
    db.close();
  }
}

describe('upgrade-db', () => {
  it('rewrites an older file into the v1.5 format with every row and view as it was, then has nothing to do', async () => {
    const path = await olderDatabase();
    const before = await snapshot(path);
    expect(before.version).toBe('v1.0.0+');
    expect(before.messages.length).toBeGreaterThan(0);
    // What a killed earlier upgrade leaves beside the file is discarded, not trusted.
    writeFileSync(`${path}.upgrade-tmp`, 'half a copy');

    const result = await upgradeStorage(path);
    expect(result).toMatchObject({ from: 'v1.0.0+', to: 'v1.5.0+', upgraded: true });
    expect(result).toMatchObject({ tables: before.tables.length, rows: before.rows });
    expect(before.rows).toBeGreaterThan(before.messages.length);
    const after = await snapshot(path);
    expect(after).toEqual({ ...before, version: 'v1.5.0+' });
    expect(existsSync(`${path}.upgrade-tmp`)).toBe(false);

    const again = await upgradeStorage(path);
    expect(again).toMatchObject({ from: 'v1.5.0+', upgraded: false });
    expect(await snapshot(path)).toEqual(after);
  });

  it('compares formats by version and never rewrites a newer file into an older one', () => {
    expect(isOlder('v1.0.0+', 'v1.5.0')).toBe(true);
    expect(isOlder('v0.10.2+', 'v1.5.0')).toBe(true);
    expect(isOlder('v1.5.0+', 'v1.5.0')).toBe(false);
    expect(isOlder('v1.6.0+', 'v1.5.0')).toBe(false);
    expect(isOlder('v2.0.0+', 'v1.5.0')).toBe(false);
    expect(() => isOlder('unknown', 'v1.5.0')).toThrow(/cannot read the storage format "unknown"/);
  });

  it('from the command line: prints what it did, and exits 2 naming a database that does not exist or is not one', async () => {
    const path = await olderDatabase();
    const run = (db: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', '--db', db, 'upgrade-db'], {
        encoding: 'utf8',
        env: { ...process.env, CSQA_CONFIG: undefined, FORCE_COLOR: '0' },
      });
    const done = run(path);
    expect(done.status).toBe(0);
    expect(done.stdout).toMatch(/storage format v1\.0\.0\+ -> v1\.5\.0\+, \d+ tables and \d+ rows copied and counted/);
    const missing = run(join(tmpdir(), 'csqa-no-such-dir', 'none.duckdb'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('none.duckdb does not exist');
    // Not a database: named, refused, and left exactly as it was.
    const notDb = join(mkdtempSync(join(tmpdir(), 'csqa-upgrade-')), 'notes.duckdb');
    writeFileSync(notDb, 'not a database');
    const refused = run(notDb);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`cannot open database ${notDb}`);
    expect(readFileSync(notDb, 'utf8')).toBe('not a database');
    expect(existsSync(`${notDb}.upgrade-tmp`)).toBe(false);
  });
});
