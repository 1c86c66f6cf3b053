/**
 * Retention: replaces raw log text older than a cutoff with NULL, keeping every key, timestamp, role, score
 * and number, so KPIs and marts can still be rebuilt from the kept rows. `planPurge` only counts;
 * `applyPurge` does the same inside one transaction. Downstream code treats NULL text as purged.
 */
import type { Db } from '../db/database.js';
import { ConfigError } from '../errors.js';

interface PurgeTarget {
  table: string;
  /** Free-text columns set to NULL. */
  columns: readonly string[];
  /** Rows older than the cutoff ($1); fixed SQL, the cutoff is always bound. */
  olderThanCutoff: string;
}

/** Every column of the storage contract that can hold text written by a customer, agent or export tool. */
export const PURGE_TARGETS: readonly PurgeTarget[] = [
  { table: 'raw.messages', columns: ['text', 'extra'], olderThanCutoff: 'sent_at < $1::timestamp' },
  { table: 'raw.surveys', columns: ['comment', 'extra'], olderThanCutoff: 'answered_at < $1::timestamp' },
  { table: 'raw.events', columns: ['reason', 'extra'], olderThanCutoff: 'occurred_at < $1::timestamp' },
  { table: 'raw.conversations', columns: ['extra'], olderThanCutoff: 'coalesce(ended_at, started_at) < $1::timestamp' },
  {
    table: 'scores.message_signals',
    columns: ['matched_text'],
    olderThanCutoff: 'message_key in (select message_key from raw.messages where sent_at < $1::timestamp)',
  },
  {
    // Quarantine rows carry no timestamp of their own: they age with the last load of their file.
    table: 'raw.quarantine',
    columns: ['record_excerpt'],
    olderThanCutoff:
      'content_hash in (select content_hash from raw.load_manifest group by content_hash having max(loaded_at) < $1::timestamp)',
  },
];

export interface PurgeCount {
  table: string;
  columns: readonly string[];
  /** Rows older than the cutoff that still hold text in at least one of the columns. */
  rows: number;
}

export interface PurgePlan {
  before: Date;
  counts: PurgeCount[];
  /** Text columns outside raw/scores (marts, staging): derived, rebuilt from purged raw text by `csqa metrics`. */
  derivedTextColumns: string[];
}

export interface CutoffRequest {
  /** YYYY-MM-DD, UTC midnight. */
  before?: string;
  olderThanDays?: number;
  /** privacy.retentionDays, used when neither of the above is given. */
  retentionDays: number;
  now: Date;
}

const DAY_MS = 86_400_000;

/** The cutoff instant: rows strictly before it are purged. */
export function purgeCutoff(request: CutoffRequest): Date {
  if (request.before !== undefined && request.olderThanDays !== undefined) {
    throw new ConfigError('purge: give either --before or --older-than-days, not both');
  }
  if (request.before !== undefined) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(request.before);
    const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : undefined;
    if (!date || date.toISOString().slice(0, 10) !== request.before) {
      throw new ConfigError(`purge: --before must be a date YYYY-MM-DD, got "${request.before}"`);
    }
    return date;
  }
  const days = request.olderThanDays ?? request.retentionDays;
  if (!Number.isInteger(days) || days < 1) {
    throw new ConfigError(`purge: --older-than-days must be a whole number of days >= 1, got "${days}"`);
  }
  const today = Math.floor(request.now.getTime() / DAY_MS) * DAY_MS;
  return new Date(today - days * DAY_MS);
}

/** Bound as text and cast in SQL: timestamps are naive UTC by contract. */
function sqlTimestamp(instant: Date): string {
  return instant.toISOString().slice(0, 19).replace('T', ' ');
}

function stillHoldsText(target: PurgeTarget): string {
  return '(' + target.columns.map((c) => `${c} is not null`).join(' or ') + ')';
}

async function existingTables(db: Db): Promise<Set<string>> {
  const rows = await db.all<{ name: string }>(
    `select table_schema || '.' || table_name as name from information_schema.tables where table_schema in ('raw', 'scores')`,
  );
  return new Set(rows.map((r) => r.name));
}

/** Counts what a purge would clear. Read-only: a database without csqa tables simply has nothing to purge. */
export async function planPurge(db: Db, before: Date): Promise<PurgePlan> {
  const tables = await existingTables(db);
  const counts: PurgeCount[] = [];
  for (const target of PURGE_TARGETS) {
    if (!tables.has(target.table)) {
      counts.push({ table: target.table, columns: target.columns, rows: 0 });
      continue;
    }
    const rows = await db.value<number | bigint>(
      `select count(*) from ${target.table} where ${target.olderThanCutoff} and ${stillHoldsText(target)}`,
      [sqlTimestamp(before)],
    );
    counts.push({ table: target.table, columns: target.columns, rows: Number(rows ?? 0) });
  }
  const derived = await db.all<{ name: string }>(
    `select table_schema || '.' || table_name || '.' || column_name as name
       from information_schema.columns
      where table_schema not in ('raw', 'scores', 'information_schema', 'pg_catalog', 'main')
        and data_type in ('VARCHAR', 'JSON')
      order by name`,
  );
  return { before, counts, derivedTextColumns: derived.map((r) => r.name) };
}

/** Older databases declared raw.messages.text NOT NULL; purging needs it nullable. */
async function allowPurgedText(db: Db): Promise<void> {
  const nullable = await db.value<string>(
    `select is_nullable from information_schema.columns
      where table_schema = 'raw' and table_name = 'messages' and column_name = 'text'`,
  );
  if (nullable === 'NO') await db.run('alter table raw.messages alter column text drop not null');
}

/** Purges in one transaction and returns what it purged (the plan as counted inside the transaction). */
export async function applyPurge(db: Db, before: Date): Promise<PurgePlan> {
  await allowPurgedText(db);
  const plan = await db.transaction(async () => {
    const counted = await planPurge(db, before);
    for (const target of PURGE_TARGETS) {
      if (counted.counts.find((c) => c.table === target.table)?.rows === 0) continue;
      const assignments = target.columns.map((c) => `${c} = null`).join(', ');
      await db.run(
        `update ${target.table} set ${assignments} where ${target.olderThanCutoff} and ${stillHoldsText(target)}`,
        [sqlTimestamp(before)],
      );
    }
    return counted;
  });
  // Write the cleared blocks now rather than leaving the old text in the WAL until the next checkpoint.
  if (db.path !== ':memory:') await db.run('checkpoint');
  return plan;
}

export function formatPurge(plan: PurgePlan, dryRun: boolean): string {
  const verb = dryRun ? 'would purge' : 'purged';
  const lines = [`${verb} raw text older than ${plan.before.toISOString().slice(0, 10)} (UTC):`];
  for (const count of plan.counts) {
    lines.push(`  ${count.table} (${count.columns.join(', ')}): ${count.rows} rows`);
  }
  if (plan.derivedTextColumns.length > 0) {
    lines.push(
      `derived text columns (rebuilt from raw by \`csqa metrics\`; run it after purging): ${plan.derivedTextColumns.join(', ')}`,
    );
  }
  return lines.join('\n');
}
