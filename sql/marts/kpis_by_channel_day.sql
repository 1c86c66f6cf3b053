-- Purpose: every KPI per reporting day and channel, each conversation counted once with everyone who handled
-- it: where regulators ask whether a human can be reached (human_service_ratio, human reach within target,
-- bot blocks) per channel and day, and where a channel's bot or queue, not a vendor, is the problem.
-- Grain: one row per report_date x channel. Key: (report_date, channel).
-- Depends on: intermediate.int_kpis__aggregated
-- Conversations whose channel no record or message names are reported under channel 'unknown'.
with

aggregated as (
    select * from intermediate.int_kpis__aggregated
    where grain = 'channel_day'
),

final as (
    select
        report_date,
        group_channel as channel,
        * exclude (grain, report_date, group_vendor, group_tier, agent_id, group_channel, vendor, tier, agent_name,
                   count_unit_messages, canned_reply_share, has_min_survey_sample)
    from aggregated
)

select * from final
