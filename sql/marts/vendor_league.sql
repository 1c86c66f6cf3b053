-- Purpose: the vendor league table: each KPI per vendor with its Wilson 95 % interval (proportions) or median
-- and p90 (durations), the sample size n, the conversations behind it, and a rank among vendors whose
-- sample comes from at least metrics.minSample conversations.
-- Grain: one row per kpi x vendor. Key: (kpi, vendor).
-- Depends on: intermediate.int_kpis__aggregated, staging.settings
-- Choices: vendors are credited by the attribution rule (last human replier, else the bot), escalations and
-- promises to the vendor that made them; a duration's value is its median; ties share a rank; labels print
-- the windows and targets in force.
with

vendors as (
    select * from intermediate.int_kpis__aggregated
    where grain = 'vendor'
),

settings as (
    select * from staging.settings
),

long as (
    select
        v.group_vendor as vendor,
        unnest([
            {kpi: 'fcr_24h', kpi_label: 'FCR, no repeat within ' || label_number(s.fcr_short_hours) || ' h', direction: 'higher_is_better',
             value: v.fcr_24h_rate, value_low: v.fcr_24h_rate_low, value_high: v.fcr_24h_rate_high, n: v.n_fcr_24h, n_conversations: v.n_fcr_24h,
             median: null::double, p90: null::double},
            {kpi: 'fcr_72h', kpi_label: 'FCR, no repeat within ' || label_number(s.fcr_medium_hours) || ' h', direction: 'higher_is_better',
             value: v.fcr_72h_rate, value_low: v.fcr_72h_rate_low, value_high: v.fcr_72h_rate_high, n: v.n_fcr_72h, n_conversations: v.n_fcr_72h,
             median: null, p90: null},
            {kpi: 'fcr_7d', kpi_label: 'FCR, no repeat within ' || label_number(s.fcr_long_hours) || ' h', direction: 'higher_is_better',
             value: v.fcr_7d_rate, value_low: v.fcr_7d_rate_low, value_high: v.fcr_7d_rate_high, n: v.n_fcr_7d, n_conversations: v.n_fcr_7d,
             median: null, p90: null},
            {kpi: 'bot_containment', kpi_label: 'Bot containment, no repeat within ' || label_number(s.containment_window_hours) || ' h',
             direction: 'higher_is_better', value: v.bot_containment_rate, value_low: v.bot_containment_rate_low,
             value_high: v.bot_containment_rate_high, n: v.n_bot_containment, n_conversations: v.n_bot_containment, median: null, p90: null},
            {kpi: 'human_reached_within_target',
             kpi_label: 'Human requests answered by a human within ' || label_number(s.human_reach_target_seconds) || ' s',
             direction: 'higher_is_better', value: v.human_reached_within_target_rate,
             value_low: v.human_reached_within_target_rate_low, value_high: v.human_reached_within_target_rate_high,
             n: v.n_human_reached_within_target, n_conversations: v.n_human_reached_within_target, median: null, p90: null},
            {kpi: 'first_response_within_sla', kpi_label: 'First response within the SLA of its tier and channel',
             direction: 'higher_is_better', value: v.first_response_within_sla_rate,
             value_low: v.first_response_within_sla_rate_low, value_high: v.first_response_within_sla_rate_high,
             n: v.n_first_response_within_sla, n_conversations: v.n_first_response_within_sla, median: null, p90: null},
            {kpi: 'csat_top2', kpi_label: 'CSAT top-2 box (4-5 of 5)', direction: 'higher_is_better',
             value: v.csat_top2_rate, value_low: v.csat_top2_rate_low, value_high: v.csat_top2_rate_high,
             n: v.n_csat_top2, n_conversations: v.n_csat_top2, median: null, p90: null},
            {kpi: 'escalation_completion_24h',
             kpi_label: 'Escalations closed within ' || label_number(s.completion_window_hours) || ' h', direction: 'higher_is_better',
             value: v.escalation_completion_24h_rate, value_low: v.escalation_completion_24h_rate_low,
             value_high: v.escalation_completion_24h_rate_high, n: v.n_escalation_completion_24h,
             n_conversations: v.count_escalation_conversations, median: null, p90: null},
            {kpi: 'promise_kept', kpi_label: 'Callback promises kept within ' || label_number(s.promise_window_hours) || ' h',
             direction: 'higher_is_better', value: v.promise_kept_rate, value_low: v.promise_kept_rate_low,
             value_high: v.promise_kept_rate_high, n: v.n_promise_kept, n_conversations: v.count_promise_conversations, median: null, p90: null},
            {kpi: 'deflection', kpi_label: 'Conversations with a deflection script', direction: 'lower_is_better',
             value: v.deflection_rate, value_low: v.deflection_rate_low, value_high: v.deflection_rate_high,
             n: v.count_handled, n_conversations: v.count_handled, median: null, p90: null},
            {kpi: 'ending_negative', kpi_label: 'Conversations ending in negative customer sentiment',
             direction: 'lower_is_better', value: v.ending_negative_rate, value_low: v.ending_negative_rate_low,
             value_high: v.ending_negative_rate_high, n: v.n_ending_negative, n_conversations: v.n_ending_negative, median: null, p90: null},
            {kpi: 'first_response_seconds', kpi_label: 'First response time (median, s)', direction: 'lower_is_better',
             value: v.median_first_response_seconds, value_low: null, value_high: null, n: v.n_first_response, n_conversations: v.n_first_response,
             median: v.median_first_response_seconds, p90: v.p90_first_response_seconds},
            {kpi: 'first_human_response_seconds', kpi_label: 'First human response time, bot time excluded (median, s)',
             direction: 'lower_is_better', value: v.median_first_human_response_seconds, value_low: null,
             value_high: null, n: v.n_first_human_response, n_conversations: v.n_first_human_response, median: v.median_first_human_response_seconds,
             p90: v.p90_first_human_response_seconds},
            {kpi: 'time_to_human_seconds', kpi_label: 'Time from human request to human reply (median, s)',
             direction: 'lower_is_better', value: v.median_time_to_human_seconds, value_low: null, value_high: null,
             n: v.n_time_to_human, n_conversations: v.n_time_to_human, median: v.median_time_to_human_seconds, p90: v.p90_time_to_human_seconds}
        ], max_depth := 2),
        s.min_sample
    from vendors as v
    cross join settings as s
),

flagged as (
    select
        kpi, kpi_label, vendor, value, value_low, value_high, n, n_conversations, median, p90, direction,
        -- Gated on conversations, not on n: n counts tickets or promises for two KPIs, many per conversation.
        value is not null and n_conversations >= min_sample as is_ranked
    from long
),

final as (
    select
        kpi, kpi_label, vendor, value, value_low, value_high, n, n_conversations, median, p90, is_ranked,
        case when is_ranked then rank() over (
            partition by kpi, is_ranked
            order by case when direction = 'higher_is_better' then -value else value end
        ) end as rank,
        direction
    from flagged
)

select * from final
