-- Purpose: every bot and agent message with its place in the conversation, who wrote it, its deflection signals
-- and its canned template.
-- Grain: one row per bot or agent message. Key: message_key.
-- Depends on: staging.stg_raw__messages, staging.stg_scores__signals, staging.stg_scores__templates
-- Why stored: the message facts, the handling path, the units, promises, escalations and canned templates all
-- read responders with their scores; joining the scores to them once costs less than once per reader when
-- scores are dense (every scripted bot message is templated).
-- Signal flags are NULL on a message with no signal (read as false; bool_or needs a coalesce).
-- materialized: scratch
with

messages as (
    select * from staging.stg_raw__messages
),

-- Only messages with a deflection signal (bits 0-6): the hash table is built from these alone.
signals as (
    select * from staging.stg_scores__signals where signal_bits & 127 <> 0
),

templates as (
    select * from staging.stg_scores__templates
),

final as (
    select
        m.message_key,
        m.conversation_id,
        m.order_key,
        m.sent_at,
        m.role,
        m.role = 'bot' as is_bot,
        m.role = 'agent' as is_human,
        m.vendor,
        m.tier,
        m.agent_id,
        m.agent_name,
        m.customer_id,
        m.channel,
        t.template_id,
        -- Only the deflection signals (stg_scores__signals' bits 0-6): customer signals count only on customer
        -- messages.
        sg.signal_bits & 1 <> 0 as has_coupon_appeasement,
        sg.signal_bits & 2 <> 0 as has_callback_promise,
        sg.signal_bits & 4 <> 0 as has_agents_busy,
        sg.signal_bits & 8 <> 0 as has_bot_transfer_block,
        sg.signal_bits & 16 <> 0 as has_self_service_redirect,
        sg.signal_bits & 32 <> 0 as has_canned_repetition,
        sg.signal_bits & 64 <> 0 as has_apology_loop,
        -- Every deflection but canned_repetition (bit 32): a pasted greeting alone is not a deflection; canned
        -- repetition has its own rate and share.
        sg.signal_bits & 95 <> 0 as has_deflection
    from messages as m
    left join signals as sg on sg.message_key = m.message_key
    left join templates as t on t.message_key = m.message_key
    where m.role in ('bot', 'agent')
)

select * from final
