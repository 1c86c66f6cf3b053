-- Purpose: the mean of durations in seconds, the same to the last bit on every run. DuckDB adds doubles in the
-- order its threads finish, so avg() of fractional seconds differs in the last bits between two runs over the same
-- data (a re-run would publish different exports); summed as whole microseconds (exact) it does not. Timestamps
-- carry microseconds, so nothing is lost.
create or replace macro mean_seconds(x) as avg(round(x * 1000000)::bigint) / 1000000;
