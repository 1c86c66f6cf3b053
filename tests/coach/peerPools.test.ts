import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/database.js';
import { insertValues } from '../../src/db/insertValues.js';
import { loadMetricStats, stagePeers } from '../../src/coach/aggregate.js';
import { choosePeerGroups, type AgentUnit } from '../../src/coach/peers.js';
import { quantileCont, statKey } from '../../src/coach/peerPools.js';

/** Deterministic pseudo-random numbers (mulberry32), so the world is the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The per-unit join over every peer's conversations that peerPools.ts replaces: the reference the pooled
 * statistics must equal (kept here only as the oracle).
 */
const REFERENCE_PROPORTIONS = `
  with rates as (
    select unit_id, metric, sum(successes) as successes, sum(trials) as trials
    from coach_obs where trials is not null group by all having sum(trials) > 0
  ), peer as (
    select p.unit_id, r.metric, sum(r.successes) / sum(r.trials) as peer_rate, count(*) as peer_units, sum(r.trials) as peer_trials
    from coach_peers p join rates r on r.unit_id = p.peer_id group by all
  )
  select a.unit_id, a.metric, a.successes, a.trials, peer.peer_rate, peer.peer_units, peer.peer_trials
  from rates a join peer using (unit_id, metric) where a.trials >= $1 order by all`;

const REFERENCE_CONTINUOUS = `
  with own as (
    select unit_id, metric, count(*) as n, median(value) as median, avg(value) as mean
    from coach_obs where value is not null group by all
  ), peer as (
    select p.unit_id, o.metric, quantile_cont(o.value, 0.25) as q25, quantile_cont(o.value, 0.5) as peer_median,
           quantile_cont(o.value, 0.75) as q75, avg(o.value) as peer_mean, count(*) as peer_n, count(distinct o.unit_id) as peer_units
    from coach_peers p join coach_obs o on o.unit_id = p.peer_id where o.value is not null group by all
  ), peer_tails as (
    select peer.unit_id, peer.metric, avg((o.value > peer.q75)::int) as peer_above, avg((o.value < peer.q25)::int) as peer_below
    from peer join coach_peers p on p.unit_id = peer.unit_id
    join coach_obs o on o.unit_id = p.peer_id and o.metric = peer.metric and o.value is not null
    group by all
  ), own_tails as (
    select o.unit_id, o.metric, sum((o.value > peer.q75)::int) as above, sum((o.value < peer.q25)::int) as below
    from coach_obs o join peer using (unit_id, metric) where o.value is not null group by all
  )
  select own.*, peer.peer_median, peer.peer_mean, peer.q25, peer.q75, peer.peer_n, peer.peer_units,
         own_tails.above, own_tails.below, peer_tails.peer_above, peer_tails.peer_below
  from own join peer using (unit_id, metric) join peer_tails using (unit_id, metric) join own_tails using (unit_id, metric)
  where own.n >= $1 order by all`;

describe('pooled peer statistics', () => {
  let db: Db;
  beforeEach(async () => {
    db = await openDatabase(':memory:');
  });
  afterEach(() => db.close());

  it('stages an empty peer table when no agent has peers (a small first night)', async () => {
    await stagePeers(db, [{ unitId: 'a1', peers: [] }]);
    expect(await db.value<number>('select count(*) from coach_peers')).toBe(0);
    await stagePeers(db, [{ unitId: 'a1', peers: ['a2', 'a3'] }, { unitId: 'a2', peers: ['a1'] }]);
    expect(await db.all('select unit_id, peer_id from coach_peers order by all')).toEqual([
      { unit_id: 'a1', peer_id: 'a2' },
      { unit_id: 'a1', peer_id: 'a3' },
      { unit_id: 'a2', peer_id: 'a1' },
    ]);
  });

  it('computes quantile_cont as DuckDB does, ties and interpolation included', async () => {
    const next = random(3);
    for (const size of [1, 2, 3, 4, 7, 10, 101]) {
      const values = Array.from({ length: size }, () => Math.round(next() * 1000 * next()) / 10).sort((a, b) => a - b);
      for (const q of [0.25, 0.5, 0.75]) {
        const expected = await db.value<number>(`select quantile_cont(v, $1::double) from (select unnest($2::double[]) as v)`, [q, `[${values.join(',')}]`]);
        expect(quantileCont(values, q)).toBe(expected);
      }
    }
  });

  it('leaves each unit out of its pooled peers exactly as a join over the peers would', async () => {
    const next = random(11);
    // Two vendors of one tier: the big vendor compares within itself, the small one against the whole tier,
    // so pools overlap and differ; one agent never handles the continuous metric at all.
    const units: AgentUnit[] = [
      ...['a1', 'a2', 'a3', 'a4', 'a5'].map((agentId) => ({ agentId, vendor: 'A', tier: 'L1', conversations: 40 })),
      ...['b1', 'b2'].map((agentId) => ({ agentId, vendor: 'B', tier: 'L1', conversations: 40 })),
    ];
    const groups = choosePeerGroups(units, { minConversations: 30, peerMinAgents: 3 }).map((g) => ({ unitId: g.agentId, peers: g.peers }));
    expect(groups.find((g) => g.unitId === 'b1')!.peers).toContain('a1');

    await db.run(`create temp table coach_obs (unit_id varchar, team_id varchar, conversation_id varchar, metric varchar, successes double,
                  trials double, value double, severity double)`);
    const rows: (string | number | null)[][] = [];
    for (const [u, unit] of units.entries()) {
      const count = 3 + Math.floor(next() * 25);
      for (let i = 0; i < count; i++) {
        const id = `${unit.agentId}-${i}`;
        rows.push([unit.agentId, unit.vendor, id, 'reopen_rate', next() < 0.2 + u * 0.05 ? 1 : 0, 1, null, 0]);
        // CSAT-like integer ties (mean center) and skewed seconds (median center).
        rows.push([unit.agentId, unit.vendor, id, 'csat', null, null, 1 + Math.floor(next() * 5), 0]);
        if (unit.agentId !== 'a3') rows.push([unit.agentId, unit.vendor, id, 'first_response_seconds', null, null, Math.round(1000 * next() ** 3) / 10, 0]);
      }
    }
    await insertValues(db, 'coach_obs', rows);
    await stagePeers(db, groups);

    const minSample = 5;
    const stats = await loadMetricStats(db, 'agent', groups, minSample);

    const proportions = await db.all<Record<string, number | string>>(REFERENCE_PROPORTIONS, [minSample]);
    expect(stats.proportion.size).toBe(proportions.length);
    for (const r of proportions) {
      expect(stats.proportion.get(statKey(String(r.unit_id), String(r.metric)))).toEqual({
        successes: Number(r.successes),
        trials: Number(r.trials),
        peerRate: Number(r.peer_rate),
        peerUnits: Number(r.peer_units),
        peerTrials: Number(r.peer_trials),
      });
    }

    const continuous = await db.all<Record<string, number | string>>(REFERENCE_CONTINUOUS, [minSample]);
    expect(stats.continuous.size).toBe(continuous.length);
    expect(continuous.some((r) => r.metric === 'first_response_seconds')).toBe(true);
    for (const r of continuous) {
      const got = stats.continuous.get(statKey(String(r.unit_id), String(r.metric)));
      const useMean = r.metric === 'csat';
      expect(got).toBeDefined();
      const { peerCenter, center, ...exact } = got!;
      expect(exact).toEqual({
        n: Number(r.n),
        peerQ25: Number(r.q25),
        peerQ75: Number(r.q75),
        peerN: Number(r.peer_n),
        peerUnits: Number(r.peer_units),
        above: Number(r.above),
        below: Number(r.below),
        peerAbove: Number(r.peer_above),
        peerBelow: Number(r.peer_below),
      });
      // Means may differ from SQL avg in the last bits only (summation order); medians are exact.
      expect(center).toBeCloseTo(Number(useMean ? r.mean : r.median), 10);
      expect(peerCenter).toBeCloseTo(Number(useMean ? r.peer_mean : r.peer_median), 10);
      if (!useMean) expect([center, peerCenter]).toEqual([Number(r.median), Number(r.peer_median)]);
    }
  });
});
