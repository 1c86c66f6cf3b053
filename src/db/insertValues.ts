/**
 * Inserts rows of bound values into a (temp) table with multi-row VALUES statements: small staging tables
 * (a few thousand rows) where an appender cannot reach temp tables and one statement per row would be slow.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import type { Db } from './database.js';
import { quoteIdent } from './database.js';

/** DuckDB binds at most a few thousand parameters comfortably; batches keep each statement small. */
const PARAMETERS_PER_STATEMENT = 1000;

export async function insertValues(db: Db, table: string, rows: readonly (readonly DuckDBValue[])[]): Promise<void> {
  const width = rows[0]?.length ?? 0;
  if (width === 0) return;
  const batch = Math.max(1, Math.floor(PARAMETERS_PER_STATEMENT / width));
  for (let start = 0; start < rows.length; start += batch) {
    const slice = rows.slice(start, start + batch);
    const placeholders = slice
      .map((_, row) => `(${Array.from({ length: width }, (_, column) => `$${row * width + column + 1}`).join(', ')})`)
      .join(', ');
    await db.run(`insert into ${quoteIdent(table)} values ${placeholders}`, slice.flat());
  }
}
