/** Shapes shared by the text scorers, the detectors and the database writer. */

export type Role = 'customer' | 'bot' | 'agent' | 'system';
export type SentimentLabel = 'negative' | 'neutral' | 'positive';

export interface Sentiment {
  /** In [-1, 1]. */
  score: number;
  label: SentimentLabel;
}

/** Any sentiment scorer: texts in, one result per text out, in order. */
export interface SentimentScorer {
  readonly name: string;
  readonly version: string;
  scoreTexts(texts: readonly string[]): Promise<Sentiment[]>;
}

/**
 * One rule firing on one text. `roles` tells which speaker roles the rule applies to; the role filter is
 * applied where the speaker is known (the database join), so one text analysis serves every speaker.
 * Signals whose name starts with "_" are markers that context rules read (apology, action, handover);
 * they are never stored as signals.
 */
export interface RuleHit {
  signal: string;
  ruleId: string;
  roles: readonly Role[];
  spanStart: number;
  spanEnd: number;
  matchedText: string;
  confidence: number;
  /** Set for rules that only count after a customer asked for a human (evaluated over the conversation). */
  context?: 'after_human_request';
}

export interface TextAnalysis {
  sentiment: Sentiment;
  /** Sum of the lexicon token values, before signal weights and punctuation (see sentiment.ts). */
  tokenSum: number;
  hits: RuleHit[];
}

/** Signals detected per message, as stored (context rules included). */
export interface SignalRow {
  signal: string;
  ruleId: string;
  spanStart: number | null;
  spanEnd: number | null;
  matchedText: string | null;
  confidence: number;
}

export const DEFLECTION_SIGNALS = [
  'coupon_appeasement',
  'callback_promise',
  'agents_busy',
  'bot_transfer_block',
  'self_service_redirect',
  'canned_repetition',
  'apology_loop',
] as const;

export const CUSTOMER_SIGNALS = [
  'human_request',
  'complaint_threat',
  'anger',
  'repeat_explanation',
  'thanks_resolved',
] as const;

export const ALL_SIGNALS: readonly string[] = [...DEFLECTION_SIGNALS, ...CUSTOMER_SIGNALS];
export const SENTIMENT_LABELS: readonly SentimentLabel[] = ['negative', 'neutral', 'positive'];
