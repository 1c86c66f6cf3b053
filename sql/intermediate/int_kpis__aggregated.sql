-- Purpose: every KPI of spec/metrics.md computed once for every reporting unit, so the vendor x tier x day,
-- agent x day, agent and vendor marts share one definition of each measure.
-- Grain: grain x report_date x group_vendor x group_tier x agent_id x group_channel (unused keys are NULL).
-- Key: (grain, report_date, group_vendor, group_tier, agent_id, group_channel).
-- Depends on: intermediate.int_conversation_units, staging.settings
-- Outcome measures (FCR, containment, reach, CSAT, sentiment, durations) count only credited rows; behaviour
-- measures (deflections, canned replies, escalations, promises) count the unit's own actions. A rate's
-- denominator n_* excludes rows whose answer is unknown (NULL), e.g. FCR windows that have not ended.
-- Stored (a few thousand rows): the reconciliation audit reads it after the build too.
with

units as (
    select
        *,
        case when agent_id is not null
            then epoch_us(started_at)::hugeint * 18446744073709551616 + hash(conversation_id) end as latest_key
    from intermediate.int_conversation_units
),

settings as (
    select * from staging.settings
),

-- Conditions go inside the aggregates (count(case when c then 1 end), avg(case when c then x end)), not in
-- FILTER clauses: DuckDB runs each FILTER as a selection of its own, which over ~50 aggregates cost more than
-- the aggregates (the whole aggregate 1.6-1.9x slower at 1M, same results; NULLs are skipped either way).
counted as (
    select
        grain,
        report_date,
        group_vendor,
        group_tier,
        agent_id,
        group_channel,
        -- Only an agent's vendor and tier vary inside a unit (the latest conversation's win); every other unit's
        -- are its group keys, so only agent rows get a key (a NULL key is skipped). The key is one integer (start
        -- time, then a hash of the conversation id for ties): a struct key cost ~0.9 s here at 1M.
        arg_max({vendor: vendor, tier: tier}, latest_key) as latest,
        arg_max(agent_name, case when agent_name is not null then latest_key end) as agent_name,

        count(case when is_credited then 1 end) as count_conversations,
        count(case when is_handled then 1 end) as count_handled,

        count(case when is_credited then is_fcr_24h end) as n_fcr_24h,
        count(case when is_credited and is_fcr_24h then 1 end) as k_fcr_24h,
        count(case when is_credited then is_fcr_72h end) as n_fcr_72h,
        count(case when is_credited and is_fcr_72h then 1 end) as k_fcr_72h,
        count(case when is_credited then is_fcr_7d end) as n_fcr_7d,
        count(case when is_credited and is_fcr_7d then 1 end) as k_fcr_7d,
        count(case when is_credited then is_bot_contained end) as n_bot_containment,
        count(case when is_credited and is_bot_contained then 1 end) as k_bot_containment,
        count(case when is_credited then is_human_reached_within_target end) as n_human_reached_within_target,
        count(case when is_credited and is_human_reached_within_target then 1 end) as k_human_reached_within_target,
        count(case when is_credited then is_csat_top2 end) as n_csat_top2,
        count(case when is_credited and is_csat_top2 then 1 end) as k_csat_top2,
        count(case when is_credited then is_ending_negative end) as n_ending_negative,
        count(case when is_credited and is_ending_negative then 1 end) as k_ending_negative,
        count(case when is_credited then is_first_response_within_sla end) as n_first_response_within_sla,
        count(case when is_credited and is_first_response_within_sla then 1 end) as k_first_response_within_sla,
        count(case when is_credited then is_first_human_response_within_sla end) as n_first_human_response_within_sla,
        count(case when is_credited and is_first_human_response_within_sla then 1 end)
            as k_first_human_response_within_sla,
        count(case when is_credited and is_human_handled then 1 end) as k_human_service,
        count(case when is_credited and has_deflection and is_fcr_72h = false then 1 end)
            as count_deflection_without_resolution,

        count(case when has_unit_deflection then 1 end) as k_deflection,
        count(case when has_coupon_appeasement then 1 end) as k_coupon_appeasement,
        count(case when has_callback_promise then 1 end) as k_callback_promise,
        count(case when has_agents_busy then 1 end) as k_agents_busy,
        count(case when has_bot_transfer_block then 1 end) as k_bot_transfer_block,
        count(case when has_self_service_redirect then 1 end) as k_self_service_redirect,
        count(case when has_canned_repetition then 1 end) as k_canned_repetition,
        count(case when has_apology_loop then 1 end) as k_apology_loop,
        coalesce(sum(n_escalations_ended), 0) as n_escalation_completion_24h,
        coalesce(sum(n_escalations_completed), 0) as k_escalation_completion_24h,
        coalesce(sum(n_promises_kept) + sum(n_promises_broken), 0) as n_promise_kept,
        coalesce(sum(n_promises_kept), 0) as k_promise_kept,
        -- A unit row is one conversation: how many conversations the escalations and promises came from (their
        -- n counts tickets and promises; a ranking needs enough conversations, spec: "fewer conversations").
        count(case when n_escalations_ended > 0 then 1 end) as count_escalation_conversations,
        count(case when n_promises_kept + n_promises_broken > 0 then 1 end) as count_promise_conversations,
        sum(count_unit_messages) as count_unit_messages,
        sum(count_unit_templated) as count_unit_templated,

        avg(case when is_credited then csat end) as csat_mean,
        count(case when is_credited and has_survey then 1 end) as n_surveys,
        count(case when is_credited and has_survey_offered then 1 end) as n_surveys_offered,
        count(case when is_credited and has_survey and has_survey_offered then 1 end) as n_surveys_answered_of_offered,
        -- stable_mean: a parallel sum of doubles differs from run to run; reruns must be identical.
        stable_mean(case when is_credited then sentiment_change end) as sentiment_change_mean,
        count(case when is_credited then sentiment_change_after_deflection end) as n_sentiment_after_deflection,
        count(case when is_credited and sentiment_change_after_deflection < 0 then 1 end) as k_sentiment_fell_after_deflection,
        quantile_cont(case when is_credited then first_response_seconds end, [0.5, 0.9]) as q_first_response,
        mean_seconds(case when is_credited then first_response_seconds end) as mean_first_response_seconds,
        count(case when is_credited then first_response_seconds end) as n_first_response,
        quantile_cont(case when is_credited then first_human_response_seconds end, [0.5, 0.9]) as q_first_human_response,
        count(case when is_credited then first_human_response_seconds end) as n_first_human_response,
        quantile_cont(case when is_credited then time_to_human_seconds end, [0.5, 0.9]) as q_time_to_human,
        mean_seconds(case when is_credited then time_to_human_seconds end) as mean_time_to_human_seconds,
        count(case when is_credited then time_to_human_seconds end) as n_time_to_human,
        quantile_cont(case when is_credited then handle_seconds end, [0.5, 0.9]) as q_handle,
        count(case when is_credited then handle_seconds end) as n_handle
    from units
    group by grain, report_date, group_vendor, group_tier, agent_id, group_channel
),

final as (
    select
        c.grain, c.report_date, c.group_vendor, c.group_tier, c.agent_id, c.group_channel,
        coalesce(c.group_vendor, c.latest.vendor) as vendor,
        coalesce(c.group_tier, c.latest.tier) as tier,
        c.agent_name,
        c.count_conversations,
        c.count_handled,
        c.n_fcr_24h,
        safe_rate(c.k_fcr_24h, c.n_fcr_24h) as fcr_24h_rate,
        wilson_low(c.k_fcr_24h, c.n_fcr_24h) as fcr_24h_rate_low,
        wilson_high(c.k_fcr_24h, c.n_fcr_24h) as fcr_24h_rate_high,
        c.n_fcr_72h,
        safe_rate(c.k_fcr_72h, c.n_fcr_72h) as fcr_72h_rate,
        wilson_low(c.k_fcr_72h, c.n_fcr_72h) as fcr_72h_rate_low,
        wilson_high(c.k_fcr_72h, c.n_fcr_72h) as fcr_72h_rate_high,
        c.n_fcr_7d,
        safe_rate(c.k_fcr_7d, c.n_fcr_7d) as fcr_7d_rate,
        wilson_low(c.k_fcr_7d, c.n_fcr_7d) as fcr_7d_rate_low,
        wilson_high(c.k_fcr_7d, c.n_fcr_7d) as fcr_7d_rate_high,
        c.n_bot_containment,
        safe_rate(c.k_bot_containment, c.n_bot_containment) as bot_containment_rate,
        wilson_low(c.k_bot_containment, c.n_bot_containment) as bot_containment_rate_low,
        wilson_high(c.k_bot_containment, c.n_bot_containment) as bot_containment_rate_high,
        c.n_human_reached_within_target,
        safe_rate(c.k_human_reached_within_target, c.n_human_reached_within_target) as human_reached_within_target_rate,
        wilson_low(c.k_human_reached_within_target, c.n_human_reached_within_target) as human_reached_within_target_rate_low,
        wilson_high(c.k_human_reached_within_target, c.n_human_reached_within_target) as human_reached_within_target_rate_high,
        c.n_csat_top2,
        safe_rate(c.k_csat_top2, c.n_csat_top2) as csat_top2_rate,
        wilson_low(c.k_csat_top2, c.n_csat_top2) as csat_top2_rate_low,
        wilson_high(c.k_csat_top2, c.n_csat_top2) as csat_top2_rate_high,
        c.csat_mean,
        c.n_surveys,
        safe_rate(c.n_surveys_answered_of_offered, c.n_surveys_offered) as survey_response_rate,
        wilson_low(c.n_surveys_answered_of_offered, c.n_surveys_offered) as survey_response_rate_low,
        wilson_high(c.n_surveys_answered_of_offered, c.n_surveys_offered) as survey_response_rate_high,
        c.n_surveys_offered,
        c.q_first_response[1] as median_first_response_seconds,
        c.q_first_response[2] as p90_first_response_seconds,
        c.mean_first_response_seconds,
        c.n_first_response,
        c.q_first_human_response[1] as median_first_human_response_seconds,
        c.q_first_human_response[2] as p90_first_human_response_seconds,
        c.n_first_human_response,
        c.q_time_to_human[1] as median_time_to_human_seconds,
        c.q_time_to_human[2] as p90_time_to_human_seconds,
        c.mean_time_to_human_seconds,
        c.n_time_to_human,
        c.q_handle[1] as median_handle_seconds,
        c.q_handle[2] as p90_handle_seconds,
        c.n_handle,
        c.n_first_response_within_sla,
        safe_rate(c.k_first_response_within_sla, c.n_first_response_within_sla) as first_response_within_sla_rate,
        wilson_low(c.k_first_response_within_sla, c.n_first_response_within_sla) as first_response_within_sla_rate_low,
        wilson_high(c.k_first_response_within_sla, c.n_first_response_within_sla) as first_response_within_sla_rate_high,
        c.n_first_human_response_within_sla,
        safe_rate(c.k_first_human_response_within_sla, c.n_first_human_response_within_sla)
            as first_human_response_within_sla_rate,
        wilson_low(c.k_first_human_response_within_sla, c.n_first_human_response_within_sla)
            as first_human_response_within_sla_rate_low,
        wilson_high(c.k_first_human_response_within_sla, c.n_first_human_response_within_sla)
            as first_human_response_within_sla_rate_high,
        safe_rate(c.k_human_service, c.count_conversations) as human_service_ratio,
        wilson_low(c.k_human_service, c.count_conversations) as human_service_ratio_low,
        wilson_high(c.k_human_service, c.count_conversations) as human_service_ratio_high,
        safe_rate(c.k_deflection, c.count_handled) as deflection_rate,
        wilson_low(c.k_deflection, c.count_handled) as deflection_rate_low,
        wilson_high(c.k_deflection, c.count_handled) as deflection_rate_high,
        safe_rate(c.k_coupon_appeasement, c.count_handled) as coupon_appeasement_rate,
        wilson_low(c.k_coupon_appeasement, c.count_handled) as coupon_appeasement_rate_low,
        wilson_high(c.k_coupon_appeasement, c.count_handled) as coupon_appeasement_rate_high,
        safe_rate(c.k_callback_promise, c.count_handled) as callback_promise_rate,
        wilson_low(c.k_callback_promise, c.count_handled) as callback_promise_rate_low,
        wilson_high(c.k_callback_promise, c.count_handled) as callback_promise_rate_high,
        safe_rate(c.k_agents_busy, c.count_handled) as agents_busy_rate,
        wilson_low(c.k_agents_busy, c.count_handled) as agents_busy_rate_low,
        wilson_high(c.k_agents_busy, c.count_handled) as agents_busy_rate_high,
        safe_rate(c.k_bot_transfer_block, c.count_handled) as bot_transfer_block_rate,
        wilson_low(c.k_bot_transfer_block, c.count_handled) as bot_transfer_block_rate_low,
        wilson_high(c.k_bot_transfer_block, c.count_handled) as bot_transfer_block_rate_high,
        safe_rate(c.k_self_service_redirect, c.count_handled) as self_service_redirect_rate,
        wilson_low(c.k_self_service_redirect, c.count_handled) as self_service_redirect_rate_low,
        wilson_high(c.k_self_service_redirect, c.count_handled) as self_service_redirect_rate_high,
        safe_rate(c.k_canned_repetition, c.count_handled) as canned_repetition_rate,
        wilson_low(c.k_canned_repetition, c.count_handled) as canned_repetition_rate_low,
        wilson_high(c.k_canned_repetition, c.count_handled) as canned_repetition_rate_high,
        safe_rate(c.k_apology_loop, c.count_handled) as apology_loop_rate,
        wilson_low(c.k_apology_loop, c.count_handled) as apology_loop_rate_low,
        wilson_high(c.k_apology_loop, c.count_handled) as apology_loop_rate_high,
        c.count_deflection_without_resolution,
        c.n_escalation_completion_24h,
        c.count_escalation_conversations,
        safe_rate(c.k_escalation_completion_24h, c.n_escalation_completion_24h) as escalation_completion_24h_rate,
        wilson_low(c.k_escalation_completion_24h, c.n_escalation_completion_24h) as escalation_completion_24h_rate_low,
        wilson_high(c.k_escalation_completion_24h, c.n_escalation_completion_24h) as escalation_completion_24h_rate_high,
        c.n_ending_negative,
        safe_rate(c.k_ending_negative, c.n_ending_negative) as ending_negative_rate,
        wilson_low(c.k_ending_negative, c.n_ending_negative) as ending_negative_rate_low,
        wilson_high(c.k_ending_negative, c.n_ending_negative) as ending_negative_rate_high,
        c.sentiment_change_mean,
        c.n_sentiment_after_deflection,
        safe_rate(c.k_sentiment_fell_after_deflection, c.n_sentiment_after_deflection)
            as sentiment_fell_after_deflection_rate,
        wilson_low(c.k_sentiment_fell_after_deflection, c.n_sentiment_after_deflection)
            as sentiment_fell_after_deflection_rate_low,
        wilson_high(c.k_sentiment_fell_after_deflection, c.n_sentiment_after_deflection)
            as sentiment_fell_after_deflection_rate_high,
        c.n_promise_kept,
        c.count_promise_conversations,
        safe_rate(c.k_promise_kept, c.n_promise_kept) as promise_kept_rate,
        wilson_low(c.k_promise_kept, c.n_promise_kept) as promise_kept_rate_low,
        wilson_high(c.k_promise_kept, c.n_promise_kept) as promise_kept_rate_high,
        c.count_unit_messages,
        safe_rate(c.count_unit_templated, c.count_unit_messages) as canned_reply_share,
        wilson_low(c.count_unit_templated, c.count_unit_messages) as canned_reply_share_low,
        wilson_high(c.count_unit_templated, c.count_unit_messages) as canned_reply_share_high,
        c.count_conversations >= s.min_sample as has_min_sample,
        c.n_surveys >= s.min_survey_sample_agent as has_min_survey_sample
    from counted as c
    cross join settings as s
)

select * from final
