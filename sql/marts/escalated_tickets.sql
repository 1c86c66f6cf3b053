-- Purpose: escalated tickets with their 24-hour completion, per escalating party.
-- Grain: one row per escalated ticket. Key: ticket_id (the conversation_id when the event had no ticket).
-- Depends on: intermediate.int_escalations__completed
with

escalations as (
    select * from intermediate.int_escalations__completed
),

final as (
    select
        ticket_id,
        conversation_id,
        escalated_at,
        closed_at,
        vendor,
        tier,
        agent_id,
        completion_seconds,
        is_window_ended,
        is_completed_24h
    from escalations
)

select * from final
