/**
 * Runs the KPI layer on a hand-built scenario in a fresh in-memory DuckDB and reads rows back with floats
 * rounded, so golden values written by hand compare exactly.
 */
import { loadConfig, type Config, type Overrides } from '../../src/config.js';
import { openDatabase, type Db } from '../../src/db/database.js';
import { buildMetrics, type BuildResult } from '../../src/metrics/build.js';
import { insertScenario, type Scenario } from './fixtures.js';

export function testConfig(flags: Overrides = {}): Config {
  return loadConfig({ env: {}, cwd: '/nonexistent-csqa-test-dir', flags });
}

export async function buildScenario(
  scenario: Scenario,
  options: { asOf?: string; flags?: Overrides } = {},
): Promise<{ db: Db; result: BuildResult }> {
  const db = await openDatabase(':memory:');
  await insertScenario(db, scenario);
  const result = await buildMetrics(db, testConfig(options.flags), { asOf: options.asOf });
  return { db, result };
}

function round(value: unknown): unknown {
  if (typeof value === 'number' && !Number.isInteger(value)) return Math.round(value * 1e9) / 1e9;
  return value;
}

export async function rows(db: Db, sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const result = await db.all(sql, params as never);
  return result.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, round(v)])));
}

export async function conversationRow(db: Db, conversationId: string): Promise<Record<string, unknown>> {
  const [row] = await rows(db, 'select * from marts.conversations where conversation_id = $1', [conversationId]);
  if (!row) throw new Error(`no marts.conversations row for ${conversationId}`);
  return row;
}

export const utc = (text: string) => new Date(text.replace(' ', 'T') + 'Z');

/**
 * Every column of marts.conversations for a contact that nothing happened to; each golden states what
 * differs. Keeping the full list here means a new or renamed column fails every golden until reviewed.
 */
export function baseConversation(): Record<string, unknown> {
  return {
    customer_id: null, channel: null, intent: null, order_id: null, ticket_id: null,
    vendor: 'in-house', tier: 'bot', agent_id: null, agent_name: null,
    is_human_handled: false, escalation_path: '', count_transfers: 0, has_ping_pong: false,
    first_response_seconds: null, first_human_response_seconds: null, time_to_human_seconds: null,
    is_human_reached: null, is_human_reached_within_target: null,
    is_first_response_within_sla: null, is_first_human_response_within_sla: null,
    count_human_requests: 0, count_bot_blocks: 0, is_bot_contained: false,
    is_fcr_24h: null, is_fcr_72h: null, is_fcr_7d: null, is_reopened: null,
    csat: null, is_csat_top2: null, nps: null, has_survey: false, has_survey_offered: false,
    sentiment_opening: null, sentiment_closing: null, sentiment_change: null, sentiment_lowest: null,
    is_ending_negative: null,
    count_coupon_appeasement: 0, count_callback_promise: 0, count_agents_busy: 0, count_bot_transfer_block: 0,
    count_self_service_redirect: 0, count_canned_repetition: 0, count_apology_loop: 0, has_deflection: false,
    sentiment_change_after_deflection: null,
    count_callback_promises: 0, count_promises_kept: 0, count_promises_broken: 0,
    count_complaint_threats: 0, count_anger: 0, count_repeat_explanations: 0, has_thanks_resolved: false,
    count_messages: 0, count_customer_messages: 0, count_agent_messages: 0, count_bot_messages: 0,
    handle_seconds: null,
  };
}
