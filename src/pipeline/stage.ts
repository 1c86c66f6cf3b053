/**
 * A stage of the nightly run: a named async function on the Db. Stages run in order; each must be idempotent
 * (a re-run after a crash converges on the same tables and files), commits its own work, and reports counts
 * for the run summary. A later stage (score, report, coach) plugs in by being added to the list.
 */
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { Logger } from '../commands/context.js';
import type { ProgressReporter, StageProgress } from './progress.js';

export interface RunWarning {
  stage: string;
  code: string;
  message: string;
}

export interface StageContext {
  db: Db;
  config: Config;
  /** Report date YYYY-MM-DD when given. */
  date?: string;
  log: Logger;
  progress: StageProgress;
  now: () => Date;
  /** Outcomes of the stages already run, by name (e.g. the export stage reads the metrics settings). */
  earlier: ReadonlyMap<string, StageOutcome>;
  warn(code: string, message: string): void;
}

export interface StageOutcome {
  /** Numbers for the summary, e.g. {rowsLoaded: 34324} or {models: 31}. */
  counts: Record<string, number>;
  /** The stage's own result object, for later stages and the command. */
  detail?: unknown;
  /** A failure found after the stage's work was committed (e.g. quarantine over threshold): later stages are skipped. */
  failure?: Error;
}

export interface Stage {
  name: string;
  run(context: StageContext): Promise<StageOutcome>;
}

export interface StageReport {
  stage: string;
  status: 'ok' | 'failed' | 'skipped';
  seconds: number;
  counts: Record<string, number>;
  error?: string;
}

export interface StagesResult {
  reports: StageReport[];
  outcomes: Map<string, StageOutcome>;
  warnings: RunWarning[];
  /** The first failure; the stages after it are reported as skipped. */
  error?: Error;
}

export interface StageRunOptions {
  config: Config;
  date?: string;
  progress: ProgressReporter;
  now?: () => Date;
  /** Monotonic milliseconds for timings. */
  clock?: () => number;
}

export async function runStages(db: Db, stages: readonly Stage[], options: StageRunOptions): Promise<StagesResult> {
  const clock = options.clock ?? (() => performance.now());
  const reports: StageReport[] = [];
  const outcomes = new Map<string, StageOutcome>();
  const warnings: RunWarning[] = [];
  let error: Error | undefined;
  for (const stage of stages) {
    if (error) {
      reports.push({ stage: stage.name, status: 'skipped', seconds: 0, counts: {} });
      continue;
    }
    const progress = options.progress.stage(stage.name);
    const started = clock();
    const context: StageContext = {
      db,
      config: options.config,
      date: options.date,
      log: options.progress,
      progress,
      now: options.now ?? (() => new Date()),
      earlier: outcomes,
      warn(code, message) {
        warnings.push({ stage: stage.name, code, message });
        options.progress.warn(message);
      },
    };
    try {
      const outcome = await stage.run(context);
      outcomes.set(stage.name, outcome);
      const seconds = round((clock() - started) / 1000);
      const failed = outcome.failure !== undefined;
      reports.push({ stage: stage.name, status: failed ? 'failed' : 'ok', seconds, counts: outcome.counts, error: outcome.failure?.message });
      progress.end(formatCounts(outcome.counts), failed);
      error = outcome.failure;
    } catch (thrown) {
      error = thrown instanceof Error ? thrown : new Error(String(thrown));
      reports.push({ stage: stage.name, status: 'failed', seconds: round((clock() - started) / 1000), counts: {}, error: error.message });
      progress.end(undefined, true);
    }
  }
  for (const report of reports.filter((r) => r.status === 'skipped')) {
    warnings.push({ stage: report.stage, code: 'stage_skipped', message: `stage ${report.stage} skipped: an earlier stage failed` });
  }
  return { reports, outcomes, warnings, error };
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

function formatCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}
