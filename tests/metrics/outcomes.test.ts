/**
 * Hand-computed outcomes that span contacts: callback promises, reopens, intent-aware repeats and the choice
 * of sentiment scorer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { buildScenario, conversationRow, rows } from './harness.js';

let db: Db | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
});

const promise = (conversation: string, customer: string, at: string) => [
  { conversation, at: at.replace(/\d\d:\d\d:\d\d$/, '09:59:00'), role: 'customer' as const, customer },
  { conversation, at, role: 'agent' as const, agent: 'a9', vendor: 'v1', tier: 'L1', signals: ['callback_promise'] },
];

describe('outcomes across contacts', () => {
  it('callback promises are kept by a callback or a later reply within 48 h, broken after, open before', async () => {
    ({ db } = await buildScenario(
      {
        messages: [
          ...promise('p1', 'u20', '2026-03-01 10:00:00'),
          ...promise('p2', 'u21', '2026-03-01 10:00:00'),
          ...promise('p3', 'u22', '2026-03-01 10:00:00'),
          { conversation: 'p4', at: '2026-03-03 09:00:00', role: 'bot' },
          { conversation: 'p4', at: '2026-03-03 09:01:00', role: 'customer', customer: 'u22' },
          ...promise('p5', 'u23', '2026-03-09 12:00:00'),
          ...promise('p6', 'u24', '2026-03-01 10:00:00'),
          { conversation: 'p7', at: '2026-03-03 10:00:01', role: 'bot' },
          { conversation: 'p7', at: '2026-03-03 10:01:00', role: 'customer', customer: 'u24' },
        ],
        events: [{ conversation: 'p1', at: '2026-03-02 09:00:00', event: 'callback_made' }],
      },
      { asOf: '2026-03-10T00:00:00Z' },
    ));
    // p1: callback after 23 h -> kept. p2: nothing -> broken. p3: reply in a later contact after 47 h -> kept.
    // p5: window ends 2026-03-11 12:00, after the as-of -> unknown. p6: later reply 48 h + 1 s after -> broken.
    expect(
      await rows(db, `select conversation_id, count_callback_promises, count_promises_kept, count_promises_broken
                       from marts.conversations where conversation_id in ('p1','p2','p3','p5','p6') order by 1`),
    ).toEqual([
      { conversation_id: 'p1', count_callback_promises: 1, count_promises_kept: 1, count_promises_broken: 0 },
      { conversation_id: 'p2', count_callback_promises: 1, count_promises_kept: 0, count_promises_broken: 1 },
      { conversation_id: 'p3', count_callback_promises: 1, count_promises_kept: 1, count_promises_broken: 0 },
      { conversation_id: 'p5', count_callback_promises: 1, count_promises_kept: 0, count_promises_broken: 0 },
      { conversation_id: 'p6', count_callback_promises: 1, count_promises_kept: 0, count_promises_broken: 1 },
    ]);
    const [league] = await rows(db, `select value, n from marts.vendor_league where kpi = 'promise_kept' and vendor = 'v1'`);
    expect(league).toEqual({ value: 0.5, n: 4 });
  });

  it('a reopen (event, or the same order within 24 h) breaks FCR; a repeat on another known intent does not', async () => {
    const contact = (conversation: string, customer: string, at: string) => [
      { conversation, at, role: 'customer' as const, customer },
      { conversation, at: at.replace(/:00$/, ':10'), role: 'bot' as const },
    ];
    ({ db } = await buildScenario(
      {
        messages: [
          ...contact('o1', 'u30', '2026-03-01 10:00:00'), ...contact('o2', 'u31', '2026-03-01 20:00:00'),
          ...contact('o3', 'u32', '2026-03-01 10:00:00'),
          ...contact('i1', 'u33', '2026-03-01 10:00:00'), ...contact('i2', 'u33', '2026-03-01 12:00:00'),
          ...contact('i3', 'u34', '2026-03-01 10:00:00'), ...contact('i4', 'u34', '2026-03-01 12:00:00'),
        ],
        events: [{ conversation: 'o3', at: '2026-03-01 11:00:00', event: 'reopened' }],
        conversations: [
          { conversation: 'o1', order: 'O1' }, { conversation: 'o2', order: 'O1' },
          { conversation: 'i1', intent: 'refund' }, { conversation: 'i2', intent: 'delivery' },
          { conversation: 'i3', intent: 'refund' },
        ],
      },
      { asOf: '2026-03-20T00:00:00Z' },
    ));
    expect(
      await rows(db, `select conversation_id, is_reopened, is_fcr_24h, is_bot_contained from marts.conversations
                       where conversation_id in ('o1', 'o3', 'i1', 'i3') order by 1`),
    ).toEqual([
      { conversation_id: 'i1', is_reopened: false, is_fcr_24h: true, is_bot_contained: true },
      { conversation_id: 'i3', is_reopened: false, is_fcr_24h: false, is_bot_contained: false },
      { conversation_id: 'o1', is_reopened: true, is_fcr_24h: false, is_bot_contained: true },
      { conversation_id: 'o3', is_reopened: true, is_fcr_24h: false, is_bot_contained: true },
    ]);
  });

  /** One customer message the lexicon scored -0.5, and the bot's reply. */
  const ONE_SCORED_MESSAGE = {
    messages: [
      { conversation: 's1', at: '2026-03-01 10:00:00', role: 'customer' as const, customer: 'u40', sentiment: -0.5 },
      { conversation: 's1', at: '2026-03-01 10:00:10', role: 'bot' as const },
    ],
  };

  it('reads sentiment from the scorer named in score.sentimentScorer', async () => {
    ({ db } = await buildScenario(ONE_SCORED_MESSAGE, { asOf: '2026-03-10T00:00:00Z' }));
    await db.run(
      `insert into scores.message_sentiment
       select message_key, conversation_id, 'model', '2', 0.7, 'positive' from scores.message_sentiment`,
    );
    const { buildMetrics } = await import('../../src/metrics/build.js');
    const { testConfig } = await import('./harness.js');
    await buildMetrics(db, testConfig({ 'score.sentimentScorer': 'model' }), { asOf: '2026-03-10T00:00:00Z' });
    expect(await conversationRow(db, 's1')).toMatchObject({ sentiment_opening: 0.7, is_ending_negative: false });
    await buildMetrics(db, testConfig(), { asOf: '2026-03-10T00:00:00Z' });
    expect(await conversationRow(db, 's1')).toMatchObject({ sentiment_opening: -0.5, is_ending_negative: true });
  });

  it('reads the model\'s sentiment when a model scores and no scorer is named, and warns when the named one stored none', async () => {
    ({ db } = await buildScenario(ONE_SCORED_MESSAGE, { asOf: '2026-03-10T00:00:00Z' }));
    // Only a model scored (csqa score --sentiment-model /models/zh-sentiment).
    await db.run(`update scores.message_sentiment set scorer = 'model:zh-sentiment', score = 0.7, label = 'positive'`);
    const { buildMetrics } = await import('../../src/metrics/build.js');
    const { testConfig } = await import('./harness.js');
    const warnings: string[] = [];
    const onWarning = (code: string, message: string) => warnings.push(`${code}: ${message}`);
    await buildMetrics(db, testConfig({ 'score.sentimentModel': '/models/zh-sentiment/' }), { asOf: '2026-03-10T00:00:00Z', onWarning });
    expect(await conversationRow(db, 's1')).toMatchObject({ sentiment_opening: 0.7 });
    expect(warnings).toEqual([]);
    // Naming the lexicon while only the model scored: empty sentiment, and the build says why.
    await buildMetrics(db, testConfig({ 'score.sentimentScorer': 'lexicon' }), { asOf: '2026-03-10T00:00:00Z', onWarning });
    expect(await conversationRow(db, 's1')).toMatchObject({ sentiment_opening: null });
    expect(warnings).toEqual([
      'sentiment_scorer_missing: metrics: no sentiment from scorer "lexicon", so every sentiment KPI is empty; ' +
        'scores.message_sentiment holds model:zh-sentiment (1 message). Set score.sentimentScorer to one of them, ' +
        'or leave it empty to read the scorer csqa score uses.',
    ]);
  });
});
