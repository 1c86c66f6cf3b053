-- Purpose: every message with at least one text signal, with what later models ask of it: its place in the
-- conversation, who wrote it and one flag per signal category.
-- Grain: one row per message with a signal. Key: message_key.
-- Depends on: staging.stg_scores__signals, staging.stg_raw__messages
-- Why not every message with its scores: a few percent of messages carry a signal; joining them to the
-- messages once, and the rest of the layer to this small table, is cheaper than carrying scores through every
-- message (a materialized scored copy of every message cost 10 s at 1M conversations).
-- materialized: scratch
with

signals as (
    select * from staging.stg_scores__signals
),

messages as (
    select * from staging.stg_raw__messages
),

final as (
    select
        m.message_key,
        m.conversation_id,
        m.order_key,
        m.sent_at,
        m.role,
        m.vendor,
        m.tier,
        m.agent_id,
        m.role in ('bot', 'agent') as is_responder,
        sg.signal_bits & 1 <> 0 as has_coupon_appeasement,
        sg.signal_bits & 2 <> 0 as has_callback_promise,
        sg.signal_bits & 4 <> 0 as has_agents_busy,
        sg.signal_bits & 8 <> 0 as has_bot_transfer_block,
        sg.signal_bits & 16 <> 0 as has_self_service_redirect,
        sg.signal_bits & 32 <> 0 as has_canned_repetition,
        sg.signal_bits & 64 <> 0 as has_apology_loop,
        -- Every deflection but canned_repetition (bit 32): a pasted greeting alone is not a deflection; canned
        -- repetition has its own rate and share.
        sg.signal_bits & 95 <> 0 as has_deflection,
        -- Customer signals count only on customer messages, whoever the scorer tagged.
        m.role = 'customer' and sg.signal_bits & 128 <> 0 as has_human_request,
        m.role = 'customer' and sg.signal_bits & 256 <> 0 as has_complaint_threat,
        m.role = 'customer' and sg.signal_bits & 512 <> 0 as has_anger,
        m.role = 'customer' and sg.signal_bits & 1024 <> 0 as has_repeat_explanation,
        m.role = 'customer' and sg.signal_bits & 2048 <> 0 as has_thanks_resolved
    from signals as sg
    join messages as m on m.message_key = sg.message_key
)

select * from final
