/** Scores predictions against a labelled set: sentiment accuracy and macro-F1, per-signal P/R/F1. */
import type { InputMessage } from './messageInput.js';
import type { MessageResult } from './quickCheck.js';
import { ALL_SIGNALS, SENTIMENT_LABELS } from './types.js';

export interface ClassScores {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface Mistake {
  kind: 'sentiment' | 'false_positive' | 'false_negative';
  text: string;
  role: string;
  expected: string | null;
  predicted: string | null;
  /** For false positives: the rule that fired and what it matched. */
  rule_id?: string;
  matched_text?: string | null;
  score?: number;
}

export interface Evaluation {
  messages: number;
  sentiment: { accuracy: number; macroF1: number; perLabel: Record<string, ClassScores> };
  signals: Record<string, ClassScores>;
  mistakes: Mistake[];
}

function scores(tp: number, fp: number, fn: number): ClassScores {
  const precision = tp + fp === 0 ? (fn === 0 ? 1 : 0) : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { tp, fp, fn, precision, recall, f1 };
}

export function evaluate(labelled: readonly InputMessage[], predicted: readonly MessageResult[]): Evaluation {
  const mistakes: Mistake[] = [];
  let correct = 0;
  let sentimentCount = 0;
  const perLabel: Record<string, ClassScores> = {};
  for (const label of SENTIMENT_LABELS) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    labelled.forEach((m, i) => {
      if (!m.sentiment) return;
      const p = predicted[i]!.sentiment.label;
      if (m.sentiment === label && p === label) tp++;
      else if (p === label) fp++;
      else if (m.sentiment === label) fn++;
    });
    perLabel[label] = scores(tp, fp, fn);
  }
  labelled.forEach((m, i) => {
    if (!m.sentiment) return;
    sentimentCount++;
    const p = predicted[i]!.sentiment;
    if (p.label === m.sentiment) correct++;
    else mistakes.push({ kind: 'sentiment', text: m.text, role: m.role, expected: m.sentiment, predicted: p.label, score: p.score });
  });

  const signals: Record<string, ClassScores> = {};
  for (const signal of ALL_SIGNALS) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    labelled.forEach((m, i) => {
      if (!m.signals) return;
      const expected = m.signals.includes(signal);
      const fired = predicted[i]!.signals.find((s) => s.signal === signal);
      if (expected && fired) tp++;
      else if (fired) {
        fp++;
        mistakes.push({ kind: 'false_positive', text: m.text, role: m.role, expected: null, predicted: signal,
          rule_id: fired.rule_id, matched_text: fired.matched_text });
      } else if (expected) {
        fn++;
        mistakes.push({ kind: 'false_negative', text: m.text, role: m.role, expected: signal, predicted: null });
      }
    });
    signals[signal] = scores(tp, fp, fn);
  }
  const macroF1 = SENTIMENT_LABELS.reduce((sum, l) => sum + perLabel[l]!.f1, 0) / SENTIMENT_LABELS.length;
  return {
    messages: labelled.length,
    sentiment: { accuracy: sentimentCount ? correct / sentimentCount : 0, macroF1, perLabel },
    signals,
    mistakes,
  };
}

export function formatEvaluation(e: Evaluation): string {
  const pct = (x: number) => (x * 100).toFixed(1).padStart(5);
  const lines = [
    `messages: ${e.messages}`,
    `sentiment accuracy ${pct(e.sentiment.accuracy)}%  macro-F1 ${pct(e.sentiment.macroF1)}%`,
    '',
    'signal                  prec  recall     f1    tp   fp   fn',
  ];
  for (const [signal, s] of Object.entries(e.signals)) {
    lines.push(`${signal.padEnd(22)} ${pct(s.precision)} ${pct(s.recall)}  ${pct(s.f1)} ${String(s.tp).padStart(5)} ${String(s.fp).padStart(4)} ${String(s.fn).padStart(4)}`);
  }
  return lines.join('\n');
}
