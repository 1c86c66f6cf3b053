/**
 * The nightly stages in order: ingest -> score -> metrics -> export -> report -> coach.
 */
import { ingest, ingestFailure } from '../ingest/load.js';
import { formatIngestSummary } from '../ingest/summary.js';
import { buildMetrics, type BuildResult } from '../metrics/build.js';
import { exportMarts } from '../metrics/export.js';
import { scoreDatabase } from '../score/scoreDatabase.js';
import { scoreOptionsFromConfig } from '../score/setup.js';
import { reportFromConfig } from '../dashboards/from-config.js';
import { coach } from '../coach/coach.js';
import { endOfReportDay, planInputs } from './inputs.js';
import type { Stage, StageContext } from './stage.js';

/** Files whose quarantined share passed this fraction of the threshold are named before they fail a night. */
const QUARANTINE_WARNING_SHARE = 0.5;

export const ingestStage: Stage = {
  name: 'ingest',
  async run(context) {
    const { config } = context;
    const result = await ingest(context.db, planInputs(config, context.date), config, {
      now: context.now,
      onProgress: (update) => context.progress.update(update),
    });
    context.log.info(formatIngestSummary(result));
    const threshold = config.ingest.quarantineThreshold;
    for (const file of result.files) {
      const share = file.rowsRead > 0 ? file.rowsQuarantined / file.rowsRead : 0;
      if (share > threshold * QUARANTINE_WARNING_SHARE && share <= threshold) {
        context.warn(
          'quarantine_near_threshold',
          `${file.path}: ${file.rowsQuarantined} of ${file.rowsRead} rows quarantined (${percent(share)}), over half the threshold of ${percent(threshold)}`,
        );
      }
    }
    if (result.totals.rowsLoaded === 0 && result.files.every((f) => f.status === 'already_loaded')) {
      // A nightly job fed yesterday's files again (a stuck export upstream) succeeds without new data: say so.
      context.warn('no_new_rows', `all ${result.files.length} input file(s) were loaded before: no new rows`);
    }
    return {
      counts: {
        files: result.files.length,
        filesAlreadyLoaded: result.files.filter((f) => f.status === 'already_loaded').length,
        ...result.totals,
      },
      detail: result,
      failure: ingestFailure(result, threshold),
    };
  },
};

export const scoreStage: Stage = {
  name: 'score',
  async run(context) {
    const summary = await scoreDatabase(context.db, {
      ...(await scoreOptionsFromConfig(context.config)),
      onProgress: (update) => context.progress.update(update),
    });
    return { counts: { ...summary }, detail: summary };
  },
};

export const metricsStage: Stage = {
  name: 'metrics',
  async run(context) {
    const asOf = context.date ? await endOfReportDay(context.db, context.date, context.config.report.timezone) : undefined;
    const result = await buildMetrics(context.db, context.config, {
      asOf,
      log: context.log,
      onProgress: (update) => context.progress.update(update),
      onWarning: (code, message) => context.warn(code, message),
    });
    return {
      counts: { models: result.models.length, rows: result.models.reduce((n, m) => n + m.rows, 0), audits: result.audits.length },
      detail: result,
    };
  },
};

export const exportStage: Stage = {
  name: 'export',
  async run(context) {
    const metrics = earlierDetail<BuildResult>(context, 'metrics');
    const files = await exportMarts(context.db, context.config.outDir, metrics.settings, {
      privacy: context.config.privacy,
      onProgress: (update) => context.progress.update(update),
    });
    return { counts: { files: files.length }, detail: files };
  },
};

export const reportStage: Stage = {
  name: 'report',
  async run(context) {
    const result = await reportFromConfig(context.db, context.config, { warn: (message) => context.warn('report', message) });
    return { counts: { charts: result.charts.length, files: result.files.length }, detail: result };
  },
};

export const coachStage: Stage = {
  name: 'coach',
  async run(context) {
    const plan = await coach(context.db, context.config, { outDir: context.config.outDir, log: context.log });
    return {
      counts: { agentsPlanned: plan.agents.length, weakSpots: plan.agents.reduce((n, a) => n + a.weakSpots.length, 0) },
      detail: plan,
    };
  },
};

export const DEFAULT_STAGES: readonly Stage[] = [ingestStage, scoreStage, metricsStage, exportStage, reportStage, coachStage];

/** The detail of a stage that must have run before this one (a wiring error otherwise, not a user error). */
export function earlierDetail<T>(context: StageContext, stage: string): T {
  const outcome = context.earlier.get(stage);
  if (!outcome) throw new Error(`stage order: "${stage}" must run before this stage`);
  return outcome.detail as T;
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}
