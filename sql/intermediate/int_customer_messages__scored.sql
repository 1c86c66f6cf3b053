-- Purpose: every scored customer message with its place in the conversation and its sentiment.
-- Grain: one row per customer message with a score. Key: message_key.
-- Depends on: staging.stg_scores__sentiment, staging.stg_raw__messages
-- Why stored: the sentiment of a conversation and the sentiment around its deflections both read it; the
-- per-version choice and the join to the messages cost ~2 s at 1M conversations, paid once.
-- materialized: scratch
with

sentiment as (
    select * from staging.stg_scores__sentiment
),

customer_messages as (
    select message_key, conversation_id, order_key
    from staging.stg_raw__messages
    where role = 'customer'
),

final as (
    select
        m.message_key,
        m.conversation_id,
        m.order_key,
        s.score as sentiment_score,
        s.label as sentiment_label
    from customer_messages as m
    join sentiment as s on s.message_key = m.message_key
)

select * from final
