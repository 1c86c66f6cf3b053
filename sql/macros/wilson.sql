-- Purpose: Wilson 95 % score interval for a proportion of k successes out of n (z = 1.96).
-- Why a macro: every rate in every mart carries the same interval; one definition keeps them identical.
-- Clamped to [0, 1] so floating-point error at p = 0 or 1 never leaves the unit interval.
create or replace macro wilson_low(k, n) as
  case when n > 0 then greatest(0.0,
    ((k / n) + 1.96 * 1.96 / (2 * n)
      - 1.96 * sqrt((k / n) * (1 - k / n) / n + 1.96 * 1.96 / (4 * n * n)))
    / (1 + 1.96 * 1.96 / n)) end;

create or replace macro wilson_high(k, n) as
  case when n > 0 then least(1.0,
    ((k / n) + 1.96 * 1.96 / (2 * n)
      + 1.96 * sqrt((k / n) * (1 - k / n) / n + 1.96 * 1.96 / (4 * n * n)))
    / (1 + 1.96 * 1.96 / n)) end;

create or replace macro safe_rate(k, n) as case when n > 0 then k / n end;
