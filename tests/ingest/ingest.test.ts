import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { openDatabase, type Db } from '../../src/db/database.js';
import { ConfigError, InputError, QuarantineThresholdError } from '../../src/errors.js';
import type { InputFile } from '../../src/ingest/discover.js';
import { ingest, ingestFailure } from '../../src/ingest/load.js';
import { withLfLineEnds } from '../../src/ingest/transcode.js';
import { pinned, quarantined, reconciles } from './helpers.js';

const EDGE = 'fixtures/edge';

let db: Db;
let dir: string;
beforeEach(async () => {
  db = await openDatabase(':memory:');
  dir = mkdtempSync(join(tmpdir(), 'csqa-ingest-'));
});
afterEach(() => db.close());

function config(overrides: Record<string, unknown> = {}, file?: string): Config {
  return loadConfig({ env: {}, file, cwd: dir, flags: overrides });
}

/** The edge-case config: column/role/tier mappings and Asia/Shanghai for naive timestamps. */
const edgeConfig = () => config({}, 'fixtures/configs/edge.json');

describe('ingest: JSON Lines', () => {
  it('loads good rows, quarantines each bad one with line, field and reason, and reconciles', async () => {
    const result = await ingest(db, [`${EDGE}/messages.jsonl`], edgeConfig(), { now: pinned });
    reconciles(result);
    const f = result.files[0]!;
    expect(f).toMatchObject({ rowsRead: 18, rowsLoaded: 9, rowsDuplicate: 2, rowsQuarantined: 7, status: 'loaded' });
    expect(await quarantined(db, `${EDGE}/messages.jsonl`)).toEqual([
      { line: 7, path: null, field: 'conversation_id', reason: 'missing conversation_id' },
      { line: 8, path: null, field: 'sent_at', reason: 'bad timestamp "2026-13-45T99:00:00"' },
      { line: 9, path: null, field: 'role', reason: 'unknown role "martian" (map it with ingest.roles)' },
      { line: 10, path: null, field: 'line', reason: 'broken JSON line' },
      { line: 12, path: null, field: 'message_id', reason: 'conflicts with an already loaded message with the same key c1:m2 (different content)' },
      { line: 16, path: null, field: 'csat', reason: 'csat must be a whole number from 1 to 5, got "9"' },
      { line: 18, path: null, field: 'line', reason: 'record is not a JSON object' },
    ]);
  });

  it('numbers lines physically in a file large enough to be read on several threads', async () => {
    // 300k lines (~30 MB) with a blank line every 1,000 and a broken one every 7,919: every stored row and every
    // quarantined line must carry its own physical line number, which its message id repeats.
    const path = join(dir, 'big.jsonl');
    const lines: string[] = [];
    for (let line = 1; line <= 300_000; line++) {
      if (line % 1000 === 0) lines.push('');
      else if (line % 7919 === 0) lines.push(`{"broken": ${line}`);
      else {
        lines.push(JSON.stringify({
          conversation_id: `c${Math.floor(line / 20)}`, message_id: `m${line}`, sent_at: `2026-11-01T00:00:${String(line % 60).padStart(2, '0')}Z`,
          role: 'customer', text: `第${line}行 line ${line} ${'x'.repeat(line % 50)}`,
        }));
      }
    }
    writeFileSync(path, lines.join('\n') + '\n');
    const result = await ingest(db, [path], config(), { now: pinned });
    reconciles(result);
    expect(result.files[0]).toMatchObject({ rowsRead: 300_000 - 300, rowsQuarantined: 37 });
    expect(await db.value(`select count(*)::int from raw.messages where source_line <> substr(message_id, 2)::int`)).toBe(0);
    expect(await db.value('select count(*)::int from raw.messages')).toBe(300_000 - 300 - 37);
    const broken = await quarantined(db, path);
    expect(broken.map((q) => q.line)).toEqual(Array.from({ length: 37 }, (_, i) => (i + 1) * 7919));
  });

  it('stores the lines in file order even when the database has insertion order relaxed, and leaves it so', async () => {
    // Line numbers are the stored lines' rowids, which only preserve_insertion_order makes the file's order. A file
    // this small is read in order either way; at 585 MB a relaxed read numbered every line wrongly. So the test
    // watches the setting at the moment the lines are stored.
    await db.run('set preserve_insertion_order = false');
    const seen: unknown[] = [];
    const run = db.run.bind(db);
    db.run = async (sql, params) => {
      if (sql.includes('temp table ingest_lines')) seen.push(await db.value(`select current_setting('preserve_insertion_order')`));
      return run(sql, params);
    };
    await ingest(db, [`${EDGE}/messages.jsonl`], edgeConfig(), { now: pinned });
    expect(seen).toEqual([true]);
    expect(await db.value(`select current_setting('preserve_insertion_order')`)).toBe(false);
  });

  it('reads offsets as given, epoch milliseconds, and naive times in the configured zone, storing UTC', async () => {
    await ingest(db, [`${EDGE}/messages.jsonl`], edgeConfig(), { now: pinned });
    const rows = await db.all<{ id: string; t: string }>(
      `select message_id as id, strftime(sent_at, '%Y-%m-%d %H:%M:%S') as t from raw.messages where message_id in ('m1', 'm4', 'm5') order by message_id`,
    );
    expect(rows).toEqual([
      { id: 'm1', t: '2026-11-01 02:00:00' },
      { id: 'm4', t: '2026-11-01 02:01:00' },
      { id: 'm5', t: '2026-11-01 02:02:00' },
    ]);
  });

  it('keeps unknown fields, maps tiers, and defaults the vendor of responders', async () => {
    const cfg = config({ 'ingest.tiers': { 一线: 'L1' } });
    await ingest(db, [`${EDGE}/messages.jsonl`], cfg, { now: pinned });
    expect(await db.value(`select extra->>'ticket_priority' from raw.messages where message_id = 'm3'`)).toBe('high');
    expect(await db.value(`select tier from raw.messages where message_id = 'm10'`)).toBe('L1');
    expect(await db.value(`select vendor from raw.messages where message_id = 'm2'`)).toBe('in-house');
    expect(await db.value(`select vendor from raw.messages where message_id = 'm1'`)).toBeNull();
  });

  it('keeps extras with their JSON types, and none for a record whose only oddity is a null field', async () => {
    const path = join(dir, 'extras.jsonl');
    writeFileSync(
      path,
      [
        JSON.stringify({ conversation_id: 'c', message_id: 'a', sent_at: '2026-11-01T00:00:00Z', role: 'customer', text: 'hi', priority: 3, tags: ['x'], agent_id: null }),
        JSON.stringify({ conversation_id: 'c', message_id: 'b', sent_at: '2026-11-01T00:00:01Z', role: 'customer', text: 'yo', agent_id: null }),
        '[1, 2]',
      ].join('\n'),
    );
    const result = await ingest(db, [path], config(), { now: pinned });
    reconciles(result);
    expect(await db.value(`select extra::varchar from raw.messages where message_id = 'a'`)).toBe('{"priority":3,"tags":["x"]}');
    expect(await db.value(`select extra from raw.messages where message_id = 'b'`)).toBeNull();
    expect((await quarantined(db, path)).map((q) => [q.line, q.field, q.reason])).toEqual([[3, 'line', 'record is not a JSON object']]);
  });

  it('tells a corrected copy of a message from an exact duplicate even when DuckDB\'s hash() cannot', async () => {
    expect(await db.value(`select hash('付了10元~😭') = hash('付了15元~😊')`)).toBe(true);
    const path = join(dir, 'edited.jsonl');
    const message = (text: string) => JSON.stringify({ conversation_id: 'c', message_id: 'm', sent_at: '2026-11-01T00:00:00Z', role: 'customer', text });
    writeFileSync(path, [message('付了10元~😭'), message('付了15元~😊'), message('付了10元~😭')].join('\n'));
    const result = await ingest(db, [path], config(), { now: pinned });
    reconciles(result);
    expect(result.totals).toMatchObject({ rowsLoaded: 1, rowsDuplicate: 1, rowsQuarantined: 1 });
    expect((await quarantined(db, path)).map((q) => [q.line, q.field])).toEqual([[2, 'message_id']]);
    // The same against a copy already in the database (a later export).
    const later = join(dir, 'edited-later.jsonl');
    writeFileSync(later, [message('付了15元~😊'), message('付了10元~😭')].join('\n'));
    const again = await ingest(db, [later], config(), { now: pinned });
    reconciles(again);
    expect(again.totals).toMatchObject({ rowsLoaded: 0, rowsDuplicate: 1, rowsQuarantined: 1 });
    expect((await quarantined(db, later)).map((q) => [q.line, q.field])).toEqual([[1, 'message_id']]);
    expect(await db.value(`select text from raw.messages where message_id = 'm'`)).toBe('付了10元~😭');
  });

  it('quarantines an unmapped tier and text over the size limit', async () => {
    const path = join(dir, 'long.jsonl');
    writeFileSync(
      path,
      [
        JSON.stringify({ conversation_id: 'c', sent_at: '2026-11-01T00:00:00Z', role: 'customer', text: 'x'.repeat(51) }),
        JSON.stringify({ conversation_id: 'c', sent_at: '2026-11-01T00:00:01Z', role: 'agent', text: 'ok', tier: '外包二线' }),
        JSON.stringify({ conversation_id: 'c', sent_at: '2026-11-01T00:00:02Z', role: 'agent', text: 'fine', tier: 'l2' }),
      ].join('\n'),
    );
    const result = await ingest(db, [path], config({ 'ingest.maxTextChars': 50 }), { now: pinned });
    reconciles(result);
    expect((await quarantined(db, path)).map((q) => [q.line, q.field, q.reason])).toEqual([
      [1, 'text', 'text over 50 characters (51)'],
      [2, 'tier', 'unknown tier "外包二线" (map it with ingest.tiers)'],
    ]);
    expect(await db.value(`select tier from raw.messages`)).toBe('L2');
  });

  it('reads gzip-compressed files the same way', async () => {
    const gz = join(dir, 'messages.jsonl.gz');
    writeFileSync(gz, gzipSync(readFileSync(`${EDGE}/messages.jsonl`)));
    const result = await ingest(db, [gz], edgeConfig(), { now: pinned });
    expect(result.files[0]).toMatchObject({ rowsRead: 18, rowsLoaded: 9, rowsDuplicate: 2, rowsQuarantined: 7 });
  });
});

describe('ingest: CSV with column and role mapping', () => {
  it('maps columns, roles and tiers, keeps extra columns, and quarantines an unterminated quote by line', async () => {
    const cfg = config({}, 'fixtures/configs/edge.json');
    const result = await ingest(db, [`${EDGE}/mapped.csv`], cfg, { now: pinned });
    reconciles(result);
    expect(result.files[0]).toMatchObject({ rowsRead: 6, rowsLoaded: 5, rowsQuarantined: 1, format: 'csv' });
    const q = await quarantined(db, `${EDGE}/mapped.csv`);
    expect(q).toHaveLength(1);
    expect(q[0]).toMatchObject({ line: 6, field: 'msg' });
    expect(q[0]!.reason).toMatch(/unterminated quote/);
    const rows = await db.all<{ role: string; tier: string | null; text: string; line: number; queue: string | null; t: string }>(
      `select role, tier, text, source_line as line, extra->>'queue' as queue, strftime(sent_at, '%H:%M:%S') as t
       from raw.messages order by source_line`,
    );
    expect(rows.map((r) => [r.line, r.role, r.tier])).toEqual([
      [2, 'customer', null],
      [3, 'bot', 'bot'],
      [4, 'customer', null],
      [5, 'agent', 'L1'],
      [7, 'agent', 'L1'],
    ]);
    expect(rows[3]!.text).toBe('您好，我是小王 "工号 1024"');
    expect(rows[3]!.queue).toBe('refund');
    expect(rows[0]!.t).toBe('01:00:00'); // naive 09:00 in Asia/Shanghai
  });

  it('fails a file that is not CSV at all with its name, and still loads the others', async () => {
    const bad = join(dir, 'a_bad.csv');
    writeFileSync(bad, '');
    const good = join(dir, 'b_good.jsonl');
    copyFileSync(`${EDGE}/messages.jsonl`, good);
    const result = await ingest(db, [bad, good], config(), { now: pinned });
    expect(result.files.map((f) => f.status)).toEqual(['unreadable', 'loaded']);
    const failure = ingestFailure(result, 1);
    expect(failure).toBeInstanceOf(InputError);
    expect(failure!.message).toContain('a_bad.csv');
  });
});

describe('ingest: nested JSON and Parquet', () => {
  it('expands per-conversation objects into messages, events and surveys with their position', async () => {
    const result = await ingest(db, [`${EDGE}/nested.json`], config(), { now: pinned });
    reconciles(result);
    expect(result.files[0]).toMatchObject({ rowsRead: 7, rowsLoaded: 6, rowsQuarantined: 1 });
    expect(await quarantined(db, `${EDGE}/nested.json`)).toEqual([
      { line: 1, path: 'messages[2]', field: 'sent_at', reason: 'bad timestamp "not a time"' },
    ]);
    expect(await db.all(`select conversation_id, event, ticket_id, source_path from raw.events`)).toEqual([
      { conversation_id: 'n1', event: 'escalated', ticket_id: 'T1', source_path: 'events[0]' },
    ]);
    expect(await db.value(`select csat from raw.surveys where conversation_id = 'n1'`)).toBe(2);
    expect(await db.value(`select count(*) from raw.conversations`)).toBe(2);
  });

  it('reads Parquet with user column names, row numbers and extra columns', async () => {
    const path = join(dir, 'export.parquet');
    await db.run(
      `copy (select * from (values
         ('p1', 'end_user', timestamp '2026-11-03 10:00:00', 'hello', 'gold'),
         ('p1', 'robot', timestamp '2026-11-03 10:00:01', 'hi there', null),
         (null, 'end_user', timestamp '2026-11-03 10:00:02', 'orphan', null)
       ) v(session, sender_type, created_at, body, loyalty)) to '${path}' (format parquet)`,
    );
    const cfg = config({
      'ingest.columns': { session: 'conversation_id', sender_type: 'role', created_at: 'sent_at', body: 'text' },
      'ingest.roles': { end_user: 'customer', robot: 'bot' },
    });
    const result = await ingest(db, [path], cfg, { now: pinned });
    reconciles(result);
    expect(result.files[0]).toMatchObject({ rowsRead: 3, rowsLoaded: 2, rowsQuarantined: 1 });
    expect(await quarantined(db, path)).toEqual([{ line: 3, path: null, field: 'conversation_id', reason: 'missing conversation_id' }]);
    expect(await db.value(`select extra->>'loyalty' from raw.messages where role = 'customer'`)).toBe('gold');
  });
});

describe('ingest: message keys', () => {
  const line = (conversation: string, id: string, text: string, at = '2026-11-03T10:00:00Z') =>
    JSON.stringify({ type: 'message', conversation_id: conversation, message_id: id, sent_at: at, role: 'customer', text });

  it('keeps apart two messages whose conversation and message ids join to the same text', async () => {
    const path = join(dir, 'colons.jsonl');
    writeFileSync(path, [line('T100', '2:7', 'first'), line('T100:2', '7', 'second'), line('a\\', 'b', 'third'), line('a', '\\:b', 'fourth')].join('\n') + '\n');
    const result = await ingest(db, [path], config(), { now: pinned });
    reconciles(result);
    expect(result.files[0]).toMatchObject({ rowsRead: 4, rowsLoaded: 4, rowsQuarantined: 0 });
    expect(await db.all('select conversation_id, message_key from raw.messages order by text')).toEqual([
      { conversation_id: 'T100', message_key: 'T100:2:7' },
      { conversation_id: 'a', message_key: 'a:\\:b' },
      { conversation_id: 'T100:2', message_key: 'T100\\:2:7' },
      { conversation_id: 'a\\', message_key: 'a\\\\:b' },
    ]);
    // Loaded again: every message is the duplicate of itself, none a conflict.
    const again = await ingest(db, [path], config(), { now: pinned });
    expect(again.files[0]!.status).toBe('already_loaded');
    const overlapping = join(dir, 'overlap.jsonl');
    writeFileSync(overlapping, [line('T100:2', '7', 'second'), line('T100', '2:7', 'first')].join('\n') + '\n');
    expect((await ingest(db, [overlapping], config(), { now: pinned })).files[0]).toMatchObject({ rowsDuplicate: 2, rowsQuarantined: 0 });
  });

  it('rewrites once the keys an earlier version stored in the plain form, scores included', async () => {
    // As an earlier csqa stored them: plain 'conversation:message' keys, here for an id holding ':'.
    const path = join(dir, 'first.jsonl');
    writeFileSync(path, [line('wx:1', 'm1', 'hello'), line('plain', 'm1', 'hi')].join('\n') + '\n');
    await ingest(db, [path], config(), { now: pinned });
    await db.run(`update raw.messages set message_key = conversation_id || ':' || message_id`);
    await db.run(`insert into scores.message_sentiment select message_key, conversation_id, 'lexicon', 'v', 0.5, 'positive' from raw.messages`);
    await db.run(`insert into scores.message_signals select message_key, conversation_id, 'thanks_resolved', 'r', 0, 1, 'x', 0.9, 'rules', 'v' from raw.messages`);
    expect(await db.value(`select count(*) from raw.messages where message_key = 'wx:1:m1'`)).toBe(1);

    const overlapping = join(dir, 'second.jsonl');
    writeFileSync(overlapping, [line('wx:1', 'm1', 'hello'), line('wx:1', 'm2', 'again', '2026-11-03T10:01:00Z')].join('\n') + '\n');
    const result = await ingest(db, [overlapping], config(), { now: pinned });
    expect(result.rekeyedMessages).toBe(1);
    expect(result.files[0]).toMatchObject({ rowsLoaded: 1, rowsDuplicate: 1, rowsQuarantined: 0 });
    const keys = 'select message_key from raw.messages order by all';
    expect(await db.all(keys)).toEqual([{ message_key: 'plain:m1' }, { message_key: 'wx\\:1:m1' }, { message_key: 'wx\\:1:m2' }]);
    for (const table of ['scores.message_sentiment', 'scores.message_signals']) {
      expect(await db.all(`select message_key from ${table} order by all`), table).toEqual([{ message_key: 'plain:m1' }, { message_key: 'wx\\:1:m1' }]);
    }
    // Nothing left in the old form: the next load rewrites nothing.
    expect((await ingest(db, [overlapping], config(), { now: pinned })).rekeyedMessages).toBeUndefined();
  });
});

describe('ingest: re-runs and overlapping exports', () => {
  it('skips a file loaded before, even under another name, without double counting', async () => {
    const cfg = edgeConfig();
    await ingest(db, [`${EDGE}/messages.jsonl`], cfg, { now: pinned });
    const copy = join(dir, 'renamed.jsonl');
    copyFileSync(`${EDGE}/messages.jsonl`, copy);
    const again = await ingest(db, [`${EDGE}/messages.jsonl`, copy], cfg, { now: pinned });
    reconciles(again);
    expect(again.files.map((f) => f.status)).toEqual(['already_loaded', 'already_loaded']);
    expect(again.totals.rowsLoaded).toBe(0);
    expect(await db.value('select count(*) from raw.messages')).toBe(6);
    expect(await db.value('select count(*) from raw.quarantine')).toBe(7);
  });

  it('lands a file not seen before beside its hashing, but a re-run of a known path only hashes it', async () => {
    const landings: string[] = [];
    const run = db.run.bind(db);
    db.run = async (sql, params) => {
      if (sql.includes('temp table ingest_lines')) landings.push(String((params as Record<string, unknown>).path));
      return run(sql, params);
    };
    const cfg = edgeConfig();
    const copy = join(dir, 'renamed.jsonl');
    copyFileSync(`${EDGE}/messages.jsonl`, copy);
    await ingest(db, [`${EDGE}/messages.jsonl`], cfg, { now: pinned });
    await ingest(db, [`${EDGE}/messages.jsonl`, copy], cfg, { now: pinned });
    // The renamed copy is landed (its path is new) and then dropped once its hash names it a duplicate.
    expect(landings).toEqual([`${EDGE}/messages.jsonl`, copy]);
    expect(await db.value(`select count(*) from duckdb_tables() where table_name in ('ingest_lines', 'ingest_landing')`)).toBe(0);
  });

  it('loads a file rewritten in place with the same size but new content', async () => {
    const path = join(dir, 'day.jsonl');
    const line = (text: string) => JSON.stringify({ conversation_id: 'w1', sent_at: '2026-11-05T00:00:00Z', role: 'customer', text });
    writeFileSync(path, line('first'));
    await ingest(db, [path], config(), { now: pinned });
    writeFileSync(path, line('again'));
    const result = await ingest(db, [path], config(), { now: pinned });
    expect(result.files[0]).toMatchObject({ status: 'loaded', rowsLoaded: 1 });
    expect(await db.all(`select text from raw.messages order by text`)).toEqual([{ text: 'again' }, { text: 'first' }]);
  });

  it('loads only the new records of an overlapping export, by id or by content hash', async () => {
    const lines = (n: number, start = 0) =>
      Array.from({ length: n }, (_, i) =>
        JSON.stringify({ conversation_id: 'o1', sent_at: `2026-11-05T00:00:${String(start + i).padStart(2, '0')}Z`, role: 'customer', text: `msg ${start + i}` }),
      ).join('\n');
    const first = join(dir, 'day1.jsonl');
    const second = join(dir, 'day1-late.jsonl');
    writeFileSync(first, lines(10));
    writeFileSync(second, lines(15)); // same first 10 records (no ids: content hash), 5 new
    const cfg = config();
    await ingest(db, [first], cfg, { now: pinned });
    const result = await ingest(db, [second], cfg, { now: pinned });
    reconciles(result);
    expect(result.files[0]).toMatchObject({ rowsRead: 15, rowsLoaded: 5, rowsDuplicate: 10, rowsQuarantined: 0 });
    expect(await db.value('select count(*) from raw.messages')).toBe(15);
  });

  it('records every file in the manifest with its hash and counts', async () => {
    await ingest(db, [`${EDGE}/nested.json`], config(), { now: pinned });
    const rows = await db.all(`select source_file, length(content_hash) as h, status, rows_read, rows_loaded, rows_duplicate, rows_quarantined, strftime(loaded_at, '%Y-%m-%dT%H:%M:%S') as at from raw.load_manifest`);
    expect(rows).toEqual([
      { source_file: `${EDGE}/nested.json`, h: 64, status: 'loaded', rows_read: 7, rows_loaded: 6, rows_duplicate: 0, rows_quarantined: 1, at: '2026-11-21T03:00:00' },
    ]);
  });
});

describe('ingest: thresholds and discovery', () => {
  it('names the file whose quarantined share exceeds the threshold', async () => {
    const result = await ingest(db, [EDGE], edgeConfig(), { now: pinned });
    reconciles(result);
    const failure = ingestFailure(result, 0.2);
    expect(failure).toBeInstanceOf(QuarantineThresholdError);
    expect(failure!.message).toContain('fixtures/edge/messages.jsonl: 7 of 18 rows (38.9 %)');
    expect(failure!.message).not.toContain('nested.json');
    expect(ingestFailure(result, 0.5)).toBeUndefined();
  });

  it('expands globs and folders in sorted order and rejects unknown formats named explicitly', async () => {
    writeFileSync(join(dir, 'b.jsonl'), '');
    writeFileSync(join(dir, 'a.csv'), 'conversation_id\n');
    writeFileSync(join(dir, 'notes.txt'), 'ignored in folders');
    const { discoverInputs } = await import('../../src/ingest/discover.js');
    expect(discoverInputs([dir]).map((f) => f.path)).toEqual([join(dir, 'a.csv'), join(dir, 'b.jsonl')]);
    expect(discoverInputs([`${dir}/*.jsonl`]).map((f) => f.format)).toEqual(['jsonl']);
    expect(() => discoverInputs([join(dir, 'notes.txt')])).toThrow(/unknown file format/);
    expect(() => discoverInputs([join(dir, 'missing.jsonl')])).toThrow(/no such file/);
  });
});

/** 转人工 / 您好，请问有什么可以帮您 in GB18030 (GBK range): what Excel saves on Chinese Windows. */
const GB = {
  zhuanRenGong: Buffer.from('d7aac8cbb9a4', 'hex'),
  greeting: Buffer.from('c4fabac3a3acc7ebcecad3d0cab2c3b4bfc9d2d4b0efc4fa', 'hex'),
};

const encodingConfig = (encoding: string) => config({ 'ingest.encoding': encoding });
const stored = () => db.all<{ file: string; line: number; role: string; text: string }>(
  'select source_file as file, source_line::integer as line, role, text from raw.messages order by source_file, source_line',
);
const utf8CopiesLeft = () => readdirSync(tmpdir()).filter((name) => name.startsWith('csqa-utf8-'));

function gbkCsv(): string {
  const path = join(dir, 'excel.csv');
  writeFileSync(path, Buffer.concat([
    Buffer.from('type,conversation_id,sent_at,role,text\r\nmessage,c1,2026-11-01T09:00:00Z,customer,'), GB.zhuanRenGong,
    Buffer.from('\r\nmessage,c1,2026-11-01T09:00:05Z,bot,'), GB.greeting, Buffer.from('\r\n'),
  ]));
  return path;
}

describe('ingest: files not in UTF-8', () => {
  it('reads GB18030 CSV and gzipped JSON Lines through a UTF-8 copy, naming the original file and its lines', async () => {
    const csv = gbkCsv();
    const jsonl = join(dir, 'export.jsonl.gz');
    writeFileSync(jsonl, gzipSync(Buffer.concat([
      Buffer.from('\n{"type":"message","conversation_id":"c2","sent_at":"2026-11-01T10:00:00Z","role":"customer","text":"'),
      GB.zhuanRenGong, Buffer.from('"}\n'),
    ])));
    const result = await ingest(db, [csv, jsonl], encodingConfig('GB18030'), { now: pinned });
    expect(result.files.map((f) => [f.status, f.rowsLoaded, f.rowsQuarantined])).toEqual([['loaded', 2, 0], ['loaded', 1, 0]]);
    expect(await stored()).toEqual([
      { file: csv, line: 2, role: 'customer', text: '转人工' },
      { file: csv, line: 3, role: 'bot', text: '您好，请问有什么可以帮您' },
      { file: jsonl, line: 2, role: 'customer', text: '转人工' },
    ]);
    expect(utf8CopiesLeft()).toEqual([]);
  });

  it('reads UTF-16 with its byte-order mark', async () => {
    const path = join(dir, 'utf16.jsonl');
    const record = '{"type":"message","conversation_id":"c3","sent_at":"2026-11-01T11:00:00Z","role":"customer","text":"人工 please"}\n';
    writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(record, 'utf16le')]));
    await ingest(db, [path], encodingConfig('utf-16le'), { now: pinned });
    expect((await stored()).map((r) => r.text)).toEqual(['人工 please']);
  });

  it('without the setting, quarantines the lines of a CSV or JSON Lines file that are not UTF-8, saying what to set', async () => {
    const csv = gbkCsv();
    const jsonl = join(dir, 'export.jsonl');
    writeFileSync(jsonl, Buffer.concat([
      Buffer.from('{"type":"message","conversation_id":"c2","sent_at":"2026-11-01T10:00:00Z","role":"customer","text":"'),
      GB.zhuanRenGong, Buffer.from('"}\n'),
    ]));
    const { files } = await ingest(db, [csv, jsonl], config(), { now: pinned });
    expect(files.map((f) => [f.status, f.rowsLoaded, f.rowsQuarantined])).toEqual([['loaded', 0, 2], ['loaded', 0, 1]]);
    const reasons = await db.all<{ file: string; line: number; reason: string }>(
      'select source_file as file, source_line as line, reason from raw.quarantine order by file, line');
    expect(reasons.map((r) => [r.file, r.line])).toEqual([[csv, 2], [csv, 3], [jsonl, 1]]);
    for (const r of reasons) expect(r.reason).toMatch(/not UTF-8; set ingest\.encoding .*gb18030/);
    expect(reasons[2]!.reason).toMatch(/^invalid UTF-8: /);
  });

  it('refuses bytes that are not the declared encoding, and an encoding it does not know', async () => {
    const path = join(dir, 'odd.jsonl');
    writeFileSync(path, Buffer.from([0x7b, 0x7d, 0x0a])); // three bytes cannot be UTF-16
    const { files } = await ingest(db, [path], encodingConfig('utf-16le'), { now: pinned });
    expect(files[0]).toMatchObject({ status: 'unreadable', error: `${path}: not valid utf-16le text (ingest.encoding); give the encoding the file was saved in` });
    expect(utf8CopiesLeft()).toEqual([]);
    expect(() => encodingConfig('klingon')).toThrow(ConfigError);
  });
});

describe('ingest: CSV lines ending both ways', () => {
  // A header saved on Unix and rows appended on Windows (or the reverse): DuckDB's reader refuses such a file whole.
  const header = 'conversation_id,type,role,sent_at,text';
  const rows = ['c1,message,customer,2026-11-03T10:00:00Z,hello', 'c1,message,bot,not a time,hi', 'c2,message,bot,2026-11-03T10:00:02Z,yo'];

  it.each([
    ['LF header, CRLF rows', `${header}\n${rows.join('\r\n')}\r\n`, false],
    ['CRLF and LF rows alternating, gzipped', `${header}\r\n${rows[0]}\n${rows[1]}\r\n${rows[2]}\n`, true],
  ])('%s: every row loaded or quarantined at its own line', async (_name, text, gzip) => {
    const path = join(dir, gzip ? 'mixed.csv.gz' : 'mixed.csv');
    writeFileSync(path, gzip ? gzipSync(text) : text);
    const result = await ingest(db, [path], config(), { now: pinned });
    reconciles(result);
    expect(result.files[0]).toMatchObject({ status: 'loaded', rowsRead: 3, rowsLoaded: 2, rowsQuarantined: 1 });
    expect(await quarantined(db, path)).toEqual([{ line: 3, path: null, field: 'sent_at', reason: 'bad timestamp "not a time"' }]);
    expect(await db.all('select conversation_id, text from raw.messages order by text')).toEqual([
      { conversation_id: 'c1', text: 'hello' },
      { conversation_id: 'c2', text: 'yo' },
    ]);
    expect(utf8CopiesLeft()).toEqual([]);
  });

  it('also when the file is in another encoding (the LF copy is made from the UTF-8 copy)', async () => {
    const path = join(dir, 'mixed-utf16.csv');
    writeFileSync(path, Buffer.from(`${header}\n${rows.join('\r\n')}\r\n`, 'utf16le'));
    const result = await ingest(db, [path], encodingConfig('utf-16le'), { now: pinned });
    expect(result.files[0]).toMatchObject({ status: 'loaded', rowsRead: 3, rowsLoaded: 2, rowsQuarantined: 1 });
    expect(await quarantined(db, path)).toEqual([{ line: 3, path: null, field: 'sent_at', reason: 'bad timestamp "not a time"' }]);
    expect(utf8CopiesLeft()).toEqual([]);
  });

  it('turns a CRLF split across two reads into LF, and keeps every line', async () => {
    const path = join(dir, 'boundary.csv');
    // 64 KiB reads: the CR is the last byte of the first read, its LF the first of the second.
    const first = 'x'.repeat(65_535);
    writeFileSync(path, `${first}\r\nsecond\r\nthird`);
    const copied = await withLfLineEnds({ path, format: 'csv', gzip: false } as InputFile, async (copy) => readFileSync(copy.readPath!, 'utf8'));
    expect(copied).toBe(`${first}\nsecond\nthird`);
  });
});
