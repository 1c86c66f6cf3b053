-- Purpose: conversation records (identity, intent, order, explicit start/end) when the export has them.
-- Grain: one row per conversation. Key: conversation_id.
-- Depends on: raw.conversations, raw.load_manifest, staging.stg_raw__period_conversations, staging.settings
-- Choice: a conversation record is a snapshot; a re-export with other content (it grew: ended_at arrived) is
-- loaded as a newer version (src/ingest/validate.ts SNAPSHOT_KINDS). The newest wins per field, and each field
-- falls back to older versions when it is empty. Newest = loaded last: the latest load of its file in
-- raw.load_manifest, then the file name, then the line (a file rewritten in place under the same name ties its
-- versions on the load and the line decides; records without a manifest row count as oldest).
-- Read once, by int_conversations__attributed: storing it would only add a write.
-- materialized: view
with

file_loads as (
    select source_file, max(loaded_at) as loaded_at
    from raw.load_manifest
    where status = 'loaded'
    group by source_file
),

-- Files ranked once (a handful of rows), so a record's version is one integer, file order then line: arg_max
-- compares a struct key field by field on every row (the six aggregates 0.8-0.9 s against 0.4 s at 1M).
file_order as (
    select
        s.source_file,
        row_number() over (order by f.loaded_at nulls first, s.source_file) as file_rank
    from (select distinct source_file from raw.conversations) as s
    left join file_loads as f on f.source_file = s.source_file
),

source as (
    select c.*, o.file_rank * 4294967296 + c.source_line as version
    from raw.conversations as c
    join file_order as o on o.source_file = c.source_file
),

settings as (
    select * from staging.settings
),

final as (
    select
        conversation_id,
        arg_max(customer_id, version) filter (where customer_id is not null) as customer_id,
        arg_max(channel, version) filter (where channel is not null) as channel,
        arg_max(started_at, version) filter (where started_at is not null) as started_at,
        arg_max(ended_at, version) filter (where ended_at is not null) as ended_at,
        arg_max(intent, version) filter (where intent is not null) as intent,
        arg_max(order_id, version) filter (where order_id is not null) as order_id
    from source as c
    cross join settings as s
    -- metrics.periodDays: only the period's conversations.
    where s.period_start_at is null
        or (c.conversation_id in (select conversation_id from staging.stg_raw__period_conversations))
    group by conversation_id
)

select * from final
