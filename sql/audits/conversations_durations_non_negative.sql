-- Audit: no duration in marts.conversations or marts.escalated_tickets is negative (a negative wait means
-- clocks or ordering went wrong upstream).
-- Depends on: marts.conversations, marts.escalated_tickets
select conversation_id, first_response_seconds, first_human_response_seconds, time_to_human_seconds, handle_seconds
from marts.conversations
where first_response_seconds < 0 or first_human_response_seconds < 0 or time_to_human_seconds < 0
    or handle_seconds < 0 or ended_at < started_at
union all
select conversation_id, completion_seconds, null, null, null
from marts.escalated_tickets
where completion_seconds < 0
