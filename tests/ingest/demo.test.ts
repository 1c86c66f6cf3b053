import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { ingest } from '../../src/ingest/load.js';

interface Planted {
  file: string;
  line: number;
  kind: string;
  expected: 'quarantine' | 'skip_duplicate';
}

describe('ingest of the shipped demo set', () => {
  it('quarantines exactly the planted bad rows, skips exactly the planted duplicates, and reconciles', async () => {
    const planted = readFileSync('fixtures/demo/messy.jsonl', 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Planted);
    const db = await openDatabase(':memory:');
    try {
      const config = loadConfig({ env: {}, cwd: '/nonexistent' });
      const result = await ingest(db, config.inputs, config);
      for (const f of result.files) expect(f.rowsRead).toBe(f.rowsLoaded + f.rowsDuplicate + f.rowsQuarantined);

      const quarantined = await db.all<{ at: string }>(
        `select replace(source_file, 'fixtures/demo/', '') || ':' || source_line as at from raw.quarantine order by all`,
      );
      const expectedQuarantine = planted
        .filter((p) => p.expected === 'quarantine')
        .map((p) => `${p.file}:${p.line}`)
        .sort();
      expect(quarantined.map((q) => q.at)).toEqual(expectedQuarantine);
      expect(result.totals.rowsDuplicate).toBe(planted.filter((p) => p.expected === 'skip_duplicate').length);

      const lines = result.files.reduce((n, f) => n + readFileSync(f.path, 'utf8').split('\n').filter((l) => l.trim()).length, 0);
      expect(result.totals.rowsRead).toBe(lines);
    } finally {
      db.close();
    }
  });
});
