-- Purpose: the canned templates ranked by use, with who pastes them most, for trainers.
-- Grain: one row per template. Key: template_id.
-- Depends on: intermediate.int_responder_messages__scored, staging.stg_raw__messages,
--             staging.stg_scores__template_catalog
-- Choices: ties in use are broken by template_id, and the top agent's ties by agent_id, so ranks are stable.
-- example_text is the earliest paste of the template; once csqa purge removed its text, the template's
-- normalised text (redacted, digits masked) stands in, so a trainer still sees which script it is.
-- Counted on the templated messages without their text; only the example message of each template has its
-- text looked up.
with

-- Not materialized: read twice; two filtered scans cost less than a copy of every templated message.
templated as not materialized (
    select template_id, message_key, conversation_id, agent_id, sent_at
    from intermediate.int_responder_messages__scored
    where template_id is not null
),

messages as (
    select message_key, text from staging.stg_raw__messages
),

catalog as (
    select * from staging.stg_scores__template_catalog
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
        arg_min(message_key, (sent_at, message_key)) as example_message_key,
        count(*) as count_messages,
        count(distinct conversation_id) as count_conversations,
        count(distinct agent_id) as count_agents
    from templated
    group by template_id
),

final as (
    select
        t.template_id,
        coalesce(m.text, c.normalised_text) as example_text,
        t.count_messages,
        t.count_conversations,
        t.count_agents,
        a.top_agent_id,
        a.top_agent_count_messages,
        row_number() over (order by t.count_messages desc, t.count_conversations desc, t.template_id) as rank
    from templates as t
    left join top_agent as a on a.template_id = t.template_id
    left join messages as m on m.message_key = t.example_message_key
    left join catalog as c on c.template_id = t.template_id
)

select * from final
