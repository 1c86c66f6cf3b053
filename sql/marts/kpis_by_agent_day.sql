-- Purpose: every KPI per reporting day and agent, for coaching; outcomes are credited to the last human
-- replier, behaviour (deflections, canned replies) to the agent who wrote the messages.
-- Grain: one row per report_date x agent_id. Key: (report_date, agent_id). vendor/tier/agent_name are the
-- agent's latest in the day.
-- Depends on: intermediate.int_kpis__aggregated
with

aggregated as (
    select * from intermediate.int_kpis__aggregated
    where grain = 'agent_day'
),

final as (
    select
        report_date,
        agent_id,
        agent_name,
        vendor,
        tier,
        * exclude (grain, report_date, group_vendor, group_tier, agent_id, group_channel, vendor, tier, agent_name)
    from aggregated
)

select * from final
