-- Audit: an FCR flag is NULL exactly when its window has not ended at the as-of time (never false while open).
-- Depends on: marts.conversations, staging.settings
select c.conversation_id, c.ended_at, s.as_of_at, c.is_fcr_24h, c.is_fcr_72h, c.is_fcr_7d
from marts.conversations as c
cross join staging.settings as s
where (c.is_fcr_24h is null) <> coalesce(c.ended_at + to_seconds(s.fcr_short_seconds) > s.as_of_at, true)
    or (c.is_fcr_72h is null) <> coalesce(c.ended_at + to_seconds(s.fcr_medium_seconds) > s.as_of_at, true)
    or (c.is_fcr_7d is null) <> coalesce(c.ended_at + to_seconds(s.fcr_long_seconds) > s.as_of_at, true)
