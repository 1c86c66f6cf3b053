import { Command } from 'commander';
import { openDatabase } from '../db/database.js';
import { formatIngestSummary } from '../ingest/summary.js';
import { runPipeline } from '../pipeline/run.js';
import { commandContext } from './context.js';

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('the nightly job: ingest the configured inputs, then every later stage, on one database')
    .option('--date <YYYY-MM-DD>', 'report date; fills {date} in the configured inputs')
    .option('--summary <file>', 'also write the JSON run summary to this file')
    .action(async (options: { date?: string; summary?: string }, command: Command) => {
      const { config, log } = commandContext(command);
      const db = await openDatabase(config.db);
      try {
        const result = await runPipeline(db, config, { date: options.date, log });
        log.info(formatIngestSummary(result.ingest));
        const summary = JSON.stringify(
          {
            date: result.date ?? null,
            asOf: result.metrics.settings.asOf,
            inputs: result.inputs,
            ingest: result.ingest.totals,
            score: result.score,
            models: result.metrics.models.map((m) => ({ name: m.name, rows: m.rows })),
            exports: result.metrics.files,
            report: { dir: result.report.outDir, charts: result.report.charts.length, files: result.report.files.length },
            coaching: {
              agentsPlanned: result.coaching.agents.length,
              weakSpots: result.coaching.agents.reduce((n, a) => n + a.weakSpots.length, 0),
            },
            stages: result.stages,
          },
          null,
          2,
        );
        if (options.summary) {
          const { writeFileSync } = await import('node:fs');
          writeFileSync(options.summary, summary + '\n');
        }
        process.stdout.write(summary + '\n');
      } finally {
        db.close();
      }
    });
}
