/**
 * Column names of a query without its rows, so an empty result can still be written with a header.
 * Plain row objects lose the names when there are no rows; the driver's reader keeps them.
 */
import type { Db, SqlParams } from './database.js';
import type { DuckDBValue } from '@duckdb/node-api';

export async function queryColumns(db: Db, sql: string, params?: SqlParams): Promise<string[]> {
  const reader = await db.connection.runAndReadAll(`select * from (${sql}) limit 0`, params as DuckDBValue[] | undefined);
  return reader.columnNames();
}
