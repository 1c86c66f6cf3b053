-- One row per KPI x vendor from the league mart. Rates carry a Wilson 95 % interval; durations carry
-- median and p90, so their whisker runs from the median to p90.
select
  kpi,
  kpi_label,
  -- Headline KPIs first in the order the issue lists them; anything else the league adds follows by name.
  dense_rank() over (order by
    case
      when kpi like 'fcr%' then 1
      when kpi like '%completion%' then 2
      when kpi like 'csat%' then 3
      when kpi like '%time_to_human%' then 4
      when kpi like 'deflection%' then 5
      else 6
    end, kpi) as kpi_order,
  vendor,
  round(coalesce(median, value), 4) as value,
  round(coalesce(value_low, median, value), 4) as interval_low,
  round(coalesce(value_high, p90, value), 4) as interval_high,
  cast(n as bigint) as n,
  coalesce(is_ranked, false) as is_ranked,
  cast(rank as bigint) as rank,
  direction,
  case
    when median is not null or p90 is not null then cast(round(coalesce(median, value)) as bigint) || ' s'
    else cast(round(100 * value, 1) as varchar) || ' %'
  end
    || ' · n=' || cast(n as bigint)
    || case when coalesce(is_ranked, false) then ' · #' || cast(rank as bigint) else ' · not ranked' end as value_label
from marts.vendor_league
where value is not null or median is not null
order by kpi_order, vendor
