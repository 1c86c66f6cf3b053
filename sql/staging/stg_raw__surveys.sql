-- Purpose: the latest answered survey of each conversation (a customer may revise an answer).
-- Grain: one row per conversation with a survey. Key: conversation_id.
-- Depends on: raw.surveys
-- Choice: the survey's own agent_id is ignored; surveys are credited by the attribution rule instead.
-- materialized: scratch
with

source as (
    select * from raw.surveys
),

final as (
    select
        conversation_id,
        max(answered_at) as answered_at,
        arg_max(csat, (answered_at, survey_key)) as csat,
        arg_max(nps, (answered_at, survey_key)) as nps
    from source
    group by conversation_id
)

select * from final
