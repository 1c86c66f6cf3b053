-- Purpose: canned-template membership of responder messages.
-- Grain: one row per templated message. Key: message_key.
-- Depends on: scores.message_templates, staging.stg_raw__period_conversations, staging.settings
-- Choice: a message the scorer put in several clusters keeps the smallest template_id (deterministic).
-- materialized: scratch
with

source as (
    select * from scores.message_templates
),

settings as (
    select * from staging.settings
),

final as (
    select t.message_key, min(t.template_id) as template_id
    from source as t
    cross join settings as s
    -- metrics.periodDays: only the period's conversations.
    where s.period_start_at is null
        or (t.conversation_id in (select conversation_id from staging.stg_raw__period_conversations))
    group by t.message_key
)

select * from final
