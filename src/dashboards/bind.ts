/**
 * Binding: a chart's spec file + its query rows + the choices in force -> the spec the page and the
 * renderer draw. Pure, so golden tests can pin it. Nothing here decides what to draw from the data;
 * the only data-dependent step is "no rows -> the no-data note".
 */
import type { Row } from '../db/database.js';
import { dataSourceName, freeTextFields, type VlSpec } from './catalog.js';
import { fillStrings, type PlaceholderValues } from './placeholders.js';

export interface BoundChart {
  name: string;
  title: string;
  caption: string;
  /** Rows after redaction: what the spec shows and the CSV holds. */
  rows: Row[];
  /** The query's columns (the CSV header, also when there are no rows). */
  columns: string[];
  /** Why there is nothing to draw; set when the spec is the no-data stand-in. */
  emptyReason?: string;
  spec: VlSpec;
}

export type Redact = (text: string) => string;

function titleOf(spec: VlSpec): string {
  const title = spec.title;
  if (typeof title === 'string') return title;
  if (title && typeof title === 'object' && typeof (title as { text?: unknown }).text === 'string') {
    return (title as { text: string }).text;
  }
  return '';
}

export function redactRows(rows: Row[], fields: string[], redact: Redact | undefined): Row[] {
  if (!redact || fields.length === 0) return rows;
  return rows.map((row) => {
    const copy = { ...row };
    for (const field of fields) {
      const value = copy[field];
      if (typeof value === 'string') copy[field] = redact(value);
    }
    return copy;
  });
}

export interface BindInput {
  name: string;
  spec: VlSpec;
  noDataSpec: VlSpec;
  rows: Row[];
  columns: string[];
  values: PlaceholderValues;
  redact?: Redact;
  /** Set when the chart could not be queried at all (e.g. its mart was not built). */
  unavailable?: string;
}

export function bindChart(input: BindInput): BoundChart {
  const filled = fillStrings(input.spec, input.values);
  const title = titleOf(filled);
  const caption = typeof filled.description === 'string' ? filled.description : '';
  const rows = redactRows(input.rows, freeTextFields(input.spec), input.redact);
  if (input.unavailable || rows.length === 0) {
    const reason = input.unavailable ?? 'the query returned no rows for this period';
    const spec = fillStrings(input.noDataSpec, { ...input.values, chartTitle: title, reason });
    return { name: input.name, title, caption, rows: [], columns: input.columns, emptyReason: reason, spec };
  }
  const source = dataSourceName(filled);
  return { name: input.name, title, caption, rows, columns: input.columns, spec: { ...filled, datasets: { [source]: rows } } };
}
