-- Audit: marts.kpis_by_agent_day holds one row per (report_date, agent_id); returns every key that is duplicated or missing.
-- Depends on: marts.kpis_by_agent_day
select report_date, agent_id, count(*) as count_rows
from marts.kpis_by_agent_day
group by report_date, agent_id
having count(*) > 1 or bool_or(report_date is null or agent_id is null)
