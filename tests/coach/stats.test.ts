import { describe, expect, it } from 'vitest';
import { metricById, type ContinuousMetric, type ProportionMetric } from '../../src/coach/metrics.js';
import {
  assessContinuous,
  differenceInterval,
  assessProportion,
  isMaterial,
  normalQuantile,
  perTestConfidence,
  rankByImpact,
  wilson,
  wilsonCorrected,
  zForConfidence,
} from '../../src/coach/stats.js';

const coupon = metricById('coupon_appeasement_rate') as ProportionMetric;
const fcr = metricById('fcr_72h_rate') as ProportionMetric;
const firstResponse = metricById('first_response_seconds') as ContinuousMetric;

describe('intervals', () => {
  it('inverts the normal CDF', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
    expect(zForConfidence(0.99)).toBeCloseTo(2.575829, 5);
  });

  it('matches published Wilson intervals', () => {
    const z = 1.959964;
    const half = wilson(5, 10, z);
    expect(half.low).toBeCloseTo(0.2366, 4);
    expect(half.high).toBeCloseTo(0.7634, 4);
    const none = wilson(0, 10, z);
    expect(none.low).toBe(0);
    expect(none.high).toBeCloseTo(0.2775, 4);
  });

  it('corrects for continuity where plain Wilson is optimistic', () => {
    const z = 1.959964;
    expect(wilsonCorrected(0, 10, z).high).toBeCloseTo(0.3445, 4); // Newcombe (1998), table II
    expect(wilson(1, 3, z).low).toBeGreaterThan(0.05);
    expect(wilsonCorrected(1, 3, z).low).toBeCloseTo(0.0177, 3);
  });

  it('gives Newcombe\u2019s interval for a difference of proportions', () => {
    // Newcombe (1998), difference of independent proportions, example 56/70 - 48/80, method 11.
    const d = differenceInterval(56, 70, 48, 80, 1.959964);
    expect(d.low).toBeCloseTo(0.0428, 3);
    expect(d.high).toBeCloseTo(0.3422, 3);
  });

  it('splits the family-wise error over the tests of one agent', () => {
    expect(perTestConfidence(0.95, 10)).toBeCloseTo(0.995, 10);
    expect(perTestConfidence(0.95, 1)).toBe(0.95);
  });
});

describe('proportion verdicts', () => {
  const peer = { peerRate: 0.05, peerUnits: 5, peerTrials: 500 };

  it('flags a rate five times the peers on a real sample', () => {
    const a = assessProportion(coupon, { successes: 25, trials: 100, ...peer }, 0.95);
    expect(a.verdict).toBe('weak');
    expect(a.interval!.low).toBeGreaterThan(0.05);
    expect(a.impact).toBeCloseTo(20, 10); // (0.25 - 0.05) x 100 conversations
  });

  it('does not flag the same rate on 3 conversations', () => {
    expect(assessProportion(coupon, { successes: 1, trials: 3, ...peer }, 0.95).verdict).toBe('normal');
  });

  it('does not flag a credible but immaterial gap', () => {
    // 8 % vs 5 % on 5000 conversations is certain but only 3 points: not worth a trainer's time.
    const a = assessProportion(coupon, { successes: 400, trials: 5000, ...peer }, 0.95);
    expect(a.interval!.low).toBeGreaterThan(0.05);
    expect(a.verdict).toBe('normal');
  });

  it('reads higher-is-better metrics the other way round', () => {
    const peers = { peerRate: 0.8, peerUnits: 5, peerTrials: 500 };
    expect(assessProportion(fcr, { successes: 50, trials: 100, ...peers }, 0.95).verdict).toBe('weak');
    const strong = assessProportion(fcr, { successes: 98, trials: 100, ...peers }, 0.95);
    expect(strong.verdict).toBe('strong');
    expect(strong.badGap).toBeLessThan(0);
  });

  it('allows for the uncertainty of a low peer rate', () => {
    // 5 of 60 against 6 of 300: the agent's own interval excludes 2 %, but the peers' rate is too uncertain.
    const a = assessProportion(coupon, { successes: 5, trials: 60, peerRate: 0.02, peerUnits: 5, peerTrials: 300 }, 0.997);
    expect(a.interval!.low).toBeGreaterThan(0.02);
    expect(a.gapInterval.low).toBeLessThan(0);
    expect(a.verdict).toBe('normal');
  });

  it('needs both the absolute and the relative gap', () => {
    expect(isMaterial(0.06, 0.05, { minAbsGap: 0.05, minRelGap: 0.5 })).toBe(true);
    expect(isMaterial(0.06, 0.5, { minAbsGap: 0.05, minRelGap: 0.5 })).toBe(false);
    expect(isMaterial(0.04, 0.01, { minAbsGap: 0.05, minRelGap: 0.5 })).toBe(false);
  });
});

describe('continuous verdicts', () => {
  const peer = { peerCenter: 25, peerQ25: 18, peerQ75: 32, peerN: 300, peerUnits: 5, peerAbove: 0.25, peerBelow: 0.25 };

  it('flags an agent whose conversations sit in the peers\u2019 slow tail', () => {
    const a = assessContinuous(firstResponse, { n: 60, center: 120, above: 55, below: 0, ...peer }, 0.95);
    expect(a.verdict).toBe('weak');
    expect(a.tail!.tail).toBe('above_p75');
    expect(a.impact).toBeCloseTo(95 * 60, 6);
  });

  it('does not flag a slow median carried by a handful of conversations', () => {
    // Median 60 s, but only 4 of 6 above the peers' p75: the interval still includes 25 %.
    expect(assessContinuous(firstResponse, { n: 6, center: 60, above: 4, below: 0, ...peer }, 0.95).verdict).toBe('normal');
  });

  it('credits a clearly faster agent as a strength', () => {
    const fast = { ...peer, peerCenter: 90, peerQ25: 70, peerQ75: 120 };
    const a = assessContinuous(firstResponse, { n: 60, center: 20, above: 0, below: 58, ...fast }, 0.95);
    expect(a.verdict).toBe('strong');
    expect(a.tail!.tail).toBe('below_p25');
  });
});

describe('ranking', () => {
  it('orders by impact on a common scale, ties by metric id', () => {
    const base = assessProportion(coupon, { successes: 25, trials: 100, peerRate: 0.05, peerUnits: 5, peerTrials: 500 }, 0.95);
    const bigger = { ...base, rankScore: base.rankScore * 2 };
    const ranked = rankByImpact([
      { metric: 'b', assessment: base },
      { metric: 'c', assessment: bigger },
      { metric: 'a', assessment: base },
    ]);
    expect(ranked.map((r) => r.metric)).toEqual(['c', 'a', 'b']);
  });
});
