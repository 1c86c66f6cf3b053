/**
 * The JSON document a scheduler reads after `csqa run` (stdout, and `--summary FILE`): did the night work,
 * what each stage did and how long it took, and what deserves a look even when it worked. Pure: the command
 * passes the result and the clock readings in. Fields are documented in README ("Run summary").
 */
import { CsqaError, ExitCode } from '../errors.js';
import type { RunResult } from './run.js';
import type { RunWarning, StageReport } from './stage.js';

export const SUMMARY_VERSION = 1;

export interface RunSummary {
  version: number;
  status: 'ok' | 'failed';
  exitCode: number;
  error: string | null;
  date: string | null;
  asOf: string | null;
  /** Start of the period the marts cover (metrics.periodDays), or null: the whole history, or metrics did not run. */
  periodStart: string | null;
  database: string;
  outDir: string;
  inputs: string[];
  startedAt: string;
  finishedAt: string;
  seconds: number;
  stages: StageReport[];
  ingest: {
    totals: { rowsRead: number; rowsLoaded: number; rowsDuplicate: number; rowsQuarantined: number };
    files: Array<{ path: string; status: string; rowsRead: number; rowsLoaded: number; rowsDuplicate: number; rowsQuarantined: number }>;
  } | null;
  models: Array<{ name: string; rows: number }>;
  audits: Array<{ name: string; violations: number }>;
  exports: string[];
  warnings: RunWarning[];
}

export interface SummaryInput {
  database: string;
  outDir: string;
  startedAt: Date;
  finishedAt: Date;
  /** Absent when the run failed before any stage (e.g. the database was locked). */
  result?: RunResult;
  /** The error that ends the run, if any (the result's, or one raised around it). */
  error?: Error;
}

export function exitCodeOf(error: Error | undefined): number {
  if (!error) return ExitCode.ok;
  return error instanceof CsqaError ? error.exitCode : ExitCode.internal;
}

export function buildRunSummary(input: SummaryInput): RunSummary {
  const { result } = input;
  const error = input.error ?? result?.error;
  return {
    version: SUMMARY_VERSION,
    status: error ? 'failed' : 'ok',
    exitCode: exitCodeOf(error),
    error: error ? error.message : null,
    date: result?.date ?? null,
    asOf: result?.metrics?.settings.asOf ?? null,
    periodStart: result?.metrics?.settings.periodStart ?? null,
    database: input.database,
    outDir: input.outDir,
    inputs: result?.inputs ?? [],
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    seconds: Math.round(input.finishedAt.getTime() - input.startedAt.getTime()) / 1000,
    stages: result?.stages ?? [],
    ingest: result?.ingest
      ? {
          totals: result.ingest.totals,
          files: result.ingest.files.map((f) => ({
            path: f.path,
            status: f.status,
            rowsRead: f.rowsRead,
            rowsLoaded: f.rowsLoaded,
            rowsDuplicate: f.rowsDuplicate,
            rowsQuarantined: f.rowsQuarantined,
          })),
        }
      : null,
    models: result?.metrics?.models.map((m) => ({ name: m.name, rows: m.rows })) ?? [],
    audits: result?.metrics?.audits.map((a) => ({ name: a.name, violations: a.violations })) ?? [],
    exports: result?.exports ?? [],
    warnings: result?.warnings ?? [],
  };
}
