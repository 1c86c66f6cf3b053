-- Purpose: the conversations a build limited to a period covers (metrics.periodDays > 0): those whose earliest
-- record (message, event, survey or conversation record) is at or after the period start. Empty when the build
-- covers the whole history; the other staging models then keep every row.
-- Grain: one row per conversation. Key: conversation_id.
-- Depends on: raw.messages, raw.events, raw.surveys, raw.conversations, staging.settings
-- Why exact: the facts of a conversation look at the conversation itself and later ones (repeat contacts,
-- reopens, kept promises), and a conversation that began in the period has all its records in the period, so
-- each one gets the same facts as in a whole-history build. A conversation with any record before the start is
-- left out whole, never cut. Callbacks reach back: a callback keeps a promise of the same customer whichever of
-- the customer's conversations logs it, so the customers of a conversation left out that logs a callback inside
-- the period are left out too (all their conversations, so no later contact of theirs goes missing). Tickets
-- reach back as well, but only for the escalated-tickets mart: see stg_raw__period_foreign_tickets.
-- materialized: scratch
with

settings as (
    select * from staging.settings
),

recent as (
    -- Zone maps skip the row groups of earlier loads: the cost follows the period, not the history.
    select m.conversation_id from raw.messages as m, settings as s where m.sent_at >= s.period_start_at
    union all
    select e.conversation_id from raw.events as e, settings as s where e.occurred_at >= s.period_start_at
    union all
    select v.conversation_id from raw.surveys as v, settings as s where v.answered_at >= s.period_start_at
    union all
    select c.conversation_id from raw.conversations as c, settings as s
    where c.started_at >= s.period_start_at or c.ended_at >= s.period_start_at
),

candidates as (
    select distinct conversation_id from recent
),

earlier as (
    -- Records before the start: their conversations began before the period (a history-wide read).
    select m.conversation_id from raw.messages as m, settings as s where m.sent_at < s.period_start_at
    union all
    select e.conversation_id from raw.events as e, settings as s where e.occurred_at < s.period_start_at
    union all
    select v.conversation_id from raw.surveys as v, settings as s where v.answered_at < s.period_start_at
    union all
    select c.conversation_id from raw.conversations as c, settings as s
    where c.started_at < s.period_start_at or c.ended_at < s.period_start_at
),

began_earlier as (
    select distinct conversation_id from earlier
),

late_callbacks as (
    select e.conversation_id
    from raw.events as e, settings as s
    where e.occurred_at >= s.period_start_at and lower(e.event) = 'callback_made'
        and e.conversation_id in (select conversation_id from began_earlier)
),

late_callback_customers as (
    -- Every customer id the conversation carries anywhere: a superset of the one attribution picks.
    select m.customer_id from raw.messages as m
    where m.customer_id is not null and m.conversation_id in (select conversation_id from late_callbacks)
    union
    select c.customer_id from raw.conversations as c
    where c.customer_id is not null and c.conversation_id in (select conversation_id from late_callbacks)
),

of_late_callback_customers as (
    select m.conversation_id from raw.messages as m, settings as s
    where m.sent_at >= s.period_start_at and m.customer_id in (select customer_id from late_callback_customers)
    union
    select c.conversation_id from raw.conversations as c
    where c.customer_id in (select customer_id from late_callback_customers)
),

final as (
    select c.conversation_id
    from candidates as c
    anti join began_earlier as b on b.conversation_id = c.conversation_id
    anti join of_late_callback_customers as k on k.conversation_id = c.conversation_id
)

select * from final
