/**
 * What coaching compares, per conversation of `marts.conversations` (alias `c`). Every metric is one of two
 * shapes so one statistical rule serves each shape:
 *  - proportion: successes out of trials per conversation (usually 0/1 of 1), judged with a Wilson interval
 *    against the median rate of the peers;
 *  - continuous: one value per conversation (seconds, CSAT, sentiment), judged by the share of the agent's
 *    conversations in the peers' bad tail (beyond their p75/p25) against the peers' own share there.
 * The SQL fragments are code constants (never user values); they only read mart columns.
 */
import { DEFLECTION_SIGNALS } from '../score/types.js';

export type Direction = 'lower_is_better' | 'higher_is_better';

/** Which utterances prove the weak spot in one of the agent's conversations. */
export type QuoteKind =
  | 'signal' // the agent's messages that fired `signal`
  | 'first_reply' // the customer's first message and the agent's first reply (waiting time)
  | 'human_request' // the customer's request for a human and the first human reply after it
  | 'span' // the agent's first and last reply (how long the handling took)
  | 'closing' // the agent's last reply and the customer's last message
  | 'arc' // the customer's first and last message (how the mood moved)
  | 'survey'; // the survey comment, else the customer's last message

export interface Materiality {
  /** Smallest absolute gap (in the metric's unit) worth a trainer's time. */
  minAbsGap: number;
  /** Smallest gap relative to the peer value; omitted where a ratio means nothing (sentiment around 0). */
  minRelGap?: number;
}

interface MetricBase {
  id: string;
  direction: Direction;
  materiality: Materiality;
  quote: QuoteKind;
  /** For `quote: 'signal'`: the signal whose firing messages are quoted. */
  signal?: string;
  /** SQL over `c` saying the metric applies to this conversation (its value is known). */
  whereSql: string;
}

export interface ProportionMetric extends MetricBase {
  kind: 'proportion';
  successesSql: string;
  trialsSql: string;
  /** Per-conversation severity (higher = worse) for ordering evidence. */
  severitySql: string;
}

export interface ContinuousMetric extends MetricBase {
  kind: 'continuous';
  valueSql: string;
  /** Durations are skewed, so medians; bounded scores (CSAT, sentiment) read better as means. */
  center: 'median' | 'mean';
  unit: 'seconds' | 'points' | 'score';
}

export type CoachMetric = ProportionMetric | ContinuousMetric;

/** The deflection categories of spec/signals.md, as the scorer defines them. */
export const DEFLECTION_CATEGORIES = DEFLECTION_SIGNALS;

/** "Conversations with at least one such message per conversation handled" (spec: deflection rate). */
function deflectionRate(category: (typeof DEFLECTION_CATEGORIES)[number]): ProportionMetric {
  const column = `c.count_${category}`;
  return {
    id: `${category}_rate`,
    kind: 'proportion',
    direction: 'lower_is_better',
    // A habit worth coaching moves at least 5 conversations in 100 and is half again the peers' rate.
    materiality: { minAbsGap: 0.05, minRelGap: 0.5 },
    quote: 'signal',
    signal: category,
    whereSql: 'true',
    successesSql: `(coalesce(${column}, 0) > 0)::int`,
    trialsSql: '1',
    severitySql: `coalesce(${column}, 0)`,
  };
}

export const COACH_METRICS: readonly CoachMetric[] = [
  {
    id: 'first_response_seconds',
    kind: 'continuous',
    direction: 'lower_is_better',
    center: 'median',
    unit: 'seconds',
    // The human's own first reply: bot time before the handoff is not the agent's to fix.
    valueSql: 'c.first_human_response_seconds',
    whereSql: 'c.first_human_response_seconds is not null',
    materiality: { minAbsGap: 30, minRelGap: 0.5 },
    quote: 'first_reply',
  },
  {
    id: 'handle_seconds',
    kind: 'continuous',
    direction: 'lower_is_better',
    center: 'median',
    unit: 'seconds',
    valueSql: 'c.handle_seconds',
    whereSql: 'c.handle_seconds is not null',
    materiality: { minAbsGap: 120, minRelGap: 0.5 },
    quote: 'span',
  },
  {
    id: 'time_to_human_seconds',
    kind: 'continuous',
    direction: 'lower_is_better',
    center: 'median',
    unit: 'seconds',
    valueSql: 'c.time_to_human_seconds',
    whereSql: 'c.time_to_human_seconds is not null',
    materiality: { minAbsGap: 60, minRelGap: 0.5 },
    quote: 'human_request',
  },
  {
    id: 'fcr_72h_rate',
    kind: 'proportion',
    direction: 'higher_is_better',
    // Contacts whose 72 h window is still open are unknown, not failures.
    whereSql: 'c.is_fcr_72h is not null',
    successesSql: 'c.is_fcr_72h::int',
    trialsSql: '1',
    severitySql: 'coalesce(c.count_repeat_explanations, 0)',
    materiality: { minAbsGap: 0.1 },
    quote: 'closing',
  },
  {
    id: 'reopen_rate',
    kind: 'proportion',
    direction: 'lower_is_better',
    whereSql: 'c.is_reopened is not null',
    successesSql: 'c.is_reopened::int',
    trialsSql: '1',
    severitySql: 'coalesce(c.count_repeat_explanations, 0)',
    materiality: { minAbsGap: 0.05, minRelGap: 0.5 },
    quote: 'closing',
  },
  {
    id: 'csat',
    kind: 'continuous',
    direction: 'higher_is_better',
    center: 'mean',
    unit: 'points',
    valueSql: 'c.csat',
    whereSql: 'c.csat is not null',
    materiality: { minAbsGap: 0.5 },
    quote: 'survey',
  },
  {
    id: 'sentiment_closing',
    kind: 'continuous',
    direction: 'higher_is_better',
    center: 'mean',
    unit: 'score',
    valueSql: 'c.sentiment_closing',
    whereSql: 'c.sentiment_closing is not null',
    materiality: { minAbsGap: 0.2 },
    quote: 'closing',
  },
  {
    id: 'sentiment_change',
    kind: 'continuous',
    direction: 'higher_is_better',
    center: 'mean',
    unit: 'score',
    valueSql: 'c.sentiment_change',
    whereSql: 'c.sentiment_change is not null',
    materiality: { minAbsGap: 0.2 },
    quote: 'arc',
  },
  ...DEFLECTION_CATEGORIES.map(deflectionRate),
  {
    id: 'promise_kept_rate',
    kind: 'proportion',
    direction: 'higher_is_better',
    // Trials are promises whose window has ended (kept or broken), not conversations.
    whereSql: 'coalesce(c.count_promises_kept, 0) + coalesce(c.count_promises_broken, 0) > 0',
    successesSql: 'coalesce(c.count_promises_kept, 0)',
    trialsSql: 'coalesce(c.count_promises_kept, 0) + coalesce(c.count_promises_broken, 0)',
    severitySql: 'coalesce(c.count_promises_broken, 0)',
    materiality: { minAbsGap: 0.15 },
    quote: 'signal',
    signal: 'callback_promise',
  },
];

export function metricById(id: string): CoachMetric {
  const metric = COACH_METRICS.find((m) => m.id === id);
  if (!metric) throw new Error(`unknown coaching metric ${id}`);
  return metric;
}
