/**
 * Signals that need the conversation, as SQL over one scoring batch (DuckDB does the per-message work), on
 * the batch's work tables (src/score/workTables.ts):
 *   msgs(message_key, conversation_id, conv, role, text, sent_at, text_key, seq)   messages of the batch; conv
 *             is an integer per conversation and seq the position in it, so (conv, seq) keys a message
 *   hits(message_key, conversation_id, conv, role, seq, sent_at, signal, rule_id, span_start, span_end,
 *             matched_text, confidence, context)      the text-rule hits these rules read (CONTEXT_HIT_FILTER)
 *   templates(message_key, conversation_id, conv, seq, role, template_id)  template of each responder message
 *   text_hits(text_key, role, signal, rule_id, span_start, span_end, matched_text, confidence, context)
 * The statements insert into scores.message_signals the text-rule hits, then bot_transfer_block,
 * apology_loop and canned_repetition within a conversation. Parameters: $1 scorer, $2 scorer version,
 * $3 apology loop minimum.
 */
import { WORK_CATALOG, WORK_PENDING, type WorkTables } from './workTables.js';

export const CONTEXT_RULE_IDS = {
  botNoHandover: 'context.bot_no_handover',
  apologyLoop: 'context.apology_loop',
  cannedWithin: 'context.canned_within',
  cannedAcross: 'context.canned_across',
} as const;

/** Events that mean a human took over (spec/input.md). */
export const HANDOVER_EVENTS = ['transferred', 'assigned'] as const;

/** The per-text hits (text_hits) that the context rules below read, as a SQL condition on alias h. */
export const CONTEXT_HIT_FILTER = "(h.signal in ('human_request', '_handover', '_apology', '_action') or h.context is not null)";

/**
 * Text-rule hits are already the first per message x signal (src/score/roleHits.ts), so they are stored as
 * joined from the per-text table: text_hits(text_key, role, signal, ...) on msgs(text_key, role).
 * $1 scorer, $2 version.
 */
export const insertTextSignals = (work: WorkTables) => `
insert into scores.message_signals
select w.message_key, w.conversation_id, h.signal, h.rule_id, h.span_start, h.span_end, h.matched_text, h.confidence, $1, $2
from ${work.msgs} w join ${work.textHits} h on h.text_key = w.text_key and h.role = w.role
where h.signal not like '\\_%' escape '\\' and h.context is null
`;

/**
 * Context signals: at most one row per message and signal from each rule below, and no text rule may
 * produce these signals (the catalog refuses it), so no ranking is needed.
 */
export const insertContextSignals = (work: WorkTables) => `
insert into scores.message_signals
with hit_flags as (
  select conv, seq, any_value(message_key) as message_key, any_value(conversation_id) as conversation_id,
    any_value(role) as role, any_value(sent_at) as sent_at,
    bool_or(signal = 'human_request' and role = 'customer') as asks_human,
    bool_or(signal = '_handover') as handover,
    bool_or(signal = '_apology') as apologises,
    bool_or(signal = '_action') as acts
  from ${work.hits} where signal in ('human_request', '_handover', '_apology', '_action')
  group by conv, seq
),
asks as (select conv, seq, sent_at from hit_flags where asks_human),
-- A hand-over is a hand-over phrase or any agent message; only conversations with a request matter.
handovers as (
  select conv, seq from hit_flags where handover
  union all
  select conv, seq from ${work.msgs} where role = 'agent' and conv in (select conv from asks)
),
-- Each bot message with the latest request at or before it, and the latest hand-over at or before it.
bot_positions as (
  select b.message_key, b.conversation_id, b.conv, b.seq, b.sent_at, a.seq as last_ask_seq, a.sent_at as last_ask_at
  from (select * from ${work.msgs} where role = 'bot' and conv in (select conv from asks)) b
  asof join asks a on a.conv = b.conv and a.seq <= b.seq
),
positions as (
  select p.*, h.seq as last_handover_seq
  from bot_positions p asof left join handovers h on h.conv = p.conv and h.seq <= p.seq
),
blocked as (
  select p.message_key, p.conversation_id, p.conv, p.seq from positions p
  where (p.last_handover_seq is null or p.last_handover_seq < p.last_ask_seq)
    and not exists (
      select 1 from raw.events e
      where e.conversation_id = p.conversation_id and e.event in (${HANDOVER_EVENTS.map((e) => `'${e}'`).join(', ')})
        and e.occurred_at between p.last_ask_at and p.sent_at)
),
-- Responder messages that neither apologise nor act change no count, so only the others are walked.
responder_groups as (
  select message_key, conversation_id, conv, seq, apologises,
    sum(case when acts then 1 else 0 end) over conv as action_group
  from hit_flags where role in ('agent', 'bot') and (apologises or acts)
  window conv as (partition by conv order by seq rows between unbounded preceding and current row)
),
apology_counts as (
  select *, sum(case when apologises then 1 else 0 end) over (
    partition by conv, action_group order by seq rows between unbounded preceding and current row) as apologies
  from responder_groups
),
first_templates as (select conv, template_id, min(seq) as first_seq from ${work.templates} group by conv, template_id),
repeated_templates as (
  select t.message_key, t.conversation_id
  from ${work.templates} t join first_templates f on f.conv = t.conv and f.template_id = t.template_id
  where t.seq > f.first_seq
),
candidates as (
  select b.message_key, b.conversation_id, 'bot_transfer_block' as signal,
    coalesce(h.rule_id, '${CONTEXT_RULE_IDS.botNoHandover}') as rule_id,
    h.span_start, h.span_end, h.matched_text, coalesce(h.confidence, 0.6) as confidence
  from blocked b left join ${work.hits} h
    on h.conv = b.conv and h.seq = b.seq and h.signal = 'bot_transfer_block' and h.context = 'after_human_request'
  union all
  select message_key, conversation_id, 'apology_loop', '${CONTEXT_RULE_IDS.apologyLoop}', null, null, null, 0.8
  from apology_counts where apologises and apologies >= $3
  union all
  select message_key, conversation_id, 'canned_repetition', '${CONTEXT_RULE_IDS.cannedWithin}', null, null, null, 0.8
  from repeated_templates
)
select message_key, conversation_id, signal, rule_id, span_start, span_end, matched_text, confidence, $1, $2
from candidates
`;

const CANNED_NOW = `${WORK_CATALOG}.main.canned_now`;
const CANNED_CHANGED = `${WORK_CATALOG}.main.canned_changed`;

/** Responder messages (alias r) whose rows this run (re)writes: the scored conversations' and the newly canned templates'. */
const CANNED_ROWS_TO_WRITE = `r.template_id in (select template_id from ${CANNED_NOW})
   and (r.conversation_id in (select conversation_id from ${WORK_PENDING})
        or r.template_id in (select template_id from ${CANNED_CHANGED} where is_canned))`;

/**
 * Templates pasted in at least $1 conversations are canned: their messages go to scores.message_templates, and
 * the agent messages using them (not already flagged within their conversation) get canned_repetition. A template
 * can cross the threshold when new conversations arrive, so the canned set is recomputed on every run that
 * scored something, but only the rows that change are written: the scored conversations' rows (deleted with
 * their other scores before the batches) and every row of a template that became or stopped being canned since
 * the last completed run (scores.canned_template_ids, replaced in the run's final transaction by
 * CANNED_TEMPLATES_RECORD). Each statement deletes before it inserts, so a run killed in between is completed by
 * the next one, which finds the same pending conversations and the same recorded set. The result equals a
 * rebuild over the whole database; the writes follow the night, not the history.
 * Parameters: the first statement takes $1 minimum conversations, the last $1 scorer and $2 version.
 */
export const UPDATE_CANNED_TEMPLATES = [
  `create or replace table ${CANNED_NOW} as
   select template_id from scores.responder_templates group by template_id having count(distinct conversation_id) >= $1`,
  `create or replace table ${CANNED_CHANGED} as
   (select template_id, true as is_canned from ${CANNED_NOW} except select template_id, true from scores.canned_template_ids)
   union all
   (select template_id, false from scores.canned_template_ids except select template_id, false from ${CANNED_NOW})`,
  `delete from scores.message_templates where template_id in (select template_id from ${CANNED_CHANGED})`,
  `delete from scores.message_signals
   where rule_id = '${CONTEXT_RULE_IDS.cannedAcross}' and message_key in (
     select message_key from scores.responder_templates where template_id in (select template_id from ${CANNED_CHANGED}))`,
  `insert into scores.message_templates
   select r.message_key, r.conversation_id, r.template_id from scores.responder_templates r
   where ${CANNED_ROWS_TO_WRITE}`,
  `insert into scores.message_signals
   select r.message_key, r.conversation_id, 'canned_repetition', '${CONTEXT_RULE_IDS.cannedAcross}',
     null, null, null, 0.7, $1, $2
   from scores.responder_templates r
   where ${CANNED_ROWS_TO_WRITE} and r.role = 'agent' and not exists (
     select 1 from scores.message_signals s where s.message_key = r.message_key and s.signal = 'canned_repetition')`,
] as const;

/** Records this run's canned set; part of the run's final transaction. */
export const CANNED_TEMPLATES_RECORD = [
  'delete from scores.canned_template_ids',
  `insert into scores.canned_template_ids select template_id from ${CANNED_NOW}`,
] as const;
