import { Command } from 'commander';
import { openDatabase } from '../db/database.js';
import { reportFromConfig } from '../dashboards/from-config.js';
import { commandContext, databaseOptions, requireExistingDatabase } from './context.js';

interface ReportFlags {
  out?: string;
  settings?: string;
  charts?: string;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('draw the dashboards from the marts: index.html (works offline) plus SVG, PNG and CSV per chart')
    .option('-o, --out <dir>', 'output folder (default: <outDir>/report)')
    .option('--settings <file>', 'metrics_settings.json written by csqa metrics (default: <outDir>/exports/metrics_settings.json)')
    .option('--charts <names>', 'comma-separated charts to draw (config: report.charts)')
    .action(async (options: ReportFlags, command: Command) => {
      const charts = options.charts?.split(',').map((c) => c.trim()).filter(Boolean);
      const { config, log } = commandContext(command, { 'report.charts': charts });
      requireExistingDatabase(config, 'report');
      const db = await openDatabase(config.db, databaseOptions(config));
      try {
        const result = await reportFromConfig(db, config, {
          reportDir: options.out,
          settingsPath: options.settings,
          warn: log.warn,
        });
        for (const chart of result.charts) {
          log.info(`${chart.name}: ${chart.emptyReason ? `no data (${chart.emptyReason})` : `${chart.rows} rows`}`);
        }
        process.stdout.write(`${result.outDir}/index.html\n`);
      } finally {
        db.close();
      }
    });
}
