-- Purpose: what the messages alone say about each conversation: timing, responders, sentiment and signal
-- counts, and the keys of its moments (first customer message, first human reply, first request for a human)
-- that int_conversations__reach places the other messages against.
-- Grain: one row per conversation with messages. Key: conversation_id.
-- Depends on: intermediate.int_customer_messages__scored, intermediate.int_responder_messages__scored,
--             intermediate.int_conversations__sentiment
-- How order is read without sorting: "first"/"last" are min_by/max_by on order_key, and a key's top 64 bits
-- are the send time (stg_raw__messages), so a first or last moment's time comes with its key.
-- materialized: scratch
with

customer_messages as (
    select * from intermediate.int_customer_messages__scored
),

responder_messages as (
    select * from intermediate.int_responder_messages__scored
),

sentiment as (
    select * from intermediate.int_conversations__sentiment
),

-- Conditions sit inside the aggregates (min(case when c then x end), min_by(x, case when c then key end)), not
-- in FILTER clauses, which DuckDB runs as a selection pass each (see int_kpis__aggregated); a NULL ordering
-- key is skipped by min_by/max_by as a filtered-out row would be. Each side is aggregated alone (each row
-- updates only its side's aggregates) and the two joined per conversation.
customer_side as (
    select
        conversation_id,
        min_by({order_key: order_key, customer_id: customer_id}, case when customer_id is not null then order_key end)
            as first_customer_id,
        min_by({order_key: order_key, channel: channel}, case when channel is not null then order_key end)
            as first_channel,
        min(order_key) as first_key,
        max(order_key) as last_key,
        count(*) as count_messages,
        min(case when is_customer then order_key end) as first_customer_key,
        count(case when is_customer then 1 end) as count_customer_messages,
        min(case when is_customer and has_human_request then order_key end) as first_human_request_key,
        count(case when is_customer and has_complaint_threat then 1 end) as count_complaint_threats,
        count(case when is_customer and has_anger then 1 end) as count_anger,
        count(case when is_customer and has_repeat_explanation then 1 end) as count_repeat_explanations,
        coalesce(bool_or(is_customer and has_thanks_resolved), false) as has_thanks_resolved
    from customer_messages
    group by conversation_id
),

responder_side as (
    select
        conversation_id,
        min_by({order_key: order_key, customer_id: customer_id}, case when customer_id is not null then order_key end)
            as first_customer_id,
        min_by({order_key: order_key, channel: channel}, case when channel is not null then order_key end)
            as first_channel,
        min(order_key) as first_key,
        max(order_key) as last_key,
        count(*) as count_messages,
        min_by(role, order_key) as first_responder_role,
        min(case when is_human then order_key end) as first_human_key,
        max(case when is_human then order_key end) as last_human_key,
        min_by({vendor: vendor, tier: tier}, case when is_human then order_key end) as first_human,
        -- One struct per arg_max instead of four aggregates.
        max_by({agent_id: agent_id, agent_name: agent_name, vendor: vendor, tier: tier},
               case when is_human then order_key end) as last_human,
        max_by(vendor, case when is_bot then order_key end) as last_bot_vendor,
        count(case when has_coupon_appeasement then 1 end) as count_coupon_appeasement,
        count(case when has_callback_promise then 1 end) as count_callback_promise,
        count(case when has_agents_busy then 1 end) as count_agents_busy,
        count(case when has_bot_transfer_block then 1 end) as count_bot_transfer_block,
        count(case when has_self_service_redirect then 1 end) as count_self_service_redirect,
        count(case when has_canned_repetition then 1 end) as count_canned_repetition,
        count(case when has_apology_loop then 1 end) as count_apology_loop,
        count(case when is_human then 1 end) as count_agent_messages,
        count(case when is_bot then 1 end) as count_bot_messages
    from responder_messages
    group by conversation_id
),

-- The two sides side by side; a key's top 64 bits are the send time in microseconds (stg_raw__messages).
anchors as (
    select
        coalesce(c.conversation_id, r.conversation_id) as conversation_id,
        case
            when r.first_customer_id is null or c.first_customer_id.order_key < r.first_customer_id.order_key
                then c.first_customer_id.customer_id
            else r.first_customer_id.customer_id
        end as customer_id,
        case
            when r.first_channel is null or c.first_channel.order_key < r.first_channel.order_key
                then c.first_channel.channel
            else r.first_channel.channel
        end as channel,
        make_timestamp(cast(least(c.first_key, r.first_key) >> 64 as bigint)) as first_message_at,
        make_timestamp(cast(greatest(c.last_key, r.last_key) >> 64 as bigint)) as last_message_at,
        make_timestamp(cast(c.first_customer_key >> 64 as bigint)) as first_customer_at,
        c.first_customer_key,
        make_timestamp(cast(r.first_key >> 64 as bigint)) as first_reply_at,
        r.first_responder_role,
        make_timestamp(cast(r.first_human_key >> 64 as bigint)) as first_human_at,
        r.first_human_key,
        make_timestamp(cast(r.last_human_key >> 64 as bigint)) as last_human_at,
        r.first_human,
        r.last_human,
        r.last_bot_vendor,
        c.first_human_request_key,
        coalesce(r.count_coupon_appeasement, 0) as count_coupon_appeasement,
        coalesce(r.count_callback_promise, 0) as count_callback_promise,
        coalesce(r.count_agents_busy, 0) as count_agents_busy,
        coalesce(r.count_bot_transfer_block, 0) as count_bot_transfer_block,
        coalesce(r.count_self_service_redirect, 0) as count_self_service_redirect,
        coalesce(r.count_canned_repetition, 0) as count_canned_repetition,
        coalesce(r.count_apology_loop, 0) as count_apology_loop,
        coalesce(c.count_complaint_threats, 0) as count_complaint_threats,
        coalesce(c.count_anger, 0) as count_anger,
        coalesce(c.count_repeat_explanations, 0) as count_repeat_explanations,
        coalesce(c.has_thanks_resolved, false) as has_thanks_resolved,
        coalesce(c.count_messages, 0) + coalesce(r.count_messages, 0) as count_messages,
        coalesce(c.count_customer_messages, 0) as count_customer_messages,
        coalesce(r.count_agent_messages, 0) as count_agent_messages,
        coalesce(r.count_bot_messages, 0) as count_bot_messages
    from customer_side as c
    full join responder_side as r on r.conversation_id = c.conversation_id
),

final as (
    select
        a.* exclude (first_human, last_human),
        -- Who gave the first human response: the segment credited with it.
        a.first_human.vendor as first_human_vendor,
        a.first_human.tier as first_human_tier,
        a.last_human.agent_id as last_human_agent_id,
        a.last_human.agent_name as last_human_agent_name,
        a.last_human.vendor as last_human_vendor,
        a.last_human.tier as last_human_tier,
        se.sentiment_opening,
        se.sentiment_closing,
        se.closing_label,
        se.sentiment_lowest
    from anchors as a
    left join sentiment as se on se.conversation_id = a.conversation_id
)

select * from final
