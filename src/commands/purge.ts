import { Command } from 'commander';
import { openDatabase } from '../db/database.js';
import { ConfigError } from '../errors.js';
import { applyPurge, formatPurge, planPurge, purgeCutoff } from '../privacy/purge.js';
import { commandContext, databaseOptions, requireExistingDatabase } from './context.js';

interface PurgeOptions {
  before?: string;
  olderThanDays?: string;
  dryRun?: boolean;
}

export function registerPurge(program: Command): void {
  program
    .command('purge')
    .description('delete raw log text older than a date (keys, timestamps, scores and aggregates stay)')
    .option('--before <date>', 'purge text of records before this UTC date (YYYY-MM-DD)')
    .option('--older-than-days <n>', 'purge text older than n days (default: privacy.retentionDays)')
    .option('--dry-run', 'print what would be purged without changing anything')
    .action(async (options: PurgeOptions, command: Command) => {
      const { config, log } = commandContext(command);
      let olderThanDays: number | undefined;
      if (options.olderThanDays !== undefined) {
        olderThanDays = Number(options.olderThanDays);
        if (!Number.isInteger(olderThanDays)) {
          throw new ConfigError(`purge: --older-than-days must be a whole number, got "${options.olderThanDays}"`);
        }
      }
      const before = purgeCutoff({
        before: options.before,
        olderThanDays,
        retentionDays: config.privacy.retentionDays,
        now: new Date(),
      });
      requireExistingDatabase(config, 'purge');
      const db = await openDatabase(config.db, databaseOptions(config));
      try {
        const plan = options.dryRun ? await planPurge(db, before) : await applyPurge(db, before);
        process.stdout.write(formatPurge(plan, Boolean(options.dryRun)) + '\n');
        if (!options.dryRun) log.info('raw text purged; run `csqa metrics` to rebuild derived tables');
      } finally {
        db.close();
      }
    });
}
