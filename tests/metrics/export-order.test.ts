import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/database.js';
import { exportMarts } from '../../src/metrics/export.js';
import type { MetricsSettings } from '../../src/metrics/settings.js';

let db: Db;
let dir: string;
beforeEach(async () => {
  db = await openDatabase(':memory:');
  dir = mkdtempSync(join(tmpdir(), 'csqa-export-order-'));
  // A key that is not the first column: ordering by it differs from `order by all`.
  await db.run(`create schema marts; create table marts.league (vendor varchar, agent_id varchar, n integer)`);
  await db.run(`insert into marts.league values ('v1', 'a3', 1), ('v2', 'a1', 2), ('v1', 'a2', 3)`);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const settings = { asOf: '2026-11-08T00:00:00Z' } as unknown as MetricsSettings;

function writeMartModel(header: string): string {
  const sqlDir = join(dir, 'sql');
  mkdirSync(join(sqlDir, 'marts'), { recursive: true });
  writeFileSync(join(sqlDir, 'marts', 'league.sql'), `-- Purpose: test\n${header}\nselect 1`);
  return sqlDir;
}

const agentsInCsv = (outDir: string) =>
  readFileSync(join(outDir, 'exports', 'league.csv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(',')[1]);

describe('mart exports are ordered deterministically', () => {
  it('orders rows by the grain key the mart model declares', async () => {
    const sqlDir = writeMartModel('-- Grain: one row per agent. Key: agent_id.');
    await exportMarts(db, join(dir, 'out'), settings, { sqlDir });
    expect(agentsInCsv(join(dir, 'out'))).toEqual(['a1', 'a2', 'a3']);
  });

  it('orders by every column when the model declares no key present in the mart', async () => {
    const sqlDir = writeMartModel('-- Grain: one row per agent. Key: missing_column.');
    await exportMarts(db, join(dir, 'out'), settings, { sqlDir });
    expect(agentsInCsv(join(dir, 'out'))).toEqual(['a2', 'a3', 'a1']);
  });
});
