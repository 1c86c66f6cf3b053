-- Per channel and day (marts.kpis_by_channel_day): the share of conversations in which a human replied, and the
-- share of conversations with a human request answered by a human within the target (unanswered requests count
-- as missed), each with its Wilson 95 % interval and n. Days on which a channel had no such conversation have no
-- point.
with measured as (
  select
    strftime(report_date, '%Y-%m-%d') as day,
    channel,
    1 as metric_order,
    'Human replied (share of conversations)' as metric,
    human_service_ratio as rate,
    human_service_ratio_low as rate_low,
    human_service_ratio_high as rate_high,
    count_conversations as n
  from marts.kpis_by_channel_day
  union all
  select
    strftime(report_date, '%Y-%m-%d'),
    channel,
    2,
    'Human request answered within ' || $human_reach_target_seconds || ' s',
    human_reached_within_target_rate,
    human_reached_within_target_rate_low,
    human_reached_within_target_rate_high,
    n_human_reached_within_target
  from marts.kpis_by_channel_day
)
select
  day,
  channel,
  metric_order,
  metric,
  round(rate, 4) as rate,
  round(rate_low, 4) as rate_low,
  round(rate_high, 4) as rate_high,
  cast(n as bigint) as n
from measured
where n > 0
order by metric_order, channel, day
