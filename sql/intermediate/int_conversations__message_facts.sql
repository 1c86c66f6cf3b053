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

-- Every message once, each side projecting what it has: customer signals only on customer messages,
-- deflections only on bot and agent messages (spec/signals.md).
messages as (
    select
        conversation_id, order_key, is_customer, false as is_responder, false as is_human, false as is_bot,
        null as role, customer_id, channel, null as agent_id, null as agent_name, null as vendor, null as tier,
        is_customer and has_human_request as has_human_request,
        is_customer and has_complaint_threat as has_complaint_threat,
        is_customer and has_anger as has_anger,
        is_customer and has_repeat_explanation as has_repeat_explanation,
        is_customer and has_thanks_resolved as has_thanks_resolved,
        false as has_coupon_appeasement, false as has_callback_promise, false as has_agents_busy,
        false as has_bot_transfer_block, false as has_self_service_redirect, false as has_canned_repetition,
        false as has_apology_loop
    from customer_messages
    union all
    select
        conversation_id, order_key, false, true, is_human, is_bot,
        role, customer_id, channel, agent_id, agent_name, vendor, tier,
        false, false, false, false, false,
        has_coupon_appeasement, has_callback_promise, has_agents_busy, has_bot_transfer_block,
        has_self_service_redirect, has_canned_repetition, has_apology_loop
    from responder_messages
),

-- Conditions sit inside the aggregates (min(case when c then x end), min_by(x, case when c then key end)), not
-- in FILTER clauses, which DuckDB runs as a selection pass each (see int_kpis__aggregated); a NULL ordering
-- key is skipped by min_by/max_by as a filtered-out row would be. Times come from the keys' top 64 bits (the
-- send time in microseconds, stg_raw__messages): one aggregate serves a moment's key and time.
keyed as (
    select
        conversation_id,
        min_by(customer_id, case when customer_id is not null then order_key end) as customer_id,
        min_by(channel, case when channel is not null then order_key end) as channel,
        min(order_key) as first_key,
        max(order_key) as last_key,
        min(case when is_customer then order_key end) as first_customer_key,
        min(case when is_responder then order_key end) as first_reply_key,
        min_by(role, case when is_responder then order_key end) as first_responder_role,
        min(case when is_human then order_key end) as first_human_key,
        max(case when is_human then order_key end) as last_human_key,
        min_by({vendor: vendor, tier: tier}, case when is_human then order_key end) as first_human,
        -- One struct per arg_max instead of four aggregates: this model runs over every message.
        max_by({agent_id: agent_id, agent_name: agent_name, vendor: vendor, tier: tier},
               case when is_human then order_key end) as last_human,
        max_by(vendor, case when is_bot then order_key end) as last_bot_vendor,
        min(case when has_human_request then order_key end) as first_human_request_key,

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

anchors as (
    select
        * exclude (first_key, last_key, first_reply_key, last_human_key),
        make_timestamp(cast(first_key >> 64 as bigint)) as first_message_at,
        make_timestamp(cast(last_key >> 64 as bigint)) as last_message_at,
        make_timestamp(cast(first_customer_key >> 64 as bigint)) as first_customer_at,
        make_timestamp(cast(first_reply_key >> 64 as bigint)) as first_reply_at,
        make_timestamp(cast(first_human_key >> 64 as bigint)) as first_human_at,
        make_timestamp(cast(last_human_key >> 64 as bigint)) as last_human_at
    from keyed
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
