/**
 * Writes a table to a Parquet or CSV file with DuckDB's COPY. COPY takes its target as SQL text, not a bound
 * parameter, so the path is quoted here (the only place) and table names go through quoteIdent.
 */
import type { Db } from './database.js';
import { quoteIdent } from './database.js';

export type CopyFormat = 'parquet' | 'csv';

function quoteLiteral(text: string): string {
  return "'" + text.replace(/'/g, "''") + "'";
}

export async function copyTableToFile(db: Db, schema: string, table: string, path: string, format: CopyFormat): Promise<void> {
  const options = format === 'parquet' ? '(format parquet, compression zstd)' : '(format csv, header true)';
  await db.run(`copy ${quoteIdent(schema)}.${quoteIdent(table)} to ${quoteLiteral(path)} ${options}`);
}
