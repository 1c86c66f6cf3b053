-- Purpose: conversation events (transfers, escalations, closes, reopens, callbacks) in canonical shape.
-- Grain: one row per event. Key: event_key.
-- Depends on: raw.events
-- materialized: view
with

source as (
    select * from raw.events
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
    from source
)

select * from final
