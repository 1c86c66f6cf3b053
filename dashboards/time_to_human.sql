-- Histogram of time to human (first human request -> first human reply) in 30 s bins; the last bin
-- collects everything from the cap upwards. Requests never answered by a human are counted in the
-- summary, not in the bars.
with params as (
  select
    cast($human_reach_target_seconds as double) as target,
    greatest(600, 30 * ceil(2 * $human_reach_target_seconds / 30)) as cap
),
requests as (
  select time_to_human_seconds as seconds
  from marts.conversations
  where count_human_requests > 0
),
summary as (
  select
    count(*) as n_requests,
    count(seconds) as n_reached,
    count(*) filter (where seconds <= (select target from params)) as n_within
  from requests
),
binned as (
  select least(30 * floor(seconds / 30), (select cap from params)) as bin_start, count(*) as count
  from requests
  where seconds is not null
  group by 1
)
select
  cast(b.bin_start as bigint) as bin_start,
  cast(b.bin_start + 30 as bigint) as bin_end,
  case when b.bin_start >= p.cap then cast(p.cap as bigint) || ' s or more'
       else cast(b.bin_start as bigint) || '-' || cast(b.bin_start + 30 as bigint) || ' s' end as bin_label,
  cast(b.count as bigint) as count,
  case when b.bin_start + 30 <= p.target then 'within target' else 'over target' end as band,
  cast(p.target as bigint) as target_seconds,
  cast(s.n_requests as bigint) as n_requests,
  round(s.n_within / s.n_requests, 4) as share_within_target,
  cast(round(100 * s.n_within / s.n_requests, 1) as varchar) || ' % of ' || s.n_requests
    || ' human requests reached a human within ' || cast(p.target as bigint) || ' s; '
    || (s.n_requests - s.n_reached) || ' never reached one' as summary_label,
  row_number() over (order by b.bin_start) = 1 as is_label_row
from binned b, params p, summary s
order by b.bin_start
