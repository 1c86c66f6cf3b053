-- Audit: marts.kpis_by_agent holds one row per (agent_id); returns every key that is duplicated or missing.
-- Depends on: marts.kpis_by_agent
select agent_id, count(*) as count_rows
from marts.kpis_by_agent
group by agent_id
having count(*) > 1 or bool_or(agent_id is null)
