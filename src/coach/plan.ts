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
  agents: string[];
  share: number;
  /** Common enough across the vendor's agents to be trained vendor-wide. */
  vendorLevel: boolean;
}

export interface VendorSummary {
  vendor: string;
  coachedAgents: number;
  agentsNotCoached: number;
  needs: VendorNeed[];
}

export interface CoachingSettings {
  language: 'zh' | 'en';
  minConversations: number;
  minMetricSample: number;
  peerMinAgents: number;
  confidence: number;
  vendorShare: number;
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

/** Which weak spots recur across a vendor's coached agents; ordered by how many agents share them. */
export function summariseVendors(agents: readonly AgentPlan[], vendorShare: number): VendorSummary[] {
  const vendors = [...new Set(agents.map((a) => a.vendor))].sort();
  return vendors.map((vendor) => {
    const own = agents.filter((a) => a.vendor === vendor);
    const coached = own.filter((a) => a.status === 'coached');
    const byMetric = new Map<string, string[]>();
    for (const agent of coached) {
      for (const spot of agent.weakSpots) byMetric.set(spot.metric, [...(byMetric.get(spot.metric) ?? []), agent.agentId]);
    }
    const needs = [...byMetric.entries()]
      .map(([metric, ids]) => {
        const share = ids.length / coached.length;
        return { metric, agents: ids.sort(), share, vendorLevel: ids.length >= 2 && share >= vendorShare };
      })
      .sort((a, b) => b.agents.length - a.agents.length || (a.metric < b.metric ? -1 : 1));
    return { vendor, coachedAgents: coached.length, agentsNotCoached: own.length - coached.length, needs };
  });
}
