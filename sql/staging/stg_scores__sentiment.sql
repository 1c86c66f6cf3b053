-- Purpose: one sentiment score per customer message, from the scorer named in score.sentimentScorer.
-- Grain: one row per scored (customer) message. Key: message_key.
-- Depends on: scores.message_sentiment, staging.stg_raw__period_conversations, staging.settings
-- Choice: when that scorer scored a message under several versions, the highest version wins.
-- Read once, by int_customer_messages__scored: storing it would only add a write.
-- materialized: view
with

source as (
    select * from scores.message_sentiment
),

settings as (
    select * from staging.settings
),

final as (
    select
        src.message_key,
        arg_max(src.score, src.scorer_version) as score,
        arg_max(src.label, src.scorer_version) as label
    from source as src
    cross join settings as s
    where src.scorer = s.sentiment_scorer
        -- metrics.periodDays: only the period's conversations.
        and (s.period_start_at is null
            or src.conversation_id in (select conversation_id from staging.stg_raw__period_conversations))
    group by src.message_key
)

select * from final
