/**
 * Golden for the aggregate layer: one vendor x tier x day row whose every rate, interval, median and p90 was
 * worked by hand (Wilson 95 % bounds from the closed form with z = 1.96, as sql/macros/wilson.sql; quantiles interpolated as
 * quantile_cont does: p90 of [30, 60, 180] = 60 + 0.8 x 120). The conversation goldens pin each contact; this
 * pins how the contacts add up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { buildScenario, rows } from './harness.js';

// Wilson bounds worked by hand for k of n.
const W = {
  '0/3': [0, 0.56150608],
  '1/3': [0.061490315, 0.792345045],
  '2/3': [0.207654955, 0.938509685],
  '3/3': [0.43849392, 1],
  '1/1': [0.206543291, 1],
  '1/2': [0.094528655, 0.905471345],
} as const;
// The harness rounds floats to 9 decimals.
const r9 = (x: number) => Math.round(x * 1e9) / 1e9;

let db: Db;
beforeAll(async () => {
  ({ db } = await buildScenario(
    {
      messages: [
        // k1: answered in 60 s, ends happy, CSAT 5, no repeat.
        { conversation: 'k1', at: '2026-03-01 10:00:00', role: 'customer', customer: 'u1', channel: 'chat', sentiment: 0.2 },
        { conversation: 'k1', at: '2026-03-01 10:01:00', role: 'agent', agent: 'a1', vendor: 'v1', tier: 'L1' },
        { conversation: 'k1', at: '2026-03-01 10:02:00', role: 'customer', sentiment: 0.6 },
        // k2: answered in 180 s with a coupon, ends negative, the customer is back 23 h 56 m after it ended.
        { conversation: 'k2', at: '2026-03-01 11:00:00', role: 'customer', customer: 'u2', channel: 'chat', sentiment: -0.2 },
        { conversation: 'k2', at: '2026-03-01 11:03:00', role: 'agent', agent: 'a1', vendor: 'v1', tier: 'L1', signals: ['coupon_appeasement'] },
        { conversation: 'k2', at: '2026-03-01 11:04:00', role: 'customer', sentiment: -0.6 },
        // k3: asks for a human, answered in 30 s, ends negative, CSAT 2.
        { conversation: 'k3', at: '2026-03-01 12:00:00', role: 'customer', customer: 'u3', channel: 'chat', sentiment: -0.4, signals: ['human_request'] },
        { conversation: 'k3', at: '2026-03-01 12:00:30', role: 'agent', agent: 'a1', vendor: 'v1', tier: 'L1' },
        { conversation: 'k3', at: '2026-03-01 12:01:00', role: 'customer', sentiment: -0.5 },
        // k4: u2's repeat, another vendor and day.
        { conversation: 'k4', at: '2026-03-02 11:00:00', role: 'customer', customer: 'u2', channel: 'chat' },
        { conversation: 'k4', at: '2026-03-02 11:00:10', role: 'agent', agent: 'b9', vendor: 'v2', tier: 'L1' },
      ],
      surveys: [
        { conversation: 'k1', at: '2026-03-01 10:30:00', csat: 5 },
        { conversation: 'k3', at: '2026-03-01 12:30:00', csat: 2 },
      ],
    },
    { asOf: '2026-03-10T00:00:00Z' },
  ));
});
afterAll(() => db.close());

describe('kpis_by_vendor_tier_day, worked by hand', () => {
  it('adds up v1 / L1 / 2026-03-01', async () => {
    const [row] = await rows(
      db,
      `select * exclude (report_date, vendor, tier) from marts.kpis_by_vendor_tier_day
       where vendor = 'v1' and tier = 'L1' and report_date = date '2026-03-01'`,
    );
    const rate = (name: string, value: number | null, n: number, bounds: readonly [number, number] | null) => ({
      [`n_${name}`]: n,
      [`${name}_rate`]: value,
      [`${name}_rate_low`]: bounds?.[0] ?? null,
      [`${name}_rate_high`]: bounds?.[1] ?? null,
    });
    expect(row).toMatchObject({
      count_conversations: 3,
      count_handled: 3,
      ...rate('fcr_24h', r9(2 / 3), 3, W['2/3']),
      ...rate('fcr_72h', r9(2 / 3), 3, W['2/3']),
      ...rate('fcr_7d', r9(2 / 3), 3, W['2/3']),
      // Human-handled contacts are judged (not contained), so n counts them.
      ...rate('bot_containment', 0, 3, W['0/3']),
      ...rate('human_reached_within_target', 1, 1, W['1/1']),
      ...rate('csat_top2', 0.5, 2, W['1/2']),
      csat_mean: 3.5,
      n_surveys: 2,
      n_surveys_offered: 0,
      survey_response_rate: null,
      median_first_response_seconds: 60,
      p90_first_response_seconds: 156,
      mean_first_response_seconds: 90,
      n_first_response: 3,
      // A human answered first, so the wait for a human is the first response.
      median_first_human_response_seconds: 60,
      p90_first_human_response_seconds: 156,
      n_first_human_response: 3,
      median_time_to_human_seconds: 30,
      p90_time_to_human_seconds: 30,
      mean_time_to_human_seconds: 30,
      n_time_to_human: 1,
      median_handle_seconds: 0,
      n_handle: 3,
      // L1 targets: first response 60 s (k2 misses), first human response 240 s.
      ...rate('first_response_within_sla', r9(2 / 3), 3, W['2/3']),
      ...rate('first_human_response_within_sla', 1, 3, W['3/3']),
      human_service_ratio: 1,
      human_service_ratio_low: W['3/3'][0],
      deflection_rate: r9(1 / 3),
      deflection_rate_low: W['1/3'][0],
      deflection_rate_high: W['1/3'][1],
      coupon_appeasement_rate: r9(1 / 3),
      coupon_appeasement_rate_low: W['1/3'][0],
      agents_busy_rate: 0,
      agents_busy_rate_high: W['0/3'][1],
      count_deflection_without_resolution: 1,
      ...rate('escalation_completion_24h', null, 0, null),
      ...rate('promise_kept', null, 0, null),
      ...rate('ending_negative', r9(2 / 3), 3, W['2/3']),
      // (0.4 - 0.4 - 0.1) / 3
      sentiment_change_mean: -0.033333333,
      // k2: the customer message after the coupon (-0.6) minus the one before (-0.2).
      n_sentiment_after_deflection: 1,
      sentiment_fell_after_deflection_rate: 1,
      sentiment_fell_after_deflection_rate_low: W['1/1'][0],
      has_min_sample: false,
    });
  });
});
