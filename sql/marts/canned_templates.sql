-- Purpose: the canned templates ranked by use, with who pastes them most, for trainers.
-- Grain: one row per template. Key: template_id.
-- Depends on: staging.stg_scores__templates, staging.stg_raw__messages
-- Choice: ties in use are broken by template_id, and the top agent's ties by agent_id, so ranks are stable.
with

templated as (
    select t.template_id, m.message_key, m.conversation_id, m.agent_id, m.text, m.sent_at
    from staging.stg_scores__templates as t
    join staging.stg_raw__messages as m on m.message_key = t.message_key
),

by_agent as (
    select template_id, agent_id, count(*) as count_messages
    from templated
    where agent_id is not null
    group by template_id, agent_id
),

top_agent as (
    select template_id, agent_id as top_agent_id, count_messages as top_agent_count_messages
    from by_agent
    qualify row_number() over (partition by template_id order by count_messages desc, agent_id) = 1
),

templates as (
    select
        template_id,
        arg_min(text, (sent_at, message_key)) as example_text,
        count(*) as count_messages,
        count(distinct conversation_id) as count_conversations,
        count(distinct agent_id) as count_agents
    from templated
    group by template_id
),

final as (
    select
        t.template_id,
        t.example_text,
        t.count_messages,
        t.count_conversations,
        t.count_agents,
        a.top_agent_id,
        a.top_agent_count_messages,
        row_number() over (order by t.count_messages desc, t.count_conversations desc, t.template_id) as rank
    from templates as t
    left join top_agent as a on a.template_id = t.template_id
)

select * from final
