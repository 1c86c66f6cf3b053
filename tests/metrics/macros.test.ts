/**
 * The SQL macros the models share (sql/macros), run as the build runs them, on a fresh in-memory DuckDB.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/database.js';
import { defaultSqlDir, loadMacros } from '../../src/metrics/models.js';

let db: Db;
beforeEach(async () => {
  db = await openDatabase(':memory:');
  for (const macro of loadMacros(defaultSqlDir())) await db.run(macro);
});
afterEach(() => db.close());

describe('mean_seconds', () => {
  it('gives the same bits on every run where avg() of the same fractional seconds does not have to', async () => {
    // 2M durations with microseconds over 7 groups: enough row groups that DuckDB's threads add them up in a
    // different order from run to run (plain avg() then differs in the last bits).
    await db.run(`create table durations as
      select i % 7 as unit, (hash(i) % 1000000000) / 1000000.0 as seconds from range(2000000) r(i)`);
    const means = async () =>
      (await db.all<{ unit: number; mean: number; plain: number }>(
        'select unit, mean_seconds(seconds) as mean, avg(seconds) as plain from durations group by unit order by unit',
      ));
    const first = await means();
    for (let run = 0; run < 4; run++) expect((await means()).map((r) => r.mean)).toEqual(first.map((r) => r.mean));
    for (const row of first) expect(row.mean).toBeCloseTo(row.plain, 6);
    expect(first).toHaveLength(7);
  });

  it('skips NULLs as avg() does, and is NULL when nothing is left', async () => {
    expect(await db.all(`select mean_seconds(x) as m from (values (1.5), (null), (2.000001)) v(x)`)).toEqual([{ m: 1.7500005 }]);
    expect(await db.all(`select mean_seconds(x) as m from (values (null::double)) v(x)`)).toEqual([{ m: null }]);
  });
});

describe('stable_mean', () => {
  it('rounds to 9 decimals whatever order the values are added in, where round(avg(x), 9) does not', async () => {
    // One thread adds in insertion order: (1 + 1.5e-9) - 1 loses bits that (1 - 1) + 1.5e-9 keeps, and the
    // mean (5e-10) sits on the rounding boundary.
    await db.run('set threads = 1');
    await db.run('create table forward (x double); create table backward (x double)');
    await db.run('insert into forward values (1.0), (1.5e-9), (-1.0)');
    await db.run('insert into backward values (1.0), (-1.0), (1.5e-9)');
    const both = (expression: string) =>
      Promise.all(['forward', 'backward'].map((t) => db.value<number>(`select ${expression} from ${t}`)));
    const [plainForward, plainBackward] = await both('round(avg(x), 9)');
    expect(plainForward).not.toBe(plainBackward);
    const [stableForward, stableBackward] = await both('stable_mean(x)');
    expect(stableForward).toBe(stableBackward);
    // Each value is taken to whole billionths first (1.5e-9 -> 2e-9): the mean 0.67e-9 rounds to 1e-9.
    expect(stableForward).toBe(1e-9);
  });

  it('is 0, not -0, for a mean that rounds to zero from below, and NULL without values', async () => {
    expect(Object.is(await db.value<number>('select stable_mean(x) from (values (-1e-12), (0.0)) v(x)'), 0)).toBe(true);
    expect(await db.value('select stable_mean(x) from (values (null::double)) v(x)')).toBeNull();
  });
});

describe('wilson_low / wilson_high', () => {
  it('match the Wilson 95 % interval worked by hand, and are NULL without trials', async () => {
    // 1 of 2: center 0.5, half-width 1.96 * sqrt(0.125 + 0.2401) / 2.9208 = 0.405471345.
    const [row] = await db.all<{ low: number; high: number; none: number | null }>(
      'select wilson_low(1, 2) as low, wilson_high(1, 2) as high, wilson_low(0, 0) as none');
    expect(row!.low).toBeCloseTo(0.094528655, 9);
    expect(row!.high).toBeCloseTo(0.905471345, 9);
    expect(row!.none).toBeNull();
  });
});
