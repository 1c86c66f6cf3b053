-- One point per agent with enough surveys. Outliers: |z| above the configured threshold on either axis,
-- z taken across the agents plotted.
with per_agent as (
  select
    agent_id,
    arg_max(vendor, started_at) as vendor,
    count(*) as count_conversations,
    median(first_human_response_seconds) as median_first_response_seconds,
    avg(csat) as csat_mean,
    count(csat) as n_surveys
  from marts.conversations
  where agent_id is not null and is_human_handled
  group by agent_id
),
plotted as (
  select * from per_agent
  where n_surveys >= $min_sample_surveys and median_first_response_seconds is not null
),
scored as (
  select
    *,
    (median_first_response_seconds - avg(median_first_response_seconds) over ()) / nullif(stddev_pop(median_first_response_seconds) over (), 0) as z_response,
    (csat_mean - avg(csat_mean) over ()) / nullif(stddev_pop(csat_mean) over (), 0) as z_csat
  from plotted
)
select
  agent_id,
  agent_id as agent_label,
  vendor,
  cast(count_conversations as bigint) as count_conversations,
  round(median_first_response_seconds, 1) as median_first_response_seconds,
  round(csat_mean, 3) as csat_mean,
  cast(n_surveys as bigint) as n_surveys,
  coalesce(abs(z_response) > $outlier_z or abs(z_csat) > $outlier_z, false) as is_outlier
from scored
order by agent_id
