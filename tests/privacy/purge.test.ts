import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/database.js';
import { ensureRawSchema } from '../../src/db/schema.js';
import { ConfigError } from '../../src/errors.js';
import { applyPurge, formatPurge, planPurge, purgeCutoff } from '../../src/privacy/purge.js';

let db: Db;

async function seed(): Promise<void> {
  await ensureRawSchema(db);
  const messages: [string, string, string, string][] = [
    ['c1:1', 'c1', '2026-01-10 09:00:00', '我的手机是13812345678'],
    ['c1:2', 'c1', '2026-01-10 09:01:00', '好的，稍后回电'],
    ['c2:1', 'c2', '2026-05-31 23:59:59', 'old by one second'],
    ['c3:1', 'c3', '2026-06-01 00:00:00', 'kept: exactly at the cutoff'],
    ['c3:2', 'c3', '2026-06-02 10:00:00', 'kept: newer'],
  ];
  for (const [key, conversation, sentAt, text] of messages) {
    await db.run(
      `insert into raw.messages (message_key, conversation_id, sent_at, role, text, extra, record_hash, source_file, source_line)
       values ($1, $2, $3::timestamp, 'customer', $4, '{"note":"raw"}', 'h', 'f.jsonl', 1)`,
      [key, conversation, sentAt, text],
    );
    await db.run(
      `insert into scores.message_signals (message_key, conversation_id, signal, rule_id, span_start, span_end, matched_text, confidence, scorer, scorer_version)
       values ($1, $2, 'anger', 'r1', 0, 2, $3, 0.9, 'rules', '1')`,
      [key, conversation, text.slice(0, 2)],
    );
    await db.run(
      `insert into scores.message_sentiment values ($1, $2, 'lexicon', '1', -0.5, 'negative')`,
      [key, conversation],
    );
  }
  await db.run(
    `insert into raw.surveys (survey_key, conversation_id, answered_at, csat, comment, record_hash, source_file, source_line)
     values ('s1', 'c1', '2026-01-11 00:00:00', 2, '客服态度差，我电话13812345678', 'h', 'f', 1),
            ('s3', 'c3', '2026-06-03 00:00:00', 5, 'great', 'h', 'f', 2)`,
  );
  await db.run(
    `insert into raw.events (event_key, conversation_id, occurred_at, event, reason, record_hash, source_file, source_line)
     values ('e1', 'c1', '2026-01-10 09:02:00', 'transfer', '客户说要投诉', 'h', 'f', 1)`,
  );
  await db.run(
    `insert into raw.load_manifest values
       ('l1', 'old.jsonl', 'hash-old', 10, 'jsonl', 'loaded', 3, 2, 0, 1, null, '2026-01-12 00:00:00'),
       ('l2', 'new.jsonl', 'hash-new', 10, 'jsonl', 'loaded', 3, 2, 0, 1, null, '2026-06-05 00:00:00'),
       ('l3', 'old.jsonl', 'hash-both', 10, 'jsonl', 'loaded', 3, 2, 0, 1, null, '2026-01-12 00:00:00'),
       ('l4', 'old.jsonl', 'hash-both', 10, 'jsonl', 'already_loaded', 3, 0, 2, 1, null, '2026-06-05 00:00:00')`,
  );
  await db.run(
    `insert into raw.quarantine (content_hash, source_file, source_line, reason, record_excerpt) values
       ('hash-old', 'old.jsonl', 3, 'bad sent_at', '{"text":"卡号6222021234567894"}'),
       ('hash-new', 'new.jsonl', 3, 'bad sent_at', '{"text":"recent"}'),
       ('hash-both', 'old.jsonl', 3, 'bad sent_at', '{"text":"reloaded recently"}')`,
  );
}

beforeEach(async () => {
  db = await openDatabase(':memory:');
  await seed();
});
afterEach(() => db.close());

const CUTOFF = new Date(Date.UTC(2026, 5, 1));

describe('purgeCutoff', () => {
  const now = new Date(Date.UTC(2026, 10, 21, 15, 30));
  it('reads --before as UTC midnight and rejects non-dates', () => {
    expect(purgeCutoff({ before: '2026-06-01', retentionDays: 180, now })).toEqual(CUTOFF);
    expect(() => purgeCutoff({ before: '2026-02-30', retentionDays: 180, now })).toThrow(ConfigError);
    expect(() => purgeCutoff({ before: '1 June', retentionDays: 180, now })).toThrow(/YYYY-MM-DD/);
  });
  it('counts days back from today (UTC) and defaults to privacy.retentionDays', () => {
    expect(purgeCutoff({ olderThanDays: 10, retentionDays: 180, now })).toEqual(new Date(Date.UTC(2026, 10, 11)));
    expect(purgeCutoff({ retentionDays: 173, now })).toEqual(new Date(Date.UTC(2026, 5, 1)));
    expect(() => purgeCutoff({ before: '2026-06-01', olderThanDays: 3, retentionDays: 180, now })).toThrow(/not both/);
    expect(() => purgeCutoff({ olderThanDays: 0, retentionDays: 180, now })).toThrow(ConfigError);
  });
});

describe('purge', () => {
  it('dry run counts rows with text to purge and changes nothing', async () => {
    const plan = await planPurge(db, CUTOFF);
    expect(plan.counts.map((c) => [c.table, c.rows])).toEqual([
      ['raw.messages', 3],
      ['raw.surveys', 1],
      ['raw.events', 1],
      ['raw.conversations', 0],
      ['scores.message_signals', 3],
      ['raw.quarantine', 1],
    ]);
    expect(await db.value('select count(*) from raw.messages where text is null')).toBe(0);
    expect(formatPurge(plan, true)).toContain('would purge raw text older than 2026-06-01 (UTC):\n  raw.messages (text, extra): 3 rows');
  });

  it('nulls old text and keeps keys, timestamps, roles, scores and newer text', async () => {
    const plan = await applyPurge(db, CUTOFF);
    expect(plan.counts.find((c) => c.table === 'raw.messages')?.rows).toBe(3);
    const messages = await db.all<{ message_key: string; text: string | null; extra: unknown; role: string }>(
      'select message_key, text, extra, role from raw.messages order by message_key',
    );
    expect(messages.map((m) => [m.message_key, m.text, m.extra === null, m.role])).toEqual([
      ['c1:1', null, true, 'customer'],
      ['c1:2', null, true, 'customer'],
      ['c2:1', null, true, 'customer'],
      ['c3:1', 'kept: exactly at the cutoff', false, 'customer'],
      ['c3:2', 'kept: newer', false, 'customer'],
    ]);
    expect(await db.all('select survey_key, csat, comment from raw.surveys order by survey_key')).toEqual([
      { survey_key: 's1', csat: 2, comment: null },
      { survey_key: 's3', csat: 5, comment: 'great' },
    ]);
    expect(await db.value("select reason from raw.events where event_key = 'e1'")).toBeNull();
    expect(
      await db.all('select message_key, signal, matched_text, span_start from scores.message_signals order by message_key'),
    ).toEqual([
      { message_key: 'c1:1', signal: 'anger', matched_text: null, span_start: 0 },
      { message_key: 'c1:2', signal: 'anger', matched_text: null, span_start: 0 },
      { message_key: 'c2:1', signal: 'anger', matched_text: null, span_start: 0 },
      { message_key: 'c3:1', signal: 'anger', matched_text: 'ke', span_start: 0 },
      { message_key: 'c3:2', signal: 'anger', matched_text: 'ke', span_start: 0 },
    ]);
    expect(await db.value('select count(*) from scores.message_sentiment')).toBe(5);
    expect(await db.all('select content_hash, record_excerpt from raw.quarantine order by content_hash')).toEqual([
      { content_hash: 'hash-both', record_excerpt: '{"text":"reloaded recently"}' },
      { content_hash: 'hash-new', record_excerpt: '{"text":"recent"}' },
      { content_hash: 'hash-old', record_excerpt: null },
    ]);
    // Nothing personal from the purged period is left anywhere in raw or scores.
    const leftovers = await db.value<number>(
      `select count(*) from (
         select text as t from raw.messages union all select comment from raw.surveys
         union all select record_excerpt from raw.quarantine union all select matched_text from scores.message_signals
       ) where t like '%13812345678%' or t like '%6222021234567894%'`,
    );
    expect(leftovers).toBe(0);
  });

  it('is repeatable: a second purge finds nothing left', async () => {
    await applyPurge(db, CUTOFF);
    const again = await applyPurge(db, CUTOFF);
    expect(again.counts.every((c) => c.rows === 0)).toBe(true);
  });

  it('makes a NOT NULL text column from an older database nullable before purging', async () => {
    await db.run('drop table raw.messages');
    await db.run(
      `create table raw.messages (message_key varchar not null, message_id varchar, conversation_id varchar not null,
         sent_at timestamp not null, role varchar not null, text varchar not null, customer_id varchar, agent_id varchar,
         agent_name varchar, vendor varchar, tier varchar, channel varchar, language varchar, extra json,
         record_hash varchar not null, source_file varchar not null, source_line bigint not null, source_path varchar)`,
    );
    await db.run(
      `insert into raw.messages (message_key, conversation_id, sent_at, role, text, record_hash, source_file, source_line)
       values ('k', 'c', '2020-01-01', 'customer', 'old', 'h', 'f', 1)`,
    );
    await applyPurge(db, CUTOFF);
    expect(await db.value("select text from raw.messages where message_key = 'k'")).toBeNull();
  });

  it('plans nothing, and creates nothing, on a database without csqa tables', async () => {
    const empty = await openDatabase(':memory:');
    try {
      const plan = await planPurge(empty, CUTOFF);
      expect(plan.counts.every((c) => c.rows === 0)).toBe(true);
      expect(await empty.value("select count(*) from information_schema.tables where table_schema = 'raw'")).toBe(0);
    } finally {
      empty.close();
    }
  });

  it('lists derived text columns that must be rebuilt after a purge', async () => {
    await db.run('create schema marts');
    await db.run('create table marts.canned_templates (template_id varchar, example_text varchar, count_messages integer)');
    const plan = await planPurge(db, CUTOFF);
    expect(plan.derivedTextColumns).toEqual(['marts.canned_templates.example_text', 'marts.canned_templates.template_id']);
    expect(formatPurge(plan, false)).toMatch(/run it after purging\): marts\.canned_templates\.example_text/);
  });
});
