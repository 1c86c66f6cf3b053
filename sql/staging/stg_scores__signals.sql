-- Purpose: the text signals of each message as one flag per spec/signals.md category, with has_deflection.
-- Grain: one row per message with at least one signal. Key: message_key.
-- Depends on: scores.message_signals, staging.stg_raw__period_conversations, staging.settings
-- Flags are as the scorer tagged them, whatever the role: the customer signals (human_request ... thanks_resolved)
-- count only on customer messages, which int_customer_messages__scored and int_responder_messages__scored apply.
-- Scratch: read by both scored-message models; folding the signal rows per message once is cheaper than twice.
-- materialized: scratch
with

source as (
    select message_key, conversation_id, signal from scores.message_signals
),

settings as (
    select * from staging.settings
),

-- Bit i set = category i fired; packed first so one aggregate serves every flag.
categories as (
    select * from (values
        ('coupon_appeasement', 0), ('callback_promise', 1), ('agents_busy', 2), ('bot_transfer_block', 3),
        ('self_service_redirect', 4), ('canned_repetition', 5), ('apology_loop', 6), ('human_request', 7),
        ('complaint_threat', 8), ('anger', 9), ('repeat_explanation', 10), ('thanks_resolved', 11)
    ) as c(signal, bit)
),

packed as (
    select
        s.message_key,
        bit_or(1 << c.bit) as signal_bits
    from source as s
    join categories as c on c.signal = s.signal
    cross join settings as t
    -- metrics.periodDays: only the period's conversations.
    where t.period_start_at is null
        or s.conversation_id in (select conversation_id from staging.stg_raw__period_conversations)
    group by s.message_key
),

final as (
    select
        message_key,
        signal_bits & 1 <> 0 as has_coupon_appeasement,
        signal_bits & 2 <> 0 as has_callback_promise,
        signal_bits & 4 <> 0 as has_agents_busy,
        signal_bits & 8 <> 0 as has_bot_transfer_block,
        signal_bits & 16 <> 0 as has_self_service_redirect,
        signal_bits & 32 <> 0 as has_canned_repetition,
        signal_bits & 64 <> 0 as has_apology_loop,
        -- Every deflection but canned_repetition (bit 32): a pasted greeting alone is not a deflection; canned
        -- repetition has its own rate and share.
        signal_bits & 95 <> 0 as has_deflection,
        signal_bits & 128 <> 0 as has_human_request,
        signal_bits & 256 <> 0 as has_complaint_threat,
        signal_bits & 512 <> 0 as has_anger,
        signal_bits & 1024 <> 0 as has_repeat_explanation,
        signal_bits & 2048 <> 0 as has_thanks_resolved
    from packed
)

select * from final
