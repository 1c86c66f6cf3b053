/**
 * The metrics stage as `csqa run` chains it: build and audit the marts, then publish them under outDir.
 */
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { buildMetrics, type BuildLog, type BuildResult } from './build.js';
import { exportMarts } from './export.js';

export interface MetricsStageResult extends BuildResult {
  files: string[];
}

export async function runMetricsStage(
  db: Db,
  config: Config,
  options: { asOf?: string; log?: BuildLog; outDir?: string } = {},
): Promise<MetricsStageResult> {
  const result = await buildMetrics(db, config, { asOf: options.asOf, log: options.log });
  const files = await exportMarts(db, options.outDir ?? config.outDir, result.settings, config.privacy);
  return { ...result, files };
}
