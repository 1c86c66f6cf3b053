/**
 * The nightly job: every stage in order on one database, each stage idempotent, so re-running a day
 * (after a crash or by mistake) converges on the same tables.
 */
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { ConfigError } from '../errors.js';
import { ingest, ingestFailure, type IngestResult } from '../ingest/load.js';
import type { Logger } from '../commands/context.js';
import { runMetricsStage, type MetricsStageResult } from '../metrics/run.js';
import { reportFromConfig } from '../dashboards/from-config.js';
import { scoreDatabase, type ScoreSummary } from '../score/scoreDatabase.js';
import { scoreOptionsFromConfig } from '../score/setup.js';
import type { ReportResult } from '../dashboards/build.js';
import { coach } from '../coach/coach.js';
import type { CoachingPlan } from '../coach/plan.js';

export interface RunOptions {
  /** Report date YYYY-MM-DD: fills "{date}" in the configured inputs and fixes the as-of time. */
  date?: string;
  log: Logger;
  now?: () => Date;
}

export interface StageTiming {
  stage: string;
  seconds: number;
}

export interface RunResult {
  date?: string;
  inputs: string[];
  asOf?: string;
  ingest: IngestResult;
  score: ScoreSummary;
  metrics: MetricsStageResult;
  report: ReportResult;
  coaching: CoachingPlan;
  stages: StageTiming[];
}

/** The end of the report day in the report time zone, as a UTC ISO instant: what "as of" a nightly run means. */
export async function endOfReportDay(db: Db, date: string, timezone: string): Promise<string> {
  const iso = await db.value<string>(
    `select strftime(timezone('UTC', timezone($2, cast(cast($1 as date) + interval 1 day as timestamp))), '%Y-%m-%dT%H:%M:%SZ')`,
    [date, timezone],
  );
  return iso!;
}

export function planInputs(config: Config, date?: string): string[] {
  if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    throw new ConfigError(`--date must be YYYY-MM-DD, got "${date}"`);
  }
  return config.inputs.map((input) => {
    if (!input.includes('{date}')) return input;
    if (!date) throw new ConfigError(`input "${input}" contains {date}: give --date YYYY-MM-DD`);
    return input.replaceAll('{date}', date);
  });
}

async function timed<T>(stages: StageTiming[], stage: string, log: Logger, work: () => Promise<T>): Promise<T> {
  const started = process.hrtime.bigint();
  log.info(`[${stage}] started`);
  const result = await work();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  stages.push({ stage, seconds });
  log.info(`[${stage}] done in ${seconds.toFixed(2)} s`);
  return result;
}

export async function runPipeline(db: Db, config: Config, options: RunOptions): Promise<RunResult> {
  const inputs = planInputs(config, options.date);
  const stages: StageTiming[] = [];
  const ingested = await timed(stages, 'ingest', options.log, () => ingest(db, inputs, config, { now: options.now }));
  const failure = ingestFailure(ingested, config.ingest.quarantineThreshold);
  if (failure) throw failure;
  const asOf = options.date ? await endOfReportDay(db, options.date, config.report.timezone) : undefined;
  const score = await timed(stages, 'score', options.log, async () => scoreDatabase(db, await scoreOptionsFromConfig(config)));
  const metrics = await timed(stages, 'metrics', options.log, () => runMetricsStage(db, config, { asOf, log: options.log }));
  const report = await timed(stages, 'report', options.log, () => reportFromConfig(db, config, { warn: options.log.warn, now: options.now?.() }));
  const coaching = await timed(stages, 'coach', options.log, () => coach(db, config, { outDir: config.outDir, log: options.log }));
  return { date: options.date, inputs, asOf, ingest: ingested, score, metrics, report, coaching, stages };
}
