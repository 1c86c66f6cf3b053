/**
 * coaching.csv for trainers' spreadsheets: one row per agent x weak spot, written with the shared CSV cell
 * (src/privacy/escape.ts) so an agent name or intent cannot run as a spreadsheet formula.
 */
import { csvRow, type CsvValue } from '../privacy/escape.js';
import type { Language } from './catalog.js';
import { metricName } from './labels.js';
import type { AgentPlan } from './plan.js';

const COLUMNS = [
  'agent_id',
  'agent_name',
  'vendor',
  'tier',
  'conversations',
  'peer_scope',
  'peer_agents',
  'rank',
  'weak_spot',
  'weak_spot_label',
  'agent_value',
  'peer_value',
  'n',
  'interval_low',
  'interval_high',
  'interval_of',
  'impact',
  'training_module',
  'evidence_conversations',
  'exemplar_conversations',
] as const;

/** Six decimals are plenty for rates and intervals and keep float noise (0.30000000000000004) out of cells. */
function rounded(value: CsvValue): CsvValue {
  return typeof value === 'number' ? Number(value.toFixed(6)) : value;
}

export function renderCsv(agents: readonly AgentPlan[], language: Language): string {
  const lines = [COLUMNS.join(',')];
  for (const agent of agents) {
    for (const spot of agent.weakSpots) {
      const a = spot.assessment;
      const interval = a.interval ?? a.tail?.interval;
      const row: Record<(typeof COLUMNS)[number], CsvValue> = {
        agent_id: agent.agentId,
        agent_name: agent.agentName,
        vendor: agent.vendor,
        tier: agent.tier,
        conversations: agent.conversations,
        peer_scope: agent.peerGroup?.scope,
        peer_agents: agent.peerGroup?.agents,
        rank: spot.rank,
        weak_spot: spot.metric,
        weak_spot_label: metricName(spot.metric, language),
        agent_value: a.value,
        peer_value: a.peerValue,
        n: a.n,
        interval_low: interval?.low,
        interval_high: interval?.high,
        interval_of: a.interval ? 'rate' : a.tail ? `share_${a.tail.tail}` : null,
        impact: a.impact,
        training_module: spot.module.title,
        evidence_conversations: spot.evidence.map((e) => e.conversationId).join(' '),
        exemplar_conversations: spot.exemplars.map((e) => e.conversationId).join(' '),
      };
      lines.push(csvRow(COLUMNS.map((c) => rounded(row[c]))));
    }
  }
  return lines.join('\n') + '\n';
}
