import type { Command } from 'commander';
import { ConfigError } from '../errors.js';
import { generateFixtures } from '../fixtures/generate.js';
import { commandContext, wholeNumber } from './context.js';

interface FixturesFlags {
  conversations: string;
  seed?: string;
  out: string;
  start?: string;
  days?: string;
  messyRate?: string;
  agents?: string;
  gzip?: boolean;
}

function decimal(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) throw new ConfigError(`--${flag} must be a number, got "${raw}"`);
  return value;
}

export function registerFixtures(program: Command): void {
  program
    .command('fixtures')
    .description('write deterministic synthetic contact-centre logs (records, truth and planted bad rows)')
    .requiredOption('--conversations <n>', 'number of conversations')
    .requiredOption('--out <dir>', 'output folder (DIR/YYYY-MM-DD/records.jsonl, truth.jsonl, messy.jsonl, agents.jsonl)')
    .option('--seed <n>', 'generator seed (config: fixtures.seed)')
    .option('--start <date>', 'first UTC day, YYYY-MM-DD (config: fixtures.start)')
    .option('--days <n>', 'days to spread conversations over (config: fixtures.days)')
    .option('--messy-rate <r>', 'share of lines followed by a planted bad line, 0 for none (config: fixtures.messyRate)')
    .option('--agents <n>', 'number of human agents (default: one per 60 conversations, 24 to 480)')
    .option('--gzip', 'write records.jsonl.gz instead of records.jsonl')
    .action(async (flags: FixturesFlags, command: Command) => {
      const conversations = wholeNumber('conversations', flags.conversations, 1)!;
      const agents = wholeNumber('agents', flags.agents, 1);
      const { config, log } = commandContext(command, {
        'fixtures.seed': wholeNumber('seed', flags.seed, Number.MIN_SAFE_INTEGER),
        'fixtures.start': flags.start,
        'fixtures.days': wholeNumber('days', flags.days, 1),
        'fixtures.messyRate': decimal('messy-rate', flags.messyRate),
      });
      const summary = await generateFixtures({
        conversations,
        seed: config.fixtures.seed,
        outDir: flags.out,
        start: config.fixtures.start,
        days: config.fixtures.days,
        messyRate: config.fixtures.messyRate,
        gzip: Boolean(flags.gzip),
        agents,
      });
      log.info(
        `wrote ${summary.conversations} conversations (${summary.messages} messages, ${summary.records} records, ` +
          `${summary.messyRows} planted bad rows, ${summary.repeatContacts} repeat contacts, ${summary.agents} agents) ` +
          `to ${flags.out} in ${summary.files.length} day files`,
      );
    });
}
