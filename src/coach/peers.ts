/**
 * Who an agent is compared with. Agents of the same vendor and tier share tools, queues and scripts, so they
 * are the fairest comparison; when that group is too small to give a stable reference, the whole tier is used.
 * Only established agents (enough conversations) are peers, and an agent is never its own peer.
 */

export interface AgentUnit {
  agentId: string;
  vendor: string;
  tier: string;
  conversations: number;
}

export type PeerScope = 'vendor_tier' | 'tier';

export interface PeerGroup {
  agentId: string;
  scope: PeerScope | null;
  peers: string[];
}

export interface PeerRules {
  minConversations: number;
  peerMinAgents: number;
}

export function isEstablished(unit: AgentUnit, rules: PeerRules): boolean {
  return unit.conversations >= rules.minConversations;
}

/** Peer groups for every established agent; `scope: null` when even the tier has too few peers. */
export function choosePeerGroups(units: readonly AgentUnit[], rules: PeerRules): PeerGroup[] {
  const established = units.filter((u) => isEstablished(u, rules));
  const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return established
    .map((unit) => {
      const sameTier = established.filter((p) => p.tier === unit.tier && p.agentId !== unit.agentId);
      const sameVendor = sameTier.filter((p) => p.vendor === unit.vendor);
      const ids = (list: AgentUnit[]) => list.map((p) => p.agentId).sort(byId);
      if (sameVendor.length >= rules.peerMinAgents) return { agentId: unit.agentId, scope: 'vendor_tier' as const, peers: ids(sameVendor) };
      if (sameTier.length >= rules.peerMinAgents) return { agentId: unit.agentId, scope: 'tier' as const, peers: ids(sameTier) };
      return { agentId: unit.agentId, scope: null, peers: [] };
    })
    .sort((a, b) => byId(a.agentId, b.agentId));
}

export interface VendorTier {
  unitId: string;
  vendor: string;
  tier: string;
  conversations: number;
}

export interface VendorPeerGroup {
  unitId: string;
  peers: string[];
}

/**
 * A vendor's team in one tier against the other vendors' teams in that tier. Agent plans compare within
 * the vendor first, so a habit the whole vendor shares cannot show there; this comparison is where it shows.
 */
export function chooseVendorPeers(units: readonly VendorTier[], minConversations: number): VendorPeerGroup[] {
  const established = units.filter((u) => u.conversations >= minConversations);
  return established
    .map((unit) => ({
      unitId: unit.unitId,
      peers: established
        .filter((p) => p.tier === unit.tier && p.vendor !== unit.vendor)
        .map((p) => p.unitId)
        .sort(),
    }))
    .filter((g) => g.peers.length > 0)
    .sort((a, b) => (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0));
}
