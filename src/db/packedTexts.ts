/**
 * Reads many short texts out of DuckDB packed into a few long strings. Turning a VARCHAR value into a
 * JavaScript string costs about a microsecond each through the client (a native call and a decode per value);
 * one long string per block of texts, cut apart in JavaScript, costs a fraction of that. Each text travels
 * with two whole numbers and its length, so no separator has to be absent from the text.
 */
import type { Db, SqlParams } from './database.js';
import { forEachChunk } from './chunks.js';

/** Rows of one block: parallel arrays. */
export interface PackedRows {
  a: number[];
  b: number[];
  texts: string[];
}

/**
 * Streams the rows of `sql`, a query with exactly three columns (a whole number below 2^53, another such
 * number, a non-NULL text), in blocks of about `rowsPerBlock` rows in no particular order. `a` also spreads the
 * rows over blocks, so it should vary (a hash, a key). Returns the row count.
 */
export async function forEachPackedText(
  db: Db,
  sql: string,
  params: SqlParams | undefined,
  blocks: number,
  onBlock: (rows: PackedRows) => void | Promise<void>,
): Promise<number> {
  // length() counts code points; the reader walks the same code points in UTF-16.
  const packed = `select count(*) as n,
      string_agg(q.a::bigint::varchar || ',' || q.b::bigint::varchar || ',' || length(q.t)::varchar || ',' || q.t, '') as block
    from (${sql}) as q(a, b, t)
    group by q.a::bigint % ${Math.max(1, Math.floor(blocks))}`;
  let rows = 0;
  await forEachChunk(db, packed, params, async (columns, rowCount) => {
    const counts = columns[0] as Array<number | bigint>;
    const blockTexts = columns[1] as string[];
    for (let i = 0; i < rowCount; i++) {
      const unpacked = unpackTexts(blockTexts[i]!, Number(counts[i]));
      rows += unpacked.texts.length;
      await onBlock(unpacked);
    }
  });
  return rows;
}

const COMMA = 44;

/** Cuts one packed block into its rows; throws if the block is not `count` well-formed rows. */
export function unpackTexts(block: string, count: number): PackedRows {
  const a: number[] = new Array<number>(count);
  const b: number[] = new Array<number>(count);
  const texts: string[] = new Array<string>(count);
  let p = 0;
  const number = (): number => {
    let value = 0;
    let negative = false;
    if (block.charCodeAt(p) === 45) {
      negative = true;
      p++;
    }
    const start = p;
    for (let c = block.charCodeAt(p); c !== COMMA; c = block.charCodeAt(++p)) {
      if (!(c >= 48 && c <= 57)) throw new Error(`packed texts: a malformed number at offset ${start}`);
      value = value * 10 + (c - 48);
    }
    if (p === start) throw new Error(`packed texts: a malformed number at offset ${start}`);
    p++;
    return negative ? -value : value;
  };
  for (let r = 0; r < count; r++) {
    a[r] = number();
    b[r] = number();
    let codePoints = number();
    const start = p;
    while (codePoints > 0 && p < block.length) {
      const c = block.charCodeAt(p);
      p += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
      codePoints--;
    }
    if (codePoints > 0 || p > block.length) throw new Error(`packed texts: row ${r} runs past the end of its block`);
    texts[r] = block.slice(start, p);
  }
  if (p !== block.length) throw new Error(`packed texts: ${block.length - p} characters left after ${count} rows`);
  return { a, b, texts };
}
