import { describe, expect, it } from 'vitest';
import { choosePeerGroups, type AgentUnit } from '../../src/coach/peers.js';

const unit = (agentId: string, vendor: string, conversations = 50, tier = 'L1'): AgentUnit => ({ agentId, vendor, tier, conversations });

describe('peer groups', () => {
  const units = [
    unit('a1', 'A'),
    unit('a2', 'A'),
    unit('a3', 'A'),
    unit('a4', 'A'),
    unit('a5', 'A', 5), // below the minimum: neither coached nor a peer
    unit('b1', 'B'),
    unit('b2', 'B'),
    unit('x1', 'A', 50, 'L2'),
  ];
  const groups = choosePeerGroups(units, { minConversations: 30, peerMinAgents: 3 });
  const of = (id: string) => groups.find((g) => g.agentId === id);

  it('uses the same vendor and tier when it has enough established peers, never the agent itself', () => {
    expect(of('a1')).toEqual({ agentId: 'a1', scope: 'vendor_tier', peers: ['a2', 'a3', 'a4'] });
  });

  it('falls back to the whole tier for a small vendor', () => {
    expect(of('b1')).toEqual({ agentId: 'b1', scope: 'tier', peers: ['a1', 'a2', 'a3', 'a4', 'b2'] });
  });

  it('leaves agents below the minimum out, and gives no group when even the tier is too small', () => {
    expect(of('a5')).toBeUndefined();
    expect(of('x1')).toEqual({ agentId: 'x1', scope: null, peers: [] });
  });
});
