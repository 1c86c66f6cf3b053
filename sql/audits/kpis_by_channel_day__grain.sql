-- Audit: marts.kpis_by_channel_day holds one row per (report_date, channel); returns every key that is duplicated or missing.
-- Depends on: marts.kpis_by_channel_day
select report_date, channel, count(*) as count_rows
from marts.kpis_by_channel_day
group by report_date, channel
having count(*) > 1 or bool_or(report_date is null or channel is null)
