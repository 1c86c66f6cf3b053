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
});
