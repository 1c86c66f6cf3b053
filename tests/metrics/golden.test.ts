/**
 * Golden scenarios: small conversations whose every per-conversation metric was worked out by hand from the
 * definitions in spec/metrics.md and the choices stated in the SQL headers. Defaults in force: SLA first
 * response bot 30 s / L1 60 s / L2 120 s, first human response 240 s, human reach target 240 s, FCR windows
 * 24/72/168 h, containment and reopen windows 24 h.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { baseConversation, buildScenario, conversationRow, rows, utc } from './harness.js';

const AS_OF = '2026-03-10T00:00:00Z';
const LATE_AS_OF = '2026-03-20T00:00:00Z';
const day = (text: string) => utc(`${text} 00:00:00`);

let db: Db | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
});

describe('golden conversations', () => {
  it('no reply at all: nothing answered, not contained, windows judged on the lone message', async () => {
    ({ db } = await buildScenario(
      { messages: [{ conversation: 'nr', at: '2026-03-01 10:00:00', role: 'customer', customer: 'u1', channel: 'chat', sentiment: -0.4 }] },
      { asOf: AS_OF },
    ));
    expect(await conversationRow(db, 'nr')).toEqual({
      ...baseConversation(),
      conversation_id: 'nr', customer_id: 'u1', channel: 'chat',
      started_at: utc('2026-03-01 10:00:00'), ended_at: utc('2026-03-01 10:00:00'), report_date: day('2026-03-01'),
      is_first_response_within_sla: false,
      is_fcr_24h: true, is_fcr_72h: true, is_fcr_7d: true, is_reopened: false,
      sentiment_opening: -0.4, sentiment_closing: -0.4, sentiment_change: 0, sentiment_lowest: -0.4,
      is_ending_negative: true,
      count_messages: 1, count_customer_messages: 1,
    });
  });

  it('bot-only and no repeat: contained', async () => {
    ({ db } = await buildScenario(
      {
        messages: [
          { conversation: 'bc', at: '2026-03-01 10:00:00', role: 'customer', customer: 'u2', channel: 'chat', sentiment: 0 },
          { conversation: 'bc', at: '2026-03-01 10:00:10', role: 'bot' },
          { conversation: 'bc', at: '2026-03-01 10:01:00', role: 'customer', signals: ['thanks_resolved'], sentiment: 0.6 },
          { conversation: 'bc', at: '2026-03-01 10:01:05', role: 'bot' },
        ],
      },
      { asOf: AS_OF },
    ));
    expect(await conversationRow(db, 'bc')).toEqual({
      ...baseConversation(),
      conversation_id: 'bc', customer_id: 'u2', channel: 'chat',
      started_at: utc('2026-03-01 10:00:00'), ended_at: utc('2026-03-01 10:01:05'), report_date: day('2026-03-01'),
      escalation_path: 'bot', first_response_seconds: 10, is_first_response_within_sla: true,
      is_bot_contained: true, is_fcr_24h: true, is_fcr_72h: true, is_fcr_7d: true, is_reopened: false,
      sentiment_opening: 0, sentiment_closing: 0.6, sentiment_change: 0.6, sentiment_lowest: 0, is_ending_negative: false,
      has_thanks_resolved: true,
      count_messages: 4, count_customer_messages: 2, count_bot_messages: 2,
    });
  });

  it('bot-only then a repeat contact within 24 h: not contained, not resolved at first contact', async () => {
    ({ db } = await buildScenario(
      {
        messages: [
          { conversation: 'r1', at: '2026-03-01 10:00:00', role: 'customer', customer: 'u3' },
          { conversation: 'r1', at: '2026-03-01 10:00:20', role: 'bot' },
          { conversation: 'r2', at: '2026-03-02 09:00:00', role: 'customer', customer: 'u3' },
          { conversation: 'r2', at: '2026-03-02 09:00:05', role: 'bot' },
        ],
      },
      { asOf: AS_OF },
    ));
    expect(await conversationRow(db, 'r1')).toEqual({
      ...baseConversation(),
      conversation_id: 'r1', customer_id: 'u3',
      started_at: utc('2026-03-01 10:00:00'), ended_at: utc('2026-03-01 10:00:20'), report_date: day('2026-03-01'),
      escalation_path: 'bot', first_response_seconds: 20, is_first_response_within_sla: true,
      is_bot_contained: false, is_fcr_24h: false, is_fcr_72h: false, is_fcr_7d: false, is_reopened: false,
      count_messages: 2, count_customer_messages: 1, count_bot_messages: 1,
    });
    expect((await conversationRow(db, 'r2')).is_bot_contained).toBe(true);
  });

  it('human request blocked twice by the bot, then reached', async () => {
    const c = { conversation: 'hb' } as const;
    ({ db } = await buildScenario(
      {
        messages: [
          { ...c, at: '2026-03-01 10:00:00', role: 'customer', customer: 'u4', channel: 'chat', signals: ['human_request'], sentiment: -0.3 },
          { ...c, at: '2026-03-01 10:00:05', role: 'bot', signals: ['bot_transfer_block'] },
          { ...c, at: '2026-03-01 10:00:20', role: 'customer', signals: ['human_request'], sentiment: -0.6 },
          { ...c, at: '2026-03-01 10:00:25', role: 'bot', signals: ['bot_transfer_block'] },
          { ...c, at: '2026-03-01 10:00:40', role: 'customer', signals: ['human_request', 'anger'], sentiment: -0.9 },
          { ...c, at: '2026-03-01 10:00:45', role: 'bot', text: '正在为您转接人工' },
          { ...c, at: '2026-03-01 10:03:45', role: 'agent', agent: 'a1', agentName: 'Ann', vendor: 'v1', tier: 'L1' },
          { ...c, at: '2026-03-01 10:05:00', role: 'customer', signals: ['thanks_resolved'], sentiment: 0.5 },
          { ...c, at: '2026-03-01 10:06:00', role: 'agent', agent: 'a1', agentName: 'Ann', vendor: 'v1', tier: 'L1' },
        ],
      },
      { asOf: AS_OF },
    ));
    // Need for a human: the first request at 10:00:00 (earlier than the handoff at 10:00:45); reply 10:03:45.
    // Deflection shifts: after block 1, mean(-0.6, -0.9) - (-0.3) = -0.45; after block 2,
    // mean(-0.9, 0.5) - mean(-0.3, -0.6) = 0.25; mean of both = -0.1.
    expect(await conversationRow(db, 'hb')).toEqual({
      ...baseConversation(),
      conversation_id: 'hb', customer_id: 'u4', channel: 'chat',
      started_at: utc('2026-03-01 10:00:00'), ended_at: utc('2026-03-01 10:06:00'), report_date: day('2026-03-01'),
      vendor: 'v1', tier: 'L1', agent_id: 'a1', agent_name: 'Ann', is_human_handled: true,
      escalation_path: 'bot>L1', count_transfers: 1,
      first_response_seconds: 5, first_human_response_seconds: 225, time_to_human_seconds: 225,
      is_human_reached: true, is_human_reached_within_target: true,
      is_first_response_within_sla: true, is_first_human_response_within_sla: true,
      count_human_requests: 3, count_bot_blocks: 2,
      is_fcr_24h: true, is_fcr_72h: true, is_fcr_7d: true, is_reopened: false,
      sentiment_opening: -0.3, sentiment_closing: 0.5, sentiment_change: 0.8, sentiment_lowest: -0.9,
      is_ending_negative: false,
      count_bot_transfer_block: 2, has_deflection: true, sentiment_change_after_deflection: -0.1,
      count_anger: 1, has_thanks_resolved: true,
      count_messages: 9, count_customer_messages: 4, count_agent_messages: 2, count_bot_messages: 3,
      handle_seconds: 135,
    });
  });

  it('transfer bot > L1 > L2 > L1 with events: ping-pong, per-tier segments, escalation completed', async () => {
    const c = { conversation: 'pp' } as const;
    ({ db } = await buildScenario(
      {
        messages: [
          { ...c, at: '2026-03-01 09:00:00', role: 'customer', customer: 'u5', channel: 'chat' },
          { ...c, at: '2026-03-01 09:00:02', role: 'bot' },
          { ...c, at: '2026-03-01 09:02:00', role: 'agent', agent: 'a1', vendor: 'v1', tier: 'L1' },
          { ...c, at: '2026-03-01 09:06:00', role: 'agent', agent: 'b1', vendor: 'v2', tier: 'L2' },
          { ...c, at: '2026-03-01 09:21:00', role: 'agent', agent: 'a2', vendor: 'v1', tier: 'L1' },
          { ...c, at: '2026-03-01 09:25:00', role: 'customer' },
        ],
        events: [
          { ...c, at: '2026-03-01 09:01:00', event: 'transferred', fromTier: 'bot', toTier: 'L1' },
          { ...c, at: '2026-03-01 09:05:00', event: 'escalated', fromTier: 'L1', toTier: 'L2', ticket: 'T5' },
          { ...c, at: '2026-03-01 09:20:00', event: 'transferred', fromTier: 'L2', toTier: 'L1' },
          { ...c, at: '2026-03-02 08:00:00', event: 'ticket_closed', ticket: 'T5' },
        ],
      },
      { asOf: LATE_AS_OF },
    ));
    // The close event is the last record, so the contact ends at 2026-03-02 08:00 (contract: last message or event).
    expect(await conversationRow(db, 'pp')).toEqual({
      ...baseConversation(),
      conversation_id: 'pp', customer_id: 'u5', channel: 'chat', ticket_id: 'T5',
      started_at: utc('2026-03-01 09:00:00'), ended_at: utc('2026-03-02 08:00:00'), report_date: day('2026-03-01'),
      vendor: 'v1', tier: 'L1', agent_id: 'a2', is_human_handled: true,
      escalation_path: 'bot>L1>L2>L1', count_transfers: 3, has_ping_pong: true,
      first_response_seconds: 2, first_human_response_seconds: 60,
      is_first_response_within_sla: true, is_first_human_response_within_sla: true,
      is_fcr_24h: true, is_fcr_72h: true, is_fcr_7d: true, is_reopened: false,
      count_messages: 6, count_customer_messages: 2, count_agent_messages: 3, count_bot_messages: 1,
      handle_seconds: 1140,
    });
    expect(await rows(db, 'select * from marts.escalated_tickets')).toEqual([
      {
        ticket_id: 'T5', conversation_id: 'pp', escalated_at: utc('2026-03-01 09:05:00'),
        closed_at: utc('2026-03-02 08:00:00'), vendor: 'v1', tier: 'L1', agent_id: 'a1',
        completion_seconds: 82500, is_window_ended: true, is_completed_24h: true,
      },
    ]);
    expect(
      await rows(db, 'select vendor, tier, count_conversations from marts.kpis_by_vendor_tier_day order by vendor, tier'),
    ).toEqual([
      { vendor: 'in-house', tier: 'bot', count_conversations: 1 },
      { vendor: 'v1', tier: 'L1', count_conversations: 1 },
      { vendor: 'v2', tier: 'L2', count_conversations: 1 },
    ]);
  });

  it('escalations closed at 23 h 59 m and at 24 h 01 m, and one whose window is still open', async () => {
    const opened = (conversation: string, customer: string, agent: string, date: string) => [
      { conversation, at: `${date} 11:50:00`, role: 'customer' as const, customer },
      { conversation, at: `${date} 11:55:00`, role: 'agent' as const, agent, vendor: 'v1', tier: 'L1' },
    ];
    ({ db } = await buildScenario(
      {
        messages: [...opened('e1', 'u6a', 'x1', '2026-03-01'), ...opened('e2', 'u6b', 'x2', '2026-03-01'),
          ...opened('e3', 'u6c', 'x3', '2026-03-09')],
        events: [
          { conversation: 'e1', at: '2026-03-01 12:00:00', event: 'escalated', fromTier: 'L1', toTier: 'L2', ticket: 'T6a' },
          { conversation: 'e1', at: '2026-03-02 11:59:00', event: 'ticket_closed', ticket: 'T6a' },
          { conversation: 'e2', at: '2026-03-01 12:00:00', event: 'escalated', fromTier: 'L1', toTier: 'L2', ticket: 'T6b' },
          { conversation: 'e2', at: '2026-03-02 12:01:00', event: 'resolved', ticket: 'T6b' },
          { conversation: 'e3', at: '2026-03-09 12:00:00', event: 'escalated', fromTier: 'L1', toTier: 'L2', ticket: 'T6c' },
        ],
      },
      { asOf: AS_OF },
    ));
    expect(await rows(db, 'select * from marts.escalated_tickets order by ticket_id')).toEqual([
      {
        ticket_id: 'T6a', conversation_id: 'e1', escalated_at: utc('2026-03-01 12:00:00'),
        closed_at: utc('2026-03-02 11:59:00'), vendor: 'v1', tier: 'L1', agent_id: 'x1',
        completion_seconds: 86340, is_window_ended: true, is_completed_24h: true,
      },
      {
        ticket_id: 'T6b', conversation_id: 'e2', escalated_at: utc('2026-03-01 12:00:00'),
        closed_at: utc('2026-03-02 12:01:00'), vendor: 'v1', tier: 'L1', agent_id: 'x2',
        completion_seconds: 86460, is_window_ended: true, is_completed_24h: false,
      },
      {
        ticket_id: 'T6c', conversation_id: 'e3', escalated_at: utc('2026-03-09 12:00:00'),
        closed_at: null, vendor: 'v1', tier: 'L1', agent_id: 'x3',
        completion_seconds: null, is_window_ended: false, is_completed_24h: null,
      },
    ]);
    const [first] = await rows(
      db,
      `select count_conversations, n_escalation_completion_24h, escalation_completion_24h_rate,
              escalation_completion_24h_rate_low, escalation_completion_24h_rate_high
       from marts.kpis_by_vendor_tier_day where report_date = '2026-03-01' and vendor = 'v1' and tier = 'L1'`,
    );
    // Wilson 95 % for 1 of 2: centre 0.5, half-width 1.96 * sqrt(0.125 + 0.2401) / 2.9208 = 0.40547.
    expect(first).toMatchObject({ count_conversations: 2, n_escalation_completion_24h: 2, escalation_completion_24h_rate: 0.5 });
    expect(first!.escalation_completion_24h_rate_low).toBeCloseTo(0.0945, 4);
    expect(first!.escalation_completion_24h_rate_high).toBeCloseTo(0.9055, 4);
  });

  it('a window that has not ended at the as-of time is NULL, not resolved (as-of derived from the data)', async () => {
    let result;
    ({ db, result } = await buildScenario({
      messages: [
        { conversation: 'wo', at: '2026-03-09 20:00:00', role: 'customer', customer: 'u7' },
        { conversation: 'wo', at: '2026-03-09 20:00:05', role: 'bot' },
      ],
    }));
    expect(result.settings.asOf).toBe('2026-03-10T00:00:00.000Z');
    expect(await conversationRow(db, 'wo')).toEqual({
      ...baseConversation(),
      conversation_id: 'wo', customer_id: 'u7',
      started_at: utc('2026-03-09 20:00:00'), ended_at: utc('2026-03-09 20:00:05'), report_date: day('2026-03-09'),
      escalation_path: 'bot', first_response_seconds: 5, is_first_response_within_sla: true,
      is_bot_contained: null,
      count_messages: 2, count_customer_messages: 1, count_bot_messages: 1,
    });
    const [kpis] = await rows(db, 'select count_conversations, n_fcr_24h, fcr_24h_rate, n_bot_containment from marts.kpis_by_vendor_tier_day');
    expect(kpis).toEqual({ count_conversations: 1, n_fcr_24h: 0, fcr_24h_rate: null, n_bot_containment: 0 });
  });

  it('a repeat exactly on the window boundary counts as a repeat; one second later it does not', async () => {
    const pair = (first: string, second: string, customer: string, secondAt: string) => [
      { conversation: first, at: '2026-03-01 10:00:00', role: 'customer' as const, customer },
      { conversation: first, at: '2026-03-01 10:00:10', role: 'bot' as const },
      { conversation: second, at: secondAt, role: 'customer' as const, customer },
      { conversation: second, at: '2026-03-02 10:00:15', role: 'bot' as const },
    ];
    ({ db } = await buildScenario(
      { messages: [...pair('b1', 'b2', 'u8', '2026-03-02 10:00:10'), ...pair('b3', 'b4', 'u9', '2026-03-02 10:00:11')] },
      { asOf: LATE_AS_OF },
    ));
    const bot = {
      ...baseConversation(),
      started_at: utc('2026-03-01 10:00:00'), ended_at: utc('2026-03-01 10:00:10'), report_date: day('2026-03-01'),
      escalation_path: 'bot', first_response_seconds: 10, is_first_response_within_sla: true, is_reopened: false,
      count_messages: 2, count_customer_messages: 1, count_bot_messages: 1,
    };
    expect(await conversationRow(db, 'b1')).toEqual({
      ...bot, conversation_id: 'b1', customer_id: 'u8',
      is_bot_contained: false, is_fcr_24h: false, is_fcr_72h: false, is_fcr_7d: false,
    });
    expect(await conversationRow(db, 'b3')).toEqual({
      ...bot, conversation_id: 'b3', customer_id: 'u9',
      is_bot_contained: true, is_fcr_24h: true, is_fcr_72h: false, is_fcr_7d: false,
    });
  });

  it('the survey is credited to the last human replier after a reassignment', async () => {
    const c = { conversation: 'sv' } as const;
    ({ db } = await buildScenario(
      {
        messages: [
          { ...c, at: '2026-03-01 10:00:00', role: 'customer', customer: 'u10', channel: 'chat' },
          { ...c, at: '2026-03-01 10:01:00', role: 'agent', agent: 'a1', vendor: 'v1', tier: 'L1' },
          { ...c, at: '2026-03-01 10:06:00', role: 'agent', agent: 'a2', vendor: 'v1', tier: 'L1' },
          { ...c, at: '2026-03-01 10:07:00', role: 'customer' },
        ],
        events: [{ ...c, at: '2026-03-01 10:05:00', event: 'assigned', agent: 'a2' }],
        surveys: [{ ...c, at: '2026-03-01 10:30:00', csat: 4, agent: 'a1' }],
      },
      { asOf: AS_OF },
    ));
    expect(await conversationRow(db, 'sv')).toEqual({
      ...baseConversation(),
      conversation_id: 'sv', customer_id: 'u10', channel: 'chat',
      started_at: utc('2026-03-01 10:00:00'), ended_at: utc('2026-03-01 10:07:00'), report_date: day('2026-03-01'),
      vendor: 'v1', tier: 'L1', agent_id: 'a2', is_human_handled: true,
      escalation_path: 'L1', count_transfers: 1,
      first_response_seconds: 60, first_human_response_seconds: 60,
      is_first_response_within_sla: true, is_first_human_response_within_sla: true,
      is_fcr_24h: true, is_fcr_72h: true, is_fcr_7d: true, is_reopened: false,
      csat: 4, is_csat_top2: true, has_survey: true,
      count_messages: 4, count_customer_messages: 2, count_agent_messages: 2,
      handle_seconds: 300,
    });
    expect(
      await rows(db, `select agent_id, count_conversations, count_handled, n_csat_top2, csat_top2_rate, csat_mean
                       from marts.kpis_by_agent order by agent_id`),
    ).toEqual([
      { agent_id: 'a1', count_conversations: 0, count_handled: 1, n_csat_top2: 0, csat_top2_rate: null, csat_mean: null },
      { agent_id: 'a2', count_conversations: 1, count_handled: 1, n_csat_top2: 1, csat_top2_rate: 1, csat_mean: 4 },
    ]);
  });

  it('report days follow the report time zone, and the derived as-of is the end of the last local day', async () => {
    let result;
    ({ db, result } = await buildScenario(
      {
        messages: [
          { conversation: 't1', at: '2026-03-01 16:30:00', role: 'customer', customer: 'u11' },
          { conversation: 't1', at: '2026-03-01 16:30:05', role: 'bot' },
          { conversation: 't2', at: '2026-03-01 15:30:00', role: 'customer', customer: 'u12' },
          { conversation: 't2', at: '2026-03-01 15:30:05', role: 'bot' },
        ],
      },
      { flags: { 'report.timezone': 'Asia/Shanghai' } },
    ));
    // 16:30 UTC is 00:30 on 2 March in Shanghai; the last local day ends at 2026-03-03 00:00 +08:00.
    expect(result.settings.asOf).toBe('2026-03-02T16:00:00.000Z');
    expect(await rows(db, 'select conversation_id, report_date, is_fcr_24h from marts.conversations order by 1')).toEqual([
      { conversation_id: 't1', report_date: day('2026-03-02'), is_fcr_24h: null },
      { conversation_id: 't2', report_date: day('2026-03-01'), is_fcr_24h: true },
    ]);
    expect(await rows(db, 'select report_date, tier, count_conversations from marts.kpis_by_vendor_tier_day order by 1')).toEqual([
      { report_date: day('2026-03-01'), tier: 'bot', count_conversations: 1 },
      { report_date: day('2026-03-02'), tier: 'bot', count_conversations: 1 },
    ]);
  });

  it('without events, transfers and the handoff are inferred from messages', async () => {
    const c = { conversation: 'inf' } as const;
    ({ db } = await buildScenario(
      {
        messages: [
          { ...c, at: '2026-03-01 10:00:00', role: 'customer', customer: 'u13', channel: 'chat' },
          { ...c, at: '2026-03-01 10:00:03', role: 'bot' },
          { ...c, at: '2026-03-01 10:00:30', role: 'bot', text: '正在为您转接' },
          { ...c, at: '2026-03-01 10:02:30', role: 'agent', agent: 'a1', vendor: 'v1', tier: 'L1' },
          { ...c, at: '2026-03-01 10:10:00', role: 'agent', agent: 'c1', vendor: 'v1', tier: 'L2' },
          { ...c, at: '2026-03-01 10:12:00', role: 'customer' },
        ],
      },
      { asOf: AS_OF },
    ));
    expect(await conversationRow(db, 'inf')).toEqual({
      ...baseConversation(),
      conversation_id: 'inf', customer_id: 'u13', channel: 'chat',
      started_at: utc('2026-03-01 10:00:00'), ended_at: utc('2026-03-01 10:12:00'), report_date: day('2026-03-01'),
      vendor: 'v1', tier: 'L2', agent_id: 'c1', is_human_handled: true,
      escalation_path: 'bot>L1>L2', count_transfers: 2,
      first_response_seconds: 3, first_human_response_seconds: 120,
      is_first_response_within_sla: true, is_first_human_response_within_sla: true,
      is_fcr_24h: true, is_fcr_72h: true, is_fcr_7d: true, is_reopened: false,
      count_messages: 6, count_customer_messages: 2, count_agent_messages: 2, count_bot_messages: 2,
      handle_seconds: 450,
    });
  });

  it('human service per channel and day counts each conversation once, with unknown channels named', async () => {
    ({ db } = await buildScenario(
      {
        messages: [
          { conversation: 'ch1', at: '2026-03-01 10:00:00', role: 'customer', customer: 'u15', channel: 'chat', signals: ['human_request'] },
          { conversation: 'ch1', at: '2026-03-01 10:02:00', role: 'agent', agent: 'a1', vendor: 'v1', tier: 'L1' },
          { conversation: 'ch2', at: '2026-03-01 11:00:00', role: 'customer', customer: 'u16', channel: 'chat' },
          { conversation: 'ch2', at: '2026-03-01 11:00:05', role: 'bot' },
          { conversation: 'ch3', at: '2026-03-01 12:00:00', role: 'customer', customer: 'u17', channel: 'app' },
          { conversation: 'ch3', at: '2026-03-01 12:01:00', role: 'agent', agent: 'a2', vendor: 'v2', tier: 'L1' },
          { conversation: 'ch4', at: '2026-03-01 13:00:00', role: 'customer', customer: 'u18' },
          { conversation: 'ch4', at: '2026-03-01 13:00:03', role: 'bot' },
        ],
      },
      { asOf: AS_OF },
    ));
    // Wilson 95 % by hand (z = 1.96): 1 of 2 -> [0.094528655, 0.905471345]; 0 of 1 -> [0, 0.793456709];
    // 1 of 1 -> [0.206543291, 1].
    expect(await rows(db, `select report_date, channel, count_conversations, human_service_ratio, human_service_ratio_low,
        human_service_ratio_high, n_human_reached_within_target, human_reached_within_target_rate, has_min_sample
      from marts.kpis_by_channel_day order by channel`)).toEqual([
      { report_date: day('2026-03-01'), channel: 'app', count_conversations: 1, human_service_ratio: 1,
        human_service_ratio_low: 0.206543291, human_service_ratio_high: 1, n_human_reached_within_target: 0,
        human_reached_within_target_rate: null, has_min_sample: false },
      { report_date: day('2026-03-01'), channel: 'chat', count_conversations: 2, human_service_ratio: 0.5,
        human_service_ratio_low: 0.094528655, human_service_ratio_high: 0.905471345, n_human_reached_within_target: 1,
        human_reached_within_target_rate: 1, has_min_sample: false },
      { report_date: day('2026-03-01'), channel: 'unknown', count_conversations: 1, human_service_ratio: 0,
        human_service_ratio_low: 0, human_service_ratio_high: 0.793456709, n_human_reached_within_target: 0,
        human_reached_within_target_rate: null, has_min_sample: false },
    ]);
  });

  it('a responder change is a transfer whatever characters the vendor and agent names hold', async () => {
    // Joined with a separator, these two responders would read the same (L1|acme|east|a1).
    const c = { conversation: 'sep' } as const;
    ({ db } = await buildScenario(
      {
        messages: [
          { ...c, at: '2026-03-01 10:00:00', role: 'customer', customer: 'u14', channel: 'chat' },
          { ...c, at: '2026-03-01 10:01:00', role: 'agent', agent: 'a1', vendor: 'acme|east', tier: 'L1' },
          { ...c, at: '2026-03-01 10:05:00', role: 'agent', agent: 'east|a1', vendor: 'acme', tier: 'L1' },
        ],
      },
      { asOf: AS_OF },
    ));
    expect(await rows(db, `select count_transfers, vendor, agent_id from marts.conversations where conversation_id = 'sep'`))
      .toEqual([{ count_transfers: 1, vendor: 'acme', agent_id: 'east|a1' }]);
  });
});
