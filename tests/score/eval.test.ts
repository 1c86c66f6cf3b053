import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluate, formatEvaluation } from '../../src/score/evaluate.js';
import { parseMessageLines } from '../../src/score/messageInput.js';
import { scoreMessages } from '../../src/score/quickCheck.js';
import { ALL_SIGNALS } from '../../src/score/types.js';
import { InputError } from '../../src/errors.js';
import { scoreOptions } from './helpers.js';

const LABELLED = 'fixtures/labelled/dev.jsonl';

/**
 * Floors a little below what the rules achieve on the hand-labelled set today. The rules were tuned
 * while the set was written, so these numbers are optimistic for unseen logs; they guard regressions.
 */
const SENTIMENT_ACCURACY_FLOOR = 0.9;
const SENTIMENT_MACRO_F1_FLOOR = 0.91;
const SIGNAL_F1_FLOOR: Record<string, number> = {
  coupon_appeasement: 0.9,
  callback_promise: 0.92,
  agents_busy: 0.95,
  bot_transfer_block: 0.9,
  self_service_redirect: 0.95,
  canned_repetition: 0.9,
  apology_loop: 0.9,
  human_request: 0.93,
  complaint_threat: 0.92,
  anger: 0.95,
  repeat_explanation: 0.95,
  thanks_resolved: 0.9,
};

describe('hand-labelled development set', () => {
  const labelled = parseMessageLines(readFileSync(LABELLED, 'utf8'), LABELLED, true);

  it('is big enough and covers every category in both languages', () => {
    expect(labelled.length).toBeGreaterThanOrEqual(400);
    for (const signal of ALL_SIGNALS) {
      expect(labelled.filter((m) => m.signals!.includes(signal)).length, signal).toBeGreaterThanOrEqual(3);
    }
    expect(labelled.filter((m) => /[\u4e00-\u9fff]/.test(m.text)).length).toBeGreaterThan(150);
    expect(labelled.filter((m) => !/[\u4e00-\u9fff]/.test(m.text)).length).toBeGreaterThan(120);
  });

  it('meets the sentiment and per-signal floors, deterministically', async () => {
    const predicted = await scoreMessages(labelled, scoreOptions());
    const result = evaluate(labelled, predicted);
    expect(result.sentiment.accuracy).toBeGreaterThanOrEqual(SENTIMENT_ACCURACY_FLOOR);
    expect(result.sentiment.macroF1).toBeGreaterThanOrEqual(SENTIMENT_MACRO_F1_FLOOR);
    for (const [signal, floor] of Object.entries(SIGNAL_F1_FLOOR)) {
      expect(result.signals[signal]!.f1, signal).toBeGreaterThanOrEqual(floor);
    }
    const again = evaluate(labelled, await scoreMessages(labelled, scoreOptions()));
    expect(formatEvaluation(again)).toBe(formatEvaluation(result));
    expect(again.mistakes).toEqual(result.mistakes);
  });
});

/** Micro-averaged signal F1 over every category. */
function microF1(signals: Record<string, { tp: number; fp: number; fn: number }>): number {
  const total = Object.values(signals).reduce(
    (sum, s) => ({ tp: sum.tp + s.tp, fp: sum.fp + s.fp, fn: sum.fn + s.fn }),
    { tp: 0, fp: 0, fn: 0 },
  );
  const precision = total.tp / (total.tp + total.fp);
  const recall = total.tp / (total.tp + total.fn);
  return (2 * precision * recall) / (precision + recall);
}

/**
 * Held-out sets: written after rules were tuned and never tuned on, so they tell how the rules do on unseen
 * phrasing (the same authors wrote rules and sets, so they are kinder than real logs). Small, so the floor is
 * on the micro-averaged signal F1, not per signal. holdout.jsonl: 70 messages (session 3); holdout2.jsonl: 160
 * messages written on 2026-11-22 before that day's rule changes (80.6 % and 0.879 before them, 82.5 % and 0.934
 * after; holdout.jsonl went from 84.3 % and 0.86 to 88.6 % and 0.98). Same author, same day: read as optimistic.
 */
describe.each([
  { file: 'fixtures/labelled/holdout.jsonl', accuracy: 0.85, f1: 0.93 },
  { file: 'fixtures/labelled/holdout2.jsonl', accuracy: 0.8, f1: 0.9 },
])('held-out labelled set $file', ({ file, accuracy, f1 }) => {
  const labelled = parseMessageLines(readFileSync(file, 'utf8'), file, true);

  it(`meets its floors (sentiment accuracy ${accuracy}, micro-F1 on signals ${f1})`, async () => {
    const result = evaluate(labelled, await scoreMessages(labelled, scoreOptions()));
    expect(result.sentiment.accuracy).toBeGreaterThanOrEqual(accuracy);
    expect(microF1(result.signals)).toBeGreaterThanOrEqual(f1);
  });
});

describe('evaluate', () => {
  it('counts true/false positives and negatives and lists the mistakes with text', () => {
    const labelled = parseMessageLines(
      [
        '{"text":"a","role":"customer","sentiment":"negative","signals":["anger"]}',
        '{"text":"b","role":"customer","sentiment":"positive","signals":[]}',
        '{"text":"c","role":"customer","sentiment":"neutral","signals":["anger"]}',
      ].join('\n'),
      'inline',
      true,
    );
    const fired = (signal: string) => [{ signal, rule_id: 'r', span: null, matched_text: 'x', confidence: 0.9 }];
    const predicted = [
      { text: 'a', role: 'customer', sentiment: { score: -0.5, label: 'negative' as const, scorer: 't' }, signals: fired('anger') },
      { text: 'b', role: 'customer', sentiment: { score: 0, label: 'neutral' as const, scorer: 't' }, signals: fired('anger') },
      { text: 'c', role: 'customer', sentiment: { score: 0, label: 'neutral' as const, scorer: 't' }, signals: [] },
    ];
    const result = evaluate(labelled, predicted);
    expect(result.sentiment.accuracy).toBeCloseTo(2 / 3);
    expect(result.signals.anger).toMatchObject({ tp: 1, fp: 1, fn: 1, precision: 0.5, recall: 0.5, f1: 0.5 });
    expect(result.mistakes.map((m) => [m.kind, m.text])).toEqual([
      ['sentiment', 'b'],
      ['false_positive', 'b'],
      ['false_negative', 'c'],
    ]);
  });

  it('rejects labelled lines with unknown signals or labels, naming the line', () => {
    expect(() => parseMessageLines('{"text":"x","sentiment":"meh","signals":[]}', 'f.jsonl', true)).toThrow(InputError);
    expect(() => parseMessageLines('\n{"text":"x","sentiment":"neutral","signals":["rage"]}', 'f.jsonl', true)).toThrow(
      /f\.jsonl:2: "signals"/,
    );
  });

  it('reads a file that opens with a byte-order mark, and names a line that is JSON but not an object', () => {
    expect(parseMessageLines('\uFEFF{"text":"转人工"}\r\n{"text":"hi"}', 'excel.jsonl')).toEqual([
      { text: '转人工', role: 'any' },
      { text: 'hi', role: 'any' },
    ]);
    expect(() => parseMessageLines('{"text":"a"}\nnull', 'f.jsonl')).toThrow(/f\.jsonl:2: not a JSON object \(got null\)/);
    expect(() => parseMessageLines('[{"text":"a"}]', 'f.jsonl')).toThrow(/f\.jsonl:1: not a JSON object \(got an array\)/);
    expect(() => parseMessageLines('"text"', 'f.jsonl')).toThrow(InputError);
  });
});

describe('signals quick check', () => {
  it('applies every text rule to a line without a role, and context rules within a conversation_id', async () => {
    const messages = parseMessageLines(
      [
        '{"text":"给您申请一张5元优惠券"}',
        '{"text":"转人工","role":"customer","conversation_id":"k"}',
        '{"text":"请问还有什么可以帮您","role":"bot","conversation_id":"k"}',
        '{"text":"请问还有什么可以帮您","role":"bot"}',
      ].join('\n'),
      'inline',
    );
    const results = await scoreMessages(messages, scoreOptions());
    expect(results.map((r) => r.signals.map((s) => s.signal))).toEqual([
      ['coupon_appeasement'],
      ['human_request'],
      ['bot_transfer_block'],
      [],
    ]);
    expect(results[0]!.signals[0]!.span).toEqual([0, 6]);
  });
});
