/**
 * Reads the conversations that prove a weak spot (the agent's own, worst first) and the ones that show how
 * top peers handle similar situations (same intent or same customer signal, ended well). Runs after
 * aggregate.ts staged `coach_obs` and `coach_peers`.
 */
import type { Db } from '../db/database.js';
import type { CoachMetric } from './metrics.js';
import { pickQuotes, type ConversationMessage, type PickKind, type Quote } from './quotes.js';

export interface CaseRef {
  conversationId: string;
  agentId: string;
  intent: string | null;
  /** The conversation's own value of a continuous metric (e.g. its first response in seconds). */
  value?: number;
  quotes: Quote[];
}

export interface ExemplarCase extends CaseRef {
  csat: number | null;
  sentimentClosing: number | null;
  sameIntent: boolean;
  sameSignal: boolean;
}

/** SQL over `o` (a coach_obs row) that is true where the weak spot shows; `ref` is a placeholder. */
function showsSql(metric: CoachMetric, ref: string): string {
  if (metric.kind === 'proportion') {
    return metric.direction === 'lower_is_better' ? 'o.successes > 0' : 'o.successes < o.trials';
  }
  return metric.direction === 'lower_is_better' ? `o.value > ${ref}` : `o.value < ${ref}`;
}

/** True where the conversation is free of the weak spot (the opposite side of the peer reference). */
function fineSql(metric: CoachMetric, ref: string): string {
  if (metric.kind === 'proportion') {
    return metric.direction === 'lower_is_better' ? 'o.successes = 0' : 'o.successes = o.trials';
  }
  return metric.direction === 'lower_is_better' ? `o.value <= ${ref}` : `o.value >= ${ref}`;
}

/** A peer's own value on the metric, as stats.ts compares it. */
function unitValueSql(metric: CoachMetric): string {
  if (metric.kind === 'proportion') return 'sum(o.successes) / sum(o.trials)';
  return metric.center === 'median' ? 'median(o.value)' : 'avg(o.value)';
}

export async function findEvidence(
  db: Db,
  agentId: string,
  metric: CoachMetric,
  peerValue: number,
  limit: number,
): Promise<CaseRef[]> {
  // Proportions show per conversation without a reference value, and DuckDB rejects unused parameters.
  const params = metric.kind === 'continuous' ? [agentId, metric.id, limit, peerValue] : [agentId, metric.id, limit];
  const rows = await db.all<{ conversation_id: string; intent: string | null; value: number | null }>(
    `select o.conversation_id, c.intent, o.value
     from coach_obs o join marts.conversations c on c.conversation_id = o.conversation_id
     where o.unit_id = $1 and o.metric = $2 and ${showsSql(metric, '$4')}
     order by o.severity desc nulls last, o.conversation_id
     limit $3`,
    params,
  );
  const cases: CaseRef[] = [];
  for (const row of rows) {
    const quotes = await quotesFor(db, row.conversation_id, agentId, metric.quote, metric.signal);
    const value = row.value === null ? {} : { value: Number(row.value) };
    cases.push({ conversationId: row.conversation_id, agentId, intent: row.intent, ...value, quotes });
  }
  return cases;
}

export async function findExemplars(
  db: Db,
  agentId: string,
  metric: CoachMetric,
  peerValue: number,
  limit: number,
): Promise<ExemplarCase[]> {
  const better = metric.direction === 'lower_is_better' ? 'asc' : 'desc';
  const topPeer = metric.direction === 'lower_is_better' ? 'v <= $3' : 'v >= $3';
  const rows = await db.all<{
    conversation_id: string;
    agent_id: string;
    intent: string | null;
    csat: number | null;
    sentiment_closing: number | null;
    same_intent: boolean;
    same_signal: boolean;
  }>(
    `with bad as (
       select o.conversation_id from coach_obs o
       where o.unit_id = $1 and o.metric = $2 and ${showsSql(metric, '$3')}
     ), bad_intents as (
       select distinct c.intent from marts.conversations c join bad using (conversation_id) where c.intent is not null
     ), bad_signals as (
       select distinct s.signal
       from scores.message_signals s join raw.messages m using (message_key) join bad on bad.conversation_id = s.conversation_id
       where m.role = 'customer'
     ), peer_values as (
       select p.peer_id, ${unitValueSql(metric)} as v
       from coach_peers p join coach_obs o on o.unit_id = p.peer_id and o.metric = $2
       where p.unit_id = $1
       group by p.peer_id
     ), top_peers as (
       select * from peer_values where ${topPeer}
     )
     select c.conversation_id, c.agent_id, c.intent, c.csat, c.sentiment_closing,
            coalesce(c.intent in (select intent from bad_intents), false) as same_intent,
            exists (
              select 1 from scores.message_signals s join raw.messages m using (message_key)
              where s.conversation_id = c.conversation_id and m.role = 'customer'
                and s.signal in (select signal from bad_signals)
            ) as same_signal
     from coach_obs o
     join top_peers tp on tp.peer_id = o.unit_id
     join marts.conversations c on c.conversation_id = o.conversation_id
     where o.metric = $2 and ${fineSql(metric, '$3')}
       and c.is_fcr_72h and coalesce(c.csat, 5) >= 4 and c.sentiment_closing > 0
       -- A teaching example must not itself contain a deflection script.
       and not coalesce(c.has_deflection, false)
     order by same_intent desc, same_signal desc, tp.v ${better}, c.csat desc nulls last,
              c.sentiment_closing desc, c.conversation_id
     limit $4`,
    [agentId, metric.id, peerValue, limit],
  );
  const cases: ExemplarCase[] = [];
  for (const row of rows) {
    cases.push({
      conversationId: row.conversation_id,
      agentId: row.agent_id,
      intent: row.intent,
      csat: row.csat === null ? null : Number(row.csat),
      sentimentClosing: row.sentiment_closing === null ? null : Number(row.sentiment_closing),
      sameIntent: Boolean(row.same_intent),
      sameSignal: Boolean(row.same_signal),
      quotes: await quotesFor(db, row.conversation_id, row.agent_id, 'exemplar'),
    });
  }
  return cases;
}

async function quotesFor(db: Db, conversationId: string, agentId: string, kind: PickKind, signal?: string): Promise<Quote[]> {
  const messages = await loadConversation(db, conversationId);
  const surveyComment =
    kind === 'survey'
      ? await db.value<string | null>(
          `select comment from raw.surveys where conversation_id = $1 and comment is not null
           order by answered_at desc, survey_key limit 1`,
          [conversationId],
        )
      : null;
  return pickQuotes(kind, messages, { conversationId, agentId, signal, surveyComment });
}

export async function loadConversation(db: Db, conversationId: string): Promise<ConversationMessage[]> {
  const rows = await db.all<{
    message_key: string;
    sent_at: Date;
    role: string;
    agent_id: string | null;
    text: string;
    signal: string | null;
    matched_text: string | null;
    confidence: number | null;
  }>(
    `select m.message_key, m.sent_at, m.role, m.agent_id, m.text, s.signal, s.matched_text, s.confidence
     from raw.messages m left join scores.message_signals s on s.message_key = m.message_key
     where m.conversation_id = $1
     order by m.sent_at, m.message_key, s.signal`,
    [conversationId],
  );
  const messages: ConversationMessage[] = [];
  for (const row of rows) {
    let message = messages.at(-1);
    if (!message || message.messageKey !== row.message_key) {
      message = { messageKey: row.message_key, sentAt: row.sent_at, role: row.role, agentId: row.agent_id, text: row.text, signals: [] };
      messages.push(message);
    }
    if (row.signal) message.signals.push({ signal: row.signal, matchedText: row.matched_text, confidence: Number(row.confidence) });
  }
  return messages;
}
