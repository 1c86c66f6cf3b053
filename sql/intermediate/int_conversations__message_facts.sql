-- Purpose: what the messages alone say about each conversation: timing, responders, requests, bot blocks,
-- sentiment and signal counts.
-- Grain: one row per conversation with messages. Key: conversation_id.
-- Depends on: intermediate.int_customer_messages__scored, intermediate.int_responder_messages__scored,
--             intermediate.int_conversations__sentiment, intermediate.int_conversations__event_facts
-- How order is read without sorting: "first"/"last" are min_by/max_by on order_key; facts relative to a moment
-- of the conversation ("after the first customer message", "before the first human reply") compare each
-- message's order_key with that moment's key, found by a first aggregate (anchors) and joined back to the
-- messages that can matter (responders and requests for a human) for a second.
-- Choices:
--  * the first response is the first bot or agent message after the first customer message.
--  * requests for a human count until the first human reply; the handoff without a transfer event is the last
--    bot message before the first human reply.
--  * a bot block is a bot reply after a request for a human, before any human replied, that does not hand over
--    (is not that last bot message), and comes before the first handoff event when there is one.
-- materialized: scratch
with

-- Not materialized (both): each is scanned twice, and a union copy of every message costs more than the scans.
customer_messages as not materialized (
    select * from intermediate.int_customer_messages__scored
),

responder_messages as not materialized (
    select * from intermediate.int_responder_messages__scored
),

sentiment as (
    select * from intermediate.int_conversations__sentiment
),

event_facts as (
    select * from intermediate.int_conversations__event_facts
),

-- Every message once, with what the anchors read; customer signals only on customer messages.
messages as (
    select
        conversation_id, order_key, sent_at, is_customer, false as is_responder, false as is_human, false as is_bot,
        null as role, customer_id, channel, null as agent_id, null as agent_name, null as vendor, null as tier,
        is_customer and has_human_request as has_human_request,
        is_customer and has_complaint_threat as has_complaint_threat,
        is_customer and has_anger as has_anger,
        is_customer and has_repeat_explanation as has_repeat_explanation,
        is_customer and has_thanks_resolved as has_thanks_resolved,
        has_coupon_appeasement, has_callback_promise, has_agents_busy, has_bot_transfer_block,
        has_self_service_redirect, has_canned_repetition, has_apology_loop
    from customer_messages
    union all
    select
        conversation_id, order_key, sent_at, false, true, is_human, is_bot,
        role, customer_id, channel, agent_id, agent_name, vendor, tier,
        false, false, false, false, false,
        has_coupon_appeasement, has_callback_promise, has_agents_busy, has_bot_transfer_block,
        has_self_service_redirect, has_canned_repetition, has_apology_loop
    from responder_messages
),

-- Conditions sit inside the aggregates (min(case when c then x end), min_by(x, case when c then key end)), not
-- in FILTER clauses, which DuckDB runs as a selection pass each (see int_kpis__aggregated); a NULL ordering
-- key is skipped by min_by/max_by as a filtered-out row would be.
anchors as (
    select
        conversation_id,
        min_by(customer_id, case when customer_id is not null then order_key end) as customer_id,
        min_by(channel, case when channel is not null then order_key end) as channel,
        min(sent_at) as first_message_at,
        max(sent_at) as last_message_at,

        min(case when is_customer then sent_at end) as first_customer_at,
        min(case when is_customer then order_key end) as first_customer_key,
        min(case when is_responder then sent_at end) as first_reply_at,
        min_by(role, case when is_responder then order_key end) as first_responder_role,
        min(case when is_human then sent_at end) as first_human_at,
        min(case when is_human then order_key end) as first_human_key,
        max(case when is_human then sent_at end) as last_human_at,
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

-- The moments the other messages are placed against, per conversation.
moments as (
    select
        a.conversation_id,
        a.first_customer_key,
        a.first_human_key,
        a.first_human_request_key,
        e.first_handoff_event_at
    from anchors as a
    left join event_facts as e on e.conversation_id = a.conversation_id
),

-- Only the messages whose place relative to the moments matters: responders and requests for a human.
placed as (
    select
        m.conversation_id,
        m.order_key,
        m.sent_at,
        m.vendor,
        m.tier,
        m.is_responder,
        m.is_bot,
        m.has_human_request,
        m.order_key > t.first_customer_key as is_after_first_customer,
        t.first_human_key is null or m.order_key < t.first_human_key as is_before_first_human,
        m.order_key > t.first_human_request_key as is_after_first_request,
        t.first_handoff_event_at
    from (
        select conversation_id, order_key, sent_at, vendor, tier, true as is_responder, is_bot,
            false as has_human_request
        from responder_messages
        union all
        select conversation_id, order_key, sent_at, null, null, false, false, true
        from customer_messages
        where is_customer and has_human_request
    ) as m
    join moments as t on t.conversation_id = m.conversation_id
),

relative as (
    select
        conversation_id,
        min(case when is_responder and is_after_first_customer then sent_at end) as first_response_at,
        min_by({vendor: vendor, tier: tier}, case when is_responder and is_after_first_customer then order_key end)
            as first_responder,
        min(case when has_human_request and is_before_first_human then sent_at end) as first_human_request_at,
        count(case when has_human_request and is_before_first_human then 1 end) as count_human_requests,
        -- Bots before the first human reply: the last of them handed over (only when a human replied).
        max_by({order_key: order_key, sent_at: sent_at}, case when is_bot and is_before_first_human then order_key end)
            as last_bot_before_human,
        count(case
            when is_bot and is_before_first_human and is_after_first_request
                and (first_handoff_event_at is null or sent_at < first_handoff_event_at) then 1
        end) as count_bot_replies_after_request
    from placed
    group by conversation_id
),

final as (
    select
        a.* exclude (first_customer_key, first_human_key, first_human_request_key, first_human, last_human),
        -- Who gave the first response and the first human response: the segment credited with them.
        a.first_human.vendor as first_human_vendor,
        a.first_human.tier as first_human_tier,
        a.last_human.agent_id as last_human_agent_id,
        a.last_human.agent_name as last_human_agent_name,
        a.last_human.vendor as last_human_vendor,
        a.last_human.tier as last_human_tier,
        se.sentiment_opening,
        se.sentiment_closing,
        se.closing_label,
        se.sentiment_lowest,
        r.first_response_at,
        r.first_responder.vendor as first_responder_vendor,
        r.first_responder.tier as first_responder_tier,
        r.first_human_request_at,
        coalesce(r.count_human_requests, 0) as count_human_requests,
        case when a.first_human_key is not null then r.last_bot_before_human.sent_at end as inferred_handoff_at,
        -- The bot reply that handed over is no block.
        coalesce(r.count_bot_replies_after_request, 0) - coalesce((
            a.first_human_key is not null
            and r.last_bot_before_human.order_key > a.first_human_request_key
            and (e.first_handoff_event_at is null or r.last_bot_before_human.sent_at < e.first_handoff_event_at)
        )::int, 0) as count_bot_blocks
    from anchors as a
    left join relative as r on r.conversation_id = a.conversation_id
    left join sentiment as se on se.conversation_id = a.conversation_id
    left join event_facts as e on e.conversation_id = a.conversation_id
)

select * from final
