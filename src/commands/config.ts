import { Command } from 'commander';
import { configReference } from '../config.js';
import { commandContext } from './context.js';

export function registerConfig(program: Command): void {
  program
    .command('config')
    .description('print the resolved configuration (after flags, environment and file), or the reference')
    .option('--reference', 'print every setting with its default and meaning (Markdown)')
    .action((options: { reference?: boolean }, command: Command) => {
      if (options.reference) {
        process.stdout.write(configReference() + '\n');
        return;
      }
      const { config } = commandContext(command);
      process.stdout.write(JSON.stringify(config, null, 2) + '\n');
    });
}
