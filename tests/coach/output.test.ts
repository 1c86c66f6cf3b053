import { describe, expect, it } from 'vitest';
import { renderCsv } from '../../src/coach/csv.js';
import { safeFileName } from '../../src/coach/files.js';
import type { AgentPlan } from '../../src/coach/plan.js';

describe('file names from ids', () => {
  it('never leaves the folder and keeps distinct ids distinct', () => {
    const evil = safeFileName('../../etc/passwd');
    expect(evil).not.toContain('/');
    expect(evil.startsWith('.')).toBe(false);
    expect(safeFileName('a/b')).not.toBe(safeFileName('a_b'));
    expect(safeFileName('张三-01')).toBe('张三-01');
    expect(safeFileName('..')).not.toMatch(/^\.+$/);
    expect(safeFileName('')).toMatch(/^id-[0-9a-f]{8}$/);
  });
});

describe('csv', () => {
  it('quotes commas and defuses spreadsheet formulas', () => {
    const plan = {
      agentId: '=HYPERLINK("x")',
      agentName: 'Lee, Ann',
      vendor: 'v',
      tier: 'L1',
      conversations: 40,
      status: 'coached',
      peerGroup: { scope: 'tier', agents: 3 },
      strengths: [],
      weakSpots: [
        {
          rank: 1,
          metric: 'coupon_appeasement_rate',
          assessment: { verdict: 'weak', confidence: 0.99, value: 0.25, peerValue: 0.05, n: 40, badGap: 0.2, relativeGap: 4, interval: { low: 0.1, high: 0.4 }, gapInterval: { low: 0.05, high: 0.35 }, impact: 8, rankScore: 1, peerUnits: 3, peerN: 100 },
          evidence: [{ conversationId: 'c1', agentId: 'x', intent: null, quotes: [] }],
          exemplars: [],
          module: { title: 'T', goal: 'G', practice: ['p'] },
        },
      ],
    } as AgentPlan;
    const [header, row] = renderCsv([plan], 'en').trim().split('\n');
    expect(header!.split(',')[0]).toBe('agent_id');
    expect(row!.startsWith(`"'=HYPERLINK(""x"")","Lee, Ann",v,L1,40`)).toBe(true);
    expect(row).toContain(',coupon_appeasement_rate,coupon offers,0.25,0.05,40,0.1,0.4,rate,8,T,c1,');
  });
});
