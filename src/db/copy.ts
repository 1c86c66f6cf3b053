/**
 * Writes a table to a Parquet or CSV file with DuckDB's COPY. COPY takes its target as SQL text, not a bound
 * parameter, so the path goes through quoteLiteral and table names through quoteIdent.
 */
import type { Db } from './database.js';
import { quoteIdent, quoteLiteral } from './database.js';

export type CopyFormat = 'parquet' | 'csv';

function copyOptions(format: CopyFormat): string {
  return format === 'parquet' ? '(format parquet, compression zstd)' : '(format csv, header true)';
}

export async function copyTableToFile(db: Db, schema: string, table: string, path: string, format: CopyFormat): Promise<void> {
  await db.run(`copy ${quoteIdent(schema)}.${quoteIdent(table)} to ${quoteLiteral(path)} ${copyOptions(format)}`);
}

/** Same, for a query built by the caller from identifiers only (values are never pasted into it). */
export async function copyQueryToFile(db: Db, query: string, path: string, format: CopyFormat): Promise<void> {
  await db.run(`copy (${query}) to ${quoteLiteral(path)} ${copyOptions(format)}`);
}
