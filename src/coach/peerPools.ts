/**
 * Peer numbers for every unit at once, from per-unit summaries. Comparing each unit with a join of its peers'
 * conversations cost units x peers x conversations; here each distinct peer pool (the peers plus the unit
 * itself, shared by every member of a vendor's tier) is sorted once per metric, and each unit's own values are
 * taken out of it by one merge walk. Proportions just add the peers' counts. Pure: the summaries are read
 * in aggregate.ts.
 *
 * Results equal the per-unit pooled computation: counts, medians and quantiles exactly (DuckDB's quantile_cont
 * rule). Means are compensated sums over sorted values, so they no longer depend on the order a parallel scan
 * delivered the rows in (SQL avg differed in the last bits between table layouts).
 */
import type { ContinuousStat, ProportionStat } from './stats.js';

/** A unit's counts on one proportion metric. */
export interface UnitRate {
  unitId: string;
  metric: string;
  successes: number;
  trials: number;
}

/** A unit's values of one continuous metric, ascending. */
export interface UnitValues {
  unitId: string;
  metric: string;
  sorted: readonly number[];
}

export interface PeerGroupOf {
  unitId: string;
  peers: readonly string[];
}

export const statKey = (unitId: string, metric: string) => `${unitId}\u0000${metric}`;

/** The peers' pooled rate for each unit with at least `minSample` trials and a peer with any trial. */
export function proportionStats(rates: readonly UnitRate[], groups: readonly PeerGroupOf[], minSample: number): Map<string, ProportionStat> {
  const byKey = new Map(rates.filter((r) => r.trials > 0).map((r) => [statKey(r.unitId, r.metric), r]));
  const metrics = [...new Set(rates.map((r) => r.metric))];
  const stats = new Map<string, ProportionStat>();
  for (const group of groups) {
    for (const metric of metrics) {
      const own = byKey.get(statKey(group.unitId, metric));
      if (!own || !(own.trials >= minSample)) continue;
      let successes = 0;
      let trials = 0;
      let units = 0;
      for (const peer of group.peers) {
        const rate = byKey.get(statKey(peer, metric));
        if (!rate) continue;
        successes += rate.successes;
        trials += rate.trials;
        units++;
      }
      if (units === 0) continue;
      stats.set(statKey(group.unitId, metric), {
        successes: own.successes,
        trials: own.trials,
        peerRate: successes / trials,
        peerUnits: units,
        peerTrials: trials,
      });
    }
  }
  return stats;
}

/**
 * The peers' pooled quartiles, center and tail shares for each unit with at least `minSample` values.
 * `centerOf` says per metric whether the center is the median or the mean.
 */
export function continuousStats(
  values: readonly UnitValues[],
  groups: readonly PeerGroupOf[],
  minSample: number,
  centerOf: (metric: string) => 'median' | 'mean',
): Map<string, ContinuousStat> {
  const byKey = new Map(values.filter((v) => v.sorted.length > 0).map((v) => [statKey(v.unitId, v.metric), v]));
  const metrics = [...new Set(values.map((v) => v.metric))];
  const pools = new Map<string, Float64Array>();
  const stats = new Map<string, ContinuousStat>();
  for (const group of groups) {
    if (group.peers.includes(group.unitId)) throw new Error(`unit ${group.unitId} is listed as its own peer`);
    const members = [group.unitId, ...group.peers].sort();
    const membersKey = members.join('\u0001');
    for (const metric of metrics) {
      const own = byKey.get(statKey(group.unitId, metric));
      if (!own || !(own.sorted.length >= minSample)) continue;
      const peerUnits = group.peers.filter((p) => byKey.has(statKey(p, metric))).length;
      if (peerUnits === 0) continue;
      const poolKey = `${membersKey}\u0000${metric}`;
      let pool = pools.get(poolKey);
      if (!pool) {
        pool = sortedPool(members.map((m) => byKey.get(statKey(m, metric))?.sorted ?? []));
        pools.set(poolKey, pool);
      }
      const peers = without(pool, own.sorted);
      const q25 = quantileCont(peers, 0.25);
      const q75 = quantileCont(peers, 0.75);
      const useMean = centerOf(metric) === 'mean';
      stats.set(statKey(group.unitId, metric), {
        n: own.sorted.length,
        center: useMean ? mean(own.sorted) : quantileCont(own.sorted, 0.5),
        peerCenter: useMean ? mean(peers) : quantileCont(peers, 0.5),
        peerQ25: q25,
        peerQ75: q75,
        peerN: peers.length,
        peerUnits,
        above: own.sorted.length - countAtMost(own.sorted, q75),
        below: countBelow(own.sorted, q25),
        peerAbove: (peers.length - countAtMost(peers, q75)) / peers.length,
        peerBelow: countBelow(peers, q25) / peers.length,
      });
    }
  }
  return stats;
}

function sortedPool(parts: readonly (readonly number[])[]): Float64Array {
  const pool = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    pool.set(part, at);
    at += part.length;
  }
  return pool.sort();
}

/** `pool` minus the multiset `remove` (a sub-multiset of it); both ascending. */
function without(pool: Float64Array, remove: readonly number[]): Float64Array {
  const rest = new Float64Array(pool.length - remove.length);
  let r = 0;
  let k = 0;
  for (const value of pool) {
    if (r < remove.length && value === remove[r]) {
      r++;
      continue;
    }
    rest[k++] = value;
  }
  if (r !== remove.length || k !== rest.length) throw new Error('a unit\'s own values are missing from its peer pool');
  return rest;
}

/**
 * DuckDB's quantile_cont on ascending values: linear between the neighbours of (n - 1) q, weighted as DuckDB
 * weighs them (lo (1 - d) + hi d; lo + (hi - lo) d differs in the last bit), so quartiles equal the SQL ones.
 */
export function quantileCont(sorted: ArrayLike<number>, q: number): number {
  const position = (sorted.length - 1) * q;
  const lo = Math.floor(position);
  const hi = Math.ceil(position);
  const low = sorted[lo]!;
  if (lo === hi) return low;
  const d = position - lo;
  return low * (1 - d) + sorted[hi]! * d;
}

/** How many ascending values are <= x. */
function countAtMost(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How many ascending values are < x. */
function countBelow(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function mean(values: ArrayLike<number>): number {
  return compensatedSum(values) / values.length;
}

/** Neumaier's compensated sum: closer to the exact sum than adding in whatever order a join delivered. */
function compensatedSum(values: ArrayLike<number>): number {
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const t = sum + v;
    compensation += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + compensation;
}
