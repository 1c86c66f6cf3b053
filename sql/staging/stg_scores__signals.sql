-- Purpose: the text signals of each message packed into one bitmask (one bit per spec/signals.md category).
-- Grain: one row per message with at least one signal. Key: message_key.
-- Depends on: scores.message_signals, staging.stg_raw__period_conversations, staging.settings
-- Bits are as the scorer tagged them, whatever the role: int_responder_messages__scored decodes the deflection
-- bits (0-6), int_customer_messages__scored the customer ones (7-11), so each side counts only its own.
-- Scratch: read by both scored-message models; folding the signal rows per message once is cheaper than twice,
-- and one integer a message is the narrowest thing to join.
-- materialized: scratch
with

source as (
    select message_key, conversation_id, signal from scores.message_signals
),

settings as (
    select * from staging.settings
),

-- Bit i set = category i fired.
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
    select * from packed
)

select * from final
