-- Purpose: conversation events (transfers, escalations, closes, reopens, callbacks) in canonical shape.
-- Grain: one row per event. Key: event_key.
-- Depends on: raw.events, staging.stg_raw__period_conversations, staging.settings
-- materialized: view
with

source as (
    select * from raw.events
),

settings as (
    select * from staging.settings
),

final as (
    select
        event_key,
        conversation_id,
        occurred_at,
        lower(event) as event,
        from_tier,
        to_tier,
        agent_id,
        vendor,
        ticket_id,
        reason,
        queue_position
    from source as e
    cross join settings as s
    -- metrics.periodDays: only the period's conversations.
    where s.period_start_at is null
        or (e.occurred_at >= s.period_start_at
            and e.conversation_id in (select conversation_id from staging.stg_raw__period_conversations))
)

select * from final
