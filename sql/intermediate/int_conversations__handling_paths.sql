-- Purpose: the handling path of each conversation from its responders in sequence: transfers inferred from the
-- messages and the tier segments (escalation path, ping-pong).
-- Grain: one row per conversation with at least one bot or agent message. Key: conversation_id.
-- Depends on: intermediate.int_responder_messages__scored
-- Transfers without events are inferred here: a responder (tier, vendor, agent) different from the previous
-- responder is a transfer; a tier different from the previous responder's tier starts a new tier segment.
-- Why its own model: the only fact of the layer that needs each message's predecessor; the window sorts the
-- responders with their identity alone, not every message with every column.
-- materialized: scratch
with

responders as (
    select conversation_id, order_key, tier, vendor, agent_id
    from intermediate.int_responder_messages__scored
),

sequenced as (
    select
        conversation_id,
        order_key,
        tier,
        -- A struct, not a joined string: names may hold any separator ('acme|east' + 'a1' vs 'acme' + 'east|a1').
        {tier: tier, vendor: vendor, agent_id: agent_id} as responder,
        lag({tier: tier, vendor: vendor, agent_id: agent_id})
            over (partition by conversation_id order by order_key) as previous_responder
    from responders
),

flagged as (
    select
        conversation_id,
        order_key,
        tier,
        previous_responder is not null and responder is distinct from previous_responder as is_transfer,
        previous_responder.tier is distinct from tier as is_new_tier_segment
    from sequenced
),

final as (
    select
        conversation_id,
        -- The path is ordered, but an ordered aggregate (string_agg ... order by) runs single-threaded: the
        -- segment starts are collected unordered and sorted per conversation instead (3x faster at 1M).
        array_to_string(
            list_transform(list_sort(list({order_key: order_key, tier: tier}) filter (where is_new_tier_segment)),
                           segment -> segment.tier),
            '>') as escalation_path,
        count(distinct tier) as count_tiers,
        count(case when is_new_tier_segment then 1 end) as count_tier_segments,
        count(case when is_transfer then 1 end) as count_transfers_inferred
    from flagged
    group by conversation_id
)

select * from final
