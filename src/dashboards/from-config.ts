/**
 * The report as `csqa report` and the end of `csqa run` produce it: settings read from the metrics
 * export, options from the config. Kept apart from the command so `run` can call the same function.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { InputError } from '../errors.js';
import { createRedactor, type Redactor } from '../privacy/redact.js';
import { buildReport, type ReportResult } from './build.js';
import { reportSettingsFrom } from './settings.js';

export interface ReportRunOptions {
  /** Output folder; default `<outDir>/report`. */
  reportDir?: string;
  /** metrics_settings.json; default `<outDir>/exports/metrics_settings.json`. */
  settingsPath?: string;
  now?: Date;
  /** Default createRedactor(config): follows privacy.redact. */
  redact?: Redactor;
  warn?: (message: string) => void;
}

export function defaultReportDir(config: Config): string {
  return join(config.outDir, 'report');
}

export function defaultSettingsPath(config: Config): string {
  return join(config.outDir, 'exports', 'metrics_settings.json');
}

export function readSettingsFile(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InputError(`metrics settings ${path}: ${(error as Error).message}`);
  }
}

export async function reportFromConfig(db: Db, config: Config, options: ReportRunOptions = {}): Promise<ReportResult> {
  const warn = options.warn ?? (() => undefined);
  const now = options.now ?? new Date();
  const settingsPath = options.settingsPath ?? defaultSettingsPath(config);
  let source: unknown = { timezone: config.report.timezone };
  if (existsSync(settingsPath)) {
    source = readSettingsFile(settingsPath);
  } else if (options.settingsPath) {
    throw new InputError(`metrics settings ${settingsPath}: file not found`);
  } else {
    warn(`report: ${settingsPath} not found; charts state the default choices and the as-of time ${now.toISOString()}`);
  }
  return buildReport(db, {
    outDir: options.reportDir ?? defaultReportDir(config),
    settings: reportSettingsFrom(source, now),
    charts: config.report.charts,
    outlierZ: config.report.outlierZ,
    topTemplates: config.report.topTemplates,
    redact: options.redact ?? createRedactor(config),
    now,
    warn,
  });
}
