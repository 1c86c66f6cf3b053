-- Purpose: the customer's sentiment over each conversation: first, last and lowest score of a customer message.
-- Grain: one row per conversation with a scored customer message. Key: conversation_id.
-- Depends on: intermediate.int_customer_messages__scored
-- materialized: scratch
with

scored as (
    select * from intermediate.int_customer_messages__scored
),

final as (
    select
        conversation_id,
        min_by(sentiment_score, order_key) as sentiment_opening,
        max_by(sentiment_score, order_key) as sentiment_closing,
        max_by(sentiment_label, order_key) as closing_label,
        min(sentiment_score) as sentiment_lowest
    from scored
    where is_customer and sentiment_score is not null
    group by conversation_id
)

select * from final
