-- Purpose: canned-template membership of responder messages.
-- Grain: one row per templated message. Key: message_key.
-- Depends on: scores.message_templates
-- Choice: a message the scorer put in several clusters keeps the smallest template_id (deterministic).
-- materialized: scratch
with

source as (
    select * from scores.message_templates
),

final as (
    select message_key, min(template_id) as template_id
    from source
    group by message_key
)

select * from final
