/**
 * Bulk reads and writes without one native call per row: reads fetch whole DuckDB data chunks
 * (2048 rows) and hand over their columns; writes go through an appender fed with filled data chunks.
 */
import { DuckDBDataChunkWriter, type DuckDBValue } from '@duckdb/node-api';
import type { Db, SqlParams } from './database.js';

/**
 * Streams a query's result chunk by chunk; `onChunk` gets the columns of one chunk. The statement must
 * finish before anything else runs on the connection (DuckDB invalidates an open stream), so callers
 * buffer their writes until this returns.
 */
export async function forEachChunk(
  db: Db,
  sql: string,
  params: SqlParams | undefined,
  onChunk: (columns: DuckDBValue[][], rowCount: number) => void | Promise<void>,
): Promise<number> {
  const result = await db.connection.stream(sql, params as DuckDBValue[] | undefined);
  let rows = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    rows += chunk.rowCount;
    await onChunk(chunk.getColumns(), chunk.rowCount);
  }
  return rows;
}

/** Appends rows (arrays in the table's column order) to `table` (optionally `schema.table` or `catalog.schema.table`). */
export async function appendRows(db: Db, table: string, rows: Iterable<readonly DuckDBValue[]>): Promise<number> {
  const parts = table.split('.');
  const name = parts.pop()!;
  const appender = await db.connection.createAppender(name, parts.pop() ?? null, parts.pop() ?? null);
  let count = 0;
  try {
    const writer = DuckDBDataChunkWriter.forAppender(appender);
    for (const row of rows) {
      writer.appendRow(row);
      count++;
    }
    writer.flush();
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
  return count;
}

/**
 * Appends rows given as one array per column (all the same length). Buffering big results this way keeps
 * millions of small row arrays from living until the append, which the garbage collector pays for.
 */
export async function appendColumns(db: Db, table: string, columns: readonly (readonly DuckDBValue[])[]): Promise<number> {
  const count = columns[0]?.length ?? 0;
  const row: DuckDBValue[] = new Array<DuckDBValue>(columns.length);
  // The writer copies each row it is given, so one row array serves them all.
  function* rows(): Generator<DuckDBValue[]> {
    for (let i = 0; i < count; i++) {
      for (let c = 0; c < columns.length; c++) row[c] = columns[c]![i]!;
      yield row;
    }
  }
  return appendRows(db, table, rows());
}
