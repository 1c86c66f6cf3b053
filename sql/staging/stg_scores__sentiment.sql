-- Purpose: one sentiment score per customer message, from the scorer named in score.sentimentScorer.
-- Grain: one row per scored (customer) message. Key: message_key.
-- Depends on: scores.message_sentiment, staging.stg_raw__period_conversations, staging.settings
-- Choice: when that scorer scored a message under several versions, the highest version wins.
-- Under one version the rows are taken as they are: csqa score rewrites a conversation's rows for a scorer
-- whole, one row per message (src/score/scoreDatabase.ts), so only versions can repeat a message; folding
-- every message by key cost ~2 s at 1M conversations for nothing.
-- Read once, by int_customer_messages__scored: storing it would only add a write.
-- materialized: view
with

source as (
    select * from scores.message_sentiment
),

settings as (
    select * from staging.settings
),

scored as (
    select src.message_key, src.score, src.label, src.scorer_version
    from source as src
    cross join settings as s
    where src.scorer = s.sentiment_scorer
        -- metrics.periodDays: only the period's conversations.
        and (s.period_start_at is null
            or src.conversation_id in (select conversation_id from staging.stg_raw__period_conversations))
),

version_count as (
    select count(distinct scorer_version) as n from scored
),

final as (
    select message_key, score, label
    from scored
    where (select n from version_count) = 1
    union all
    select
        message_key,
        arg_max(score, scorer_version) as score,
        arg_max(label, scorer_version) as label
    from scored
    where (select n from version_count) > 1
    group by message_key
)

select * from final
