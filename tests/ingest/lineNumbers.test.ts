/** Physical line numbers: JSON Lines with lines that are not UTF-8, CSV with values spanning lines and blank lines. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/load.js';
import { freshIngestContext, pinned, quarantined, reconciles } from './helpers.js';

const ctx = freshIngestContext();
const message = (i: number) =>
  JSON.stringify({ conversation_id: `c${Math.floor(i / 20)}`, message_id: `m${i}`, sent_at: '2026-11-01T10:00:00Z', role: 'customer', text: `line ${i}` });

describe('ingest: JSON Lines with bytes that are not UTF-8', () => {
  it('quarantines each such line at its own line, says why, and loads the others', async () => {
    const path = join(ctx.dir(), 'export.jsonl');
    writeFileSync(path, Buffer.concat([
      Buffer.from(`${message(1)}\n{"conversation_id":"c0","sent_at":"2026-11-01T10:00:01Z","role":"agent","text":"bad `),
      Buffer.from([0xff, 0xfe]), Buffer.from(` byte"}\n\n${message(4)}\n`),
    ]));
    const result = await ingest(ctx.db(), [path], ctx.config(), { now: pinned });
    reconciles(result);
    expect(result.files[0]).toMatchObject({ status: 'loaded', rowsRead: 3, rowsLoaded: 2, rowsQuarantined: 1 });
    const q = await quarantined(ctx.db(), path);
    expect(q.map((r) => [r.line, r.field])).toEqual([[2, 'line']]);
    expect(q[0]!.reason).toMatch(/^invalid UTF-8: .*set ingest\.encoding/);
    expect(q[0]!.reason).not.toMatch(/CSV/);
    expect(await ctx.db().all('select message_id as id, source_line as line from raw.messages order by line')).toEqual([
      { id: 'm1', line: 1 }, { id: 'm4', line: 4 },
    ]);
  });

  it('numbers every line physically in a large gzipped file read on several threads', async () => {
    const path = join(ctx.dir(), 'big.jsonl.gz');
    const parts: Buffer[] = [];
    for (let line = 1; line <= 200_000; line++) {
      if (line % 9973 === 0) parts.push(Buffer.from([0x7b, 0xc3, 0x28, 0x7d, 0x0a])); // an invalid two-byte sequence
      else if (line % 1000 === 0) parts.push(Buffer.from('\n'));
      else parts.push(Buffer.from(`${message(line)}\n`));
    }
    writeFileSync(path, gzipSync(Buffer.concat(parts)));
    const result = await ingest(ctx.db(), [path], ctx.config(), { now: pinned });
    reconciles(result);
    expect((await quarantined(ctx.db(), path)).map((q) => q.line)).toEqual(Array.from({ length: 20 }, (_, i) => (i + 1) * 9973));
    expect(await ctx.db().value(`select count(*)::int from raw.messages where source_line <> substr(message_id, 2)::int`)).toBe(0);
    expect(await ctx.db().value('select count(*)::int from raw.messages')).toBe(200_000 - 200 - 20);
  });
});

describe('ingest: CSV line numbers', () => {
  const header = 'conversation_id,sent_at,role,text';
  it.each([
    ['a value spanning lines', `${header}\nc1,2026-11-01T10:00:00Z,customer,"line one\nline two\n""three"""\nc1,2026-11-01T10:00:01Z,agent,ok\nc1,not-a-time,agent,bad ts\nc1,2026-11-01T10:00:02Z,agent,"open\n`, [[2, 'text'], [5, 'ok']], [[6, 'sent_at'], [7, 'text']]],
    ['blank lines (CRLF)', `${header}\r\nc1,2026-11-01T10:00:00Z,customer,hi\r\n\r\n\r\nc1,2026-11-01T10:00:01Z,agent,ok\r\nc1,not-a-time,agent,bad ts\r\n`, [[2, 'hi'], [5, 'ok']], [[6, 'sent_at']]],
  ])('%s: each record at the physical line it starts on', async (_name, text, loaded, bad) => {
    const path = join(ctx.dir(), 'export.csv');
    writeFileSync(path, text);
    const result = await ingest(ctx.db(), [path], ctx.config(), { now: pinned });
    reconciles(result);
    const rows = await ctx.db().all<{ line: number; text: string }>('select source_line as line, text from raw.messages order by line');
    expect(rows.map((r) => [r.line, r.text.startsWith('line one') ? 'text' : r.text])).toEqual(loaded);
    expect((await quarantined(ctx.db(), path)).map((q) => [q.line, q.field])).toEqual(bad);
  });
});
