/**
 * DuckDB keeps the scan order of every query result and stored table by default (preserve_insertion_order),
 * which costs parallel work its merge: at 1M conversations the KPI build and scoring each ran ~7 % faster
 * without it, with identical tables. Reading a JSON file relies on the order (a stored line's rowid is its line
 * number), so it asks for it explicitly; ingest, score and the KPI build, which never read a table's physical
 * order otherwise, relax it for their duration.
 * The setting is global to the database instance (every connection of the run sees it) and is restored when
 * the work ends, however it ends.
 */
import type { Db } from './database.js';

export async function withInsertionOrder<T>(db: Db, preserve: boolean, work: () => Promise<T>): Promise<T> {
  const before = await db.value<string>(`select current_setting('preserve_insertion_order')::varchar`);
  await db.run(`set preserve_insertion_order = ${preserve}`);
  try {
    return await work();
  } finally {
    await db.run(`set preserve_insertion_order = ${before === 'false' ? 'false' : 'true'}`);
  }
}
