-- Purpose: what the events say about each conversation: extent, handoff time, transfer count, reopen, ticket.
-- Grain: one row per conversation with events. Key: conversation_id.
-- Depends on: staging.stg_raw__events
-- Choice: a handoff to a human is a `transferred`, `queued` or `escalated` event not aimed at the bot.
-- materialized: scratch
with

events as (
    select * from staging.stg_raw__events
),

final as (
    select
        conversation_id,
        min(occurred_at) as first_event_at,
        max(occurred_at) as last_event_at,
        min(occurred_at) filter (
            where event in ('transferred', 'queued', 'escalated') and to_tier is distinct from 'bot'
        ) as first_handoff_event_at,
        count(*) filter (where event in ('transferred', 'escalated')) as count_transfer_events,
        coalesce(bool_or(event = 'reopened'), false) as has_reopened_event,
        coalesce(bool_or(event = 'survey_sent'), false) as has_survey_offered,
        min(ticket_id) as ticket_id
    from events
    group by conversation_id
)

select * from final
