import { describe, expect, it } from 'vitest';
import { pickQuotes, type ConversationMessage } from '../../src/coach/quotes.js';

let clock = Date.UTC(2026, 10, 1, 9, 0, 0);
function msg(role: string, text: string, agentId: string | null = null, signals: ConversationMessage['signals'] = []): ConversationMessage {
  clock += 60_000;
  return { messageKey: `k${clock}`, sentAt: new Date(clock), role, agentId, text, signals };
}

const hit = (signal: string, confidence = 0.9, matchedText: string | null = null) => ({ signal, confidence, matchedText });

const conversation: ConversationMessage[] = [
  msg('customer', '转人工', null, [hit('human_request')]),
  msg('bot', '我也可以解决您的问题'),
  msg('customer', '人工！！！', null, [hit('human_request')]),
  msg('agent', '您好，我是小王', 'w1'),
  msg('agent', '给您补偿5元券', 'w1', [hit('coupon_appeasement', 0.6, '5元券')]),
  msg('agent', '另一位同事的券', 'w2', [hit('coupon_appeasement', 0.99)]),
  msg('agent', '再送您10元无门槛券', 'w1', [hit('coupon_appeasement', 0.95, '10元无门槛券')]),
  msg('customer', '算了'),
];
const ctx = { conversationId: 'c1', agentId: 'w1' };

describe('quote picking', () => {
  it('quotes only the coached agent\u2019s messages that fired the signal, strongest first, in time order', () => {
    const quotes = pickQuotes('signal', conversation, { ...ctx, signal: 'coupon_appeasement', limit: 1 });
    expect(quotes.map((q) => q.text)).toEqual(['再送您10元无门槛券']);
    const both = pickQuotes('signal', conversation, { ...ctx, signal: 'coupon_appeasement' });
    expect(both.map((q) => [q.text, q.matched])).toEqual([
      ['给您补偿5元券', '5元券'],
      ['再送您10元无门槛券', '10元无门槛券'],
    ]);
  });

  it('shows the wait from the first request for a human to the first human reply', () => {
    const quotes = pickQuotes('human_request', conversation, ctx);
    expect(quotes.map((q) => [q.role, q.text])).toEqual([
      ['customer', '转人工'],
      ['agent', '您好，我是小王'],
    ]);
  });

  it('quotes the first customer message and the first human reply for response time', () => {
    expect(pickQuotes('first_reply', conversation, ctx).map((q) => q.text)).toEqual(['转人工', '您好，我是小王']);
  });

  it('quotes the last human reply before the customer\u2019s last words for endings', () => {
    expect(pickQuotes('closing', conversation, ctx).map((q) => q.text)).toEqual(['再送您10元无门槛券', '算了']);
  });

  it('prefers the survey comment for CSAT, marked as not a message', () => {
    const quotes = pickQuotes('survey', conversation, { ...ctx, surveyComment: '客服只会发券' });
    expect(quotes.map((q) => [q.source, q.text, q.at])).toEqual([
      ['survey', '客服只会发券', null],
      ['message', '算了', conversation.at(-1)!.sentAt.toISOString()],
    ]);
  });

  it('shows situation, the peer\u2019s reply and the ending for exemplars', () => {
    expect(pickQuotes('exemplar', conversation, { conversationId: 'c1', agentId: 'w2' }).map((q) => q.text)).toEqual([
      '转人工',
      '另一位同事的券',
      '算了',
    ]);
  });

  it('never quotes a message whose text was purged', () => {
    const purged = conversation.map((m) => (m.text === '转人工' || m.text === '再送您10元无门槛券' ? { ...m, text: null } : m));
    expect(pickQuotes('signal', purged, { ...ctx, signal: 'coupon_appeasement' }).map((q) => q.text)).toEqual(['给您补偿5元券']);
    expect(pickQuotes('first_reply', purged, ctx).map((q) => q.text)).toEqual(['您好，我是小王']);
    expect(pickQuotes('closing', purged, ctx).map((q) => q.text)).toEqual(['算了']);
    const all = conversation.map((m) => ({ ...m, text: null }));
    for (const kind of ['signal', 'first_reply', 'human_request', 'span', 'closing', 'arc', 'survey', 'exemplar'] as const) {
      expect(pickQuotes(kind, all, { ...ctx, signal: 'coupon_appeasement' }), kind).toEqual([]);
    }
  });
});
