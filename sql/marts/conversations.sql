-- Purpose: the per-contact export users ask for most: every metric of spec/metrics.md for one conversation.
-- Grain: one row per conversation. Key: conversation_id.
-- Depends on: intermediate.int_conversations__resolved
-- Columns follow sql/CONTRACT.md; `count_<category>` counts messages carrying that deflection.
with

resolved as (
    select * from intermediate.int_conversations__resolved
),

final as (
    select
        conversation_id,
        customer_id,
        channel,
        intent,
        order_id,
        ticket_id,
        started_at,
        ended_at,
        report_date,
        vendor,
        tier,
        agent_id,
        agent_name,
        is_human_handled,
        escalation_path,
        count_transfers,
        has_ping_pong,
        first_response_seconds,
        first_human_response_seconds,
        time_to_human_seconds,
        is_human_reached,
        is_human_reached_within_target,
        is_first_response_within_sla,
        is_first_human_response_within_sla,
        count_human_requests,
        count_bot_blocks,
        is_bot_contained,
        is_fcr_24h,
        is_fcr_72h,
        is_fcr_7d,
        is_reopened,
        csat,
        is_csat_top2,
        nps,
        has_survey,
        has_survey_offered,
        sentiment_opening,
        sentiment_closing,
        sentiment_change,
        sentiment_lowest,
        is_ending_negative,
        count_coupon_appeasement,
        count_callback_promise,
        count_agents_busy,
        count_bot_transfer_block,
        count_self_service_redirect,
        count_canned_repetition,
        count_apology_loop,
        has_deflection,
        sentiment_change_after_deflection,
        count_callback_promises,
        count_promises_kept,
        count_promises_broken,
        count_complaint_threats,
        count_anger,
        count_repeat_explanations,
        has_thanks_resolved,
        count_messages,
        count_customer_messages,
        count_agent_messages,
        count_bot_messages,
        handle_seconds
    from resolved
)

select * from final
