-- Audit: each Wilson interval contains its point estimate (low <= rate <= high) in the KPI marts and the league.
-- Depends on: marts.kpis_by_vendor_tier_day, marts.kpis_by_agent_day, marts.kpis_by_agent, marts.kpis_by_channel_day,
--             marts.vendor_league
with

long as (
    select 'kpis_by_vendor_tier_day' as mart, * from (
        unpivot (select row_number() over () as row_id, columns('_(rate|share)(_low|_high)?$') from marts.kpis_by_vendor_tier_day)
        on columns('_(rate|share)(_low|_high)?$') into name metric value v)
    union all
    select 'kpis_by_agent_day', * from (
        unpivot (select row_number() over () as row_id, columns('_(rate|share)(_low|_high)?$') from marts.kpis_by_agent_day)
        on columns('_(rate|share)(_low|_high)?$') into name metric value v)
    union all
    select 'kpis_by_agent', * from (
        unpivot (select row_number() over () as row_id, columns('_(rate|share)(_low|_high)?$') from marts.kpis_by_agent)
        on columns('_(rate|share)(_low|_high)?$') into name metric value v)
    union all
    select 'kpis_by_channel_day', * from (
        unpivot (select row_number() over () as row_id, columns('_(rate|ratio|share)(_low|_high)?$') from marts.kpis_by_channel_day)
        on columns('_(rate|ratio|share)(_low|_high)?$') into name metric value v)
),

intervals as (
    select
        mart,
        row_id,
        regexp_replace(metric, '_(low|high)$', '') as rate,
        max(v) filter (where metric not like '%_low' and metric not like '%_high') as value,
        max(v) filter (where metric like '%_low') as value_low,
        max(v) filter (where metric like '%_high') as value_high
    from long
    group by all
    union all
    select 'vendor_league', row_number() over (), kpi, value, value_low, value_high
    from marts.vendor_league
    where median is null
)

select * from intervals
where value_low is not null and not (value_low <= value + 1e-9 and value <= value_high + 1e-9)
