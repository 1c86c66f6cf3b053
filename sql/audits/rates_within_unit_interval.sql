-- Audit: every rate, interval bound and share in the KPI marts lies in [0, 1]; returns the offending values.
-- Depends on: marts.kpis_by_vendor_tier_day, marts.kpis_by_agent_day, marts.kpis_by_agent, marts.kpis_by_channel_day,
--             marts.vendor_league
with

rates as (
    select 'kpis_by_vendor_tier_day' as mart, metric, v
    from (unpivot marts.kpis_by_vendor_tier_day on columns('_(rate|ratio|share)(_low|_high)?$')
          into name metric value v)
    union all
    select 'kpis_by_agent_day', metric, v
    from (unpivot marts.kpis_by_agent_day on columns('_(rate|ratio|share)(_low|_high)?$')
          into name metric value v)
    union all
    select 'kpis_by_agent', metric, v
    from (unpivot marts.kpis_by_agent on columns('_(rate|ratio|share)(_low|_high)?$')
          into name metric value v)
    union all
    select 'kpis_by_channel_day', metric, v
    from (unpivot marts.kpis_by_channel_day on columns('_(rate|ratio|share)(_low|_high)?$')
          into name metric value v)
    union all
    select 'vendor_league', kpi, v
    from (select kpi, unnest([value, value_low, value_high]) as v from marts.vendor_league where median is null)
)

select * from rates where v < 0 or v > 1
