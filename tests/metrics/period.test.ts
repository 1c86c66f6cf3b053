import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/database.js';
import { generateFixtures } from '../../src/fixtures/generate.js';
import { ingest } from '../../src/ingest/load.js';
import { buildMetrics, type BuildResult } from '../../src/metrics/build.js';
import { buildRunSummary } from '../../src/pipeline/summary.js';
import { periodStartFor } from '../../src/metrics/settings.js';
import { scoreDatabase } from '../../src/score/scoreDatabase.js';
import { scoreOptionsFromConfig } from '../../src/score/setup.js';
import { rows, testConfig } from './harness.js';

const AS_OF = '2026-11-07T00:00:00Z';
const PERIOD_START = '2026-11-04 00:00:00';

/**
 * A conversation that began before the period and goes on inside it: a period build leaves it out whole. A ticket
 * escalated before the period, escalated again inside it and closed from a third conversation: the ticket belongs
 * to the earliest, so the period's escalated tickets leave it out, while the two later conversations stay with
 * their own facts.
 */
const LINKED = [
  { type: 'message', conversation_id: 'straddler', message_id: '1', sent_at: '2026-11-03T23:50:00Z', role: 'customer', customer_id: 'u-s', text: '我的退款呢' },
  { type: 'message', conversation_id: 'straddler', message_id: '2', sent_at: '2026-11-04T00:10:00Z', role: 'agent', agent_id: 'A1', vendor: 'V1', tier: 'L1', customer_id: 'u-s', text: '已为您退款' },
  { type: 'message', conversation_id: 'escalated-early', message_id: '1', sent_at: '2026-11-03T10:00:00Z', role: 'customer', customer_id: 'u-t', text: '商品坏了' },
  { type: 'message', conversation_id: 'escalated-early', message_id: '2', sent_at: '2026-11-03T10:01:00Z', role: 'agent', agent_id: 'A1', vendor: 'V1', tier: 'L1', customer_id: 'u-t', text: '已为您升级处理' },
  { type: 'event', conversation_id: 'escalated-early', occurred_at: '2026-11-03T10:02:00Z', event: 'escalated', ticket_id: 'T-early', from_tier: 'L1', to_tier: 'L2' },
  { type: 'message', conversation_id: 'closed-later', message_id: '1', sent_at: '2026-11-05T09:00:00Z', role: 'customer', customer_id: 'u-t', text: '处理好了吗' },
  { type: 'message', conversation_id: 'closed-later', message_id: '2', sent_at: '2026-11-05T09:01:00Z', role: 'agent', agent_id: 'A2', vendor: 'V1', tier: 'L2', customer_id: 'u-t', text: '已经处理完成' },
  { type: 'event', conversation_id: 'closed-later', occurred_at: '2026-11-05T09:02:00Z', event: 'ticket_closed', ticket_id: 'T-early' },
  { type: 'message', conversation_id: 're-escalated', message_id: '1', sent_at: '2026-11-04T12:00:00Z', role: 'customer', customer_id: 'u-t', text: '还没处理' },
  { type: 'message', conversation_id: 're-escalated', message_id: '2', sent_at: '2026-11-04T12:01:00Z', role: 'agent', agent_id: 'A3', vendor: 'V2', tier: 'L1', customer_id: 'u-t', text: '再次为您升级' },
  { type: 'event', conversation_id: 're-escalated', occurred_at: '2026-11-04T12:02:00Z', event: 'escalated', ticket_id: 'T-early', from_tier: 'L1', to_tier: 'L2' },
  // A promise inside the period, kept by a callback that an earlier conversation of the same customer logs.
  { type: 'message', conversation_id: 'called-early', message_id: '1', sent_at: '2026-11-03T20:00:00Z', role: 'customer', customer_id: 'u-c', text: '快递丢了' },
  { type: 'message', conversation_id: 'promised', message_id: '1', sent_at: '2026-11-04T09:00:00Z', role: 'customer', customer_id: 'u-c', text: '还是没有消息' },
  { type: 'message', conversation_id: 'promised', message_id: '2', sent_at: '2026-11-04T09:01:00Z', role: 'agent', agent_id: 'A4', vendor: 'V3', tier: 'L1', customer_id: 'u-c', text: '稍后专员会在24小时内给您回电' },
  { type: 'event', conversation_id: 'called-early', occurred_at: '2026-11-04T15:00:00Z', event: 'callback_made' },
];
const LEFT_OUT = ['straddler', 'promised'];

let db: Db;
let full: Awaited<ReturnType<typeof marts>>;
let period: Awaited<ReturnType<typeof marts>>;
let periodStart: string | null;
let limitedBuild: BuildResult;

async function marts(target: Db) {
  return {
    conversations: await rows(target, 'select * from marts.conversations order by conversation_id'),
    vendorDays: await rows(target, 'select * from marts.kpis_by_vendor_tier_day order by all'),
    agentDays: await rows(target, 'select * from marts.kpis_by_agent_day order by all'),
    channelDays: await rows(target, 'select * from marts.kpis_by_channel_day order by all'),
    escalated: await rows(target, 'select * from marts.escalated_tickets order by all'),
  };
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'csqa-period-'));
  await generateFixtures({ conversations: 600, seed: 5, outDir: join(dir, 'in'), start: '2026-11-01', days: 6, messyRate: 0, gzip: false });
  writeFileSync(join(dir, 'in', 'linked.jsonl'), LINKED.map((r) => JSON.stringify(r)).join('\n') + '\n');
  db = await openDatabase(':memory:');
  const config = testConfig();
  await ingest(db, [join(dir, 'in')], config);
  await scoreDatabase(db, await scoreOptionsFromConfig(config));
  await buildMetrics(db, config, { asOf: AS_OF });
  full = await marts(db);
  limitedBuild = await buildMetrics(db, testConfig({ 'metrics.periodDays': 3 }), { asOf: AS_OF });
  periodStart = limitedBuild.settings.periodStart;
  period = await marts(db);
}, 120_000);

afterAll(() => db?.close());

const inPeriod = (row: Record<string, unknown>, column: string) => String((row[column] as Date).toISOString().slice(0, 10)) >= '2026-11-04';

describe('metrics.periodDays', () => {
  it('starts the period at the first of the last N report days before the as-of time, and says so in the run summary', () => {
    expect(periodStart).toBe('2026-11-04T00:00:00.000Z');
    const at = new Date(AS_OF);
    const summary = buildRunSummary({
      database: ':memory:', outDir: 'out', startedAt: at, finishedAt: at,
      result: { inputs: [], stages: [], warnings: [], metrics: limitedBuild },
    });
    expect(summary).toMatchObject({ asOf: '2026-11-07T00:00:00.000Z', periodStart: '2026-11-04T00:00:00.000Z' });
  });

  it('gives every conversation that began in the period the same facts as a whole-history build', () => {
    const begunInPeriod = full.conversations.filter(
      (r) => (r.started_at as Date) >= new Date(PERIOD_START.replace(' ', 'T') + 'Z') && !LEFT_OUT.includes(r.conversation_id as string),
    );
    expect(begunInPeriod.length).toBeGreaterThan(100);
    expect(full.conversations.length).toBeGreaterThan(begunInPeriod.length + 100);
    expect(period.conversations).toEqual(begunInPeriod);
    for (const id of LEFT_OUT) {
      expect(full.conversations.some((r) => r.conversation_id === id), id).toBe(true);
      expect(period.conversations.some((r) => r.conversation_id === id), id).toBe(false);
    }
    // Why 'promised' is left out: its promise is kept by a callback that only the earlier conversation logs.
    expect(full.conversations.find((r) => r.conversation_id === 'promised')).toMatchObject({ count_promises_kept: 1 });
  });

  it('gives the period days the same vendor and agent KPIs, but for the conversations left out, and no day before it', () => {
    // The conversation left out inside the period is the only one of vendor V3 and agent A4.
    const leftOut = (r: Record<string, unknown>) => r.vendor === 'V3' || r.agent_id === 'A4';
    for (const mart of ['vendorDays', 'agentDays'] as const) {
      const days = full[mart].filter((r) => inPeriod(r, 'report_date'));
      expect(days.length, mart).toBeGreaterThan(3);
      expect(days.some(leftOut), mart).toBe(true);
      expect(period[mart], mart).toEqual(days.filter((r) => !leftOut(r)));
    }
  });

  it('gives the period days the same channel KPIs, but for the channel days of the conversations left out', () => {
    const channelDay = (r: Record<string, unknown>, channel = r.channel) => `${String(r.report_date)} ${String(channel ?? 'unknown')}`;
    const touched = new Set(full.conversations.filter((r) => LEFT_OUT.includes(String(r.conversation_id)) && inPeriod(r, 'report_date'))
      .map((r) => channelDay(r)));
    expect(touched.size).toBeGreaterThan(0);
    const days = full.channelDays.filter((r) => inPeriod(r, 'report_date'));
    expect(days.length).toBeGreaterThan(touched.size);
    expect(period.channelDays.filter((r) => !touched.has(channelDay(r)))).toEqual(days.filter((r) => !touched.has(channelDay(r))));
    expect(period.channelDays.reduce((sum, r) => sum + Number(r.count_conversations), 0)).toBe(period.conversations.length);
  });

  it('keeps the escalated tickets of the period conversations, each as a whole-history build sees it', () => {
    const ids = new Set(period.conversations.map((r) => r.conversation_id));
    expect(period.escalated.length).toBeGreaterThan(0);
    expect(period.escalated).toEqual(full.escalated.filter((r) => ids.has(r.conversation_id)));
    // The early ticket was escalated again and closed inside the period: it stays the earlier conversation's.
    expect(full.escalated.find((r) => r.ticket_id === 'T-early')).toMatchObject({ conversation_id: 'escalated-early' });
    expect(period.escalated.some((r) => r.ticket_id === 'T-early')).toBe(false);
    for (const id of ['closed-later', 're-escalated']) expect(period.conversations.some((r) => r.conversation_id === id), id).toBe(true);
  });
});

describe('periodStartFor', () => {
  it('counts report days in the report time zone', async () => {
    const mem = await openDatabase(':memory:');
    try {
      // As-of = midnight in Shanghai: the three days before it, from their local midnight.
      expect(await periodStartFor(mem, '2026-11-06T16:00:00.000Z', 3, 'Asia/Shanghai')).toBe('2026-11-03T16:00:00.000Z');
      // An as-of time inside a day counts that day as the period's last.
      expect(await periodStartFor(mem, '2026-11-07T10:30:00.000Z', 1, 'UTC')).toBe('2026-11-07T00:00:00.000Z');
    } finally {
      mem.close();
    }
  });
});
