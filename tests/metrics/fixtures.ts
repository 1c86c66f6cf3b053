/**
 * Builds hand-written scenarios straight into raw.* and scores.* (no loader), so golden tests state every
 * input row they depend on. Times are UTC 'YYYY-MM-DD HH:MM:SS'.
 */
import type { Db } from '../../src/db/database.js';
import { ensureRawSchema } from '../../src/db/schema.js';

export interface MessageRow {
  conversation: string;
  at: string;
  role: 'customer' | 'bot' | 'agent' | 'system';
  text?: string;
  customer?: string;
  agent?: string;
  agentName?: string;
  vendor?: string;
  tier?: string;
  channel?: string;
  signals?: string[];
  sentiment?: number;
  template?: string;
}

export interface EventRow {
  conversation: string;
  at: string;
  event: string;
  fromTier?: string;
  toTier?: string;
  agent?: string;
  vendor?: string;
  ticket?: string;
}

export interface SurveyRow {
  conversation: string;
  at: string;
  csat?: number;
  nps?: number;
  agent?: string;
}

export interface ConversationRow {
  conversation: string;
  customer?: string;
  channel?: string;
  startedAt?: string;
  endedAt?: string;
  intent?: string;
  order?: string;
}

export interface Scenario {
  messages?: MessageRow[];
  events?: EventRow[];
  surveys?: SurveyRow[];
  conversations?: ConversationRow[];
}

const label = (score: number) => (score < -0.2 ? 'negative' : score > 0.2 ? 'positive' : 'neutral');

export async function insertScenario(db: Db, scenario: Scenario): Promise<void> {
  await ensureRawSchema(db);
  let line = 0;
  for (const m of scenario.messages ?? []) {
    line += 1;
    const key = `${m.conversation}:${line}`;
    await db.run(
      `insert into raw.messages (message_key, message_id, conversation_id, sent_at, role, text, customer_id, agent_id,
         agent_name, vendor, tier, channel, record_hash, source_file, source_line)
       values ($1, $2, $3, cast($4 as timestamp), $5, $6, $7, $8, $9, $10, $11, $12, md5($1), 'test.jsonl', $13)`,
      [key, String(line), m.conversation, m.at, m.role, m.text ?? `${m.role} says something`, m.customer ?? null,
        m.agent ?? null, m.agentName ?? null, m.vendor ?? null, m.tier ?? null, m.channel ?? null, line],
    );
    for (const signal of m.signals ?? []) {
      await db.run(
        `insert into scores.message_signals (message_key, conversation_id, signal, rule_id, confidence, scorer, scorer_version)
         values ($1, $2, $3, 'test', 1.0, 'rules', '1')`,
        [key, m.conversation, signal],
      );
    }
    if (m.sentiment !== undefined) {
      await db.run(
        `insert into scores.message_sentiment values ($1, $2, 'lexicon', '1', $3, $4)`,
        [key, m.conversation, m.sentiment, label(m.sentiment)],
      );
    }
    if (m.template) {
      await db.run('insert into scores.message_templates values ($1, $2, $3)', [key, m.conversation, m.template]);
    }
  }
  for (const e of scenario.events ?? []) {
    line += 1;
    await db.run(
      `insert into raw.events (event_key, conversation_id, occurred_at, event, from_tier, to_tier, agent_id, vendor,
         ticket_id, record_hash, source_file, source_line)
       values ($1, $2, cast($3 as timestamp), $4, $5, $6, $7, $8, $9, md5($1), 'test.jsonl', $10)`,
      [`e${line}`, e.conversation, e.at, e.event, e.fromTier ?? null, e.toTier ?? null, e.agent ?? null,
        e.vendor ?? null, e.ticket ?? null, line],
    );
  }
  for (const s of scenario.surveys ?? []) {
    line += 1;
    await db.run(
      `insert into raw.surveys (survey_key, conversation_id, answered_at, csat, nps, agent_id, record_hash, source_file,
         source_line)
       values ($1, $2, cast($3 as timestamp), $4, $5, $6, md5($1), 'test.jsonl', $7)`,
      [`s${line}`, s.conversation, s.at, s.csat ?? null, s.nps ?? null, s.agent ?? null, line],
    );
  }
  for (const c of scenario.conversations ?? []) {
    line += 1;
    await db.run(
      `insert into raw.conversations (conversation_id, customer_id, channel, started_at, ended_at, intent, order_id,
         record_hash, source_file, source_line)
       values ($1, $2, $3, cast($4 as timestamp), cast($5 as timestamp), $6, $7, md5($1), 'test.jsonl', $8)`,
      [c.conversation, c.customer ?? null, c.channel ?? null, c.startedAt ?? null, c.endedAt ?? null,
        c.intent ?? null, c.order ?? null, line],
    );
  }
}
