import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingest, ingestFailure } from '../../src/ingest/load.js';
import { buildMetrics } from '../../src/metrics/build.js';
import { freshIngestContext, pinned, quarantined, reconciles } from './helpers.js';

const ctx = freshIngestContext();
const config = ctx.config;

/** Writes a file into the test folder; objects become JSON lines, strings are written as they are. */
function write(name: string, lines: Array<Record<string, unknown> | string>): string {
  const path = join(ctx.dir(), name);
  writeFileSync(path, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return path;
}

async function quarantine(file: string) {
  return (await quarantined(ctx.db(), file)).map(({ line, field, reason }) => ({ line, field, reason }));
}

describe('validate: timestamps', () => {
  const message = (id: number, sent_at: string) => ({ conversation_id: 'c1', message_id: String(id), sent_at, role: 'customer', text: sent_at });
  // Every one of these is 2024-03-01 02:00:00 UTC, read with naive times in Asia/Shanghai (UTC+8).
  const forms = [
    '2024-03-01T10:00:00+08:00', // the common form (fast path)
    '2024-03-01 10:00:00', // naive: the configured zone
    '2024-03-01T02:00:00 UTC', // a zone word is honoured, not read as local time
    '2024-03-01T02:00:00 GMT',
    '2024-03-01T02:00:00 Z',
    '2024-03-01T10:00+08:00', // no seconds before an offset
    '2024-03-01T02:00Z',
    '20240301T020000Z', // basic form
    '20240301T100000', // basic form, naive
    '2024-03-01 10:00:00 +08:00', // a space before the offset
    '2024-03-01 10:00:00.000 +0800',
    '2024-03-01T10:00:00+08:00[Asia/Shanghai]', // RFC 9557 zone name after the offset
  ];

  for (const timezone of ['Asia/Shanghai', 'UTC']) {
    it(`reads every ISO 8601 form with its offset or zone word (naive times in ${timezone})`, async () => {
      const path = write('ts.jsonl', [...forms.map((s, i) => message(i, s)), message(99, '2024-03-01T10:00:00 GMT+8')]);
      const result = await ingest(ctx.db(), [path], config({ 'ingest.timezone': timezone }), { now: pinned });
      reconciles(result);
      const rows = await ctx.db().all<{ text: string; t: string }>(
        `select text, strftime(sent_at, '%Y-%m-%d %H:%M:%S') as t from raw.messages order by message_id::int`,
      );
      const naive = new Set(['2024-03-01 10:00:00', '20240301T100000']);
      expect(rows).toEqual(forms.map((s) => ({ text: s, t: timezone === 'UTC' && naive.has(s) ? '2024-03-01 10:00:00' : '2024-03-01 02:00:00' })));
      // 'GMT+8' means UTC-8 in POSIX zone names and UTC+8 to most people: refused rather than guessed.
      expect(await quarantine(path)).toEqual([{ line: forms.length + 1, field: 'sent_at', reason: 'bad timestamp "2024-03-01T10:00:00 GMT+8"' }]);
    });
  }
});

describe('validate: column mapping', () => {
  it('lets a mapping of a user field named "type" win over the built-in record type', async () => {
    const path = write('msgtype.jsonl', [
      { conversation_id: 'c1', sent_at: '2024-01-01T10:00:00Z', role: 'customer', type: 'text', text: 'hi' },
      { conversation_id: 'c1', sent_at: '2024-01-01T10:00:01Z', role: 'customer', type: 'image', text: '[image]' },
    ]);
    const csv = join(ctx.dir(), 'msgtype.csv');
    writeFileSync(csv, 'conversation_id,sent_at,role,Type,text\nc2,2024-01-01T10:00:00Z,customer,text,hi\n');
    const result = await ingest(ctx.db(), [path, csv], config({ 'ingest.columns': { type: 'channel' } }), { now: pinned });
    reconciles(result);
    expect(result.totals).toMatchObject({ rowsLoaded: 3, rowsQuarantined: 0 });
    expect(await ctx.db().all(`select conversation_id, channel, text from raw.messages order by conversation_id, sent_at`)).toEqual([
      { conversation_id: 'c1', channel: 'text', text: 'hi' },
      { conversation_id: 'c1', channel: 'image', text: '[image]' },
      { conversation_id: 'c2', channel: 'text', text: 'hi' },
    ]);
  });
});

describe('validate: one kind per file without a type field', () => {
  it('quarantines a record whose required fields are blank as its file\'s kind, not as a conversation record', async () => {
    const events = join(ctx.dir(), 'events.csv');
    writeFileSync(events, 'conversation_id,occurred_at,event\nc1,2024-01-01T10:00:00Z,assigned\nc2,2024-01-01T10:05:00Z,\nc3,,\n');
    const surveys = join(ctx.dir(), 'surveys.csv');
    writeFileSync(surveys, 'conversation_id,answered_at,csat,comment\nc1,2024-01-01T11:00:00Z,4,ok\nc4,,,no score\n');
    const messages = write('messages.jsonl', [
      { conversation_id: 'c1', message_id: '1', sent_at: '2024-01-01T10:00:00Z', role: 'customer', text: 'hi' },
      { conversation_id: 'c5', message_id: '2', sent_at: ' ', role: '', text: '' },
      '{"broken',
    ]);
    const conversations = write('conversations.jsonl', [{ conversation_id: 'c9', channel: 'web' }]);
    const result = await ingest(ctx.db(), [events, surveys, messages, conversations], config(), { now: pinned });
    reconciles(result);
    const counts = Object.fromEntries(result.files.map((f) => [f.path, [f.rowsLoaded, f.rowsQuarantined]]));
    expect(counts).toEqual({ [events]: [1, 2], [surveys]: [1, 1], [messages]: [1, 2], [conversations]: [1, 0] });
    expect(await quarantine(events)).toEqual([
      { line: 3, field: 'event', reason: 'missing event name' },
      { line: 4, field: 'occurred_at', reason: 'missing timestamp' },
    ]);
    expect(await quarantine(surveys)).toEqual([{ line: 3, field: 'answered_at', reason: 'missing timestamp' }]);
    expect(await quarantine(messages)).toEqual([
      { line: 2, field: 'sent_at', reason: 'missing timestamp' },
      { line: 3, field: 'line', reason: 'broken JSON line' },
    ]);
    expect(await ctx.db().value(`select string_agg(record_kind, ',' order by source_file, source_line) from raw.quarantine where record_excerpt is not null`))
      .toBe('event,event,message,survey');
    expect(await ctx.db().all(`select conversation_id from raw.conversations`)).toEqual([{ conversation_id: 'c9' }]);
  });

  it('still reads each record\'s kind from its fields in a file that mixes kinds without a type', async () => {
    const path = write('mixed.jsonl', [
      { conversation_id: 'c1', channel: 'web' },
      { conversation_id: 'c1', message_id: '1', sent_at: '2024-01-01T10:00:00Z', role: 'customer', text: 'hi' },
      { conversation_id: 'c1', occurred_at: '2024-01-01T10:01:00Z', event: 'assigned' },
    ]);
    const result = await ingest(ctx.db(), [path], config(), { now: pinned });
    expect(result.totals).toMatchObject({ rowsLoaded: 3, rowsQuarantined: 0 });
  });
});

describe('validate: conversation records are snapshots', () => {
  const messages = (n: number) => Array.from({ length: n }, (_, i) => ({
    message_id: String(i + 1), sent_at: `2024-01-01T10:0${i}:00Z`, role: i === 2 ? 'agent' : 'customer', text: `m${i + 1}`,
  }));
  const conversation = (ended: boolean, n: number) => ({
    conversation_id: 'c1', channel: 'web', started_at: '2024-01-01T10:00:00Z', ...(ended ? { ended_at: '2024-01-01T10:30:00Z' } : {}),
    messages: messages(n),
  });
  const at = (day: number) => () => new Date(`2026-11-${day}T03:00:00Z`);

  it('loads a grown re-export as a newer version that staging reads, and re-runs change nothing', async () => {
    // Named so that file order and load order disagree: the newest is the one loaded last.
    const day1 = write('b-day1.jsonl', [conversation(false, 2)]);
    const day2 = write('a-day2.jsonl', [conversation(true, 3)]);
    const cfg = config({ 'ingest.quarantineThreshold': 0 });
    await ingest(ctx.db(), [day1], cfg, { now: at(21) });
    const second = await ingest(ctx.db(), [day2], cfg, { now: at(22) });
    reconciles(second);
    expect(ingestFailure(second, 0)).toBeUndefined();
    expect(second.files[0]).toMatchObject({ rowsRead: 4, rowsLoaded: 2, rowsDuplicate: 2, rowsQuarantined: 0 });
    // The older export again, as other bytes: its conversation equals a loaded version, a duplicate.
    const day1Again = write('c-day1-again.jsonl', [conversation(false, 2), '']);
    const again = await ingest(ctx.db(), [day1, day2, day1Again], cfg, { now: at(23) });
    reconciles(again);
    expect(again.files.map((f) => [f.status, f.rowsLoaded, f.rowsDuplicate, f.rowsQuarantined])).toEqual([
      ['already_loaded', 0, 4, 0], ['already_loaded', 0, 3, 0], ['loaded', 0, 3, 0],
    ]);
    expect(await ctx.db().value('select count(*) from raw.conversations')).toBe(2);
    await buildMetrics(ctx.db(), cfg);
    expect(await ctx.db().value(`select strftime(ended_at, '%H:%M') from marts.conversations where conversation_id = 'c1'`)).toBe('10:30');
  });

  it('keeps a message immutable: other content under its key is still a conflict', async () => {
    const day1 = write('day1.jsonl', [conversation(false, 2)]);
    const edited = conversation(true, 2);
    edited.messages[1]!.text = 'edited';
    const day2 = write('day2.jsonl', [edited]);
    await ingest(ctx.db(), [day1], config(), { now: at(21) });
    const result = await ingest(ctx.db(), [day2], config(), { now: at(22) });
    reconciles(result);
    expect(result.files[0]).toMatchObject({ rowsLoaded: 1, rowsDuplicate: 1, rowsQuarantined: 1 });
    expect((await quarantine(day2)).map((q) => q.field)).toEqual(['message_id']);
  });
});

describe('validate: fields of another record kind', () => {
  it('keeps them in the record\'s extra fields instead of dropping them', async () => {
    const path = write('cross.jsonl', [
      { type: 'message', conversation_id: 'c1', sent_at: '2024-01-01T10:00:00Z', role: 'customer', text: 'where is my order', order_id: 'SO-123', intent: 'wismo', foo: 1 },
      { type: 'survey', conversation_id: 'c1', answered_at: '2024-01-01T11:00:00Z', csat: 4, channel: 'wechat', tier: 'L1', vendor: 'acme' },
      { type: 'event', conversation_id: 'c1', occurred_at: '2024-01-01T10:01:00Z', event: 'transferred', text: 'transfer note', channel: 'web' },
      { type: 'conversation', conversation_id: 'c1', agent_id: 'a7', csat: 5 },
    ]);
    const nested = write('nested.jsonl', [
      { conversation_id: 'n1', channel: 'web', customer_id: 'u1', surveys: [{ answered_at: '2024-01-01T11:00:00Z', csat: 5, tier: 'L2' }] },
    ]);
    const result = await ingest(ctx.db(), [path, nested], config(), { now: pinned });
    reconciles(result);
    expect(result.totals).toMatchObject({ rowsLoaded: 6, rowsQuarantined: 0 });
    const extras = async (table: string) =>
      (await ctx.db().all<{ conversation_id: string; extra: string | null }>(`select conversation_id, extra::varchar as extra from ${table} order by conversation_id`))
        .map((r) => ({ ...r, extra: r.extra === null ? null : JSON.parse(r.extra) }));
    expect(await extras('raw.messages')).toEqual([{ conversation_id: 'c1', extra: { foo: 1, intent: 'wismo', order_id: 'SO-123' } }]);
    // The nested survey's channel and customer_id are its parent's, not its own: not repeated as its extras.
    expect(await extras('raw.surveys')).toEqual([
      { conversation_id: 'c1', extra: { vendor: 'acme', tier: 'L1', channel: 'wechat' } },
      { conversation_id: 'n1', extra: { tier: 'L2' } },
    ]);
    expect(await extras('raw.events')).toEqual([{ conversation_id: 'c1', extra: { text: 'transfer note', channel: 'web' } }]);
    expect(await extras('raw.conversations')).toEqual([{ conversation_id: 'c1', extra: { agent_id: 'a7', csat: '5' } }, { conversation_id: 'n1', extra: null }]);
  });
});

describe('validate: JSON keys in another case', () => {
  it('match field names (and mapped user names) without case, as CSV headers do', async () => {
    const path = write('case.jsonl', [
      { Conversation_ID: 'c1', Sent_At: '2024-01-01T10:00:00Z', Sender_Type: 'customer', Text: 'hi', Priority: 'high' },
      // Given under both spellings: the exact name wins and the other spelling is kept, not dropped.
      { conversation_id: 'c2', CONVERSATION_ID: 'C2', sent_at: '2024-01-01T10:00:01Z', role: 'customer', text: 'yo' },
    ]);
    // A field of another kind lands in extra under its exact name: not a case variant, typed once.
    const plain = write('plain.jsonl', [{ conversation_id: 'c3', sent_at: '2024-01-01T10:00:02Z', role: 'customer', text: 'ok', intent: 'n' }]);
    let typings = 0;
    const run = ctx.db().run.bind(ctx.db());
    ctx.db().run = async (sql, params) => {
      if (sql.includes('temp table ingest_typed as')) typings++;
      return run(sql, params);
    };
    const result = await ingest(ctx.db(), [path, plain], config({ 'ingest.columns': { sender_type: 'role' } }), { now: pinned });
    expect(typings).toBe(3);
    reconciles(result);
    expect(result.totals).toMatchObject({ rowsLoaded: 3, rowsQuarantined: 0 });
    expect(await ctx.db().all(`select conversation_id, role, text, extra::varchar as extra from raw.messages order by conversation_id`)).toEqual([
      { conversation_id: 'c1', role: 'customer', text: 'hi', extra: '{"Priority":"high"}' },
      { conversation_id: 'c2', role: 'customer', text: 'yo', extra: '{"CONVERSATION_ID":"C2"}' },
      { conversation_id: 'c3', role: 'customer', text: 'ok', extra: '{"intent":"n"}' },
    ]);
  });
});
