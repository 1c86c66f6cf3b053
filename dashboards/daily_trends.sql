-- Daily share per vendor for the headline rates, computed from the conversation mart so every rate
-- has its own denominator n. Unknown outcomes (NULL: window still open, no survey) are excluded.
with base as (
  select
    strftime(report_date, '%Y-%m-%d') as day,
    vendor,
    case $fcr_window when '24h' then is_fcr_24h when '7d' then is_fcr_7d else is_fcr_72h end as is_fcr,
    is_csat_top2,
    has_deflection,
    case when count_human_requests > 0 then coalesce(is_human_reached_within_target, false) end as is_reached_in_target
  from marts.conversations
  where report_date is not null
),
measured as (
  select day, vendor, 1 as metric_order, 'FCR (' || $fcr_window || ' window)' as metric,
         avg(cast(is_fcr as integer)) as rate, count(is_fcr) as n
  from base group by day, vendor
  union all
  select day, vendor, 2, 'CSAT top-2 box (4-5 of 5)', avg(cast(is_csat_top2 as integer)), count(is_csat_top2)
  from base group by day, vendor
  union all
  select day, vendor, 3, 'Human reached within ' || $human_reach_target_seconds || ' s',
         avg(cast(is_reached_in_target as integer)), count(is_reached_in_target)
  from base group by day, vendor
  union all
  select day, vendor, 4, 'Deflection rate (any category)', avg(cast(has_deflection as integer)), count(has_deflection)
  from base group by day, vendor
)
select day, vendor, metric_order, metric, round(rate, 4) as rate, cast(n as bigint) as n
from measured
where n > 0
order by metric_order, vendor, day
