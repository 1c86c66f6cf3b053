-- Purpose: the text signals of each message pivoted into one flag per category (spec/signals.md).
-- Grain: one row per message with at least one signal. Key: message_key.
-- Depends on: scores.message_signals
with

source as (
    select message_key, signal from scores.message_signals
),

final as (
    select
        message_key,
        bool_or(signal = 'coupon_appeasement') as has_coupon_appeasement,
        bool_or(signal = 'callback_promise') as has_callback_promise,
        bool_or(signal = 'agents_busy') as has_agents_busy,
        bool_or(signal = 'bot_transfer_block') as has_bot_transfer_block,
        bool_or(signal = 'self_service_redirect') as has_self_service_redirect,
        bool_or(signal = 'canned_repetition') as has_canned_repetition,
        bool_or(signal = 'apology_loop') as has_apology_loop,
        bool_or(signal = 'human_request') as has_human_request,
        bool_or(signal = 'complaint_threat') as has_complaint_threat,
        bool_or(signal = 'anger') as has_anger,
        bool_or(signal = 'repeat_explanation') as has_repeat_explanation,
        bool_or(signal = 'thanks_resolved') as has_thanks_resolved
    from source
    group by message_key
)

select * from final
