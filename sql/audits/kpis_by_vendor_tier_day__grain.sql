-- Audit: marts.kpis_by_vendor_tier_day holds one row per (report_date, vendor, tier); returns every key that is duplicated or missing.
-- Depends on: marts.kpis_by_vendor_tier_day
select report_date, vendor, tier, count(*) as count_rows
from marts.kpis_by_vendor_tier_day
group by report_date, vendor, tier
having count(*) > 1 or bool_or(report_date is null or vendor is null or tier is null)
