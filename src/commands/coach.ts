import { Command, Option } from 'commander';
import { agentMarkdown, coach } from '../coach/coach.js';
import { openDatabase } from '../db/database.js';
import { ConfigError } from '../errors.js';
import { commandContext, databaseOptions, requireExistingDatabase } from './context.js';

interface CoachFlags {
  agent?: string;
  lang?: 'zh' | 'en';
  out?: string;
  minConversations?: string;
}

function integer(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new ConfigError(`${flag} must be a whole number, got "${value}"`);
  return n;
}

export function registerCoach(program: Command): void {
  program
    .command('coach')
    .description("per-agent coaching plans: weak spots against peers, the agent's own quotes, exemplars and training modules")
    .option('--agent <id>', 'print one agent\u2019s plan to the terminal instead of writing files')
    .addOption(new Option('--lang <language>', 'language of the plans (config: coach.language)').choices(['zh', 'en']))
    .option('--out <dir>', 'output folder; files go to <dir>/coaching (config: outDir)')
    .option('--min-conversations <n>', 'agents with fewer conversations get no plan (config: coach.minConversations)')
    .action(async (flags: CoachFlags, command: Command) => {
      const { config, log } = commandContext(command, {
        outDir: flags.out,
        'coach.language': flags.lang,
        'coach.minConversations': integer(flags.minConversations, '--min-conversations'),
      });
      requireExistingDatabase(config, 'coach');
      const db = await openDatabase(config.db, databaseOptions(config));
      try {
        const plan = await coach(db, config, { outDir: config.outDir, agent: flags.agent, log });
        if (flags.agent !== undefined) process.stdout.write(agentMarkdown(plan, flags.agent) + '\n');
      } finally {
        db.close();
      }
    });
}
