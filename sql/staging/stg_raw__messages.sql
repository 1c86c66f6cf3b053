-- Purpose: loaded messages in canonical shape; responders always carry a tier and a vendor.
-- Grain: one row per message. Key: message_key (ingest deduplicates on it).
-- Depends on: raw.messages, staging.stg_raw__period_conversations, staging.settings
-- Choices: a bot's tier is always 'bot'; an agent without a tier is treated as L1 (the first human tier);
-- a responder without a vendor belongs to the in-house vendor (ingest.inHouseVendor).
-- order_key: conversation order as one integer, so later models ask order questions with min_by/max_by and
-- key comparisons instead of sorting every message (a struct key cost 2.3x in those aggregates): send time in the
-- top 64 bits, then the source line (of two lines at the same instant in a file, the earlier came first), then
-- a 32-bit hash of the message key, so ties are broken by content, never by load order. Computed only where read.
-- materialized: view
with

source as (
    select * from raw.messages
),

settings as (
    select * from staging.settings
),

final as (
    select
        m.message_key,
        m.conversation_id,
        m.sent_at,
        epoch_us(m.sent_at)::hugeint * 18446744073709551616 + m.source_line::hugeint * 4294967296
            + (hash(m.message_key) >> 32) as order_key,
        m.role,
        m.customer_id,
        m.agent_id,
        m.agent_name,
        case when m.role in ('bot', 'agent') then coalesce(m.vendor, s.in_house_vendor) end as vendor,
        case
            when m.role = 'bot' then 'bot'
            when m.role = 'agent' then coalesce(m.tier, 'L1')
        end as tier,
        m.channel,
        m.text,
        m.source_line
    from source as m
    cross join settings as s
    -- metrics.periodDays: only the period's conversations (their records all lie at or after its start).
    where s.period_start_at is null
        or (m.sent_at >= s.period_start_at
            and m.conversation_id in (select conversation_id from staging.stg_raw__period_conversations))
)

select * from final
