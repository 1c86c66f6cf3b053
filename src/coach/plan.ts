/**
 * The shape of a coaching plan and the pure steps that build it from assessed numbers: which metrics are
 * weak spots or strengths for one agent (ranked by impact), and which weak spots a vendor shares across its
 * agents. Rendering and I/O live elsewhere.
 */
import type { TrainingModule } from './catalog.js';
import type { CaseRef, ExemplarCase } from './evidence.js';
import type { CoachMetric } from './metrics.js';
import type { PeerScope } from './peers.js';
import { assess, perTestConfidence, rankByImpact, type Assessment, type ContinuousStat, type ProportionStat } from './stats.js';

export interface WeakSpot {
  rank: number;
  metric: string;
  assessment: Assessment;
  evidence: CaseRef[];
  exemplars: ExemplarCase[];
  module: TrainingModule;
}

export interface Strength {
  metric: string;
  assessment: Assessment;
}

export type AgentStatus = 'coached' | 'below_minimum' | 'no_peer_group';

export interface AgentPlan {
  agentId: string;
  agentName: string | null;
  vendor: string;
  tier: string;
  conversations: number;
  status: AgentStatus;
  peerGroup: { scope: PeerScope; agents: number } | null;
  weakSpots: WeakSpot[];
  strengths: Strength[];
}

export interface VendorNeed {
  metric: string;
  /** Coached agents of the vendor with this weak spot. */
  agents: string[];
  share: number;
  /** The vendor's team in these tiers is credibly worse than the other vendors' teams in the same tier. */
  worseThanOtherVendors: VendorTierFinding[];
  /** Shared by enough agents, or vendor-wide against other vendors: train the team, not one person. */
  vendorLevel: boolean;
}

/** One metric of a vendor's team in one tier, judged against the other vendors of that tier. */
export interface VendorTierFinding {
  tier: string;
  metric: string;
  assessment: Assessment;
}

export interface VendorSummary {
  vendor: string;
  coachedAgents: number;
  agentsNotCoached: number;
  needs: VendorNeed[];
  /** Where the vendor's team does credibly better than other vendors in the same tier. */
  strengths: VendorTierFinding[];
}

export interface CoachingSettings {
  language: 'zh' | 'en';
  minConversations: number;
  minMetricSample: number;
  peerMinAgents: number;
  confidence: number;
  vendorShare: number;
  /** Whether quoted log text was redacted (privacy.redact); raw plans say so in their header. */
  redacted: boolean;
}

export interface CoachingPlan {
  settings: CoachingSettings;
  agents: AgentPlan[];
  vendors: VendorSummary[];
}

export interface AgentVerdicts {
  weak: { metric: string; assessment: Assessment }[];
  strong: { metric: string; assessment: Assessment }[];
}

/**
 * Assesses every metric with enough data; weak spots by impact, strengths by how far ahead of peers.
 * `confidence` is family-wise over the agent's assessed metrics (see perTestConfidence).
 */
export function judgeAgent(
  metrics: readonly CoachMetric[],
  statFor: (metric: CoachMetric) => ProportionStat | ContinuousStat | undefined,
  confidence: number,
): AgentVerdicts {
  const available = metrics.flatMap((metric) => {
    const stat = statFor(metric);
    return stat ? [{ metric, stat }] : [];
  });
  const perTest = perTestConfidence(confidence, available.length);
  const assessed = available.map(({ metric, stat }) => ({ metric: metric.id, assessment: assess(metric, stat, perTest) }));
  const weak = rankByImpact(assessed.filter((a) => a.assessment.verdict === 'weak'));
  const strong = rankByImpact(assessed.filter((a) => a.assessment.verdict === 'strong')).reverse();
  return { weak, strong };
}

/**
 * Which weak spots recur across a vendor's coached agents, plus those where the vendor's whole team lags the
 * other vendors of its tier. Vendor-level needs first, then by how many agents share them.
 */
export function summariseVendors(
  agents: readonly AgentPlan[],
  vendorShare: number,
  tierFindings: ReadonlyMap<string, { weak: VendorTierFinding[]; strong: VendorTierFinding[] }> = new Map(),
): VendorSummary[] {
  const vendors = [...new Set([...agents.map((a) => a.vendor), ...tierFindings.keys()])].sort();
  return vendors.map((vendor) => {
    const own = agents.filter((a) => a.vendor === vendor);
    const coached = own.filter((a) => a.status === 'coached');
    const findings = tierFindings.get(vendor) ?? { weak: [], strong: [] };
    const byMetric = new Map<string, string[]>();
    for (const agent of coached) {
      for (const spot of agent.weakSpots) byMetric.set(spot.metric, [...(byMetric.get(spot.metric) ?? []), agent.agentId]);
    }
    for (const finding of findings.weak) if (!byMetric.has(finding.metric)) byMetric.set(finding.metric, []);
    const needs = [...byMetric.entries()]
      .map(([metric, ids]) => {
        const share = coached.length ? ids.length / coached.length : 0;
        const worse = findings.weak.filter((f) => f.metric === metric);
        const shared = ids.length >= 2 && share >= vendorShare;
        return { metric, agents: ids.sort(), share, worseThanOtherVendors: worse, vendorLevel: shared || worse.length > 0 };
      })
      .sort(
        (a, b) =>
          Number(b.vendorLevel) - Number(a.vendorLevel) || b.agents.length - a.agents.length || (a.metric < b.metric ? -1 : 1),
      );
    return { vendor, coachedAgents: coached.length, agentsNotCoached: own.length - coached.length, needs, strengths: findings.strong };
  });
}
