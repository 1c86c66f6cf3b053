import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type Db } from '../../src/db/database.js';
import { generateFixtures } from '../../src/fixtures/generate.js';
import { createProgress } from '../../src/pipeline/progress.js';
import { runPipeline } from '../../src/pipeline/run.js';

/** Every row of every derived table, in a fixed order, as text: what "identical tables" means. */
async function snapshot(db: Db): Promise<Record<string, string>> {
  const tables = await db.all<{ schema: string; name: string }>(
    `select table_schema as schema, table_name as name from information_schema.tables
     where table_schema in ('raw', 'scores', 'staging', 'intermediate', 'marts') and table_type = 'BASE TABLE'
       and table_name <> 'load_manifest'
     order by 1, 2`,
  );
  const out: Record<string, string> = {};
  for (const { schema, name } of tables) {
    const rows = await db.all(`select * from "${schema}"."${name}" order by all`);
    const json = JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
    out[`${schema}.${name}`] = `${rows.length} rows, sha256 ${createHash('sha256').update(json).digest('hex')}`;
  }
  return out;
}

describe('csqa run re-run for the same day', () => {
  it('gives identical tables and exports, loading nothing twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csqa-rerun-'));
    await generateFixtures({ conversations: 240, seed: 11, outDir: join(dir, 'in'), start: '2026-11-01', days: 2, messyRate: 0.01, gzip: false });
    const config = loadConfig({
      env: {},
      cwd: dir,
      flags: { db: join(dir, 'csqa.duckdb'), outDir: join(dir, 'out'), inputs: [join(dir, 'in', '{date}', 'records.jsonl')], 'coach.minConversations': 5 },
    });
    const progress = createProgress({ stream: { write: () => true }, isTTY: false, quiet: true, now: () => 0, intervalMs: 1000 });
    const scored = (run: Awaited<ReturnType<typeof runPipeline>>) => run.stages.find((s) => s.stage === 'score')?.counts.messages;
    const now = () => new Date('2026-11-03T02:00:00Z');

    const db = await openDatabase(config.db);
    try {
      const first = await runPipeline(db, config, { date: '2026-11-01', progress, now });
      expect(first.error).toBeUndefined();
      expect(first.ingest!.totals.rowsLoaded).toBeGreaterThan(1000);
      expect(scored(first)).toBeGreaterThan(0);
      const before = await snapshot(db);
      const exportsBefore = Object.fromEntries(
        readdirSync(join(config.outDir, 'exports')).filter((f) => f.endsWith('.csv')).map((f) => [f, readFileSync(join(config.outDir, 'exports', f), 'utf8')]),
      );

      const second = await runPipeline(db, config, { date: '2026-11-01', progress, now });
      expect(second.error).toBeUndefined();
      expect(second.ingest!.totals.rowsLoaded).toBe(0);
      expect(second.ingest!.files.map((f) => f.status)).toEqual(['already_loaded']);
      expect(scored(second)).toBe(0);
      expect(await snapshot(db)).toEqual(before);
      for (const [file, content] of Object.entries(exportsBefore)) {
        expect(readFileSync(join(config.outDir, 'exports', file), 'utf8'), file).toBe(content);
      }
      expect(Object.keys(before)).toContain('marts.conversations');
      expect(before['marts.conversations']).toMatch(/^1\d\d rows/);
    } finally {
      db.close();
    }
  });
});
