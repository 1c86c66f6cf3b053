-- Purpose: what each party did in each conversation it wrote in: its messages, canned replies and deflections.
-- A party is a (vendor, tier) segment or an agent.
-- Grain: one row per conversation x party. Key: (conversation_id, vendor, tier, agent_id): a tier party has
-- agent_id NULL (is_tier_party); an agent party has vendor and tier NULL.
-- Depends on: intermediate.int_responder_messages__scored
-- An agent's vendor, tier and name are those it last wrote with in the conversation (last_written).
-- materialized: scratch
with

responder_messages as (
    select * from intermediate.int_responder_messages__scored
),

grouped as (
    select
        conversation_id,
        vendor,
        tier,
        agent_id,
        grouping(agent_id) = 1 as is_tier_party,
        max_by({vendor: vendor, tier: tier, agent_name: agent_name}, order_key) as last_written,
        count(*) as count_unit_messages,
        count(template_id) as count_unit_templated,
        coalesce(bool_or(has_coupon_appeasement), false) as has_coupon_appeasement,
        coalesce(bool_or(has_callback_promise), false) as has_callback_promise,
        coalesce(bool_or(has_agents_busy), false) as has_agents_busy,
        coalesce(bool_or(has_bot_transfer_block), false) as has_bot_transfer_block,
        coalesce(bool_or(has_self_service_redirect), false) as has_self_service_redirect,
        coalesce(bool_or(has_canned_repetition), false) as has_canned_repetition,
        coalesce(bool_or(has_apology_loop), false) as has_apology_loop,
        coalesce(bool_or(has_deflection), false) as has_unit_deflection
    from responder_messages
    group by grouping sets ((conversation_id, vendor, tier), (conversation_id, agent_id))
),

final as (
    select *
    from grouped
    -- A bot without an agent id is no agent party.
    where is_tier_party or agent_id is not null
)

select * from final
