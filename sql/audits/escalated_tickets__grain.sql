-- Audit: marts.escalated_tickets holds one row per (ticket_id); returns every key that is duplicated or missing.
-- Depends on: marts.escalated_tickets
select ticket_id, count(*) as count_rows
from marts.escalated_tickets
group by ticket_id
having count(*) > 1 or bool_or(ticket_id is null)
