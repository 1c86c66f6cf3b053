-- Share of each vendor's conversations with at least one deflection of the category
-- (spec: deflections per 100 conversations handled).
with per_vendor as (
  select
    vendor,
    count(*) as n,
    count(*) filter (where count_coupon_appeasement > 0) as coupon_appeasement,
    count(*) filter (where count_callback_promise > 0) as callback_promise,
    count(*) filter (where count_agents_busy > 0) as agents_busy,
    count(*) filter (where count_bot_transfer_block > 0) as bot_transfer_block,
    count(*) filter (where count_self_service_redirect > 0) as self_service_redirect,
    count(*) filter (where count_canned_repetition > 0) as canned_repetition,
    count(*) filter (where count_apology_loop > 0) as apology_loop
  from marts.conversations
  group by vendor
),
long as (
  unpivot per_vendor
  on coupon_appeasement, callback_promise, agents_busy, bot_transfer_block, self_service_redirect,
     canned_repetition, apology_loop
  into name category value count
)
select
  vendor,
  vendor || ' (n=' || cast(n as bigint) || ')' as vendor_label,
  category,
  cast(count as bigint) as count,
  cast(n as bigint) as n,
  round(count / n, 4) as rate,
  cast(round(100 * count / n, 1) as varchar) || ' %' as rate_label
from long
where n > 0
order by vendor, category
