/** CSV headers with empty column names, and header text that must never become SQL. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/load.js';
import { freshIngestContext, pinned, quarantined, reconciles } from './helpers.js';

const ctx = freshIngestContext();

describe('ingest: CSV header names', () => {
  it.each([
    ['pandas index column (empty first name)', ',conversation_id,sent_at,role,text\n0,c1,2026-11-01 10:00:00,customer,hi\n1,c1,2026-11-01 10:00:05,agent,hello\n', 'column1', ['0', '1']],
    ['trailing delimiter (empty last name)', 'conversation_id,sent_at,role,text,\nc1,2026-11-01T10:00:00Z,customer,hi,\nc1,2026-11-01T10:00:05Z,agent,hello,x\n', 'column5', [null, 'x']],
  ])('%s: the column gets a generated name and the file loads', async (_name, text, generated, values) => {
    const path = join(ctx.dir(), 'export.csv');
    writeFileSync(path, text);
    const result = await ingest(ctx.db(), [path], ctx.config(), { now: pinned });
    reconciles(result);
    expect(result.files[0]).toMatchObject({ status: 'loaded', rowsRead: 2, rowsLoaded: 2 });
    const rows = await ctx.db().all<{ text: string; v: string | null }>(
      `select text, extra->>$1 as v from raw.messages order by sent_at`, [generated],
    );
    expect(rows).toEqual([{ text: 'hi', v: values[0] }, { text: 'hello', v: values[1] }]);
  });

  it('keeps header text out of the SQL: quotes, backslashes and a NUL in names are only names', async () => {
    const path = join(ctx.dir(), 'odd.csv');
    const odd = `it's "x"\\y\u0000z`;
    writeFileSync(path, `conversation_id,sent_at,role,text,"${odd.replace(/"/g, '""')}"\nc1,2026-11-01T10:00:00Z,customer,hi,v1\n`);
    const result = await ingest(ctx.db(), [path], ctx.config(), { now: pinned });
    reconciles(result);
    expect(await ctx.db().value(`select extra->>$1 from raw.messages`, [odd])).toBe('v1');
  });

  it('names the header column of a rejected value', async () => {
    const path = join(ctx.dir(), 'rejected.csv');
    writeFileSync(path, `conversation_id,sent_at,role,text\nc1,2026-11-01T10:00:00Z,customer,hi\nc1,2026-11-01T10:00:05Z,agent,"open\n`);
    const result = await ingest(ctx.db(), [path], ctx.config(), { now: pinned });
    reconciles(result);
    expect((await quarantined(ctx.db(), path)).map((q) => [q.line, q.field])).toEqual([[3, 'text']]);
  });
});
