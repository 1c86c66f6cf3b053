-- Audit: marts.vendor_league holds one row per (kpi, vendor); returns every key that is duplicated or missing.
-- Depends on: marts.vendor_league
select kpi, vendor, count(*) as count_rows
from marts.vendor_league
group by kpi, vendor
having count(*) > 1 or bool_or(kpi is null or vendor is null)
