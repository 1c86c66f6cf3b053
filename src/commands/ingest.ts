import { Command } from 'commander';
import { openDatabase } from '../db/database.js';
import { ingest, ingestFailure } from '../ingest/load.js';
import { formatIngestSummary } from '../ingest/summary.js';
import { commandContext, databaseOptions } from './context.js';

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('load conversation logs (JSONL, CSV, Parquet, nested JSON; .gz; files, folders, globs) into the database')
    .argument('<paths...>', 'files, folders or globs')
    .option('--timezone <zone>', 'time zone of naive timestamps (config: ingest.timezone)')
    .option('--quarantine-threshold <share>', 'fail when a file quarantines more than this share (config: ingest.quarantineThreshold)', Number)
    .option('--json', 'print the summary as JSON')
    .action(async (paths: string[], options: { timezone?: string; quarantineThreshold?: number; json?: boolean }, command: Command) => {
      const { config, log } = commandContext(command, {
        'ingest.timezone': options.timezone,
        'ingest.quarantineThreshold': options.quarantineThreshold,
      });
      const db = await openDatabase(config.db, databaseOptions(config));
      try {
        const result = await ingest(db, paths, config, {
          onFile: (f) => log.info(`${f.path}: ${f.status}, ${f.rowsRead} rows read`),
        });
        process.stdout.write((options.json ? JSON.stringify(result, null, 2) : formatIngestSummary(result)) + '\n');
        const failure = ingestFailure(result, config.ingest.quarantineThreshold);
        if (failure) throw failure;
      } finally {
        db.close();
      }
    });
}
