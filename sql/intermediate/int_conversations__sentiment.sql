-- Purpose: the customer's sentiment over each conversation: first, last and lowest score of a customer message.
-- Grain: one row per conversation with a scored customer message. Key: conversation_id.
-- Depends on: staging.stg_scores__sentiment, staging.stg_raw__messages
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
        m.conversation_id,
        min_by(s.score, m.order_key) as sentiment_opening,
        max_by(s.score, m.order_key) as sentiment_closing,
        max_by(s.label, m.order_key) as closing_label,
        min(s.score) as sentiment_lowest
    from customer_messages as m
    join sentiment as s on s.message_key = m.message_key
    group by m.conversation_id
)

select * from final
