-- Purpose: every customer message with its place in the conversation, its sentiment and its signals; system
-- notices ride along (is_customer false): they count toward the conversation's extent and nothing else.
-- Grain: one row per message that is not a bot's or an agent's. Key: message_key.
-- Depends on: staging.stg_raw__messages, staging.stg_scores__sentiment, staging.stg_scores__signals
-- Why stored: the message facts, the conversation's sentiment and the sentiment around deflections all read
-- it; the per-version choice of sentiment and the joins cost ~3 s at 1M conversations, paid once.
-- Sentiment is NULL on an unscored message; signal flags are NULL on a message with no signal (read as false).
-- Only the customer signals, and they count only where is_customer: deflections are the responder side's
-- (spec/signals.md), whatever the scorer tagged.
-- materialized: scratch
with

messages as (
    select * from staging.stg_raw__messages
),

sentiment as (
    select * from staging.stg_scores__sentiment
),

-- Only messages with a customer signal (bits 7-11): the hash table is built from these alone.
signals as (
    select * from staging.stg_scores__signals where signal_bits & 3968 <> 0
),

final as (
    select
        m.message_key,
        m.conversation_id,
        m.order_key,
        m.sent_at,
        m.role = 'customer' as is_customer,
        m.customer_id,
        m.channel,
        se.score as sentiment_score,
        se.label as sentiment_label,
        -- stg_scores__signals' bits 7-11.
        sg.signal_bits & 128 <> 0 as has_human_request,
        sg.signal_bits & 256 <> 0 as has_complaint_threat,
        sg.signal_bits & 512 <> 0 as has_anger,
        sg.signal_bits & 1024 <> 0 as has_repeat_explanation,
        sg.signal_bits & 2048 <> 0 as has_thanks_resolved
    from messages as m
    left join sentiment as se on se.message_key = m.message_key
    left join signals as sg on sg.message_key = m.message_key
    where m.role not in ('bot', 'agent')
)

select * from final
