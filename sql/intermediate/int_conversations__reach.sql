-- Purpose: how the customer reached a responder and a human: the first response, requests for a human until
-- one replied, the handoff and the bot's blocks.
-- Grain: one row per conversation with messages. Key: conversation_id.
-- Depends on: intermediate.int_conversations__message_facts, intermediate.int_responder_messages__scored,
--             intermediate.int_customer_messages__scored, intermediate.int_conversations__event_facts
-- How: each responder and each request for a human is placed against its conversation's moments (the keys of
-- the first customer message, first human reply and first request, from int_conversations__message_facts) by
-- comparing order keys: no sort.
-- Choices:
--  * the first response is the first bot or agent message after the first customer message.
--  * requests for a human count until the first human reply; the handoff without a transfer event is the last
--    bot message before the first human reply.
--  * a bot block is a bot reply after a request for a human, before any human replied, that does not hand over
--    (is not that last bot message), and comes before the first handoff event when there is one.
-- materialized: scratch
with

message_facts as (
    select * from intermediate.int_conversations__message_facts
),

responder_messages as (
    select * from intermediate.int_responder_messages__scored
),

customer_messages as (
    select * from intermediate.int_customer_messages__scored
),

event_facts as (
    select * from intermediate.int_conversations__event_facts
),

-- The moments the other messages are placed against, per conversation.
moments as (
    select
        a.conversation_id,
        a.first_customer_key,
        a.first_human_key,
        a.first_human_request_key,
        e.first_handoff_event_at
    from message_facts as a
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
        m.conversation_id,
        r.first_response_at,
        -- Who gave the first response: the segment credited with it.
        r.first_responder.vendor as first_responder_vendor,
        r.first_responder.tier as first_responder_tier,
        r.first_human_request_at,
        coalesce(r.count_human_requests, 0) as count_human_requests,
        case when m.first_human_key is not null then r.last_bot_before_human.sent_at end as inferred_handoff_at,
        -- The bot reply that handed over is no block.
        coalesce(r.count_bot_replies_after_request, 0) - coalesce((
            m.first_human_key is not null
            and r.last_bot_before_human.order_key > m.first_human_request_key
            and (e.first_handoff_event_at is null or r.last_bot_before_human.sent_at < e.first_handoff_event_at)
        )::int, 0) as count_bot_blocks
    from message_facts as m
    left join relative as r on r.conversation_id = m.conversation_id
    left join event_facts as e on e.conversation_id = m.conversation_id
)

select * from final
