-- Purpose: every message in conversation order with its scores and its place in the handling sequence
-- (who is responding, whether the responding party changed, what the customer had asked before it).
-- Grain: one row per message. Key: message_key.
-- Depends on: staging.stg_raw__messages, staging.stg_scores__sentiment, staging.stg_scores__signals,
--             staging.stg_scores__templates
-- Why one model: every conversation-level fact derives from these running values; computing them in one
-- window pass over (conversation_id, sent_at) avoids self-joins over the largest table.
-- Transfers without events are inferred here: a responder (tier, vendor, agent) different from the previous
-- responder is a transfer; a tier different from the previous responder's tier starts a new tier segment.
with

messages as (
    select * from staging.stg_raw__messages
),

sentiment as (
    select * from staging.stg_scores__sentiment
),

signals as (
    select * from staging.stg_scores__signals
),

templates as (
    select * from staging.stg_scores__templates
),

joined as (
    select
        -- Text stays out: this is the widest table of the layer and nothing downstream reads text in bulk.
        m.message_key,
        m.conversation_id,
        m.sent_at,
        m.source_line,
        m.role,
        m.customer_id,
        m.agent_id,
        m.agent_name,
        m.vendor,
        m.tier,
        m.channel,
        m.role in ('bot', 'agent') as is_responder,
        m.role = 'agent' as is_human,
        m.role = 'bot' as is_bot,
        m.role = 'customer' as is_customer,
        case when m.role in ('bot', 'agent') then m.tier || '|' || m.vendor || '|' || coalesce(m.agent_id, '') end
            as responder_key,
        se.score as sentiment_score,
        se.label as sentiment_label,
        coalesce(sg.has_coupon_appeasement, false) as has_coupon_appeasement,
        coalesce(sg.has_callback_promise, false) as has_callback_promise,
        coalesce(sg.has_agents_busy, false) as has_agents_busy,
        coalesce(sg.has_bot_transfer_block, false) as has_bot_transfer_block,
        coalesce(sg.has_self_service_redirect, false) as has_self_service_redirect,
        coalesce(sg.has_canned_repetition, false) as has_canned_repetition,
        coalesce(sg.has_apology_loop, false) as has_apology_loop,
        coalesce(sg.has_human_request, false) and m.role = 'customer' as has_human_request,
        coalesce(sg.has_complaint_threat, false) and m.role = 'customer' as has_complaint_threat,
        coalesce(sg.has_anger, false) and m.role = 'customer' as has_anger,
        coalesce(sg.has_repeat_explanation, false) and m.role = 'customer' as has_repeat_explanation,
        coalesce(sg.has_thanks_resolved, false) and m.role = 'customer' as has_thanks_resolved,
        t.template_id
    from messages as m
    left join sentiment as se on se.message_key = m.message_key
    left join signals as sg on sg.message_key = m.message_key
    left join templates as t on t.message_key = m.message_key
),

sequenced as (
    select
        *,
        -- A pasted template alone (a standard greeting) is not a deflection: canned_repetition has its own
        -- rate and share, and counts here only through the scripted moves it carries.
        coalesce(has_coupon_appeasement or has_callback_promise or has_agents_busy or has_bot_transfer_block
            or has_self_service_redirect or has_apology_loop, false) as has_deflection,
        row_number() over running as seq,
        lag(responder_key ignore nulls) over running as previous_responder_key,
        lag(tier ignore nulls) over running as previous_responder_tier,
        lead(case when is_responder then role end ignore nulls) over running as next_responder_role,
        sum(is_customer::int) over running as count_customer_so_far,
        sum((is_customer and sentiment_score is not null)::int) over running as count_scored_customer_so_far,
        sum(has_human_request::int) over running as count_human_requests_so_far,
        sum(is_human::int) over running - is_human::int as count_human_before
    from joined
    -- One window (one sort) serves every running value; lag/lead ignore the frame.
    window running as (partition by conversation_id order by sent_at, source_line, message_key
                       rows between unbounded preceding and current row)
),

final as (
    select
        *,
        is_responder and previous_responder_key is not null and responder_key <> previous_responder_key
            as is_transfer,
        is_responder and previous_responder_tier is distinct from tier as is_new_tier_segment,
        -- A bot reply after a request for a human, before any human replied, that does not hand over.
        is_bot and count_human_requests_so_far > 0 and count_human_before = 0
            and next_responder_role is distinct from 'agent' as is_bot_block_candidate
    from sequenced
)

select * from final
