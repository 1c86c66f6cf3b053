/**
 * `csqa run` minus the command line: open the database (waiting for another run if configured), run the
 * stages, and always produce the summary, even when the run failed, so a scheduler learns what happened from
 * the document as well as from the exit code.
 */
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { openDatabaseWaiting } from '../db/openWaiting.js';
import type { ProgressReporter } from './progress.js';
import { runPipeline, type RunResult } from './run.js';
import type { Stage } from './stage.js';
import { buildRunSummary, type RunSummary } from './summary.js';
import { databaseOptions } from '../commands/context.js';

export interface NightlyOptions {
  config: Config;
  date?: string;
  progress: ProgressReporter;
  now?: () => Date;
  stages?: readonly Stage[];
  openDb?: (path: string) => Promise<Db>;
}

export interface NightlyOutcome {
  summary: RunSummary;
  /** Throw this after publishing the summary: its exit code is the run's. */
  error?: Error;
}

export async function runNightly(options: NightlyOptions): Promise<NightlyOutcome> {
  const { config, progress } = options;
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  let result: RunResult | undefined;
  let error: Error | undefined;
  try {
    const db = options.openDb
      ? await options.openDb(config.db)
      : await openDatabaseWaiting(
          config.db,
          { waitSeconds: config.run.lockWaitSeconds, onWait: (message) => progress.warn(message) },
          databaseOptions(config),
        );
    try {
      result = await runPipeline(db, config, { date: options.date, progress, now, stages: options.stages });
    } finally {
      db.close();
    }
    error = result.error;
  } catch (thrown) {
    error = thrown instanceof Error ? thrown : new Error(String(thrown));
  }
  const summary = buildRunSummary({ database: config.db, outDir: config.outDir, startedAt, finishedAt: now(), result, error });
  return { summary, error };
}
