-- Purpose: escalated tickets and whether each was closed (`ticket_closed` or `resolved`) within
-- metrics.completionWindowHours of its first escalation; NULL while that window is open at the as-of time.
-- Grain: one row per escalated ticket. Key: ticket_id (the conversation_id when the event has no ticket).
-- Depends on: staging.stg_raw__events, staging.stg_raw__period_foreign_tickets, intermediate.int_responder_messages__scored,
--             staging.settings
-- Choices: the escalating party is the event's from_tier, with vendor and agent of the last responder before
-- the escalation (ASOF join); a close counts when it carries the ticket id or, lacking one, is in the same
-- conversation.
-- materialized: scratch
with

settings as (
    select * from staging.settings
),

events as (
    select * from staging.stg_raw__events
),

escalation_events as (
    -- metrics.periodDays: a ticket first escalated outside the period is credited there, not here.
    select * from events
    where event = 'escalated'
        and (ticket_id is null or ticket_id not in (select ticket_id from staging.stg_raw__period_foreign_tickets))
),

-- Only conversations with an escalation: the ASOF join sorts its inputs, so keep them small.
responders as (
    select conversation_id, sent_at, vendor, tier, agent_id
    from intermediate.int_responder_messages__scored
    where conversation_id in (select conversation_id from escalation_events)
),

escalations as (
    select
        coalesce(ticket_id, conversation_id) as ticket_id,
        min(ticket_id) as source_ticket_id,
        arg_min(conversation_id, (occurred_at, event_key)) as conversation_id,
        min(occurred_at) as escalated_at,
        arg_min(from_tier, (occurred_at, event_key)) as from_tier
    from escalation_events
    group by coalesce(ticket_id, conversation_id)
),

escalating_party as (
    select
        e.*,
        r.vendor as responder_vendor,
        r.tier as responder_tier,
        r.agent_id as responder_agent_id
    from escalations as e
    asof left join responders as r
        on r.conversation_id = e.conversation_id and e.escalated_at >= r.sent_at
),

closes as (
    select conversation_id, ticket_id, occurred_at
    from events
    where event in ('ticket_closed', 'resolved')
),

matched_closes as (
    select e.ticket_id, c.occurred_at
    from escalations as e
    join closes as c on c.ticket_id = e.source_ticket_id
    where c.occurred_at >= e.escalated_at
    union all
    select e.ticket_id, c.occurred_at
    from escalations as e
    join closes as c on c.conversation_id = e.conversation_id
    where c.occurred_at >= e.escalated_at and (c.ticket_id is null or e.source_ticket_id is null)
),

first_close as (
    select ticket_id, min(occurred_at) as closed_at
    from matched_closes
    group by ticket_id
),

final as (
    select
        p.ticket_id,
        p.conversation_id,
        p.escalated_at,
        f.closed_at,
        coalesce(p.responder_vendor, s.in_house_vendor) as vendor,
        coalesce(p.from_tier, p.responder_tier, 'bot') as tier,
        p.responder_agent_id as agent_id,
        epoch(f.closed_at) - epoch(p.escalated_at) as completion_seconds,
        p.escalated_at + to_seconds(s.completion_window_seconds) <= s.as_of_at as is_window_ended,
        case
            when p.escalated_at + to_seconds(s.completion_window_seconds) > s.as_of_at then null
            else coalesce(f.closed_at <= p.escalated_at + to_seconds(s.completion_window_seconds), false)
        end as is_completed_24h
    from escalating_party as p
    cross join settings as s
    left join first_close as f on f.ticket_id = p.ticket_id
)

select * from final
