-- Purpose: the latest answered survey of each conversation (a customer may revise an answer).
-- Grain: one row per conversation with a survey. Key: conversation_id.
-- Depends on: raw.surveys, staging.stg_raw__period_conversations, staging.settings
-- Choice: the survey's own agent_id is ignored; surveys are credited by the attribution rule instead.
-- materialized: scratch
with

source as (
    select * from raw.surveys
),

settings as (
    select * from staging.settings
),

final as (
    select
        conversation_id,
        max(answered_at) as answered_at,
        arg_max(csat, (answered_at, survey_key)) as csat,
        arg_max(nps, (answered_at, survey_key)) as nps
    from source as v
    cross join settings as s
    -- metrics.periodDays: only the period's conversations.
    where s.period_start_at is null
        or (v.answered_at >= s.period_start_at
            and v.conversation_id in (select conversation_id from staging.stg_raw__period_conversations))
    group by conversation_id
)

select * from final
