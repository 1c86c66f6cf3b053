-- Purpose: what the messages alone say about each conversation: timing, responders, requests, sentiment,
-- signal counts and the handling path.
-- Grain: one row per conversation with messages. Key: conversation_id.
-- Depends on: intermediate.int_messages__segmented
-- Read once, by int_conversations__attributed: storing it would only add a write.
-- materialized: view
with

-- Not materialized: both CTEs below scan it, and a materialized copy of every message cost ~5 s at 1M.
messages as not materialized (
    select * from intermediate.int_messages__segmented
),

-- The path is ordered, but an ordered aggregate (string_agg ... order by) runs single-threaded: the
-- tier-segment starts are collected unordered and sorted per conversation instead (3x faster at 1M).
paths as (
    select
        conversation_id,
        array_to_string(list_transform(list_sort(list({seq: seq, tier: tier})), segment -> segment.tier), '>')
            as escalation_path,
        len(list_distinct(list(tier))) as count_tiers
    from messages
    where is_new_tier_segment
    group by conversation_id
),

facts as (
    select
        conversation_id,
        min_by(customer_id, seq) filter (where customer_id is not null) as customer_id,
        min_by(channel, seq) filter (where channel is not null) as channel,
        min(sent_at) as first_message_at,
        max(sent_at) as last_message_at,

        min(sent_at) filter (where is_customer) as first_customer_at,
        min(sent_at) filter (where is_responder) as first_reply_at,
        min(sent_at) filter (where is_responder and count_customer_so_far > 0) as first_response_at,
        min_by(tier, seq) filter (where is_responder and count_customer_so_far > 0) as first_responder_tier,
        min_by(role, seq) filter (where is_responder) as first_responder_role,
        min(sent_at) filter (where is_human) as first_human_at,
        max(sent_at) filter (where is_human) as last_human_at,
        min_by(tier, seq) filter (where is_human) as first_human_tier,
        -- One struct per arg_max instead of four aggregates: this model runs over every message.
        max_by({agent_id: agent_id, agent_name: agent_name, vendor: vendor, tier: tier}, seq)
            filter (where is_human) as last_human,
        max_by(vendor, seq) filter (where is_bot) as last_bot_vendor,

        min(sent_at) filter (where has_human_request and count_human_before = 0) as first_human_request_at,
        count(*) filter (where has_human_request and count_human_before = 0) as count_human_requests,
        -- Without a transfer event the handoff is the last bot message before the first human reply.
        max(sent_at) filter (where is_bot and next_responder_role = 'agent' and count_human_before = 0)
            as inferred_handoff_at,

        count(*) filter (where is_transfer) as count_transfers_inferred,
        count(*) filter (where is_new_tier_segment) as count_tier_segments,

        min_by(sentiment_score, seq) filter (where is_customer and sentiment_score is not null) as sentiment_opening,
        max_by({score: sentiment_score, label: sentiment_label}, seq)
            filter (where is_customer and sentiment_score is not null) as closing,
        min(sentiment_score) filter (where is_customer) as sentiment_lowest,

        count(*) filter (where has_coupon_appeasement) as count_coupon_appeasement,
        count(*) filter (where has_callback_promise) as count_callback_promise,
        count(*) filter (where has_agents_busy) as count_agents_busy,
        count(*) filter (where has_bot_transfer_block) as count_bot_transfer_block,
        count(*) filter (where has_self_service_redirect) as count_self_service_redirect,
        count(*) filter (where has_canned_repetition) as count_canned_repetition,
        count(*) filter (where has_apology_loop) as count_apology_loop,
        count(*) filter (where has_complaint_threat) as count_complaint_threats,
        count(*) filter (where has_anger) as count_anger,
        count(*) filter (where has_repeat_explanation) as count_repeat_explanations,
        coalesce(bool_or(has_thanks_resolved), false) as has_thanks_resolved,

        count(*) as count_messages,
        count(*) filter (where is_customer) as count_customer_messages,
        count(*) filter (where is_human) as count_agent_messages,
        count(*) filter (where is_bot) as count_bot_messages
    from messages
    group by conversation_id
),

final as (
    select
        f.* exclude (last_human, closing),
        f.last_human.agent_id as last_human_agent_id,
        f.last_human.agent_name as last_human_agent_name,
        f.last_human.vendor as last_human_vendor,
        f.last_human.tier as last_human_tier,
        f.closing.score as sentiment_closing,
        f.closing.label as closing_label,
        p.escalation_path,
        p.count_tiers
    from facts as f
    left join paths as p on p.conversation_id = f.conversation_id
)

select * from final
