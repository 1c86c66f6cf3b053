/**
 * A small deterministic world for coaching tests: marts.conversations (built by hand against
 * sql/CONTRACT.md, since the real marts are written elsewhere), raw.messages and scores.message_signals,
 * with weaknesses planted on chosen agents.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/db/database.js';
import { ensureRawSchema } from '../../src/db/schema.js';
import { DEFLECTION_CATEGORIES } from '../../src/coach/metrics.js';

export const MARTS_CONVERSATIONS_DDL = `
create schema if not exists marts;
create table marts.conversations (
  conversation_id varchar, customer_id varchar, channel varchar, intent varchar, order_id varchar,
  started_at timestamp, ended_at timestamp, report_date date,
  vendor varchar, tier varchar, agent_id varchar, is_human_handled boolean,
  escalation_path varchar, count_transfers integer, has_ping_pong boolean,
  first_response_seconds double, first_human_response_seconds double, time_to_human_seconds double,
  is_human_reached boolean, is_human_reached_within_target boolean,
  count_human_requests integer, count_bot_blocks integer, is_bot_contained boolean,
  is_fcr_24h boolean, is_fcr_72h boolean, is_fcr_7d boolean, is_reopened boolean,
  csat integer, is_csat_top2 boolean, nps integer, has_survey boolean,
  sentiment_opening double, sentiment_closing double, sentiment_change double, sentiment_lowest double,
  is_ending_negative boolean,
  ${DEFLECTION_CATEGORIES.map((c) => `count_${c} integer`).join(', ')},
  has_deflection boolean, sentiment_change_after_deflection double,
  count_callback_promises integer, count_promises_kept integer, count_promises_broken integer,
  count_complaint_threats integer, count_anger integer, count_repeat_explanations integer, has_thanks_resolved boolean,
  count_messages integer, count_customer_messages integer, count_agent_messages integer, count_bot_messages integer,
  handle_seconds double
)`;

/** mulberry32: a tiny seeded PRNG so every world is reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Plant = 'coupon' | 'slow' | 'sad' | 'unresolved' | 'none';

export interface AgentSpec {
  id: string;
  name?: string;
  vendor: string;
  tier?: string;
  conversations: number;
  plant?: Plant | Plant[];
  /** Replaces the text of this agent's first coupon message (markdown-injection tests). */
  couponText?: string;
}

export const DEFAULT_AGENTS: AgentSpec[] = [
  { id: 'a1', name: 'Alice', vendor: 'vendor-a', conversations: 60, plant: 'coupon' },
  { id: 'a2', name: 'Bob', vendor: 'vendor-a', conversations: 60, plant: 'slow' },
  { id: 'a3', name: 'Chen', vendor: 'vendor-a', conversations: 60, plant: 'sad' },
  { id: 'a4', name: 'Dana', vendor: 'vendor-a', conversations: 60 },
  { id: 'a5', name: 'Eli', vendor: 'vendor-a', conversations: 60 },
  { id: 'a6', name: 'Fay', vendor: 'vendor-a', conversations: 60 },
  // Below the minimum sample, with the most extreme coupon habit of all: must get no weak spot.
  { id: 'a7', name: 'Gus', vendor: 'vendor-a', conversations: 10, plant: 'coupon' },
  // Only two agents at vendor-b: their peer group falls back to the whole L1 tier.
  { id: 'b1', name: 'Hana', vendor: 'vendor-b', conversations: 60 },
  { id: 'b2', name: 'Ivan', vendor: 'vendor-b', conversations: 60 },
];

const INTENTS = ['delivery_delay', 'refund', 'account'] as const;
const OPENERS: Record<(typeof INTENTS)[number], string> = {
  delivery_delay: '我的快递三天了还没到，怎么回事？',
  refund: '退款申请提交一周了还没到账',
  account: 'I cannot log in to my account, please help',
};

export const COUPON_TEXT = '非常抱歉，给您申请一张5元优惠券，您看可以吗？';
export const SAD_ENDING = '还是没解决，太失望了';

interface Row {
  [column: string]: string | number | boolean | Date | null;
}

/** Bulk insert through a temporary JSON Lines file: one statement per table keeps test worlds fast. */
async function insertRows(db: Db, table: string, rows: Row[]): Promise<void> {
  if (!rows.length) return;
  const dir = mkdtempSync(join(tmpdir(), 'csqa-world-'));
  const file = join(dir, 'rows.jsonl');
  writeFileSync(file, rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
  try {
    await db.run(`insert into ${table} by name select * from read_json_auto($1, sample_size = -1)`, [file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface World {
  db: Db;
  close(): void;
}

/** Builds the world in a fresh DuckDB (in memory unless a path is given). */
export async function buildWorld(agents: AgentSpec[] = DEFAULT_AGENTS, seed = 7, path = ':memory:'): Promise<World> {
  const db = await openDatabase(path, { threads: 1 });
  await ensureRawSchema(db);
  await db.run(MARTS_CONVERSATIONS_DDL);
  const random = rng(seed);
  const conversations: Row[] = [];
  const messages: Row[] = [];
  const signals: Row[] = [];
  const base = Date.UTC(2026, 10, 1, 8, 0, 0);
  let index = 0;

  for (const agent of agents) {
    let couponTextUsed = false;
    const plants = new Set([agent.plant ?? 'none'].flat());
    for (let k = 0; k < agent.conversations; k++) {
      const id = `${agent.id}-c${String(k).padStart(3, '0')}`;
      const intent = INTENTS[Math.floor(random() * INTENTS.length)]!;
      const start = base + index++ * 600_000;
      const firstResponse = plants.has('slow') ? 90 + random() * 120 : 10 + random() * 30;
      const handle = 200 + random() * 300;
      const change = 0.2 + (random() - 0.5) * 0.5;
      const closing = plants.has('sad') ? -0.4 + random() * 0.35 : -0.05 + random() * 0.7;
      // Planted habits are exact (every 4th conversation), the background is random.
      const offersCoupon = plants.has('coupon') ? k % 4 === 0 : random() < 0.05;
      const coupons = offersCoupon ? (k % 8 === 0 ? 2 : 1) : 0;
      const promise = random() < 0.15 ? 1 : 0;
      const kept = promise && random() < 0.8 ? 1 : 0;
      const fcr = plants.has('unresolved') ? k % 5 < 2 : random() < 0.8;
      const hasSurvey = random() < 0.4;
      const csat = hasSurvey ? [5, 5, 4, 4, 3][Math.floor(random() * 5)]! : null;
      const row: Row = {
        conversation_id: id,
        customer_id: `cust-${index}`,
        channel: 'chat',
        intent,
        started_at: new Date(start),
        ended_at: new Date(start + (firstResponse + handle) * 1000),
        vendor: agent.vendor,
        tier: agent.tier ?? 'L1',
        agent_id: agent.id,
        is_human_handled: true,
        first_response_seconds: firstResponse,
        first_human_response_seconds: firstResponse,
        time_to_human_seconds: null,
        is_fcr_72h: fcr,
        is_reopened: random() < 0.05,
        csat,
        sentiment_opening: closing - change,
        sentiment_closing: closing,
        sentiment_change: change,
        count_callback_promises: promise,
        count_promises_kept: kept,
        count_promises_broken: promise - kept,
        count_repeat_explanations: 0,
        handle_seconds: handle,
      };
      for (const category of DEFLECTION_CATEGORIES) row[`count_${category}`] = 0;
      row.count_coupon_appeasement = coupons;
      row.count_callback_promise = promise;
      for (const category of ['agents_busy', 'self_service_redirect', 'apology_loop', 'canned_repetition'] as const) {
        row[`count_${category}`] = random() < 0.03 ? 1 : 0;
      }
      row.has_deflection = DEFLECTION_CATEGORIES.some((category) => Number(row[`count_${category}`]) > 0);
      conversations.push(row);

      // Messages: customer opener, agent reply, coupon offers, customer ending, agent close.
      const at = (seconds: number) => new Date(start + seconds * 1000);
      const message = (n: number, seconds: number, role: string, text: string): string => {
        const key = `${id}:m${n}`;
        messages.push({
          message_key: key,
          message_id: `m${n}`,
          conversation_id: id,
          sent_at: at(seconds),
          role,
          text,
          agent_id: role === 'agent' ? agent.id : null,
          agent_name: role === 'agent' ? (agent.name ?? null) : null,
          vendor: role === 'agent' ? agent.vendor : null,
          tier: role === 'agent' ? (agent.tier ?? 'L1') : null,
          record_hash: key,
          source_file: 'world',
          source_line: index,
        });
        return key;
      };
      message(0, 0, 'customer', OPENERS[intent]);
      message(1, firstResponse, 'agent', `您好，我是${agent.name ?? agent.id}，我来帮您查一下。`);
      for (let c = 0; c < coupons; c++) {
        const text = agent.couponText && !couponTextUsed && coupons === 2 ? agent.couponText : COUPON_TEXT;
        if (text !== COUPON_TEXT) couponTextUsed = true;
        const key = message(2 + c, firstResponse + 60 + c * 30, 'agent', text);
        signals.push({
          message_key: key,
          conversation_id: id,
          signal: 'coupon_appeasement',
          rule_id: 'zh.coupon.1',
          matched_text: '5元优惠券',
          confidence: 0.9,
          scorer: 'rules',
          scorer_version: '1',
        });
      }
      message(5, firstResponse + handle - 30, 'customer', plants.has('sad') ? SAD_ENDING : '好的，解决了，谢谢');
      message(6, firstResponse + handle, 'agent', '感谢您的耐心，祝您生活愉快。');
    }
  }
  await insertRows(db, 'marts.conversations', conversations);
  await insertRows(db, 'raw.messages', messages);
  await insertRows(db, 'scores.message_signals', signals);
  return { db, close: () => db.close() };
}
