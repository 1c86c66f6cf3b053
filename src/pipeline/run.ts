/**
 * The nightly job: every stage in order on one database, each stage idempotent, so re-running a day
 * (after a crash or by mistake) converges on the same tables and files. The run holds the output folder's
 * lock throughout and first sweeps the temp files a killed run may have left there.
 */
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { IngestResult } from '../ingest/load.js';
import type { BuildResult } from '../metrics/build.js';
import { sweepTempFiles } from './atomicFile.js';
import { planInputs } from './inputs.js';
import { acquireOutDirLock } from './outDirLock.js';
import type { ProgressReporter } from './progress.js';
import { runStages, type RunWarning, type Stage, type StageReport } from './stage.js';
import { DEFAULT_STAGES } from './stages.js';

export { endOfReportDay, planInputs } from './inputs.js';

export interface RunOptions {
  /** Report date YYYY-MM-DD: fills "{date}" in the configured inputs and fixes the as-of time. */
  date?: string;
  progress: ProgressReporter;
  now?: () => Date;
  stages?: readonly Stage[];
}

export interface RunResult {
  date?: string;
  inputs: string[];
  stages: StageReport[];
  warnings: RunWarning[];
  /** The failure that ended the run early (its exit code is the run's); later stages are skipped. */
  error?: Error;
  ingest?: IngestResult;
  metrics?: BuildResult;
  exports?: string[];
}

export async function runPipeline(db: Db, config: Config, options: RunOptions): Promise<RunResult> {
  const inputs = planInputs(config, options.date);
  const lock = acquireOutDirLock(config.outDir, { db: db.path, startedAt: (options.now ?? (() => new Date()))().toISOString() });
  try {
    const warnings: RunWarning[] = [];
    const note = (code: string, message: string) => {
      warnings.push({ stage: 'run', code, message });
      options.progress.warn(message);
    };
    if (lock.replacedStale) {
      note('stale_lock_removed', `output folder ${config.outDir}: took over the lock of csqa pid ${lock.replacedStale.pid}, which is no longer running`);
    }
    const swept = sweepTempFiles(config.outDir);
    if (swept.length) note('temp_files_removed', `removed ${swept.length} partial file(s) an interrupted run left: ${swept.join(', ')}`);

    const result = await runStages(db, options.stages ?? DEFAULT_STAGES, {
      config,
      date: options.date,
      progress: options.progress,
      now: options.now,
    });
    return {
      date: options.date,
      inputs,
      stages: result.reports,
      warnings: [...warnings, ...result.warnings],
      error: result.error,
      ingest: result.outcomes.get('ingest')?.detail as IngestResult | undefined,
      metrics: result.outcomes.get('metrics')?.detail as BuildResult | undefined,
      exports: result.outcomes.get('export')?.detail as string[] | undefined,
    };
  } finally {
    lock.release();
  }
}
