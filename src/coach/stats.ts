/**
 * The decision rules of coaching, kept pure so each can be tested with hand-made numbers: a weak spot is
 * flagged only when the gap to peers is both material (worth a trainer's time) and credible (a Wilson interval
 * excludes the peer value), never on a raw difference.
 */
import type { CoachMetric, ContinuousMetric, Materiality, ProportionMetric } from './metrics.js';

export interface Interval {
  low: number;
  high: number;
}

/** Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`probability must be in (0, 1), got ${p}`);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const tail = (q: number) => (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
}

/** Two-sided z for a confidence level, e.g. 0.95 -> 1.96. */
export function zForConfidence(confidence: number): number {
  return normalQuantile(1 - (1 - confidence) / 2);
}

/** Wilson score interval: honest at small n and near 0 or 1, unlike the normal approximation. */
export function wilson(successes: number, trials: number, z: number): Interval {
  if (trials <= 0) return { low: 0, high: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const center = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  return { low: Math.max(0, center - half), high: Math.min(1, center + half) };
}

/**
 * Wilson score interval with continuity correction (Newcombe 1998, method 4). Plain Wilson is slightly
 * optimistic at very small n near 0 (1 of 3 "excludes" 5 %); the corrected one is what decisions use.
 */
export function wilsonCorrected(successes: number, trials: number, z: number): Interval {
  if (trials <= 0) return { low: 0, high: 1 };
  const n = trials;
  const p = successes / n;
  const z2 = z * z;
  const denominator = 2 * (n + z2);
  const low =
    successes === 0 ? 0 : (2 * n * p + z2 - 1 - z * Math.sqrt(z2 - 2 - 1 / n + 4 * p * (n * (1 - p) + 1))) / denominator;
  const high =
    successes === n ? 1 : (2 * n * p + z2 + 1 + z * Math.sqrt(z2 + 2 - 1 / n + 4 * p * (n * (1 - p) - 1))) / denominator;
  return { low: Math.max(0, low), high: Math.min(1, high) };
}

/**
 * Interval of the difference p1 - p2 of two independent proportions (Newcombe 1998, method 11: the square-and-
 * add combination of the two continuity-corrected Wilson intervals). Used because the peer rate is itself an
 * estimate: testing against it as if it were exact flags too many normal agents when the peer rate is low.
 */
export function differenceInterval(s1: number, n1: number, s2: number, n2: number, z: number): Interval {
  const p1 = s1 / n1;
  const p2 = s2 / n2;
  const a = wilsonCorrected(s1, n1, z);
  const b = wilsonCorrected(s2, n2, z);
  return {
    low: p1 - p2 - Math.sqrt((p1 - a.low) ** 2 + (b.high - p2) ** 2),
    high: p1 - p2 + Math.sqrt((a.high - p1) ** 2 + (p2 - b.low) ** 2),
  };
}

/** Per-agent rate against the pooled rate of the agent's peers. */
export interface ProportionStat {
  successes: number;
  trials: number;
  peerRate: number;
  peerUnits: number;
  peerTrials: number;
}

/**
 * Per-agent distribution against the pooled conversations of the peers. The tails are the peers' p75/p25:
 * `above`/`below` count the agent's conversations beyond them, `peerAbove`/`peerBelow` are the peers' own
 * shares there (about 25 % for continuous values, less when ties sit on the quartile, e.g. CSAT 5).
 */
export interface ContinuousStat {
  n: number;
  center: number;
  peerCenter: number;
  peerQ25: number;
  peerQ75: number;
  peerN: number;
  peerUnits: number;
  above: number;
  below: number;
  peerAbove: number;
  peerBelow: number;
}

export type Verdict = 'weak' | 'strong' | 'normal';

export interface TailTest {
  tail: 'above_p75' | 'below_p25';
  threshold: number;
  count: number;
  n: number;
  share: number;
  interval: Interval;
  peerShare: number;
}

export interface Assessment {
  verdict: Verdict;
  /** Confidence of the intervals below (per test, after the family-wise adjustment). */
  confidence: number;
  value: number;
  peerValue: number;
  n: number;
  /** How much worse than peers, in the metric's unit (negative when better). */
  badGap: number;
  relativeGap: number | null;
  /** Interval of the agent's rate (proportions). */
  interval?: Interval;
  /** Interval of (agent - peers) on the deciding proportion: the rate, or the share in the tested tail. */
  gapInterval: Interval;
  /** The tail-share test deciding a continuous metric: the bad tail for weak spots, the good tail otherwise. */
  tail?: TailTest;
  /** badGap x n: how much the team total would improve if this agent reached the peer value. */
  impact: number;
  /** Impact on a common scale (peer spread units x conversations), to rank different metrics against each other. */
  rankScore: number;
  peerUnits: number;
  peerN: number;
}

export function isMaterial(gap: number, peerValue: number, materiality: Materiality): boolean {
  if (!(gap >= materiality.minAbsGap)) return false;
  if (materiality.minRelGap === undefined || peerValue === 0) return true;
  return gap / Math.abs(peerValue) >= materiality.minRelGap;
}

function relativeGap(gap: number, peerValue: number): number | null {
  return peerValue === 0 ? null : gap / Math.abs(peerValue);
}

export function assessProportion(metric: ProportionMetric, stat: ProportionStat, confidence: number): Assessment {
  const z = zForConfidence(confidence);
  const value = stat.successes / stat.trials;
  const interval = wilsonCorrected(stat.successes, stat.trials, z);
  const sign = metric.direction === 'lower_is_better' ? 1 : -1;
  const badGap = sign * (value - stat.peerRate);
  const gap = differenceInterval(stat.successes, stat.trials, stat.peerRate * stat.peerTrials, stat.peerTrials, z);
  // Lower-is-better: weak when the whole interval of (agent - peers) is above zero; mirrored otherwise.
  const credibleWorse = sign > 0 ? gap.low > 0 : gap.high < 0;
  const credibleBetter = sign > 0 ? gap.high < 0 : gap.low > 0;
  const verdict: Verdict =
    credibleWorse && isMaterial(badGap, stat.peerRate, metric.materiality)
      ? 'weak'
      : credibleBetter && isMaterial(-badGap, stat.peerRate, metric.materiality)
        ? 'strong'
        : 'normal';
  const spread = Math.sqrt(clamp(stat.peerRate) * (1 - clamp(stat.peerRate)));
  return {
    verdict,
    confidence,
    value,
    peerValue: stat.peerRate,
    n: stat.trials,
    badGap,
    relativeGap: relativeGap(badGap, stat.peerRate),
    interval,
    gapInterval: gap,
    impact: badGap * stat.trials,
    rankScore: (badGap / spread) * stat.trials,
    peerUnits: stat.peerUnits,
    peerN: stat.peerTrials,
  };
}

function clamp(p: number): number {
  return Math.min(0.95, Math.max(0.05, p));
}

export function assessContinuous(metric: ContinuousMetric, stat: ContinuousStat, confidence: number): Assessment {
  const z = zForConfidence(confidence);
  const lowerIsBetter = metric.direction === 'lower_is_better';
  const badGap = lowerIsBetter ? stat.center - stat.peerCenter : stat.peerCenter - stat.center;
  const upper: Omit<TailTest, 'interval' | 'share'> = {
    tail: 'above_p75',
    threshold: stat.peerQ75,
    count: stat.above,
    n: stat.n,
    peerShare: stat.peerAbove,
  };
  const lower: Omit<TailTest, 'interval' | 'share'> = {
    tail: 'below_p25',
    threshold: stat.peerQ25,
    count: stat.below,
    n: stat.n,
    peerShare: stat.peerBelow,
  };
  const badTail = withInterval(lowerIsBetter ? upper : lower, z);
  const goodTail = withInterval(lowerIsBetter ? lower : upper, z);
  const tailGap = (t: TailTest) => differenceInterval(t.count, t.n, t.peerShare * stat.peerN, stat.peerN, z);
  const badTailGap = tailGap(badTail);
  const goodTailGap = tailGap(goodTail);
  // Credible: the agent lands in the peers' bad tail clearly more often than the peers themselves do.
  const verdict: Verdict =
    badTailGap.low > 0 && isMaterial(badGap, stat.peerCenter, metric.materiality)
      ? 'weak'
      : goodTailGap.low > 0 && isMaterial(-badGap, stat.peerCenter, metric.materiality)
        ? 'strong'
        : 'normal';
  const spread = Math.max(stat.peerQ75 - stat.peerQ25, metric.materiality.minAbsGap);
  return {
    verdict,
    confidence,
    value: stat.center,
    peerValue: stat.peerCenter,
    n: stat.n,
    badGap,
    relativeGap: relativeGap(badGap, stat.peerCenter),
    tail: verdict === 'strong' ? goodTail : badTail,
    gapInterval: verdict === 'strong' ? goodTailGap : badTailGap,
    impact: badGap * stat.n,
    rankScore: (badGap / spread) * stat.n,
    peerUnits: stat.peerUnits,
    peerN: stat.peerN,
  };
}

function withInterval(test: Omit<TailTest, 'interval' | 'share'>, z: number): TailTest {
  return { ...test, share: test.n > 0 ? test.count / test.n : 0, interval: wilsonCorrected(test.count, test.n, z) };
}

export function assess(metric: CoachMetric, stat: ProportionStat | ContinuousStat, confidence: number): Assessment {
  return metric.kind === 'proportion'
    ? assessProportion(metric, stat as ProportionStat, confidence)
    : assessContinuous(metric, stat as ContinuousStat, confidence);
}

/**
 * Each agent is tested on many measures at once; at 95 % per test, one in twenty normal measures would be
 * flagged. Bonferroni: each test runs at 1 - (1 - confidence) / tests, so `confidence` holds for the whole
 * plan of one agent (the chance that it contains any false weak spot).
 */
export function perTestConfidence(familyConfidence: number, tests: number): number {
  return tests <= 1 ? familyConfidence : 1 - (1 - familyConfidence) / tests;
}

/** Biggest expected team improvement first; ties by metric id so the order never depends on the engine. */
export function rankByImpact<T extends { metric: string; assessment: Assessment }>(items: readonly T[]): T[] {
  return [...items].sort(
    (x, y) => y.assessment.rankScore - x.assessment.rankScore || (x.metric < y.metric ? -1 : x.metric > y.metric ? 1 : 0),
  );
}
