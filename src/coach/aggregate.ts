/**
 * The aggregation half of coaching, in SQL: per agent and per peer group rates, medians and tail counts over
 * `marts.conversations`. Decisions are made afterwards in TS (stats.ts) on the numbers returned here.
 *
 * Staged as temp tables on the connection: `coach_obs` (one row per conversation x metric, keyed by the unit
 * judged: an agent, or a vendor's team in one tier) and `coach_peers` (unit -> peer unit).
 */
import type { Db } from '../db/database.js';
import { insertValues } from '../db/insertValues.js';
import { InputError } from '../errors.js';
import { COACH_METRICS, type CoachMetric } from './metrics.js';
import type { AgentUnit } from './peers.js';
import type { ContinuousStat, ProportionStat } from './stats.js';

export interface AgentRecord extends AgentUnit {
  agentName: string | null;
}

/** Human agents only: bot conversations carry no agent to coach (contract: agent_id null, tier 'bot'). */
const HUMAN_CONVERSATIONS = `marts.conversations c where c.agent_id is not null and coalesce(c.tier, '') <> 'bot'`;

export async function assertMartsReady(db: Db): Promise<void> {
  const found = await db.value<number>(
    `select count(*) from information_schema.tables where table_schema = 'marts' and table_name = 'conversations'`,
  );
  if (!found) throw new InputError('coaching needs marts.conversations: run `csqa metrics` (or `csqa run`) first');
}

/** Each agent with the vendor and tier most of its conversations carry (ties broken by name, so stable). */
export async function loadAgents(db: Db): Promise<AgentRecord[]> {
  const hasMessages = await db.value<number>(
    `select count(*) from information_schema.tables where table_schema = 'raw' and table_name = 'messages'`,
  );
  const names = hasMessages
    ? `(select agent_id, max(agent_name) as agent_name from raw.messages where agent_id is not null group by agent_id)`
    : `(select null::varchar as agent_id, null::varchar as agent_name where false)`;
  const rows = await db.all<{ agent_id: string; vendor: string; tier: string; conversations: number; agent_name: string | null }>(`
    with attribution as (
      select c.agent_id, coalesce(c.vendor, 'unknown') as vendor, c.tier, count(*) as n
      from ${HUMAN_CONVERSATIONS}
      group by all
    ), ranked as (
      select *, row_number() over (partition by agent_id order by n desc, vendor, tier) as pick,
             sum(n) over (partition by agent_id) as conversations
      from attribution
    )
    select r.agent_id, r.vendor, coalesce(r.tier, 'unknown') as tier, r.conversations, names.agent_name
    from ranked r left join ${names} names on names.agent_id = r.agent_id
    where r.pick = 1
    order by r.agent_id`);
  return rows.map((r) => ({
    agentId: r.agent_id,
    vendor: r.vendor,
    tier: r.tier,
    conversations: Number(r.conversations),
    agentName: r.agent_name,
  }));
}

/** What a row of coach_obs belongs to: an agent, or a vendor's whole team in one tier (vendor reports). */
export type UnitKind = 'agent' | 'vendor_tier';

const UNIT_SQL: Record<UnitKind, string> = {
  agent: 'c.agent_id',
  // chr(31), the ASCII unit separator, cannot occur in a vendor or tier name typed by a person.
  vendor_tier: `coalesce(c.vendor, 'unknown') || chr(31) || coalesce(c.tier, 'unknown')`,
};

export interface VendorTierUnit {
  unitId: string;
  vendor: string;
  tier: string;
  conversations: number;
  agents: number;
}

export async function loadVendorTierUnits(db: Db): Promise<VendorTierUnit[]> {
  const rows = await db.all<{ unit_id: string; vendor: string; tier: string; conversations: number; agents: number }>(`
    select ${UNIT_SQL.vendor_tier} as unit_id, coalesce(c.vendor, 'unknown') as vendor, coalesce(c.tier, 'unknown') as tier,
           count(*) as conversations, count(distinct c.agent_id) as agents
    from ${HUMAN_CONVERSATIONS}
    group by all
    order by vendor, tier`);
  return rows.map((r) => ({ unitId: r.unit_id, vendor: r.vendor, tier: r.tier, conversations: Number(r.conversations), agents: Number(r.agents) }));
}

/** Pairs each unit (agent, or vendor x tier) with the units it is compared against. */
export async function stagePeers(db: Db, groups: readonly { unitId: string; peers: readonly string[] }[]): Promise<void> {
  await db.run(`create or replace temp table coach_peers (unit_id varchar not null, peer_id varchar not null)`);
  const pairs = groups.flatMap((g) => g.peers.map((peer) => [g.unitId, peer]));
  await insertValues(db, 'coach_peers', pairs);
}

/** One row per conversation x metric where the metric applies, in the two shapes stats.ts understands. */
export async function stageObservations(db: Db, unit: UnitKind, metrics: readonly CoachMetric[] = COACH_METRICS): Promise<void> {
  const unitSql = UNIT_SQL[unit];
  const arms = metrics.map((metric, i) => {
    const metricParam = `$${i + 1}::varchar`;
    const columns =
      metric.kind === 'proportion'
        ? `${metric.successesSql}::double as successes, (${metric.trialsSql})::double as trials, null::double as value,
           (${metric.severitySql})::double as severity`
        : `null::double as successes, null::double as trials, (${metric.valueSql})::double as value,
           (${metric.direction === 'lower_is_better' ? '' : '-'}(${metric.valueSql}))::double as severity`;
    return `select ${unitSql} as unit_id, c.conversation_id, ${metricParam} as metric, ${columns}
            from ${HUMAN_CONVERSATIONS} and (${metric.whereSql})`;
  });
  await db.run(
    `create or replace temp table coach_obs as ${arms.join('\nunion all\n')}`,
    metrics.map((m) => m.id),
  );
}

export interface MetricStats {
  proportion: Map<string, ProportionStat>;
  continuous: Map<string, ContinuousStat>;
}

const key = (agentId: string, metric: string) => `${agentId}\u0000${metric}`;
export const statKey = key;

/**
 * Agent and peer numbers per agent x metric. Proportions: the agent's successes/trials and the peers' pooled
 * rate. Continuous: the agent's center, the pooled
 * peer center and quartiles, and how many conversations of each side fall beyond those quartiles.
 */
export async function loadMetricStats(db: Db, minSample: number): Promise<MetricStats> {
  const proportionRows = await db.all<{
    unit_id: string;
    metric: string;
    successes: number;
    trials: number;
    peer_rate: number;
    peer_units: number;
    peer_trials: number;
  }>(
    `with rates as (
       select unit_id, metric, sum(successes) as successes, sum(trials) as trials, sum(successes) / sum(trials) as rate
       from coach_obs where trials is not null group by all having sum(trials) > 0
     ), peer as (
       -- Pooled over the peers' conversations: for rare events a median of per-agent rates sits on 0 or a
       -- few discrete values and understates the typical rate.
       select p.unit_id, r.metric, sum(r.successes) / sum(r.trials) as peer_rate, count(*) as peer_units,
              sum(r.trials) as peer_trials
       from coach_peers p join rates r on r.unit_id = p.peer_id
       group by all
     )
     select a.unit_id, a.metric, a.successes, a.trials, peer.peer_rate, peer.peer_units, peer.peer_trials
     from rates a join peer using (unit_id, metric)
     where a.trials >= $1
     order by a.unit_id, a.metric`,
    [minSample],
  );
  const continuousRows = await db.all<{
    unit_id: string;
    metric: string;
    n: number;
    median: number;
    mean: number;
    peer_median: number;
    peer_mean: number;
    q25: number;
    q75: number;
    peer_n: number;
    peer_units: number;
    above: number;
    below: number;
    peer_above: number;
    peer_below: number;
  }>(
    `with own as (
       select unit_id, metric, count(*) as n, median(value) as median, avg(value) as mean
       from coach_obs where value is not null group by all
     ), peer_quartiles as (
       -- One list-valued quantile sorts each peer pool once instead of three times (the costly step).
       select p.unit_id, o.metric, quantile_cont(o.value, [0.25, 0.5, 0.75]) as qs, avg(o.value) as peer_mean,
              count(*) as peer_n, count(distinct o.unit_id) as peer_units
       from coach_peers p join coach_obs o on o.unit_id = p.peer_id
       where o.value is not null
       group by all
     ), peer as (
       select unit_id, metric, qs[1] as q25, qs[2] as peer_median, qs[3] as q75, peer_mean, peer_n, peer_units
       from peer_quartiles
     ), peer_tails as (
       select peer.unit_id, peer.metric,
              avg((o.value > peer.q75)::int) as peer_above, avg((o.value < peer.q25)::int) as peer_below
       from peer
       join coach_peers p on p.unit_id = peer.unit_id
       join coach_obs o on o.unit_id = p.peer_id and o.metric = peer.metric and o.value is not null
       group by all
     ), own_tails as (
       select o.unit_id, o.metric, sum((o.value > peer.q75)::int) as above, sum((o.value < peer.q25)::int) as below
       from coach_obs o join peer using (unit_id, metric)
       where o.value is not null
       group by all
     )
     select own.*, peer.peer_median, peer.peer_mean, peer.q25, peer.q75, peer.peer_n, peer.peer_units,
            own_tails.above, own_tails.below, peer_tails.peer_above, peer_tails.peer_below
     from own
     join peer using (unit_id, metric)
     join peer_tails using (unit_id, metric)
     join own_tails using (unit_id, metric)
     where own.n >= $1
     order by own.unit_id, own.metric`,
    [minSample],
  );

  const centers = new Map(COACH_METRICS.map((m) => [m.id, m.kind === 'continuous' ? m.center : 'median']));
  const stats: MetricStats = { proportion: new Map(), continuous: new Map() };
  for (const r of proportionRows) {
    stats.proportion.set(key(r.unit_id, r.metric), {
      successes: Number(r.successes),
      trials: Number(r.trials),
      peerRate: Number(r.peer_rate),
      peerUnits: Number(r.peer_units),
      peerTrials: Number(r.peer_trials),
    });
  }
  for (const r of continuousRows) {
    const useMean = centers.get(r.metric) === 'mean';
    stats.continuous.set(key(r.unit_id, r.metric), {
      n: Number(r.n),
      center: Number(useMean ? r.mean : r.median),
      peerCenter: Number(useMean ? r.peer_mean : r.peer_median),
      peerQ25: Number(r.q25),
      peerQ75: Number(r.q75),
      peerN: Number(r.peer_n),
      peerUnits: Number(r.peer_units),
      above: Number(r.above),
      below: Number(r.below),
      peerAbove: Number(r.peer_above),
      peerBelow: Number(r.peer_below),
    });
  }
  return stats;
}

export async function dropStaging(db: Db): Promise<void> {
  await db.run('drop table if exists coach_obs; drop table if exists coach_peers');
}
