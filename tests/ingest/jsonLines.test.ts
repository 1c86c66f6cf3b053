/** JSON Lines gaps: nesting found anywhere in the file, and a line of bytes that are not UTF-8. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/load.js';
import { freshIngestContext, pinned, quarantined, reconciles } from './helpers.js';

const ctx = freshIngestContext();
const flat = (i: number) => JSON.stringify({ type: 'conversation', conversation_id: `c${i}`, channel: 'web' });

describe('ingest: nested records in JSON Lines', () => {
  it('expands a nested record after the first thousand lines', async () => {
    const path = join(ctx.dir(), 'late.jsonl');
    const nested = {
      conversation_id: 'n1',
      messages: [
        { sent_at: '2026-11-01T10:00:00Z', role: 'customer', text: 'hi' },
        { sent_at: '2026-11-01T10:00:05Z', role: 'agent', text: 'hello' },
      ],
      survey: { answered_at: '2026-11-01T10:10:00Z', csat: 5 },
    };
    writeFileSync(path, [...Array.from({ length: 1500 }, (_, i) => flat(i)), JSON.stringify(nested)].join('\n') + '\n');
    const result = await ingest(ctx.db(), [path], ctx.config(), { now: pinned });
    reconciles(result);
    expect(result.files[0]).toMatchObject({ rowsRead: 1504, rowsLoaded: 1504, rowsQuarantined: 0 });
    expect(await ctx.db().all(`select source_line as line, source_path as path, text from raw.messages order by path`)).toEqual([
      { line: 1501, path: 'messages[0]', text: 'hi' },
      { line: 1501, path: 'messages[1]', text: 'hello' },
    ]);
    expect(await ctx.db().value(`select csat from raw.surveys where conversation_id = 'n1'`)).toBe(5);
  });

  it('expands a late nested record also when its key is spelt with JSON escapes', async () => {
    const path = join(ctx.dir(), 'escaped.jsonl');
    writeFileSync(path, `${flat(1)}\n{"conversation_id":"c2","messag\\u0065s":[{"sent_at":"2026-11-01T10:00:00Z","role":"customer","text":"hi"}]}\n`);
    const result = await ingest(ctx.db(), [path], ctx.config(), { now: pinned });
    reconciles(result);
    expect(await ctx.db().all(`select conversation_id, text, source_line as line from raw.messages`)).toEqual([
      { conversation_id: 'c2', text: 'hi', line: 2 },
    ]);
  });
});
