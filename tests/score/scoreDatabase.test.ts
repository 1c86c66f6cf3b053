import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/db/database.js';
import { ensureRawSchema } from '../../src/db/schema.js';
import { scoreDatabase, TEXT_KEY_SQL } from '../../src/score/scoreDatabase.js';
import type { SentimentScorer } from '../../src/score/types.js';
import { applyPurge } from '../../src/privacy/purge.js';
import { compileAnalyzer } from '../../src/score/analyzer.js';
import { loadCatalog } from '../../src/score/catalog.js';
import { lexiconScorer } from '../../src/score/scorers.js';
import { insertMessages, scoreOptions } from './helpers.js';

let db: Db;
beforeEach(async () => {
  db = await openDatabase(':memory:');
});
afterEach(() => db.close());

const signalsByText = (signal: string) =>
  db.all<{ text: string; rule_id: string }>(
    `select m.text, s.rule_id from scores.message_signals s join raw.messages m using (message_key)
     where s.signal = $1 order by m.sent_at`,
    [signal],
  );

/**
 * The scores after a recovering run, asserted equal to an uninterrupted run over the same messages (scores
 * wiped, scored again in one go); returns [sentiment, signals, scored conversations].
 */
async function expectSameAsUninterrupted(): Promise<unknown[][]> {
  const state = () => Promise.all([
    db.all('select message_key, score, label from scores.message_sentiment order by all'),
    db.all('select message_key, signal, rule_id from scores.message_signals order by all'),
    db.all('select conversation_id, message_count from scores.scored_conversations order by all'),
  ]);
  const recovered = await state();
  for (const table of ['message_sentiment', 'message_signals', 'scored_conversations', 'responder_templates']) {
    await db.run(`delete from scores.${table}`);
  }
  await scoreDatabase(db, scoreOptions());
  expect(recovered).toEqual(await state());
  return recovered;
}

describe('scoreDatabase', () => {
  it('flags bot replies after a human request until a hand-over, and not before the request', async () => {
    await insertMessages(db, [
      { conversation: 'c1', role: 'bot', text: '请问您遇到了什么问题' },
      { conversation: 'c1', role: 'customer', text: '转人工' },
      { conversation: 'c1', role: 'bot', text: '我也可以解决您的问题哦' },
      { conversation: 'c1', role: 'bot', text: '请问还有什么可以帮您' },
      { conversation: 'c1', role: 'bot', text: '正在为您转接人工客服' },
      { conversation: 'c1', role: 'bot', text: '请问您遇到了什么问题' },
    ]);
    await scoreDatabase(db, scoreOptions());
    expect(await signalsByText('bot_transfer_block')).toEqual([
      { text: '我也可以解决您的问题哦', rule_id: 'zh.bot_block.phrase' },
      { text: '请问还有什么可以帮您', rule_id: 'context.bot_no_handover' },
    ]);
  });

  it('counts a transferred event as a hand-over', async () => {
    await insertMessages(db, [
      { conversation: 'c1', role: 'customer', text: 'human please' },
      { conversation: 'c1', role: 'bot', text: 'one moment' },
    ]);
    await db.run(`insert into raw.events (event_key, conversation_id, occurred_at, event, record_hash, source_file, source_line)
      values ('e1', 'c1', timestamp '2026-01-05 09:01:30', 'transferred', 'h', 'test', 1)`);
    await scoreDatabase(db, scoreOptions());
    expect(await signalsByText('bot_transfer_block')).toEqual([]);
  });

  it('fires apology_loop on the Nth apology without an action, and an action resets the count', async () => {
    await insertMessages(db, [
      { conversation: 'c1', role: 'agent', text: '非常抱歉' },
      { conversation: 'c1', role: 'agent', text: 'sorry for the wait' },
      { conversation: 'c1', role: 'agent', text: '已为您退款，再次抱歉' },
      { conversation: 'c1', role: 'agent', text: '不好意思' },
      { conversation: 'c1', role: 'agent', text: '对不起' },
      { conversation: 'c2', role: 'agent', text: '抱歉' },
      { conversation: 'c2', role: 'agent', text: '抱歉抱歉' },
      { conversation: 'c2', role: 'agent', text: '真的很抱歉' },
    ]);
    await scoreDatabase(db, scoreOptions());
    expect((await signalsByText('apology_loop')).map((r) => r.text)).toEqual(['对不起', '真的很抱歉']);
  });

  it('clusters canned replies within and across conversations with stable template ids', async () => {
    const paste = (n: number) => `亲，您的订单${n}已经发货，物流单号SF${n}00123，请耐心等待哦`;
    const conversations = ['a', 'b', 'c'].map((c, i) => [
      { conversation: c, role: 'customer', text: '发货了吗' },
      { conversation: c, role: 'agent', text: paste(1000 + i), agent: 'agent-7' },
    ]);
    await insertMessages(db, [
      ...conversations.flat(),
      { conversation: 'a', role: 'agent', text: paste(1999), agent: 'agent-7' },
      { conversation: 'd', role: 'agent', text: '好的，马上为您处理', agent: 'agent-8' },
    ]);
    await scoreDatabase(db, scoreOptions({ cannedMinConversations: 3 }));
    const templates = await db.all<{ template_id: string; n: number }>(
      'select template_id, count(*)::int as n from scores.message_templates group by 1',
    );
    expect(templates).toHaveLength(1);
    expect(templates[0]!.n).toBe(4);
    const rules = await db.all<{ rule_id: string; n: number }>(
      `select rule_id, count(*)::int as n from scores.message_signals where signal = 'canned_repetition' group by 1 order by 1`,
    );
    expect(rules).toEqual([
      { rule_id: 'context.canned_across', n: 3 },
      { rule_id: 'context.canned_within', n: 1 },
    ]);

    // A later run with new conversations keeps the id of the known template.
    await insertMessages(db, [{ conversation: 'e', role: 'agent', text: paste(5555), agent: 'agent-9' }], 100);
    await scoreDatabase(db, scoreOptions({ cannedMinConversations: 3 }));
    const ids = await db.all<{ template_id: string }>('select distinct template_id from scores.message_templates');
    expect(ids).toEqual([{ template_id: templates[0]!.template_id }]);
  });

  it('updates canned templates run by run to what one run over every conversation gives', async () => {
    const paste = (n: number) => `亲，您的订单${n}已经发货，物流单号SF${n}00123，请耐心等待哦`;
    const refund = (n: number) => `您好，退款已经提交，预计${n}个工作日到账，请留意`;
    const reply = (conversation: string, text: string) => [
      { conversation, role: 'customer', text: '怎么还没好' },
      { conversation, role: 'agent', text, agent: 'agent-1' },
    ];
    // Night 1: the refund reply is in three conversations (canned), the paste in two (not yet).
    const night1 = [...reply('a', paste(1)), ...reply('b', paste(2)), ...reply('x', refund(3)), ...reply('y', refund(5)), ...reply('z', refund(7))];
    // Night 2: a third conversation makes the paste canned, so a and b's rows change although they are not re-scored.
    const night2 = reply('c', paste(3));
    // Night 3, with a threshold of 4: a fourth refund conversation keeps it canned; the paste (three) stops being canned.
    const night3 = reply('w', refund(9));
    const canned = async (target: Db) => ({
      templates: await target.all('select message_key from scores.message_templates order by all'),
      signals: await target.all(`select message_key, rule_id from scores.message_signals where signal = 'canned_repetition' order by all`),
      recorded: Number(await target.value('select count(*) from scores.canned_template_ids')),
    });
    const inOneRun = async (messages: Parameters<typeof insertMessages>[1][], minConversations: number) => {
      const fresh = await openDatabase(':memory:');
      try {
        for (const [i, batch] of messages.entries()) await insertMessages(fresh, batch, i * 100);
        await scoreDatabase(fresh, scoreOptions({ cannedMinConversations: minConversations }));
        return await canned(fresh);
      } finally {
        fresh.close();
      }
    };

    await insertMessages(db, night1, 0);
    await scoreDatabase(db, scoreOptions({ cannedMinConversations: 3 }));
    const first = await canned(db);
    expect(first.templates).toHaveLength(3);
    expect(first).toEqual(await inOneRun([night1], 3));

    await insertMessages(db, night2, 100);
    // A run that dies after updating the canned rows but before recording its work (the clock is read between the
    // two): the next run must end exactly as if it had not happened.
    const dying = scoreOptions({ cannedMinConversations: 3, now: () => { throw new Error('killed'); } });
    await expect(scoreDatabase(db, dying)).rejects.toThrow('killed');
    expect(await db.value('select count(*)::int from scores.scored_conversations')).toBe(5);
    expect(await scoreDatabase(db, scoreOptions({ cannedMinConversations: 3 }))).toMatchObject({ conversations: 1 });
    const second = await canned(db);
    expect(second.templates).toHaveLength(6);
    expect(second.recorded).toBe(2);
    expect(second).toEqual(await inOneRun([night1, night2], 3));

    await insertMessages(db, night3, 200);
    await scoreDatabase(db, scoreOptions({ cannedMinConversations: 4 }));
    const third = await canned(db);
    expect(third.templates).toHaveLength(4);
    expect(third).toEqual(await inOneRun([night1, night2, night3], 4));
  });

  it('gives a database scored before the canned set was recorded the set its message_templates hold', async () => {
    const paste = (n: number) => `亲，您的订单${n}已经发货，物流单号SF${n}00123，请耐心等待哦`;
    await insertMessages(db, ['a', 'b', 'c'].map((conversation, i) => ({ conversation, role: 'agent', text: paste(i) })));
    await scoreDatabase(db, scoreOptions());
    const recorded = await db.all('select template_id from scores.canned_template_ids');
    expect(recorded).toHaveLength(1);
    await db.run('drop table scores.canned_template_ids');
    await ensureRawSchema(db);
    expect(await db.all('select template_id from scores.canned_template_ids')).toEqual(recorded);
  });

  it('gives the same template ids when the same data is scored into a fresh database', async () => {
    const replies = [
      '亲，您的订单已经发货，请耐心等待哦',
      '亲，您的订单已经发货了，请耐心等待哦',
      '您好，请问有什么可以帮您',
      '您好，请问还有什么可以帮您',
      'Please allow 3-5 business days for delivery',
    ];
    const messages = replies.flatMap((text, i) =>
      ['a', 'b', 'c'].map((c) => ({ conversation: `${c}${i}`, role: 'agent', text })),
    );
    const ids = async () => {
      const fresh = await openDatabase(':memory:');
      try {
        await insertMessages(fresh, messages);
        await scoreDatabase(fresh, scoreOptions({ cannedMinConversations: 2 }));
        return await fresh.all('select m.text, t.template_id from scores.message_templates t join raw.messages m using (message_key) order by m.message_key');
      } finally {
        fresh.close();
      }
    };
    const first = (await ids()) as Array<{ text: string; template_id: string }>;
    expect(first).toHaveLength(15);
    const idOf = (text: string) => first.find((r) => r.text === text)!.template_id;
    expect(idOf(replies[0]!)).toBe(idOf(replies[1]!));
    expect(idOf(replies[0]!)).not.toBe(idOf(replies[4]!));
    expect(await ids()).toEqual(first);
  });

  it('is incremental: a re-run scores nothing, a grown conversation is re-scored without duplicates', async () => {
    await insertMessages(db, [
      { conversation: 'c1', role: 'customer', text: '气死了，转人工' },
      { conversation: 'c2', role: 'customer', text: '好的谢谢' },
    ]);
    const first = await scoreDatabase(db, scoreOptions());
    expect(first).toMatchObject({ conversations: 2, messages: 2 });
    expect(await scoreDatabase(db, scoreOptions())).toMatchObject({ conversations: 0, messages: 0 });

    await insertMessages(db, [{ conversation: 'c1', role: 'customer', text: '人工！！！' }], 50);
    const third = await scoreDatabase(db, scoreOptions());
    expect(third).toMatchObject({ conversations: 1, messages: 2, signals: 4 });
    expect(await db.value('select count(*)::int from scores.message_sentiment')).toBe(3);
    expect(
      await db.all(`select message_key, signal, count(*)::int as n from scores.message_signals group by all having n > 1`),
    ).toEqual([]);
  });

  it('never records a half-scored conversation as scored, and the next run completes it as if nothing failed', async () => {
    await insertMessages(db, [{ conversation: 'c1', role: 'customer', text: '谢谢' }]);
    await scoreDatabase(db, scoreOptions());
    await insertMessages(db, [{ conversation: 'c1', role: 'customer', text: '还是没收到' }], 10);
    const failing: SentimentScorer = {
      name: 'lexicon',
      version: scoreOptions().sentiment.version,
      async scoreTexts() {
        throw new Error('model crashed');
      },
    };
    await expect(scoreDatabase(db, scoreOptions({ sentiment: failing }))).rejects.toThrow('model crashed');
    expect(await db.value(`select count(*)::int from scores.scored_conversations where message_count = 2`)).toBe(0);

    await scoreDatabase(db, scoreOptions());
    const recovered = await expectSameAsUninterrupted();
    expect(recovered[0]).toHaveLength(2);
  });

  it('fails cleanly when a later batch fails while an earlier one is being written, and the rerun completes it', async () => {
    const conversations = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];
    await insertMessages(db, conversations.flatMap((c) => [
      { conversation: c, role: 'customer', text: `${c} 转人工` },
      { conversation: c, role: 'agent', text: `${c} 您好，给您申请一张5元优惠券`, agent: 'a1' },
    ]));
    let calls = 0;
    const lexicon = scoreOptions().sentiment;
    const failingLater: SentimentScorer = {
      name: lexicon.name,
      version: lexicon.version,
      async scoreTexts(texts) {
        calls += 1;
        if (calls === 3) throw new Error('model crashed on batch 3');
        return lexicon.scoreTexts(texts);
      },
    };
    await expect(scoreDatabase(db, scoreOptions({ sentiment: failingLater, batchMessages: 2 }))).rejects.toThrow('batch 3');
    expect(await db.value('select count(*)::int from scores.scored_conversations')).toBe(0);
    // The run's work database is gone with it.
    expect(await db.value("select count(*)::int from duckdb_databases() where database_name = 'csqa_score_work'")).toBe(0);

    await scoreDatabase(db, scoreOptions({ batchMessages: 2 }));
    const recovered = await expectSameAsUninterrupted();
    expect(recovered[2]).toHaveLength(6);
  });

  it('gives the same scores whether the conversations are scored in one batch or in many', async () => {
    const conversations = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'];
    await insertMessages(db, conversations.flatMap((c, i) => [
      { conversation: c, role: 'customer', text: i % 2 ? '转人工' : '太慢了，投诉' },
      { conversation: c, role: 'bot', text: '请问您遇到了什么问题' },
      { conversation: c, role: 'agent', text: '您好，给您申请一张5元优惠券', agent: 'a1' },
      { conversation: c, role: 'agent', text: '您好，给您申请一张5元优惠券', agent: 'a1' },
    ]));
    const state = () => Promise.all([
      db.all('select message_key, score, label from scores.message_sentiment order by all'),
      db.all('select message_key, signal, rule_id, span_start from scores.message_signals order by all'),
      db.all('select message_key, template_id from scores.message_templates order by all'),
      db.all('select conversation_id, message_count from scores.scored_conversations order by all'),
    ]);
    const many = await scoreDatabase(db, scoreOptions({ batchMessages: 5 }));
    const inBatches = await state();
    await db.run('delete from scores.message_sentiment; delete from scores.message_signals; delete from scores.message_templates; delete from scores.responder_templates; delete from scores.scored_conversations; delete from scores.template_catalog');
    await scoreDatabase(db, scoreOptions());
    expect(inBatches).toEqual(await state());
    expect(many.conversations).toBe(7);
    expect(inBatches[1].length).toBeGreaterThan(7);
    expect(inBatches[2].length).toBeGreaterThan(0);
  });

  it('shifts sentiment by the signals of the speaker role only', async () => {
    await insertMessages(db, [
      { conversation: 'c1', role: 'customer', text: '人工客服' },
      { conversation: 'c1', role: 'bot', text: '人工客服' },
    ]);
    await scoreDatabase(db, { ...scoreOptions(), sentimentRoles: ['customer', 'bot'] });
    const labels = await db.all<{ role: string; label: string }>(
      `select m.role, s.label from scores.message_sentiment s join raw.messages m using (message_key) order by m.sent_at`,
    );
    expect(labels).toEqual([
      { role: 'customer', label: 'negative' },
      { role: 'bot', label: 'neutral' },
    ]);
  });

  it('keeps every speaker role of a text apart, even with more roles than a 32-bit mask holds', async () => {
    // csqa signals takes any role its input names; each role of a text must get its own sentiment row.
    const roles = Array.from({ length: 40 }, (_, i) => `r${String(i).padStart(2, '0')}`);
    await insertMessages(db, roles.map((role) => ({ conversation: 'c1', role, text: '太慢了，投诉' })));
    await scoreDatabase(db, scoreOptions({ sentimentRoles: roles }));
    const scored = await db.all<{ role: string }>(
      'select m.role from scores.message_sentiment s join raw.messages m using (message_key) order by m.role',
    );
    expect(scored.map((r) => r.role)).toEqual(roles);
  });

  it('refuses, naming the table, a batch with more speaker roles than its role mask holds', async () => {
    const roles = Array.from({ length: 54 }, (_, i) => `r${String(i).padStart(2, '0')}`);
    await insertMessages(db, roles.map((role) => ({ conversation: 'c1', role, text: '太慢了' })));
    await expect(scoreDatabase(db, scoreOptions({ sentimentRoles: roles }))).rejects.toThrow(
      /raw\.messages: more than 53 distinct speaker roles in one scoring batch \(r00, r01/,
    );
    expect(await db.value('select count(*)::int from scores.scored_conversations')).toBe(0);
  });

  it('stores sentiment for customer messages only unless asked for more roles', async () => {
    await insertMessages(db, [
      { conversation: 'c1', role: 'customer', text: '太慢了' },
      { conversation: 'c1', role: 'agent', text: '太慢了' },
      { conversation: 'c1', role: 'bot', text: '您好' },
    ]);
    await scoreDatabase(db, scoreOptions());
    expect(await db.all(`select m.role from scores.message_sentiment s join raw.messages m using (message_key)`)).toEqual([
      { role: 'customer' },
    ]);
  });

  it('scores every role, stores scorer name and version, and respects role scopes', async () => {
    await insertMessages(db, [
      { conversation: 'c1', role: 'customer', text: '给您申请一张5元优惠券' },
      { conversation: 'c1', role: 'agent', text: '给您申请一张5元优惠券' },
    ]);
    await scoreDatabase(db, scoreOptions());
    const rows = await db.all<{ role: string; scorer: string }>(
      `select m.role, s.scorer from scores.message_signals s join raw.messages m using (message_key)
       where s.signal = 'coupon_appeasement'`,
    );
    expect(rows).toEqual([{ role: 'agent', scorer: 'rules' }]);
    expect(await db.value(`select count(distinct scorer_version) from scores.message_sentiment where scorer = 'lexicon'`)).toBe(1);
  });

  it('keeps the scores of conversations whose text was purged when the rules change, and scores the rest', async () => {
    // c1 on 2026-01-05, c2 ten days later; the purge removes text before 2026-01-10.
    await insertMessages(db, [
      { conversation: 'c1', role: 'customer', text: '转人工，气死了' },
      { conversation: 'c1', role: 'agent', text: '非常抱歉给您带来不便' },
    ]);
    await insertMessages(db, [
      { conversation: 'c2', role: 'customer', text: '转人工' },
      { conversation: 'c2', role: 'agent', text: '好的' },
    ], 60 * 24 * 10);
    await scoreDatabase(db, scoreOptions());
    const scoresOf = (conversation: string) => Promise.all([
      db.all('select message_key, score, label from scores.message_sentiment where conversation_id = $1 order by all', [conversation]),
      db.all('select message_key, signal, rule_id, matched_text from scores.message_signals where conversation_id = $1 order by all', [conversation]),
    ]);
    const c1Before = await scoresOf('c1');
    expect(c1Before[1].length).toBeGreaterThan(0);
    await applyPurge(db, new Date(Date.UTC(2026, 0, 10)));
    // A never-scored conversation whose text is partly purged: scored from what is left.
    await insertMessages(db, [
      { conversation: 'c3', role: 'customer', text: '我要投诉' },
      { conversation: 'c3', role: 'customer', text: 'human please' },
    ], 60 * 24 * 10);
    await db.run(`update raw.messages set text = null where conversation_id = 'c3' and text = '我要投诉'`);

    // One more rule: every conversation is due again.
    const catalog = loadCatalog();
    const extended = compileAnalyzer({ ...catalog, rules: [...catalog.rules], version: `${catalog.version}+extra` });
    const summary = await scoreDatabase(db, scoreOptions({ analyzer: extended, sentiment: lexiconScorer(extended) }));
    expect(summary.keptPurged).toBe(1);
    expect(summary.conversations).toBe(2);
    // Kept as they were: purge already blanked the matched text, nothing else changed.
    const c1After = await scoresOf('c1');
    expect(c1After[0]).toEqual(c1Before[0]);
    expect(c1After[1]).toEqual((c1Before[1] as Array<Record<string, unknown>>).map((row) => ({ ...row, matched_text: null })));
    expect(await db.all(`select signal from scores.message_signals where conversation_id = 'c3' order by all`)).toEqual([
      { signal: 'human_request' },
    ]);
    expect(await db.value(`select rules_version from scores.scored_conversations where conversation_id = 'c2'`)).toBe(`${catalog.version}+extra`);
    // Nothing is due now but the kept conversation, which stays as it is.
    const again = await scoreDatabase(db, scoreOptions({ analyzer: extended, sentiment: lexiconScorer(extended) }));
    expect(again).toMatchObject({ conversations: 0, keptPurged: 1 });
  });

  it('keys apart the texts on which DuckDB\'s hash() collides', async () => {
    const pairs = [['付了10元~😭', '付了15元~😊'], ['等了12天了，your phone line is always busy~', '等了11天了，your phone line is always busy!']];
    for (const [a, b] of pairs) {
      const rows = await db.all<{ plain: boolean; key: boolean }>(
        `select max(hash(text)) = min(hash(text)) as plain, max(k) = min(k) as key
         from (select m.text, ${TEXT_KEY_SQL} as k from (values ($1), ($2)) as m(text))`,
        [a!, b!],
      );
      expect(rows).toEqual([{ plain: true, key: false }]);
    }
  });

  it('stores the same rows when two texts share a text key (the exact-id fallback)', async () => {
    const messages = [
      { conversation: 'c1', role: 'customer', text: '转人工' },
      { conversation: 'c1', role: 'bot', text: '我也可以解决您的问题哦' },
      { conversation: 'c1', role: 'agent', text: '非常抱歉' },
      { conversation: 'c2', role: 'customer', text: '太差了，我要投诉' },
      { conversation: 'c2', role: 'agent', text: '抱歉抱歉' },
      { conversation: 'c2', role: 'agent', text: '已为您退款' },
    ];
    const snapshot = async (target: Db) => ({
      sentiment: await target.all('select message_key, score, label from scores.message_sentiment order by all'),
      signals: await target.all('select message_key, signal, rule_id, span_start, matched_text from scores.message_signals order by all'),
      templates: await target.all('select message_key, template_id from scores.responder_templates order by all'),
    });
    await insertMessages(db, messages);
    await scoreDatabase(db, scoreOptions());
    const expected = await snapshot(db);
    expect(expected.signals.length).toBeGreaterThan(2);

    const colliding = await openDatabase(':memory:');
    try {
      await insertMessages(colliding, messages);
      // Every text of the same length gets the same key.
      await scoreDatabase(colliding, scoreOptions({ textKeySql: 'length(m.text)::ubigint' }));
      expect(await snapshot(colliding)).toEqual(expected);
    } finally {
      colliding.close();
    }
  });
});

describe('the score work database', () => {
  it('refuses a database file whose name would clash with it, and leaves the file untouched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csqa-work-'));
    const clashing = await openDatabase(join(dir, 'csqa_score_work.duckdb'));
    try {
      await insertMessages(clashing, [{ conversation: 'c1', role: 'customer', text: '转人工' }]);
      await expect(scoreDatabase(clashing, scoreOptions())).rejects.toThrow(/may not be named csqa_score_work/);
      expect(await clashing.value('select count(*)::int from raw.messages')).toBe(1);
    } finally {
      clashing.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
