/**
 * Who is credited with what, where metrics.md names the party: escalations and promises go to the vendor and
 * tier that made them, deflection rates count only conversations the unit handled, a ranking needs enough
 * conversations, and the wait for a human starts at the handoff to a human, not at a later transfer.
 * Each expected value was worked by hand from the messages and events below.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { buildScenario, conversationRow, rows } from './harness.js';

const AS_OF = '2026-03-10T00:00:00Z';
let db: Db | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
});

describe('credit by party', () => {
  it('credits an escalation and a promise to the L1 vendor that made them, though an L2 vendor ends the conversation', async () => {
    const c = { conversation: 'x1' } as const;
    ({ db } = await buildScenario(
      {
        messages: [
          { ...c, at: '2026-03-01 10:00:00', role: 'customer', customer: 'u1' },
          { ...c, at: '2026-03-01 10:01:00', role: 'agent', agent: 'a1', vendor: 'v1', tier: 'L1', signals: ['callback_promise'] },
          { ...c, at: '2026-03-01 10:05:00', role: 'agent', agent: 'b1', vendor: 'v2', tier: 'L2' },
        ],
        events: [
          { ...c, at: '2026-03-01 10:02:00', event: 'escalated', fromTier: 'L1', toTier: 'L2', ticket: 'T1' },
          { ...c, at: '2026-03-01 11:00:00', event: 'ticket_closed', ticket: 'T1' },
          { ...c, at: '2026-03-01 12:00:00', event: 'callback_made' },
        ],
      },
      { asOf: AS_OF },
    ));
    expect(
      await rows(db, `select kpi, vendor, value, n, n_conversations, is_ranked from marts.vendor_league
                      where kpi in ('escalation_completion_24h', 'promise_kept', 'fcr_24h') order by kpi, vendor`),
    ).toEqual([
      { kpi: 'escalation_completion_24h', vendor: 'v1', value: 1, n: 1, n_conversations: 1, is_ranked: false },
      { kpi: 'escalation_completion_24h', vendor: 'v2', value: null, n: 0, n_conversations: 0, is_ranked: false },
      // The conversation itself (its FCR) stays with the attributed vendor, v2.
      { kpi: 'fcr_24h', vendor: 'v1', value: null, n: 0, n_conversations: 0, is_ranked: false },
      { kpi: 'fcr_24h', vendor: 'v2', value: 1, n: 1, n_conversations: 1, is_ranked: false },
      { kpi: 'promise_kept', vendor: 'v1', value: 1, n: 1, n_conversations: 1, is_ranked: false },
      { kpi: 'promise_kept', vendor: 'v2', value: null, n: 0, n_conversations: 0, is_ranked: false },
    ]);
    // v1's row holds its escalation and promise and nothing of the conversation it did not end.
    expect(
      await rows(db, `select vendor, count_conversations, count_handled, deflection_rate from marts.kpis_by_agent
                      order by vendor`),
    ).toEqual([
      { vendor: 'v1', count_conversations: 0, count_handled: 1, deflection_rate: 1 },
      { vendor: 'v2', count_conversations: 1, count_handled: 1, deflection_rate: 0 },
    ]);
    expect(
      await rows(db, `select count_conversations, count_handled, n_escalation_completion_24h, n_promise_kept
                      from intermediate.int_kpis__aggregated where grain = 'vendor' order by group_vendor`),
    ).toEqual([
      { count_conversations: 0, count_handled: 0, n_escalation_completion_24h: 1, n_promise_kept: 1 },
      { count_conversations: 1, count_handled: 1, n_escalation_completion_24h: 0, n_promise_kept: 0 },
    ]);
  });

  it('credits an escalation to the tier the event names when that tier had not written yet', async () => {
    const c = { conversation: 'x2' } as const;
    ({ db } = await buildScenario(
      {
        messages: [
          { ...c, at: '2026-03-01 10:00:00', role: 'customer', customer: 'u2' },
          { ...c, at: '2026-03-01 10:00:05', role: 'bot' },
          { ...c, at: '2026-03-01 10:09:00', role: 'agent', agent: 'b1', vendor: 'v2', tier: 'L2' },
        ],
        events: [
          { ...c, at: '2026-03-01 10:01:00', event: 'escalated', fromTier: 'L1', toTier: 'L2', ticket: 'T2' },
          { ...c, at: '2026-03-02 11:00:00', event: 'ticket_closed', ticket: 'T2' },
        ],
      },
      { asOf: AS_OF },
    ));
    // The party at 10:01 is the bot's vendor (the last responder) in the tier the event names, L1.
    expect(await rows(db, 'select vendor, tier, is_completed_24h from marts.escalated_tickets')).toEqual([
      { vendor: 'in-house', tier: 'L1', is_completed_24h: false },
    ]);
    expect(
      await rows(db, `select vendor, tier, count_conversations, count_handled, n_escalation_completion_24h,
                             escalation_completion_24h_rate
                      from marts.kpis_by_vendor_tier_day order by vendor, tier`),
    ).toEqual([
      { vendor: 'in-house', tier: 'L1', count_conversations: 0, count_handled: 0, n_escalation_completion_24h: 1, escalation_completion_24h_rate: 0 },
      { vendor: 'in-house', tier: 'bot', count_conversations: 1, count_handled: 1, n_escalation_completion_24h: 0, escalation_completion_24h_rate: null },
      { vendor: 'v2', tier: 'L2', count_conversations: 1, count_handled: 1, n_escalation_completion_24h: 0, escalation_completion_24h_rate: null },
    ]);
  });

  it('does not rank a vendor whose 30 promises come from one conversation', async () => {
    const c = { conversation: 'ms' } as const;
    const messages = [{ ...c, at: '2026-03-01 10:00:00', role: 'customer' as const, customer: 'u3' }];
    for (let i = 1; i <= 30; i++) {
      messages.push({ ...c, at: `2026-03-01 10:${String(i).padStart(2, '0')}:00`, role: 'agent', agent: 'a1', vendor: 'v1', tier: 'L1', signals: ['callback_promise'] } as never);
    }
    ({ db } = await buildScenario({ messages }, { asOf: AS_OF }));
    expect(await rows(db, `select n, n_conversations, is_ranked, rank from marts.vendor_league where kpi = 'promise_kept'`)).toEqual([
      { n: 30, n_conversations: 1, is_ranked: false, rank: null },
    ]);
  });

  it('ranks it once the conversations reach metrics.minSample', async () => {
    const c = { conversation: 'ms' } as const;
    const messages = [{ ...c, at: '2026-03-01 10:00:00', role: 'customer' as const, customer: 'u3' }];
    messages.push({ ...c, at: '2026-03-01 10:01:00', role: 'agent', agent: 'a1', vendor: 'v1', tier: 'L1', signals: ['callback_promise'] } as never);
    ({ db } = await buildScenario({ messages }, { asOf: AS_OF, flags: { 'metrics.minSample': 1 } }));
    expect(await rows(db, `select n, n_conversations, is_ranked, rank from marts.vendor_league where kpi = 'promise_kept'`)).toEqual([
      { n: 1, n_conversations: 1, is_ranked: true, rank: 1 },
    ]);
  });
});

describe('deflection rates per conversation handled', () => {
  it('leaves conversations nobody answered out of the bot tier\'s denominator', async () => {
    ({ db } = await buildScenario(
      {
        messages: [
          { conversation: 'un', at: '2026-03-01 10:00:00', role: 'customer', customer: 'u5' },
          { conversation: 'bd', at: '2026-03-01 11:00:00', role: 'customer', customer: 'u6' },
          { conversation: 'bd', at: '2026-03-01 11:00:05', role: 'bot', signals: ['agents_busy'] },
        ],
      },
      { asOf: AS_OF },
    ));
    // Both conversations are the bot tier's (attribution), and both first responses count for its SLA (the
    // unanswered one as a miss); only the answered one was handled.
    expect(
      await rows(db, `select count_conversations, count_handled, deflection_rate, agents_busy_rate,
                             n_first_response_within_sla, first_response_within_sla_rate
                      from marts.kpis_by_vendor_tier_day`),
    ).toEqual([
      { count_conversations: 2, count_handled: 1, deflection_rate: 1, agents_busy_rate: 1, n_first_response_within_sla: 2, first_response_within_sla_rate: 0.5 },
    ]);
    expect(await rows(db, `select value, n from marts.vendor_league where kpi = 'deflection'`)).toEqual([{ value: 1, n: 1 }]);
    expect(await rows(db, `select count_handled from marts.kpis_by_channel_day`)).toEqual([{ count_handled: 1 }]);
  });
});

describe('first human response', () => {
  it('starts the wait at the handoff to a human, not at a later L1 > L2 transfer event', async () => {
    const c = { conversation: 'fh' } as const;
    ({ db } = await buildScenario(
      {
        messages: [
          { ...c, at: '2026-03-01 10:00:00', role: 'customer', customer: 'u2', channel: 'chat' },
          { ...c, at: '2026-03-01 10:00:03', role: 'bot' },
          { ...c, at: '2026-03-01 10:00:30', role: 'bot' },
          { ...c, at: '2026-03-01 10:05:00', role: 'agent', agent: 'a1', vendor: 'v1', tier: 'L1' },
          { ...c, at: '2026-03-01 10:12:00', role: 'agent', agent: 'c1', vendor: 'v1', tier: 'L2' },
        ],
        events: [{ ...c, at: '2026-03-01 10:10:00', event: 'transferred', fromTier: 'L1', toTier: 'L2' }],
      },
      { asOf: AS_OF },
    ));
    // Inferred handoff: the last bot message before the first human reply, 10:00:30 -> 10:05:00.
    const row = await conversationRow(db, 'fh');
    expect(row.first_human_response_seconds).toBe(270);
    expect(row.is_first_human_response_within_sla).toBe(false);
  });

  it('counts a customer who asked for a human and never got one as a first-human-response miss', async () => {
    const c = { conversation: 'nh' } as const;
    ({ db } = await buildScenario(
      {
        messages: [
          { ...c, at: '2026-03-01 10:00:00', role: 'customer', customer: 'u4', channel: 'chat', signals: ['human_request'] },
          { ...c, at: '2026-03-01 10:00:05', role: 'bot', signals: ['bot_transfer_block'] },
          { conversation: 'ok', at: '2026-03-01 11:00:00', role: 'customer', customer: 'u9', channel: 'chat' },
          { conversation: 'ok', at: '2026-03-01 11:00:05', role: 'bot' },
        ],
      },
      { asOf: AS_OF },
    ));
    const needed = await conversationRow(db, 'nh');
    expect(needed.first_human_response_seconds).toBeNull();
    expect(needed.is_first_human_response_within_sla).toBe(false);
    // No human needed, none came: not applicable, not a miss.
    expect((await conversationRow(db, 'ok')).is_first_human_response_within_sla).toBeNull();
    expect(
      await rows(db, `select n_first_human_response_within_sla, first_human_response_within_sla_rate from marts.kpis_by_channel_day`),
    ).toEqual([{ n_first_human_response_within_sla: 1, first_human_response_within_sla_rate: 0 }]);
  });
});

describe('response times per tier segment', () => {
  it('credits the first response to the segment that gave it and the first human response to the first human\'s', async () => {
    const c = { conversation: 'seg' } as const;
    ({ db } = await buildScenario(
      {
        messages: [
          // Needed from the request at 10:00:00 (earlier than the handoff at 10:00:05): 120 s to L1.
          { ...c, at: '2026-03-01 10:00:00', role: 'customer', customer: 'u8', signals: ['human_request'] },
          { ...c, at: '2026-03-01 10:00:05', role: 'bot' },
          { ...c, at: '2026-03-01 10:02:00', role: 'agent', agent: 'a1', vendor: 'v1', tier: 'L1' },
          { ...c, at: '2026-03-01 10:09:00', role: 'agent', agent: 'b1', vendor: 'v1', tier: 'L2' },
          // Asked for a human, blocked, left: the miss is the bot tier's (the attribution), nobody else's.
          { conversation: 'nh', at: '2026-03-01 11:00:00', role: 'customer', customer: 'u9', signals: ['human_request'] },
          { conversation: 'nh', at: '2026-03-01 11:00:04', role: 'bot' },
        ],
      },
      { asOf: AS_OF },
    ));
    expect(
      await rows(db, `select tier, count_conversations, n_first_response, median_first_response_seconds,
                             n_first_response_within_sla, first_response_within_sla_rate,
                             n_first_human_response, median_first_human_response_seconds,
                             n_first_human_response_within_sla, first_human_response_within_sla_rate
                      from marts.kpis_by_vendor_tier_day order by tier`),
    ).toEqual([
      { tier: 'L1', count_conversations: 1, n_first_response: 0, median_first_response_seconds: null,
        n_first_response_within_sla: 0, first_response_within_sla_rate: null,
        n_first_human_response: 1, median_first_human_response_seconds: 120,
        n_first_human_response_within_sla: 1, first_human_response_within_sla_rate: 1 },
      { tier: 'L2', count_conversations: 1, n_first_response: 0, median_first_response_seconds: null,
        n_first_response_within_sla: 0, first_response_within_sla_rate: null,
        n_first_human_response: 0, median_first_human_response_seconds: null,
        n_first_human_response_within_sla: 0, first_human_response_within_sla_rate: null },
      { tier: 'bot', count_conversations: 2, n_first_response: 2, median_first_response_seconds: 4.5,
        n_first_response_within_sla: 2, first_response_within_sla_rate: 1,
        n_first_human_response: 0, median_first_human_response_seconds: null,
        n_first_human_response_within_sla: 1, first_human_response_within_sla_rate: 0 },
    ]);
  });
});
