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

-- Conditions sit inside the aggregates (min(case when c then x end), min_by(x, case when c then seq end)), not
-- in FILTER clauses, which DuckDB runs as a selection pass each (see int_kpis__aggregated); a NULL ordering
-- key is skipped by min_by/max_by as a filtered-out row would be.
facts as (
    select
        conversation_id,
        min_by(customer_id, case when customer_id is not null then seq end) as customer_id,
        min_by(channel, case when channel is not null then seq end) as channel,
        min(sent_at) as first_message_at,
        max(sent_at) as last_message_at,

        min(case when is_customer then sent_at end) as first_customer_at,
        min(case when is_responder then sent_at end) as first_reply_at,
        min(case when is_responder and count_customer_so_far > 0 then sent_at end) as first_response_at,
        min_by(tier, case when is_responder and count_customer_so_far > 0 then seq end) as first_responder_tier,
        min_by(role, case when is_responder then seq end) as first_responder_role,
        min(case when is_human then sent_at end) as first_human_at,
        max(case when is_human then sent_at end) as last_human_at,
        min_by(tier, case when is_human then seq end) as first_human_tier,
        -- One struct per arg_max instead of four aggregates: this model runs over every message.
        max_by({agent_id: agent_id, agent_name: agent_name, vendor: vendor, tier: tier}, case when is_human then seq end)
            as last_human,
        max_by(vendor, case when is_bot then seq end) as last_bot_vendor,

        min(case when has_human_request and count_human_before = 0 then sent_at end) as first_human_request_at,
        count(case when has_human_request and count_human_before = 0 then 1 end) as count_human_requests,
        -- Without a transfer event the handoff is the last bot message before the first human reply.
        max(case when is_bot and next_responder_role = 'agent' and count_human_before = 0 then sent_at end)
            as inferred_handoff_at,

        count(case when is_transfer then 1 end) as count_transfers_inferred,
        count(case when is_new_tier_segment then 1 end) as count_tier_segments,

        min_by(sentiment_score, case when is_customer and sentiment_score is not null then seq end)
            as sentiment_opening,
        max_by({score: sentiment_score, label: sentiment_label},
            case when is_customer and sentiment_score is not null then seq end) as closing,
        min(case when is_customer then sentiment_score end) as sentiment_lowest,

        count(case when has_coupon_appeasement then 1 end) as count_coupon_appeasement,
        count(case when has_callback_promise then 1 end) as count_callback_promise,
        count(case when has_agents_busy then 1 end) as count_agents_busy,
        count(case when has_bot_transfer_block then 1 end) as count_bot_transfer_block,
        count(case when has_self_service_redirect then 1 end) as count_self_service_redirect,
        count(case when has_canned_repetition then 1 end) as count_canned_repetition,
        count(case when has_apology_loop then 1 end) as count_apology_loop,
        count(case when has_complaint_threat then 1 end) as count_complaint_threats,
        count(case when has_anger then 1 end) as count_anger,
        count(case when has_repeat_explanation then 1 end) as count_repeat_explanations,
        coalesce(bool_or(has_thanks_resolved), false) as has_thanks_resolved,

        count(*) as count_messages,
        count(case when is_customer then 1 end) as count_customer_messages,
        count(case when is_human then 1 end) as count_agent_messages,
        count(case when is_bot then 1 end) as count_bot_messages
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
