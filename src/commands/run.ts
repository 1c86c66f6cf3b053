import { Command } from 'commander';
import { writeFileAtomic } from '../pipeline/atomicFile.js';
import { runNightly } from '../pipeline/nightly.js';
import { createProgress } from '../pipeline/progress.js';
import { PAUSE_ENV, withTestPause } from '../pipeline/testPause.js';
import { commandContext } from './context.js';

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('the nightly job: ingest the configured inputs, then every later stage, on one database')
    .option('--date <YYYY-MM-DD>', 'report date; fills {date} in the configured inputs')
    .option('--summary <file>', 'also write the JSON run summary to this file (atomically)')
    .action(async (options: { date?: string; summary?: string }, command: Command) => {
      const { config, quiet } = commandContext(command);
      const progress = withTestPause(
        createProgress({
          stream: process.stderr,
          isTTY: Boolean(process.stderr.isTTY),
          quiet,
          now: Date.now,
          intervalMs: config.run.progressIntervalSeconds * 1000,
        }),
        process.env[PAUSE_ENV],
      );
      const { summary, error } = await runNightly({ config, date: options.date, progress });
      const text = JSON.stringify(summary, null, 2) + '\n';
      if (options.summary) await writeFileAtomic(options.summary, text);
      process.stdout.write(text);
      if (error) throw error;
    });
}
