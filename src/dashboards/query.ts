/**
 * Runs a chart's query. Parameters are written `$snake_case` in the SQL and always bound, never pasted;
 * only the ones a query mentions are passed (DuckDB rejects unused named parameters).
 */
import { queryColumns } from '../db/columns.js';
import type { Db, Row } from '../db/database.js';

export type QueryParams = Readonly<Record<string, string | number | boolean>>;

/** `$name` tokens outside comments; the charts' SQL contains no `$` in string literals. */
export function parametersIn(sql: string): string[] {
  const code = sql.replace(/--[^\n]*/g, '');
  return [...new Set([...code.matchAll(/\$([a-z_][a-z0-9_]*)/g)].map((m) => m[1]!))].sort();
}

export function martsIn(sql: string): string[] {
  const code = sql.replace(/--[^\n]*/g, '');
  return [...new Set([...code.matchAll(/\bmarts\.([a-z_][a-z0-9_]*)/gi)].map((m) => m[1]!.toLowerCase()))].sort();
}

export function bindParameters(sql: string, params: QueryParams): Record<string, string | number | boolean> {
  const bound: Record<string, string | number | boolean> = {};
  for (const name of parametersIn(sql)) {
    const value = params[name];
    if (value === undefined) throw new Error(`query parameter $${name} has no value (known: ${Object.keys(params).sort().join(', ')})`);
    bound[name] = value;
  }
  return bound;
}

/** Rows as JSON-ready plain values: dates as ISO text, big integers as numbers or text. */
export function jsonReady(row: Row): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) {
    if (value instanceof Date) out[key] = value.toISOString();
    else if (typeof value === 'bigint') out[key] = String(value);
    else out[key] = value;
  }
  return out;
}

export async function missingMarts(db: Db, sql: string): Promise<string[]> {
  const wanted = martsIn(sql);
  if (wanted.length === 0) return [];
  const present = await db.all<{ name: string }>(
    `select lower(table_name) as name from information_schema.tables where lower(table_schema) = 'marts'`,
  );
  const names = new Set(present.map((r) => r.name));
  return wanted.filter((m) => !names.has(m));
}

export interface ChartData {
  /** In the query's order; known even when there are no rows. */
  columns: string[];
  rows: Row[];
}

export async function runChartQuery(db: Db, sql: string, params: QueryParams): Promise<ChartData> {
  const bound = bindParameters(sql, params);
  const values = Object.keys(bound).length ? bound : undefined;
  const rows = (await db.all(sql, values)).map(jsonReady);
  const columns = rows[0] ? Object.keys(rows[0]) : await queryColumns(db, sql.replace(/;\s*$/, ''), values);
  return { columns, rows };
}
