/**
 * Reads the conversations that prove a weak spot (the agent's own, worst first) and the ones that show how
 * top peers handle similar situations (same intent or same customer signal, ended well). Runs after
 * aggregate.ts staged `coach_obs` and `coach_peers`.
 *
 * All weak spots are served together: one query per metric picks every agent's evidence and exemplars
 * (ranked per agent with a window), and one more reads all quoted conversations. Asking per agent and per
 * conversation cost a scan of raw.messages and of the signals each time, which grew with agents x weak spots.
 */
import type { Db } from '../db/database.js';
import { listParam } from '../db/database.js';
import { insertValues } from '../db/insertValues.js';
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

/** SQL over `o` (a coach_obs row) that is true where the weak spot shows; `ref` is the peer value's column. */
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

/** One flagged weak spot whose proof is wanted. */
export interface EvidenceRequest {
  agentId: string;
  metric: CoachMetric;
  /** The peer value the weak spot was judged against (continuous metrics split bad from fine by it). */
  peerValue: number;
}

export interface EvidenceFound {
  evidence: CaseRef[];
  exemplars: ExemplarCase[];
}

export interface EvidenceLimits {
  evidence: number;
  exemplars: number;
}

/** Evidence and exemplars for each request, in the order of `requests`. */
export async function findAllEvidence(db: Db, requests: readonly EvidenceRequest[], limits: EvidenceLimits): Promise<EvidenceFound[]> {
  if (requests.length === 0) return [];
  const metrics = [...new Map(requests.map((r) => [r.metric.id, r.metric])).values()];
  const evidenceRows = new Map<string, EvidenceRow[]>();
  const exemplarRows = new Map<string, ExemplarRow[]>();
  try {
    await stageWeakSpots(db, requests);
    await stageCustomerSignals(db);
    for (const metric of metrics) {
      groupInto(evidenceRows, metric.id, await evidenceRowsFor(db, metric, limits.evidence));
      groupInto(exemplarRows, metric.id, await exemplarRowsFor(db, metric, limits.exemplars));
    }
  } finally {
    await db.run('drop table if exists coach_weak; drop table if exists coach_customer_signals');
  }

  const conversationIds = [...evidenceRows.values(), ...exemplarRows.values()].flat().map((r) => r.conversation_id);
  const conversations = await loadConversations(db, conversationIds);
  const surveyIds = [...evidenceRows.entries()]
    .filter(([key]) => metrics.find((m) => m.id === metricOfKey(key))!.quote === 'survey')
    .flatMap(([, rows]) => rows.map((r) => r.conversation_id));
  const comments = await loadSurveyComments(db, surveyIds);
  const messagesOf = (id: string) => conversations.get(id) ?? [];

  return requests.map(({ agentId, metric }) => {
    const key = requestKey(agentId, metric.id);
    const evidence = (evidenceRows.get(key) ?? []).map((row): CaseRef => {
      const surveyComment = metric.quote === 'survey' ? (comments.get(row.conversation_id) ?? null) : null;
      const quotes = pickQuotes(metric.quote, messagesOf(row.conversation_id), {
        conversationId: row.conversation_id,
        agentId,
        signal: metric.signal,
        surveyComment,
      });
      const value = row.value === null ? {} : { value: Number(row.value) };
      return { conversationId: row.conversation_id, agentId, intent: row.intent, ...value, quotes };
    });
    const exemplars = (exemplarRows.get(key) ?? []).map(
      (row): ExemplarCase => ({
        conversationId: row.conversation_id,
        agentId: row.agent_id,
        intent: row.intent,
        csat: row.csat === null ? null : Number(row.csat),
        sentimentClosing: row.sentiment_closing === null ? null : Number(row.sentiment_closing),
        sameIntent: Boolean(row.same_intent),
        sameSignal: Boolean(row.same_signal),
        quotes: pickQuotes('exemplar', messagesOf(row.conversation_id), {
          conversationId: row.conversation_id,
          agentId: row.agent_id,
          signal: undefined,
          surveyComment: null,
        }),
      }),
    );
    return { evidence, exemplars };
  });
}

interface EvidenceRow {
  unit_id: string;
  conversation_id: string;
  intent: string | null;
  value: number | null;
}

interface ExemplarRow {
  unit_id: string;
  conversation_id: string;
  agent_id: string;
  intent: string | null;
  csat: number | null;
  sentiment_closing: number | null;
  same_intent: boolean;
  same_signal: boolean;
}

const requestKey = (agentId: string, metricId: string) => `${agentId}\u0000${metricId}`;
const metricOfKey = (key: string) => key.slice(key.indexOf('\u0000') + 1);

function groupInto<T extends { unit_id: string }>(target: Map<string, T[]>, metricId: string, rows: readonly T[]): void {
  for (const row of rows) {
    const key = requestKey(row.unit_id, metricId);
    const list = target.get(key);
    if (list) list.push(row);
    else target.set(key, [row]);
  }
}

/** `coach_weak`: the (agent, metric) pairs to prove, with the peer value each was judged against. */
async function stageWeakSpots(db: Db, requests: readonly EvidenceRequest[]): Promise<void> {
  await db.run(`create or replace temp table coach_weak (unit_id varchar not null, metric varchar not null, peer_value double not null)`);
  await insertValues(
    db,
    'coach_weak',
    requests.map((r) => [r.agentId, r.metric.id, r.peerValue]),
  );
}

/** `coach_customer_signals`: which signals each conversation's customer messages fired (read once, not per exemplar). */
async function stageCustomerSignals(db: Db): Promise<void> {
  await db.run(`
    create or replace temp table coach_customer_signals as
    select distinct s.conversation_id, s.signal
    from scores.message_signals s join raw.messages m using (message_key)
    where m.role = 'customer'`);
}

/** Each weak agent's own conversations where the weak spot shows, worst first. */
async function evidenceRowsFor(db: Db, metric: CoachMetric, limit: number): Promise<EvidenceRow[]> {
  return db.all<EvidenceRow>(
    `with shown as (
       select o.unit_id, o.conversation_id, o.value,
              row_number() over (partition by o.unit_id order by o.severity desc nulls last, o.conversation_id) as pick
       from coach_obs o join coach_weak w on w.unit_id = o.unit_id and w.metric = o.metric
       where o.metric = $1 and ${showsSql(metric, 'w.peer_value')}
     )
     select shown.unit_id, shown.conversation_id, c.intent, shown.value
     from shown join marts.conversations c on c.conversation_id = shown.conversation_id
     where shown.pick <= $2
     order by shown.unit_id, shown.pick`,
    [metric.id, limit],
  );
}

/**
 * Per weak agent: fine conversations of the peers at least as good as the peer value, that ended well, most
 * like the agent's bad ones first (same intent, then same customer signal), then by how good the peer is.
 */
async function exemplarRowsFor(db: Db, metric: CoachMetric, limit: number): Promise<ExemplarRow[]> {
  const better = metric.direction === 'lower_is_better' ? 'asc' : 'desc';
  const topPeer = metric.direction === 'lower_is_better' ? 'pv.v <= w.peer_value' : 'pv.v >= w.peer_value';
  return db.all<ExemplarRow>(
    `with weak as (
       select unit_id, peer_value from coach_weak where metric = $1
     ), bad as (
       select w.unit_id, o.conversation_id
       from coach_obs o join weak w on w.unit_id = o.unit_id
       where o.metric = $1 and ${showsSql(metric, 'w.peer_value')}
     ), bad_intents as (
       select distinct bad.unit_id, c.intent
       from marts.conversations c join bad using (conversation_id) where c.intent is not null
     ), bad_signals as (
       select distinct bad.unit_id, cs.signal from coach_customer_signals cs join bad using (conversation_id)
     ), peer_values as (
       select o.unit_id as peer_id, ${unitValueSql(metric)} as v
       from coach_obs o where o.metric = $1 and o.unit_id in (select peer_id from coach_peers)
       group by o.unit_id
     ), top_peers as (
       select w.unit_id, w.peer_value, pv.peer_id, pv.v
       from weak w join coach_peers p on p.unit_id = w.unit_id join peer_values pv on pv.peer_id = p.peer_id
       where ${topPeer}
     ), candidates as (
       select tp.unit_id, tp.v, c.conversation_id, c.agent_id, c.intent, c.csat, c.sentiment_closing
       from coach_obs o
       join top_peers tp on tp.peer_id = o.unit_id
       join marts.conversations c on c.conversation_id = o.conversation_id
       where o.metric = $1 and ${fineSql(metric, 'tp.peer_value')}
         and c.is_fcr_72h and coalesce(c.csat, 5) >= 4 and c.sentiment_closing > 0
         -- A teaching example must not itself contain a deflection script.
         and not coalesce(c.has_deflection, false)
     ), judged as (
       select k.*,
              exists (select 1 from bad_intents bi where bi.unit_id = k.unit_id and bi.intent = k.intent) as same_intent,
              exists (
                select 1 from coach_customer_signals cs join bad_signals bs on bs.signal = cs.signal
                where cs.conversation_id = k.conversation_id and bs.unit_id = k.unit_id
              ) as same_signal
       from candidates k
     ), ranked as (
       select *, row_number() over (
                   partition by unit_id
                   order by same_intent desc, same_signal desc, v ${better}, csat desc nulls last,
                            sentiment_closing desc, conversation_id) as pick
       from judged
     )
     select unit_id, conversation_id, agent_id, intent, csat, sentiment_closing, same_intent, same_signal
     from ranked where pick <= $2
     order by unit_id, pick`,
    [metric.id, limit],
  );
}

/** Messages (with the signals they fired) of many conversations, each in conversation order. */
export async function loadConversations(db: Db, conversationIds: readonly string[]): Promise<Map<string, ConversationMessage[]>> {
  const byConversation = new Map<string, ConversationMessage[]>();
  const ids = [...new Set(conversationIds)];
  if (ids.length === 0) return byConversation;
  const rows = await db.all<{
    conversation_id: string;
    message_key: string;
    sent_at: Date;
    role: string;
    agent_id: string | null;
    text: string | null;
    signal: string | null;
    matched_text: string | null;
    confidence: number | null;
  }>(
    `with wanted as (select unnest($1::varchar[]) as conversation_id),
     messages as (
       select m.* from raw.messages m where m.conversation_id in (select conversation_id from wanted)
     ), signals as (
       select s.* from scores.message_signals s where s.message_key in (select message_key from messages)
     )
     select m.conversation_id, m.message_key, m.sent_at, m.role, m.agent_id, m.text, s.signal, s.matched_text, s.confidence
     from messages m left join signals s on s.message_key = m.message_key
     order by m.conversation_id, m.sent_at, m.message_key, s.signal`,
    [listParam(ids)],
  );
  for (const row of rows) {
    let messages = byConversation.get(row.conversation_id);
    if (!messages) {
      messages = [];
      byConversation.set(row.conversation_id, messages);
    }
    let message = messages.at(-1);
    if (!message || message.messageKey !== row.message_key) {
      message = { messageKey: row.message_key, sentAt: row.sent_at, role: row.role, agentId: row.agent_id, text: row.text, signals: [] };
      messages.push(message);
    }
    if (row.signal) message.signals.push({ signal: row.signal, matchedText: row.matched_text, confidence: Number(row.confidence) });
  }
  return byConversation;
}

/** The latest survey comment of each conversation that has one. */
async function loadSurveyComments(db: Db, conversationIds: readonly string[]): Promise<Map<string, string>> {
  const ids = [...new Set(conversationIds)];
  if (ids.length === 0) return new Map();
  const rows = await db.all<{ conversation_id: string; comment: string }>(
    `select conversation_id, comment from (
       select conversation_id, comment,
              row_number() over (partition by conversation_id order by answered_at desc, survey_key) as pick
       from raw.surveys
       where comment is not null and conversation_id in (select unnest($1::varchar[]))
     ) where pick = 1`,
    [listParam(ids)],
  );
  return new Map(rows.map((r) => [r.conversation_id, r.comment]));
}
