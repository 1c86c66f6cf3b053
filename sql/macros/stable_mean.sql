-- Purpose: the mean of scores (sentiment, its changes) to 9 decimals, the same on every run. round(avg(x), 9)
-- is not: DuckDB adds doubles in the order its threads finish, and a mean near a rounding boundary lands on
-- either side (the 1M bench printed -0.026210938 and -0.026210937 for one agent in two builds). Summed as whole
-- billionths (exact integers), the order does not matter; + 0.0 turns a rounded -0.0 into 0.0.
create or replace macro stable_mean(x) as round(avg(round(x * 1000000000)::bigint) / 1000000000, 9) + 0.0;
