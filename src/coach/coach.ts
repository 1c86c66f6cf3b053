/**
 * `csqa coach`: per-agent coaching plans from the marts. Aggregates in SQL and one pass over per-unit
 * summaries (aggregate.ts, peerPools.ts), decides in pure TS (stats.ts, plan.ts), proves every weak spot with
 * the agent's own words in one batch (evidence.ts), and writes Markdown per agent and vendor, coaching.json and coaching.csv under `<outDir>/coaching/`.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import type { Logger } from '../commands/context.js';
import type { Db } from '../db/database.js';
import { ensureRawSchema } from '../db/schema.js';
import { ConfigError } from '../errors.js';
import {
  assertMartsReady,
  dropStaging,
  loadAgents,
  loadMetricStats,
  loadVendorTierUnits,
  stageObservations,
  stagePeers,
  statKey,
  type MetricStats,
} from './aggregate.js';
import { jsonForHtmlScript } from '../privacy/escape.js';
import { createRedactor, type Redactor } from '../privacy/redact.js';
import { loadCatalog, type Catalog, type Language } from './catalog.js';
import { renderCsv } from './csv.js';
import { findAllEvidence, type CaseRef, type EvidenceRequest } from './evidence.js';
import { safeFileName, writeFileAtomic } from './files.js';
import { renderAgentMarkdown, renderVendorMarkdown } from './markdown.js';
import { COACH_METRICS, metricById, type CoachMetric } from './metrics.js';
import { choosePeerGroups, chooseVendorPeers } from './peers.js';
import {
  judgeAgent,
  summariseVendors,
  type AgentPlan,
  type CoachingPlan,
  type CoachingSettings,
  type VendorTierFinding,
  type WeakSpot,
} from './plan.js';

export interface CoachOptions {
  outDir: string;
  /** Only this agent's plan, returned and not written (for `csqa coach --agent`). */
  agent?: string;
  lang?: Language;
  log?: Logger;
  /** Masks personal data in quoted utterances; default createRedactor(config), i.e. follows privacy.redact. */
  redact?: Redactor;
  /** Replaces the catalog named by `coach.catalog` (tests). */
  catalog?: Catalog;
}

export function coachingSettings(config: Config, lang?: Language, redacted: boolean = config.privacy.redact): CoachingSettings {
  return {
    language: lang ?? config.coach.language,
    minConversations: config.coach.minConversations,
    minMetricSample: config.coach.minMetricSample,
    peerMinAgents: config.coach.peerMinAgents,
    confidence: config.coach.confidence,
    vendorShare: config.coach.vendorShare,
    redacted,
  };
}

function statFor(stats: MetricStats, agentId: string) {
  return (metric: CoachMetric) =>
    metric.kind === 'proportion' ? stats.proportion.get(statKey(agentId, metric.id)) : stats.continuous.get(statKey(agentId, metric.id));
}

function redactCases<T extends CaseRef>(cases: T[], redact: Redactor): T[] {
  return cases.map((c) => ({
    ...c,
    quotes: c.quotes.map((q) => ({ ...q, text: redact(q.text), ...(q.matched ? { matched: redact(q.matched) } : {}) })),
  }));
}

export async function coach(db: Db, config: Config, options: CoachOptions): Promise<CoachingPlan> {
  const redact = options.redact ?? createRedactor(config);
  const settings = coachingSettings(config, options.lang, redact.enabled);
  const catalog = options.catalog ?? loadCatalog(config.coach.catalog || undefined);

  await assertMartsReady(db);
  await ensureRawSchema(db);
  const agents = await loadAgents(db);
  if (options.agent !== undefined && !agents.some((a) => a.agentId === options.agent)) {
    throw new ConfigError(`no conversations attributed to agent "${options.agent}" in marts.conversations`);
  }
  const groups = new Map(choosePeerGroups(agents, settings).map((g) => [g.agentId, g]));

  const plans: AgentPlan[] = [];
  let tierFindings: Awaited<ReturnType<typeof judgeVendorTeams>>;
  try {
    const peerGroups = [...groups.values()].map((g) => ({ unitId: g.agentId, peers: g.peers }));
    await stagePeers(db, peerGroups);
    await stageObservations(db);
    const stats = await loadMetricStats(db, 'agent', peerGroups, settings.minMetricSample);
    const judged = agents.map((agent) => {
      const group = groups.get(agent.agentId);
      const verdicts = group?.scope ? judgeAgent(COACH_METRICS, statFor(stats, agent.agentId), settings.confidence) : null;
      return { agent, group, verdicts };
    });
    // Evidence is the expensive part; for a single-agent request only that agent needs it.
    const wanted = (agentId: string) => options.agent === undefined || options.agent === agentId;
    const requests: EvidenceRequest[] = judged.flatMap(({ agent, verdicts }) =>
      verdicts && wanted(agent.agentId)
        ? verdicts.weak.map((weak) => ({ agentId: agent.agentId, metric: metricById(weak.metric), peerValue: weak.assessment.peerValue }))
        : [],
    );
    const found = await findAllEvidence(db, requests, { evidence: config.coach.maxEvidence, exemplars: config.coach.maxExemplars });
    const foundFor = new Map(requests.map((r, i) => [`${r.agentId}\u0000${r.metric.id}`, found[i]!]));
    for (const { agent, group, verdicts } of judged) {
      const base = { ...agent, peerGroup: null, weakSpots: [], strengths: [] };
      if (!group) {
        plans.push({ ...base, status: 'below_minimum' });
        continue;
      }
      if (!group.scope || !verdicts) {
        plans.push({ ...base, status: 'no_peer_group' });
        continue;
      }
      const weakSpots: WeakSpot[] = verdicts.weak.map((weak, i) => {
        const proof = foundFor.get(`${agent.agentId}\u0000${weak.metric}`);
        return {
          rank: i + 1,
          metric: weak.metric,
          assessment: weak.assessment,
          evidence: proof ? redactCases(proof.evidence, redact) : [],
          exemplars: proof ? redactCases(proof.exemplars, redact) : [],
          module: catalog[weak.metric]![settings.language],
        };
      });
      plans.push({
        ...base,
        status: 'coached',
        peerGroup: { scope: group.scope, agents: group.peers.length },
        weakSpots,
        strengths: verdicts.strong,
      });
    }
    tierFindings = await judgeVendorTeams(db, settings);
  } finally {
    await dropStaging(db);
  }

  const plan: CoachingPlan = { settings, agents: plans, vendors: summariseVendors(plans, settings.vendorShare, tierFindings) };
  if (options.agent !== undefined) {
    return { ...plan, agents: plans.filter((p) => p.agentId === options.agent) };
  }
  const files = writeCoachingFiles(plan, options.outDir);
  const coached = plans.filter((p) => p.status === 'coached');
  options.log?.info(
    `coach: ${coached.length} of ${plans.length} agents assessed, ${coached.reduce((n, p) => n + p.weakSpots.length, 0)} weak spots; ${files.length} files in ${join(options.outDir, 'coaching')}`,
  );
  return plan;
}

/**
 * Each vendor's team per tier against the other vendors' teams of that tier, with the agents' rules.
 * Reads the observations coach() staged.
 */
async function judgeVendorTeams(db: Db, settings: CoachingSettings): Promise<Map<string, { weak: VendorTierFinding[]; strong: VendorTierFinding[] }>> {
  const units = await loadVendorTierUnits(db);
  const groups = chooseVendorPeers(units, settings.minConversations);
  const findings = new Map<string, { weak: VendorTierFinding[]; strong: VendorTierFinding[] }>();
  const stats = await loadMetricStats(db, 'vendor_tier', groups, settings.minMetricSample);
  for (const unit of units) {
    if (!groups.some((g) => g.unitId === unit.unitId)) continue;
    const verdicts = judgeAgent(COACH_METRICS, statFor(stats, unit.unitId), settings.confidence);
    const entry = findings.get(unit.vendor) ?? { weak: [], strong: [] };
    entry.weak.push(...verdicts.weak.map((v) => ({ tier: unit.tier, ...v })));
    entry.strong.push(...verdicts.strong.map((v) => ({ tier: unit.tier, ...v })));
    findings.set(unit.vendor, entry);
  }
  return findings;
}

/** The Markdown of one agent's plan (what `csqa coach --agent` prints). */
export function agentMarkdown(plan: CoachingPlan, agentId: string): string {
  const agent = plan.agents.find((a) => a.agentId === agentId);
  if (!agent) throw new ConfigError(`no coaching plan for agent "${agentId}"`);
  return renderAgentMarkdown(agent, plan.settings);
}

export function writeCoachingFiles(plan: CoachingPlan, outDir: string): string[] {
  const root = join(outDir, 'coaching');
  const written: string[] = [];
  const write = (path: string, content: string) => {
    writeFileAtomic(path, content);
    written.push(path);
  };
  for (const agent of plan.agents) {
    write(join(root, 'agents', `${safeFileName(agent.agentId)}.md`), renderAgentMarkdown(agent, plan.settings));
  }
  for (const vendor of plan.vendors) {
    write(join(root, 'vendors', `${safeFileName(vendor.vendor)}.md`), renderVendorMarkdown(vendor, plan.settings));
  }
  write(join(root, 'coaching.json'), jsonForHtmlScript(plan, 2) + '\n');
  write(join(root, 'coaching.csv'), renderCsv(plan.agents, plan.settings.language));
  // A plan left from an earlier night for an agent who has left would read as current: remove it.
  removeStale(join(root, 'agents'), written);
  removeStale(join(root, 'vendors'), written);
  return written;
}

function removeStale(folder: string, keep: readonly string[]): void {
  const kept = new Set(keep);
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (name.endsWith('.md') && !kept.has(path)) rmSync(path);
  }
}
