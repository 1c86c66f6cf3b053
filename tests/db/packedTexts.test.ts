import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendRows } from '../../src/db/chunks.js';
import { openDatabase, type Db } from '../../src/db/database.js';
import { forEachPackedText, unpackTexts } from '../../src/db/packedTexts.js';

let db: Db;
beforeEach(async () => {
  db = await openDatabase(':memory:');
});
afterEach(() => db.close());

const TRICKY = [
  '', ',', '12,34,5,', '转人工，谢谢', 'a\u0000b', '\u0000', '👍🏽 ok', '𠮷野家', 'e\u0301', 'line\nbreak', "it's \"quoted\"",
  '١٢٣', '🙂'.repeat(300), 'x'.repeat(5000), '-1,-2,', '😡😡😡!!!',
];

describe('packed texts', () => {
  it('brings back every text exactly, with its two numbers, across blocks', async () => {
    await db.run('create table t (k double, m ubigint, text varchar)');
    const rows: Array<[number, bigint, string]> = [];
    TRICKY.forEach((text, i) => rows.push([2 ** 53 - 1 - i, BigInt(2 ** 52 + i), text]));
    for (let i = 0; i < 5000; i++) rows.push([i * 7919, BigInt(i % 13), `消息${i}，order ${i * 31}`]);
    await appendRows(db, 't', rows);
    const seen: Array<[number, number, string]> = [];
    let calls = 0;
    const count = await forEachPackedText(db, 'select k, m, text from t', undefined, 7, ({ a, b, texts }) => {
      calls++;
      texts.forEach((text, i) => seen.push([a[i]!, b[i]!, text]));
    });
    expect(count).toBe(rows.length);
    expect(calls).toBe(7);
    const byText = (x: [number, number | bigint, string], y: [number, number | bigint, string]) => (x[2] < y[2] ? -1 : x[2] > y[2] ? 1 : 0);
    expect(seen.sort(byText)).toEqual(rows.map(([k, m, text]) => [k, Number(m), text] as [number, number, string]).sort(byText));
  });

  it('calls nothing for no rows', async () => {
    let calls = 0;
    expect(await forEachPackedText(db, 'select 1, 2, \'x\' where false', undefined, 4, () => void calls++)).toBe(0);
    expect(calls).toBe(0);
  });

  it('refuses a block that is not the rows it claims to hold', () => {
    expect(unpackTexts('1,2,3,abc', 1)).toEqual({ a: [1], b: [2], texts: ['abc'] });
    expect(() => unpackTexts('1,2,3,abcd', 1)).toThrow(/1 characters left after 1 rows/);
    expect(() => unpackTexts('1,2,5,abc', 1)).toThrow(/runs past the end/);
    expect(() => unpackTexts('1,x,3,abc', 1)).toThrow(/malformed number/);
    expect(() => unpackTexts('1,2,3,abc', 2)).toThrow(/malformed number/);
  });
});
