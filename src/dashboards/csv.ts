/**
 * CSV beside each chart, safe to open in a spreadsheet: every cell goes through the shared CSV cell
 * (src/privacy/escape.ts), which quotes per RFC 4180 and neutralises formula-leading text.
 */
import type { Row } from '../db/database.js';
import { csvRow, type CsvValue } from '../privacy/escape.js';

/** Query values the shared cell has no rule for (lists, structs) are written as their JSON. */
function cellValue(value: unknown): CsvValue {
  if (value === null || value === undefined || value instanceof Date) return value;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

/** Columns: the given list, else the keys of the first row. Lines end with CRLF per RFC 4180. */
export function toCsv(rows: readonly Row[], columns?: readonly string[]): string {
  const header = columns ?? (rows[0] ? Object.keys(rows[0]) : []);
  const lines = [csvRow(header)];
  for (const row of rows) lines.push(csvRow(header.map((h) => cellValue(row[h]))));
  return lines.join('\r\n') + '\r\n';
}
