/**
 * `csqa ingest`: plan (which files, which already loaded) and apply (land, type, decide, insert) per file,
 * each file in its own transaction so a killed run leaves whole files loaded or not at all.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { ProgressUpdate } from '../pipeline/progress.js';
import { withInsertionOrder } from '../db/insertionOrder.js';
import { ensureRawSchema } from '../db/schema.js';
import { InputError, QuarantineThresholdError } from '../errors.js';
import { discoverInputs, type InputFile } from './discover.js';
import { dropLanding, landFile, nestingMissed, type Landing } from './landing.js';
import { apply, decide, prepareValidation, typeLanded } from './validate.js';
import { rekeyLegacyMessageKeys } from './messageKey.js';

export interface FileReport {
  path: string;
  format: string;
  status: 'loaded' | 'already_loaded' | 'unreadable';
  contentHash: string;
  bytes: number;
  rowsRead: number;
  rowsLoaded: number;
  rowsDuplicate: number;
  rowsQuarantined: number;
  error?: string;
  /** Most frequent quarantine reasons of this file with one example position. */
  topReasons: Array<{ field: string | null; reason: string; count: number; firstLine: number | null }>;
}

export interface IngestResult {
  loadId: string;
  files: FileReport[];
  totals: { rowsRead: number; rowsLoaded: number; rowsDuplicate: number; rowsQuarantined: number };
  /** Messages whose key an earlier csqa stored in a form that could collide, rewritten before this load. */
  rekeyedMessages?: number;
}

export interface IngestOptions {
  /** Clock for the manifest; pinned in tests. */
  now?: () => Date;
  onFile?: (report: FileReport) => void;
  /**
   * Called once per file with files and rows done so far; for a loaded file, before its transaction commits
   * (the rows are decided, only the commit is left), so a kill test can land inside it.
   */
  onProgress?: (update: ProgressUpdate) => void;
}

export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function previousLoad(db: Db, contentHash: string) {
  const rows = await db.all<{ rows_read: number; rows_loaded: number; rows_duplicate: number; rows_quarantined: number; format: string }>(
    `select rows_read, rows_loaded, rows_duplicate, rows_quarantined, format from raw.load_manifest
     where content_hash = $1 and status = 'loaded' order by loaded_at limit 1`,
    [contentHash],
  );
  return rows[0];
}

async function seenBefore(db: Db, path: string, bytes: number): Promise<boolean> {
  return (
    (await db.value<boolean>(
      `select count(*) > 0 from raw.load_manifest where source_file = $1 and file_bytes = $2 and status <> 'unreadable'`,
      [path, bytes],
    )) ?? false
  );
}

async function topReasons(db: Db, contentHash: string): Promise<FileReport['topReasons']> {
  return db.all(
    `select field, reason, count(*) as count, min(source_line) as "firstLine"
     from raw.quarantine where content_hash = $1
     group by field, reason order by count desc, reason limit 8`,
    [contentHash],
  );
}

async function recordManifest(db: Db, loadId: string, report: FileReport, at: Date): Promise<void> {
  await db.run(
    `insert into raw.load_manifest values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::timestamp)`,
    [
      loadId,
      report.path,
      report.contentHash,
      report.bytes,
      report.format,
      report.status,
      report.rowsRead,
      report.rowsLoaded,
      report.rowsDuplicate,
      report.rowsQuarantined,
      report.error ?? null,
      at.toISOString().replace('T', ' ').replace('Z', ''),
    ],
  );
}

/** Records read, counted from the landing, not from typing (see Landing.countSql). */
async function rowsReadOf(db: Db, landed: Landing): Promise<number> {
  return (await db.value<number>(landed.countSql)) ?? 0;
}

async function ingestFile(
  db: Db,
  file: InputFile,
  config: Config,
  loadId: string,
  now: () => Date,
  beforeCommit: (report: FileReport) => void,
): Promise<FileReport> {
  const bytes = statSync(file.path).size;
  // Hashing reads the whole file on the JavaScript thread while DuckDB's threads wait (0.6 s warm, 1.9 s cold
  // per 585 MB), so for a file not seen before it runs beside the landing, which reads the same bytes. A file
  // seen under this path and size is likely a re-run: hashed first, so it is not landed for nothing.
  const hashing = hashFile(file.path);
  hashing.catch(() => undefined); // awaited below on every path; this only keeps an early failure from going unhandled
  // Settled before the connection runs anything else; its failure is rethrown where a landing failure is handled.
  const landingDone = (await seenBefore(db, file.path, bytes))
    ? undefined
    : await landFile(db, file, config.ingest.columns, config.ingest.encoding).then((landed) => ({ landed }), (error: unknown) => ({ error }));
  const contentHash = await hashing;
  const base = { path: file.path, contentHash, bytes, topReasons: [] as FileReport['topReasons'] };

  const previous = await previousLoad(db, contentHash);
  if (previous) {
    await dropLanding(db);
    // Same bytes were loaded before (maybe under another name): every row is a duplicate of itself,
    // and its quarantined rows are already recorded.
    const report: FileReport = {
      ...base,
      format: previous.format,
      status: 'already_loaded',
      rowsRead: previous.rows_read,
      rowsLoaded: 0,
      rowsDuplicate: previous.rows_read - previous.rows_quarantined,
      rowsQuarantined: previous.rows_quarantined,
      topReasons: await topReasons(db, contentHash),
    };
    await recordManifest(db, loadId, report, now());
    beforeCommit(report);
    return report;
  }

  try {
    // Landing and typing only fill temporary tables, which a killed process loses anyway; outside the
    // transaction DuckDB writes them directly instead of through transaction-local storage (about half the time).
    if (landingDone && 'error' in landingDone) throw landingDone.error;
    let landed = landingDone?.landed ?? (await landFile(db, file, config.ingest.columns, config.ingest.encoding));
    await typeLanded(db, config.ingest, landed);
    if (await nestingMissed(db, landed)) {
      landed = await landFile(db, file, config.ingest.columns, config.ingest.encoding, true);
      await typeLanded(db, config.ingest, landed);
    }
    const rowsRead = await rowsReadOf(db, landed);
    await dropLanding(db);
    return await db.transaction(async () => {
      await decide(db);
      const counts = await apply(db, file.path, contentHash);
      const report: FileReport = {
        ...base,
        format: landed.format,
        status: 'loaded',
        rowsRead,
        rowsLoaded: counts.loaded,
        rowsDuplicate: counts.duplicate,
        rowsQuarantined: counts.quarantined,
        topReasons: await topReasons(db, contentHash),
      };
      if (report.rowsRead !== report.rowsLoaded + report.rowsDuplicate + report.rowsQuarantined) {
        throw new Error(`${file.path}: counts do not reconcile (${JSON.stringify(report)})`);
      }
      await recordManifest(db, loadId, report, now());
      await db.run('drop view if exists ingest_decided; drop table if exists ingest_contested; drop table if exists ingest_contested_keys; drop table if exists ingest_typed');
      beforeCommit(report);
      return report;
    });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const report: FileReport = {
      ...base,
      format: file.format,
      status: 'unreadable',
      rowsRead: 0,
      rowsLoaded: 0,
      rowsDuplicate: 0,
      rowsQuarantined: 0,
      error: error.message,
    };
    await recordManifest(db, loadId, report, now());
    beforeCommit(report);
    return report;
  }
}

/**
 * Loads every file; throws (after loading what could be loaded) when a file was unreadable
 * (InputError, exit 3) or a file's quarantined share exceeds the threshold (exit 4).
 */
export async function ingest(db: Db, paths: readonly string[], config: Config, options: IngestOptions = {}): Promise<IngestResult> {
  // Typing, deciding and inserting never read a table's physical order (every record carries its line number),
  // so only the reads that number lines by their stored order ask for it (src/ingest/landing.ts).
  return withInsertionOrder(db, false, () => ingestInOrderFreeSession(db, paths, config, options));
}

async function ingestInOrderFreeSession(db: Db, paths: readonly string[], config: Config, options: IngestOptions): Promise<IngestResult> {
  const now = options.now ?? (() => new Date());
  const files = discoverInputs(paths);
  if (files.length === 0) throw new InputError(`no input files found in ${paths.join(', ')}`);
  await ensureRawSchema(db);
  const rekeyedMessages = await rekeyLegacyMessageKeys(db);
  await prepareValidation(db, config.ingest);
  const loadId = randomUUID();
  const reports: FileReport[] = [];
  // Files differ in size by orders of magnitude: the ETA follows bytes, the line counts files and rows.
  const bytesTotal = sum(files, (f) => statSync(f.path).size);
  let bytesDone = 0;
  let rowsDone = 0;
  for (const file of files) {
    const report = await ingestFile(db, file, config, loadId, now, (done) => {
      rowsDone += done.rowsRead;
      bytesDone += done.bytes;
      options.onProgress?.({
        done: reports.length + 1,
        total: files.length,
        unit: 'files',
        rows: rowsDone,
        share: bytesTotal > 0 ? bytesDone / bytesTotal : undefined,
        detail: file.path,
      });
    });
    reports.push(report);
    options.onFile?.(report);
  }
  const totals = {
    rowsRead: sum(reports, (r) => r.rowsRead),
    rowsLoaded: sum(reports, (r) => r.rowsLoaded),
    rowsDuplicate: sum(reports, (r) => r.rowsDuplicate),
    rowsQuarantined: sum(reports, (r) => r.rowsQuarantined),
  };
  return { loadId, files: reports, totals, ...(rekeyedMessages > 0 ? { rekeyedMessages } : {}) };
}

function sum<T>(items: T[], pick: (item: T) => number): number {
  return items.reduce((acc, item) => acc + pick(item), 0);
}

/** The failure a nightly job must see, or nothing. Kept apart from `ingest` so the summary prints first. */
export function ingestFailure(result: IngestResult, threshold: number): Error | undefined {
  const unreadable = result.files.filter((f) => f.status === 'unreadable');
  if (unreadable.length) {
    return new InputError(`cannot read ${unreadable.length} file(s):\n` + unreadable.map((f) => `  ${f.error}`).join('\n'));
  }
  const over = result.files.filter((f) => f.rowsRead > 0 && f.rowsQuarantined / f.rowsRead > threshold);
  if (over.length) {
    return new QuarantineThresholdError(
      `quarantined share over the threshold of ${(threshold * 100).toFixed(1)} % (ingest.quarantineThreshold) in:\n` +
        over
          .map((f) => `  ${f.path}: ${f.rowsQuarantined} of ${f.rowsRead} rows (${((f.rowsQuarantined / f.rowsRead) * 100).toFixed(1)} %)`)
          .join('\n') +
        '\n  (good rows were loaded; see raw.quarantine for each row, file and line)',
    );
  }
  return undefined;
}
