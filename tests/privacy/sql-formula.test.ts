import { describe, expect, it } from 'vitest';
import { listParam, openDatabase } from '../../src/db/database.js';
import { neutraliseFormula } from '../../src/privacy/escape.js';
import { sqlNeutraliseFormula } from '../../src/privacy/sqlFunctions.js';

describe('formula neutralisation in SQL (mart CSV exports)', () => {
  it('marks exactly the cells the JavaScript escaper marks', async () => {
    const cells = ['=1+1', '+cmd', '-2+3', '@SUM(A1)', '\t=x', '\rx', '＝HYPERLINK()', 'ok', '', "it's", 'a=b', ' =x', '华信外包'];
    const db = await openDatabase(':memory:');
    try {
      const rows = await db.all<{ v: string; out: string }>(`select v, ${sqlNeutraliseFormula('v')} as out from unnest($1) t(v)`, [listParam(cells)]);
      expect(rows.map((r) => r.out)).toEqual(rows.map((r) => neutraliseFormula(r.v)));
      expect(rows.filter((r) => r.out !== r.v).map((r) => r.v)).toEqual(['=1+1', '+cmd', '-2+3', '@SUM(A1)', '\t=x', '\rx', '＝HYPERLINK()']);
    } finally {
      db.close();
    }
  });
});
