import type { Command } from 'commander';
import { openDatabase } from '../db/database.js';
import { buildMetrics } from '../metrics/build.js';
import { exportMarts } from '../metrics/export.js';
import { acquireOutDirLock } from '../pipeline/outDirLock.js';
import { commandContext, databaseOptions, wholeNumber, requireExistingDatabase } from './context.js';

interface MetricsOptions {
  asOf?: string;
  periodDays?: string;
  outDir?: string;
  export?: boolean;
}

export function registerMetrics(program: Command): void {
  program
    .command('metrics')
    .description('build the KPI marts from loaded messages, events, surveys and scores, audit them and export them')
    .option('--as-of <time>', 'ISO 8601 time deciding which windows have ended (config: metrics.asOf; default: end of the last report day)')
    .option('--period-days <n>', 'cover the conversations begun in the last n report days (config: metrics.periodDays; 0 = whole history)')
    .option('--out-dir <dir>', 'folder whose exports/ receives the marts (config: outDir)')
    .option('--no-export', 'build and audit only')
    .action(async (options: MetricsOptions, command: Command) => {
      const { config, log } = commandContext(command, {
        'metrics.asOf': options.asOf,
        'metrics.periodDays': wholeNumber('period-days', options.periodDays, 0),
        outDir: options.outDir,
      });
      requireExistingDatabase(config, 'metrics');
      const db = await openDatabase(config.db, databaseOptions(config));
      try {
        const result = await buildMetrics(db, config, { log, onWarning: (_code, message) => log.warn(message) });
        const marts = result.models.filter((m) => m.name.startsWith('marts.'));
        for (const mart of marts) process.stdout.write(`${mart.name}\t${mart.rows}\n`);
        if (options.export !== false) {
          // The same folder guard as `csqa run`: a run on another database must not interleave its exports.
          const lock = acquireOutDirLock(config.outDir, { db: config.db, startedAt: new Date().toISOString() });
          const files = await exportMarts(db, config.outDir, result.settings, { privacy: config.privacy }).finally(() => lock.release());
          log.info(`metrics: wrote ${files.length} files under ${config.outDir}/exports`);
        }
        log.info(`metrics: built in ${(result.ms / 1000).toFixed(2)} s`);
      } finally {
        db.close();
      }
    });
}
