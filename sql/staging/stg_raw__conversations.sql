-- Purpose: conversation records (identity, intent, order, explicit start/end) when the export has them.
-- Grain: one row per conversation. Key: conversation_id.
-- Depends on: raw.conversations, staging.stg_raw__period_conversations, staging.settings
-- Choice: when a conversation record was loaded more than once with different content, the one read last
-- (highest source file, then line) wins, and each field falls back to the others when it is empty.
-- Read once, by int_conversations__attributed: storing it would only add a write.
-- materialized: view
with

source as (
    select * from raw.conversations
),

settings as (
    select * from staging.settings
),

final as (
    select
        conversation_id,
        arg_max(customer_id, (source_file, source_line)) filter (where customer_id is not null) as customer_id,
        arg_max(channel, (source_file, source_line)) filter (where channel is not null) as channel,
        arg_max(started_at, (source_file, source_line)) filter (where started_at is not null) as started_at,
        arg_max(ended_at, (source_file, source_line)) filter (where ended_at is not null) as ended_at,
        arg_max(intent, (source_file, source_line)) filter (where intent is not null) as intent,
        arg_max(order_id, (source_file, source_line)) filter (where order_id is not null) as order_id
    from source as c
    cross join settings as s
    -- metrics.periodDays: only the period's conversations.
    where s.period_start_at is null
        or (c.conversation_id in (select conversation_id from staging.stg_raw__period_conversations))
    group by conversation_id
)

select * from final
