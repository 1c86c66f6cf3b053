/**
 * The aggregation half of coaching: SQL reduces `marts.conversations` to per-unit counts and sorted values,
 * peerPools.ts pools them per peer group (rates, medians, quartiles, tail counts). Decisions are made
 * afterwards in TS (stats.ts) on the numbers returned here.
 *
 * Staged as temp tables on the connection: `coach_obs` (one row per conversation x metric, keyed by both
 * units judged: the agent and the vendor's team in one tier) and `coach_peers` (agent -> peer agent, for the
 * exemplar search).
 */
import type { Db } from '../db/database.js';
import { listParam } from '../db/database.js';
import { InputError } from '../errors.js';
import { COACH_METRICS, type CoachMetric } from './metrics.js';
import type { AgentUnit } from './peers.js';
import { continuousStats, proportionStats, statKey, type PeerGroupOf, type UnitRate, type UnitValues } from './peerPools.js';
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

/** Pairs each agent with the agents it is compared against (read by the exemplar search). */
export async function stagePeers(db: Db, groups: readonly { unitId: string; peers: readonly string[] }[]): Promise<void> {
  const pairs = groups.flatMap((g) => g.peers.map((peer) => [g.unitId, peer] as const));
  await db.run(`create or replace temp table coach_peers (unit_id varchar not null, peer_id varchar not null)`);
  // An empty list cannot be bound (DuckDB cannot type it); with no pairs the empty table is the answer.
  if (pairs.length === 0) return;
  // Two bound lists zipped by unnest: one statement however many pairs (a VALUES row each cost 0.2 s at 18k).
  await db.run(
    `insert into coach_peers select unnest($1::varchar[]), unnest($2::varchar[])`,
    [listParam(pairs.map(([unit]) => unit)), listParam(pairs.map(([, peer]) => peer))],
  );
}

/**
 * One row per conversation x metric where the metric applies, in the two shapes stats.ts understands, keyed
 * by both units judged: `unit_id` (the agent) and `team_id` (the vendor's team in that tier), so agents and
 * vendor teams are judged from one staging.
 */
export async function stageObservations(db: Db, metrics: readonly CoachMetric[] = COACH_METRICS): Promise<void> {
  const arms = metrics.map((metric, i) => {
    const metricParam = `$${i + 1}::varchar`;
    const columns =
      metric.kind === 'proportion'
        ? `${metric.successesSql}::double as successes, (${metric.trialsSql})::double as trials, null::double as value,
           (${metric.severitySql})::double as severity`
        : `null::double as successes, null::double as trials, (${metric.valueSql})::double as value,
           (${metric.direction === 'lower_is_better' ? '' : '-'}(${metric.valueSql}))::double as severity`;
    return `select ${UNIT_SQL.agent} as unit_id, ${UNIT_SQL.vendor_tier} as team_id, c.conversation_id, ${metricParam} as metric, ${columns}
            from ${HUMAN_CONVERSATIONS} and (${metric.whereSql})`;
  });
  await db.run(
    `create or replace temp table coach_obs as ${arms.join('\nunion all\n')}`,
    metrics.map((m) => m.id),
  );
}

const UNIT_COLUMN: Record<UnitKind, string> = { agent: 'unit_id', vendor_tier: 'team_id' };

export interface MetricStats {
  proportion: Map<string, ProportionStat>;
  continuous: Map<string, ContinuousStat>;
}

export { statKey };

/**
 * Agent and peer numbers per unit x metric. Proportions: the unit's successes/trials and the peers' pooled
 * rate. Continuous: the unit's center, the pooled peer center and quartiles, and how many conversations of
 * each side fall beyond those quartiles. SQL reduces coach_obs to one row per unit and metric (counts, or the
 * sorted values); peerPools.ts pools the peers.
 */
export async function loadMetricStats(db: Db, unit: UnitKind, groups: readonly PeerGroupOf[], minSample: number): Promise<MetricStats> {
  const unitColumn = UNIT_COLUMN[unit];
  const rateRows = await db.all<{ unit_id: string; metric: string; successes: number; trials: number }>(
    `select ${unitColumn} as unit_id, metric, sum(successes) as successes, sum(trials) as trials
     from coach_obs where trials is not null group by 1, 2 having sum(trials) > 0
     order by 1, 2`,
  );
  const valueRows = await db.all<{ unit_id: string; metric: string; sorted: number[] }>(
    `select ${unitColumn} as unit_id, metric, list(value order by value) as sorted
     from coach_obs where value is not null group by 1, 2
     order by 1, 2`,
  );
  const centers = new Map(COACH_METRICS.map((m) => [m.id, m.kind === 'continuous' ? m.center : 'median']));
  const rates: UnitRate[] = rateRows.map((r) => ({ unitId: r.unit_id, metric: r.metric, successes: Number(r.successes), trials: Number(r.trials) }));
  const values: UnitValues[] = valueRows.map((r) => ({ unitId: r.unit_id, metric: r.metric, sorted: r.sorted.map(Number) }));
  return {
    proportion: proportionStats(rates, groups, minSample),
    continuous: continuousStats(values, groups, minSample, (metric) => centers.get(metric) ?? 'median'),
  };
}

export async function dropStaging(db: Db): Promise<void> {
  await db.run('drop table if exists coach_obs; drop table if exists coach_peers');
}
