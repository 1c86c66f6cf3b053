/**
 * The privacy functions as SQL functions, for text that leaves DuckDB by SQL alone:
 *   COPY (select csqa_redact(example_text) ...) TO 'templates.parquet'
 *   COPY (select csqa_csv_text(csqa_redact(text)) ...) TO 'evidence.csv' (header)
 * csqa_redact follows privacy.redact; csqa_csv_text neutralises spreadsheet formulas (DuckDB's CSV writer
 * does the RFC 4180 quoting). Register once per connection before running such statements.
 */
import type { Db } from '../db/database.js';
import { registerStringFunction } from '../db/stringFunction.js';
import { FORMULA_LEAD_CLASS, neutraliseFormula } from './escape.js';
import { createRedactor } from './redact.js';

export const SQL_REDACT = 'csqa_redact';
export const SQL_CSV_TEXT = 'csqa_csv_text';

const registered = new WeakMap<Db, boolean>();

/** Idempotent per connection and setting: every writer may call it before it writes. */
export function registerPrivacyFunctions(db: Db, config: { privacy: { redact: boolean } }): void {
  if (registered.get(db) === config.privacy.redact) return;
  registered.set(db, config.privacy.redact);
  const redactor = createRedactor(config);
  registerStringFunction(db, SQL_REDACT, (text) => redactor(text));
  registerStringFunction(db, SQL_CSV_TEXT, neutraliseFormula);
}

/**
 * neutraliseFormula as a SQL expression over `expr` (an identifier expression built by the caller): the same
 * cells get the same leading apostrophe, without a call into JavaScript per cell (a CSV of a million rows).
 */
export function sqlNeutraliseFormula(expr: string): string {
  const pattern = `'^${FORMULA_LEAD_CLASS.replace(/'/g, "''")}'`;
  return `case when regexp_matches(${expr}, ${pattern}) then '''' || ${expr} else ${expr} end`;
}
