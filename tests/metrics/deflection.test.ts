import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { buildScenario, conversationRow } from './harness.js';

let db: Db | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
});

describe('what counts as a deflection', () => {
  it('a pasted greeting template alone is canned repetition, not a deflection; a coupon is', async () => {
    ({ db } = await buildScenario(
      {
        messages: [
          { conversation: 'g', at: '2026-03-01 10:00:00', role: 'customer', customer: 'u1', sentiment: 0 },
          { conversation: 'g', at: '2026-03-01 10:00:20', role: 'agent', agent: 'A1', vendor: 'V', tier: 'L1', signals: ['canned_repetition'] },
          { conversation: 'c', at: '2026-03-01 11:00:00', role: 'customer', customer: 'u2', sentiment: -0.5 },
          { conversation: 'c', at: '2026-03-01 11:00:20', role: 'agent', agent: 'A1', vendor: 'V', tier: 'L1', signals: ['canned_repetition', 'coupon_appeasement'] },
        ],
      },
      { asOf: '2026-03-20T00:00:00Z' },
    ));
    expect(await conversationRow(db, 'g')).toMatchObject({ count_canned_repetition: 1, has_deflection: false });
    expect(await conversationRow(db, 'c')).toMatchObject({ count_canned_repetition: 1, count_coupon_appeasement: 1, has_deflection: true });
  });

  it('shows a canned template by its normalised text once the text of its example was purged', async () => {
    const scenario = {
      messages: [
        { conversation: 'p1', at: '2026-03-01 10:00:00', role: 'agent' as const, agent: 'A1', vendor: 'V', tier: 'L1', template: 't1', text: '亲，订单SF123456789已发货' },
        { conversation: 'p2', at: '2026-03-02 10:00:00', role: 'agent' as const, agent: 'A1', vendor: 'V', tier: 'L1', template: 't1', text: '亲，订单YT987654321已发货' },
      ],
    };
    ({ db } = await buildScenario(scenario, { asOf: '2026-03-20T00:00:00Z' }));
    const example = () => db!.value<string>(`select example_text from marts.canned_templates where template_id = 't1'`);
    expect(await example()).toBe('亲，订单SF123456789已发货');
    await db.run(`insert into scores.template_catalog values ('t1', '亲，订单[ORDER]已发货', timestamp '2026-03-01 10:00:00')`);
    await db.run(`update raw.messages set text = null where conversation_id = 'p1'`);
    const { buildMetrics } = await import('../../src/metrics/build.js');
    const { testConfig } = await import('./harness.js');
    await buildMetrics(db, testConfig(), { asOf: '2026-03-20T00:00:00Z' });
    expect(await example()).toBe('亲，订单[ORDER]已发货');
  });
});
