/**
 * Audits are SQL selects that return the rows violating a rule (a duplicate key, a rate outside [0, 1], ...).
 * Any row fails the run: numbers vendor managers argue about must never be published half-wrong.
 */
import type { Db } from '../db/database.js';
import { AuditError } from '../errors.js';
import type { SqlAudit } from './models.js';

export interface AuditResult {
  name: string;
  violations: number;
  /** Up to five violating rows, for the error message. */
  sample: Record<string, unknown>[];
}

export async function runAudits(db: Db, audits: readonly SqlAudit[]): Promise<AuditResult[]> {
  const results: AuditResult[] = [];
  for (const audit of audits) {
    const violations = Number(await db.value(`select count(*) from (${audit.sql})`));
    const sample = violations > 0 ? await db.all(`select * from (${audit.sql}) limit 5`) : [];
    results.push({ name: audit.name, violations, sample });
  }
  return results;
}

function show(row: Record<string, unknown>): string {
  return JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** Throws AuditError naming every failed audit with a few of its rows. */
export function assertAuditsPass(results: readonly AuditResult[]): void {
  const failed = results.filter((r) => r.violations > 0);
  if (failed.length === 0) return;
  const lines = failed.flatMap((r) => [
    `audit ${r.name} failed: ${r.violations} violating row(s), e.g.`,
    ...r.sample.map((row) => '  ' + show(row)),
  ]);
  throw new AuditError(lines.join('\n'));
}
