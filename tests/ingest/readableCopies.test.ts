/** Files read through a copy or refused with a message a user can act on: gzipped Parquet, UTF-16, broken JSON. */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/load.js';
import { jsonErrorLine } from '../../src/ingest/jsonErrorLine.js';
import { freshIngestContext, pinned, quarantined, reconciles } from './helpers.js';

const ctx = freshIngestContext();
const copiesLeft = () => readdirSync(tmpdir()).filter((n) => n.startsWith('csqa-utf8-'));

describe('ingest: gzipped Parquet', () => {
  it('reads a .parquet.gz through an uncompressed copy, with row numbers', async () => {
    const plain = join(ctx.dir(), 'plain.parquet');
    await ctx.db().run(
      `copy (select * from (values ('p1', 'customer', '2026-11-03T10:00:00Z', 'hello'), (null, 'bot', '2026-11-03T10:00:01Z', 'hi'))
         v(conversation_id, role, sent_at, text)) to '${plain}' (format parquet)`,
    );
    const path = join(ctx.dir(), 'export.parquet.gz');
    writeFileSync(path, gzipSync(readFileSync(plain)));
    const before = copiesLeft().length;
    const result = await ingest(ctx.db(), [path], ctx.config(), { now: pinned });
    reconciles(result);
    expect(result.files[0]).toMatchObject({ status: 'loaded', rowsRead: 2, rowsLoaded: 1, rowsQuarantined: 1 });
    expect((await quarantined(ctx.db(), path)).map((q) => [q.line, q.field])).toEqual([[2, 'conversation_id']]);
    expect(copiesLeft()).toHaveLength(before);
  });
});

describe('ingest: UTF-16 without ingest.encoding', () => {
  const tsv = 'conversation_id\tsent_at\trole\ttext\r\nc1\t2026-11-01 10:00:00\tcustomer\t你好\r\n';

  it.each([
    ['little-endian', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(tsv, 'utf16le')])],
    ['big-endian', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(tsv, 'utf16le').swap16()])],
  ])('reads %s text with a byte-order mark as UTF-16', async (_name, bytes) => {
    const path = join(ctx.dir(), 'export.tsv');
    writeFileSync(path, bytes);
    const result = await ingest(ctx.db(), [path], ctx.config(), { now: pinned });
    expect(result.files[0]).toMatchObject({ status: 'loaded', rowsLoaded: 1 });
    expect(await ctx.db().value('select text from raw.messages')).toBe('你好');
  });

  it('says UTF-16 without a byte-order mark looks like UTF-16 and what to set, pasting nothing into SQL', async () => {
    const path = join(ctx.dir(), 'export.tsv');
    writeFileSync(path, Buffer.from(tsv, 'utf16le'));
    const { files } = await ingest(ctx.db(), [path], ctx.config(), { now: pinned });
    expect(files[0]).toMatchObject({ status: 'unreadable' });
    expect(files[0]!.error).toBe(`${path}: looks like UTF-16 text (NUL bytes between characters, no byte-order mark); set ingest.encoding to utf-16le or utf-16be`);
  });
});

describe('ingest: broken JSON documents', () => {
  it('names the line of the syntax error in a pretty-printed array', async () => {
    const path = join(ctx.dir(), 'broken.json');
    writeFileSync(path, '[\n {"conversation_id":"c1","text":"hi"},\n {"conversation_id":"c1","role":"agent" "text":"x"}\n]\n');
    const { files } = await ingest(ctx.db(), [path], ctx.config(), { now: pinned });
    expect(files[0]!.error).toMatch(new RegExp(`^${path}: not valid JSON at line 3 \\(`));
  });

  it('finds the line in documents one after another, past a byte-order mark', () => {
    expect(jsonErrorLine('\uFEFF{\n "a": 1\n}\n{\n "b": 2\n}\n{\n "c" 3\n}\n')).toBe(8);
    expect(jsonErrorLine('[\n1,\n2')).toBe(3);
    expect(jsonErrorLine('{"a": 1}\n{"b": 2}\n')).toBeUndefined();
  });
});
