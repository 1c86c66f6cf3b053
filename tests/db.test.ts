import { describe, expect, it } from 'vitest';
import { databaseOptions } from '../src/commands/context.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';

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
