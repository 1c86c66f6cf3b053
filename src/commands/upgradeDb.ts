import { Command } from 'commander';
import { formatUpgrade, upgradeStorage } from '../db/upgrade.js';
import { commandContext, databaseOptions } from './context.js';

export function registerUpgradeDb(program: Command): void {
  program
    .command('upgrade-db')
    .description("rewrite a database made in an older DuckDB storage format into csqa's (smaller, faster text); the original stays until the copy is verified; run it while no other csqa job uses the database")
    .action(async (_options: unknown, command: Command) => {
      const { config } = commandContext(command);
      const result = await upgradeStorage(config.db, databaseOptions(config));
      process.stdout.write(formatUpgrade(result) + '\n');
    });
}
