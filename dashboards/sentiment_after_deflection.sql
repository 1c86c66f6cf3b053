-- Mean customer sentiment change around deflections (two customer messages after minus two before),
-- grouped by the categories present in the conversation. The mart keeps one mean per conversation,
-- so a conversation with several categories counts under each of them.
with flagged as (
  select
    sentiment_change_after_deflection as change,
    [
      case when count_coupon_appeasement > 0 then 'coupon_appeasement' end,
      case when count_callback_promise > 0 then 'callback_promise' end,
      case when count_agents_busy > 0 then 'agents_busy' end,
      case when count_bot_transfer_block > 0 then 'bot_transfer_block' end,
      case when count_self_service_redirect > 0 then 'self_service_redirect' end,
      case when count_canned_repetition > 0 then 'canned_repetition' end,
      case when count_apology_loop > 0 then 'apology_loop' end
    ] as categories
  from marts.conversations
  where has_deflection and sentiment_change_after_deflection is not null
),
per_category as (
  select category, avg(change) as mean_change, stddev_samp(change) as sd, count(*) as n,
         count(*) filter (where change < 0) as n_fell
  from (select change, unnest(categories) as category from flagged)
  where category is not null
  group by category
)
select
  category,
  round(mean_change, 4) as mean_change,
  round(mean_change - 1.96 * coalesce(sd, 0) / sqrt(n), 4) as ci_low,
  round(mean_change + 1.96 * coalesce(sd, 0) / sqrt(n), 4) as ci_high,
  cast(n as bigint) as n,
  round(n_fell / n, 4) as share_fell,
  'n=' || cast(n as bigint) || ' · fell in ' || cast(round(100 * n_fell / n) as bigint) || ' %' as n_label
from per_category
order by mean_change, category
