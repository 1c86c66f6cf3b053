-- Audit: marts.conversations holds one row per (conversation_id); returns every key that is duplicated or missing.
-- Depends on: marts.conversations
select conversation_id, count(*) as count_rows
from marts.conversations
group by conversation_id
having count(*) > 1 or bool_or(conversation_id is null)
