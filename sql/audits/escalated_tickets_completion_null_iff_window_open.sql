-- Audit: a ticket's 24-hour completion is NULL exactly while its window is open.
-- Depends on: marts.escalated_tickets
select ticket_id, escalated_at, is_window_ended, is_completed_24h
from marts.escalated_tickets
where (is_completed_24h is null) = is_window_ended
