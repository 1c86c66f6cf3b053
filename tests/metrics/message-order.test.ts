/**
 * The message layer reads order from one key per message (send time, then source line, then a hash of the
 * message key) instead of sorting, signals by the side they belong to, and one sentiment per message.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { buildScenario, conversationRow } from './harness.js';

let db: Db | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
});

const AS_OF = { asOf: '2026-03-20T00:00:00Z' };

describe('message order, signal sides and sentiment versions', () => {
  it('orders messages sent at the same instant by their line in the file', async () => {
    // Same second; the fixture numbers lines in the order given. In 'a' the customer wrote first, so the
    // bot's reply is the first response; in 'b' the bot's line comes first, so it greeted before the customer
    // wrote and the agent's later reply is the first response.
    ({ db } = await buildScenario(
      {
        messages: [
          { conversation: 'a', at: '2026-03-01 10:00:00', role: 'customer', customer: 'u1', sentiment: -0.6 },
          { conversation: 'a', at: '2026-03-01 10:00:00', role: 'bot', vendor: 'in-house' },
          { conversation: 'a', at: '2026-03-01 10:00:00', role: 'customer', customer: 'u1', sentiment: 0.4 },
          { conversation: 'b', at: '2026-03-01 11:00:00', role: 'bot', vendor: 'in-house' },
          { conversation: 'b', at: '2026-03-01 11:00:00', role: 'customer', customer: 'u2' },
          { conversation: 'b', at: '2026-03-01 11:00:30', role: 'agent', agent: 'A1', vendor: 'V', tier: 'L1' },
          // Lines 7 and 8: the hash of 'c:8' sorts before that of 'c:7', so only the line puts the customer first.
          { conversation: 'c', at: '2026-03-01 12:00:00', role: 'customer', customer: 'u3' },
          { conversation: 'c', at: '2026-03-01 12:00:00', role: 'bot', vendor: 'in-house' },
        ],
      },
      AS_OF,
    ));
    expect(await conversationRow(db, 'a')).toMatchObject({
      first_response_seconds: 0, sentiment_opening: -0.6, sentiment_closing: 0.4,
    });
    expect(await conversationRow(db, 'b')).toMatchObject({ first_response_seconds: 30 });
    expect(await conversationRow(db, 'c')).toMatchObject({ first_response_seconds: 0 });
  });

  it('counts deflections only on bot and agent messages and customer signals only on customer messages', async () => {
    ({ db } = await buildScenario(
      {
        messages: [
          { conversation: 's', at: '2026-03-01 10:00:00', role: 'customer', customer: 'u1', signals: ['coupon_appeasement', 'anger'] },
          { conversation: 's', at: '2026-03-01 10:00:10', role: 'agent', agent: 'A1', vendor: 'V', tier: 'L1', signals: ['human_request', 'agents_busy'] },
        ],
      },
      AS_OF,
    ));
    expect(await conversationRow(db, 's')).toMatchObject({
      count_coupon_appeasement: 0, count_agents_busy: 1, count_anger: 1, count_human_requests: 0,
    });
  });

  it('reads the highest version when a scorer scored a message twice, and each message once', async () => {
    ({ db } = await buildScenario(
      {
        messages: [
          { conversation: 'v', at: '2026-03-01 10:00:00', role: 'customer', customer: 'u1', sentiment: -0.8 },
          { conversation: 'v', at: '2026-03-01 10:00:10', role: 'bot', vendor: 'in-house' },
          { conversation: 'v', at: '2026-03-01 10:00:20', role: 'customer', customer: 'u1', sentiment: -0.2 },
        ],
      },
      AS_OF,
    ));
    await db.run(`insert into scores.message_sentiment
      select message_key, conversation_id, scorer, '2', score + 1.0, 'positive'
      from scores.message_sentiment where message_key = 'v:1'`);
    const { buildMetrics } = await import('../../src/metrics/build.js');
    const { testConfig } = await import('./harness.js');
    await buildMetrics(db, testConfig(), AS_OF);
    expect(await conversationRow(db, 'v')).toMatchObject({
      sentiment_opening: expect.closeTo(0.2, 9), sentiment_closing: -0.2, sentiment_lowest: -0.2, count_customer_messages: 2,
    });
  });
});
