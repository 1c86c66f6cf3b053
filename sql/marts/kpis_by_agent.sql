-- Purpose: every KPI per agent over the whole loaded period, with the minimum-sample flags rankings use.
-- Grain: one row per agent_id. Key: agent_id. vendor/tier/agent_name are the agent's latest.
-- Depends on: intermediate.int_kpis__aggregated
with

aggregated as (
    select * from intermediate.int_kpis__aggregated
    where grain = 'agent'
),

final as (
    select
        agent_id,
        agent_name,
        vendor,
        tier,
        * exclude (grain, report_date, group_vendor, group_tier, agent_id, group_channel, vendor, tier, agent_name)
    from aggregated
)

select * from final
