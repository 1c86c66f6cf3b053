/**
 * CSV beside each chart, safe to open in a spreadsheet. The two cell functions are the seam where the
 * shared ones from src/privacy/escape.ts can replace these once that module lands.
 */
import type { Row } from '../db/database.js';

/** A text cell that a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV injection). */
export function neutraliseFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** RFC 4180: quote when the cell holds a comma, quote, CR or LF; double inner quotes. */
export function quoteCsvField(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  // Numbers and booleans are the query's own values, never log text, so they are written as they are.
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return quoteCsvField(neutraliseFormula(text));
}

/** Columns: the given list, else the keys of the first row. Lines end with CRLF per RFC 4180. */
export function toCsv(rows: readonly Row[], columns?: readonly string[]): string {
  const header = columns ?? (rows[0] ? Object.keys(rows[0]) : []);
  const lines = [header.map((h) => quoteCsvField(neutraliseFormula(h))).join(',')];
  for (const row of rows) lines.push(header.map((h) => cellText(row[h])).join(','));
  return lines.join('\r\n') + '\r\n';
}
