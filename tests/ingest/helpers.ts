/** What the ingest tests of one input gap share: a fresh in-memory database and a temp folder per test. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { openDatabase, type Db } from '../../src/db/database.js';
import type { IngestResult } from '../../src/ingest/load.js';

export const pinned = () => new Date('2026-11-21T03:00:00Z');

/** Registers the per-test database and folder; read them through the returned getters. */
export function freshIngestContext(): { db: () => Db; dir: () => string; config: (flags?: Record<string, unknown>) => Config } {
  let db: Db;
  let dir: string;
  beforeEach(async () => {
    db = await openDatabase(':memory:');
    dir = mkdtempSync(join(tmpdir(), 'csqa-ingest-'));
  });
  afterEach(() => db.close());
  return { db: () => db, dir: () => dir, config: (flags = {}) => loadConfig({ env: {}, cwd: dir, flags }) };
}

export function reconciles(result: IngestResult): void {
  for (const f of result.files) expect(f.rowsRead, f.path).toBe(f.rowsLoaded + f.rowsDuplicate + f.rowsQuarantined);
}

export async function quarantined(db: Db, file: string) {
  return db.all<{ line: number; path: string | null; field: string; reason: string }>(
    `select source_line as line, source_path as path, field, reason from raw.quarantine
     where source_file = $1 order by source_line, source_path`,
    [file],
  );
}
