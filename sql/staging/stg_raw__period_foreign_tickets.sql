-- Purpose: in a build limited to a period (metrics.periodDays > 0), the tickets the period escalates that belong
-- to a conversation outside it: an escalated ticket belongs to the conversation of its first escalation, which
-- may have begun before the period (or be left out of it) while a period conversation escalates it again. The
-- escalated tickets of the period leave these out, as a whole-history build credits them elsewhere; the
-- re-escalating conversation keeps its own facts. Empty when the build covers the whole history.
-- Grain: one row per ticket. Key: ticket_id.
-- Depends on: raw.events, staging.stg_raw__period_conversations, staging.settings
-- materialized: scratch
with

settings as (
    select * from staging.settings
),

members as (
    select * from staging.stg_raw__period_conversations
),

period_tickets as (
    select distinct e.ticket_id
    from raw.events as e, settings as s
    where e.occurred_at >= s.period_start_at and lower(e.event) = 'escalated' and e.ticket_id is not null
        and e.conversation_id in (select conversation_id from members)
),

first_escalations as (
    -- Over every escalation of those tickets, as int_escalations__completed orders them.
    select e.ticket_id, arg_min(e.conversation_id, (e.occurred_at, e.event_key)) as conversation_id
    from raw.events as e
    where lower(e.event) = 'escalated' and e.ticket_id in (select ticket_id from period_tickets)
    group by e.ticket_id
),

final as (
    select f.ticket_id
    from first_escalations as f
    anti join members as m on m.conversation_id = f.conversation_id
)

select * from final
