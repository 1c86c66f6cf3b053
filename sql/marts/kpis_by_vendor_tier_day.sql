-- Purpose: every KPI per reporting day, vendor and handling tier; a conversation counts for each tier that
-- handled one of its segments (count_conversations is per segment tier).
-- Grain: one row per report_date x vendor x tier. Key: (report_date, vendor, tier).
-- Depends on: intermediate.int_kpis__aggregated
with

aggregated as (
    select * from intermediate.int_kpis__aggregated
    where grain = 'vendor_tier_day'
),

final as (
    select
        report_date,
        group_vendor as vendor,
        group_tier as tier,
        * exclude (grain, report_date, group_vendor, group_tier, agent_id, group_channel, vendor, tier, agent_name,
                   count_unit_messages, canned_reply_share, has_min_survey_sample)
    from aggregated
)

select * from final
