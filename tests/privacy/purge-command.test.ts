import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerPurge } from '../../src/commands/purge.js';
import { openDatabase } from '../../src/db/database.js';
import { ensureRawSchema } from '../../src/db/schema.js';
import { ConfigError } from '../../src/errors.js';

async function seededFile(): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'csqa-purge-')), 'csqa.duckdb');
  const db = await openDatabase(path);
  await ensureRawSchema(db);
  await db.run(
    `insert into raw.messages (message_key, conversation_id, sent_at, role, text, record_hash, source_file, source_line)
     values ('a', 'c', '2020-01-01 00:00:00', 'customer', '手机13812345678', 'h', 'f', 1),
            ('b', 'c', '2099-01-01 00:00:00', 'customer', 'future', 'h', 'f', 2)`,
  );
  db.close();
  return path;
}

async function csqa(args: string[]): Promise<string> {
  const program = new Command('csqa').option('--db <file>').option('-c, --config <file>').option('-q, --quiet').exitOverride();
  registerPurge(program);
  let out = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'csqa', ...args]);
  } finally {
    write.mockRestore();
  }
  return out;
}

afterEach(() => vi.restoreAllMocks());

describe('csqa purge', () => {
  it('--dry-run prints the plan and leaves the file unchanged; without it the text is gone', async () => {
    const path = await seededFile();
    const plan = await csqa(['--db', path, '-q', 'purge', '--before', '2026-06-01', '--dry-run']);
    expect(plan).toContain('would purge raw text older than 2026-06-01 (UTC):');
    expect(plan).toContain('raw.messages (text, extra): 1 rows');

    let db = await openDatabase(path);
    expect(await db.value('select count(*) from raw.messages where text is null')).toBe(0);
    db.close();

    const done = await csqa(['--db', path, '-q', 'purge', '--before', '2026-06-01']);
    expect(done).toContain('purged raw text older than 2026-06-01 (UTC):');
    db = await openDatabase(path);
    expect(await db.all('select message_key, text from raw.messages order by message_key')).toEqual([
      { message_key: 'a', text: null },
      { message_key: 'b', text: 'future' },
    ]);
    db.close();
  });

  it('rejects a bad date with a usage error', async () => {
    const path = await seededFile();
    await expect(csqa(['--db', path, 'purge', '--before', '2026/06/01'])).rejects.toThrow(ConfigError);
    await expect(csqa(['--db', path, 'purge', '--older-than-days', 'ten'])).rejects.toThrow(/whole number/);
  });

  it('refuses a database file that does not exist instead of creating an empty one', async () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'csqa-purge-')), 'typo.duckdb');
    await expect(csqa(['--db', missing, 'purge', '--dry-run'])).rejects.toThrow(/does not exist/);
    expect(existsSync(missing)).toBe(false);
  });
});
