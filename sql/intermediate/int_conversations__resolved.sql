-- Purpose: the complete per-contact fact row: attribution and timings plus resolution (FCR per window,
-- containment, reopen), reach, sentiment, deflections and promises, with every window judged at the as-of time.
-- Grain: one row per conversation. Key: conversation_id.
-- Depends on: intermediate.int_conversations__attributed, intermediate.int_conversations__repeats,
--             intermediate.int_deflections__sentiment_shift, intermediate.int_promises__resolved, staging.settings
-- Choices: a repeat exactly at the window's end counts as a repeat (within = at most W after the end); a
-- window has ended when end + W <= as-of; a conversation with no reply at all is not bot-contained; a
-- known reopen is reported at once, "not reopened" only once the reopen window has ended.
-- materialized: scratch
with

conversations as (
    select * from intermediate.int_conversations__attributed
),

repeats as (
    select * from intermediate.int_conversations__repeats
),

shifts as (
    select * from intermediate.int_deflections__sentiment_shift
),

promises as (
    select
        conversation_id,
        count(*) as count_callback_promises,
        count(*) filter (where is_kept) as count_promises_kept,
        count(*) filter (where not is_kept) as count_promises_broken
    from intermediate.int_promises__resolved
    group by conversation_id
),

settings as (
    select * from staging.settings
),

windows as (
    select
        c.*,
        r.repeat_contact_at,
        r.same_case_contact_at,
        sh.sentiment_change_after_deflection,
        coalesce(p.count_callback_promises, 0) as count_callback_promises,
        coalesce(p.count_promises_kept, 0) as count_promises_kept,
        coalesce(p.count_promises_broken, 0) as count_promises_broken,
        s.as_of_at,
        s.human_reach_target_seconds,
        c.has_reopened_event
            or coalesce(r.same_case_contact_at <= c.ended_at + to_seconds(s.reopen_window_seconds), false)
            as is_reopened_known,
        c.ended_at + to_seconds(s.reopen_window_seconds) <= s.as_of_at as is_reopen_window_ended,
        c.ended_at + to_seconds(s.fcr_short_seconds) <= s.as_of_at as is_fcr_short_window_ended,
        c.ended_at + to_seconds(s.fcr_medium_seconds) <= s.as_of_at as is_fcr_medium_window_ended,
        c.ended_at + to_seconds(s.fcr_long_seconds) <= s.as_of_at as is_fcr_long_window_ended,
        c.ended_at + to_seconds(s.containment_window_seconds) <= s.as_of_at as is_containment_window_ended,
        coalesce(r.repeat_contact_at <= c.ended_at + to_seconds(s.fcr_short_seconds), false) as has_repeat_short,
        coalesce(r.repeat_contact_at <= c.ended_at + to_seconds(s.fcr_medium_seconds), false) as has_repeat_medium,
        coalesce(r.repeat_contact_at <= c.ended_at + to_seconds(s.fcr_long_seconds), false) as has_repeat_long,
        coalesce(r.repeat_contact_at <= c.ended_at + to_seconds(s.containment_window_seconds), false)
            as has_repeat_containment
    from conversations as c
    cross join settings as s
    left join repeats as r on r.conversation_id = c.conversation_id
    left join shifts as sh on sh.conversation_id = c.conversation_id
    left join promises as p on p.conversation_id = c.conversation_id
),

final as (
    select
        *,
        case when is_reopened_known then true when is_reopen_window_ended then false end as is_reopened,
        case when is_fcr_short_window_ended then not (has_repeat_short or is_reopened_known) end as is_fcr_24h,
        case when is_fcr_medium_window_ended then not (has_repeat_medium or is_reopened_known) end as is_fcr_72h,
        case when is_fcr_long_window_ended then not (has_repeat_long or is_reopened_known) end as is_fcr_7d,
        case
            when is_human_handled or count_bot_messages = 0 then false
            when is_containment_window_ended then not has_repeat_containment
        end as is_bot_contained,
        case when first_human_request_at is not null then time_to_human_seconds is not null end
            as is_human_reached,
        case when first_human_request_at is not null
            then coalesce(time_to_human_seconds <= human_reach_target_seconds, false) end
            as is_human_reached_within_target,
        csat >= 4 as is_csat_top2,
        sentiment_closing - sentiment_opening as sentiment_change,
        closing_label = 'negative' as is_ending_negative,
        -- canned_repetition is reported on its own (see int_messages__scored): not part of "any deflection".
        count_coupon_appeasement + count_callback_promise + count_agents_busy + count_bot_transfer_block
            + count_self_service_redirect + count_apology_loop > 0 as has_deflection,
        case when first_customer_at is not null and sla_first_response_target_seconds is not null
            then coalesce(first_response_seconds <= sla_first_response_target_seconds, false) end
            as is_first_response_within_sla,
        -- The target is known only where a human replied or was needed (see attributed): needed and never
        -- reached is a miss, as no reply at all is for the first response.
        case when sla_first_human_response_target_seconds is not null
            then coalesce(first_human_response_seconds <= sla_first_human_response_target_seconds, false) end
            as is_first_human_response_within_sla
    from windows
)

select * from final
