import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { evaluate, formatEvaluation } from '../score/evaluate.js';
import { parseMessageLines } from '../score/messageInput.js';
import { scoreMessages } from '../score/quickCheck.js';
import { scoreOptionsFromConfig } from '../score/setup.js';
import { commandContext } from './context.js';
import { readInput } from './signals.js';

export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('measure sentiment and signal rules against labelled JSONL ({"text", "role", "sentiment", "signals"})')
    .requiredOption('--labels <file>', 'labelled JSONL file')
    .option('--details <file>', 'where to write false positives/negatives (default <outDir>/eval-details.jsonl)')
    .option('--sentiment-model <dir>', 'local model directory for sentiment (config: score.sentimentModel)')
    .option('--catalog <file...>', 'extra detector catalog files (config: score.catalogFiles)')
    .action(
      async (options: { labels: string; details?: string; sentimentModel?: string; catalog?: string[] }, command: Command) => {
        const { config, log } = commandContext(command, {
          'score.sentimentModel': options.sentimentModel,
          'score.catalogFiles': options.catalog,
        });
        const { content, source } = readInput(options.labels);
        const labelled = parseMessageLines(content, source, true);
        const predicted = await scoreMessages(labelled, await scoreOptionsFromConfig(config));
        const result = evaluate(labelled, predicted);
        process.stdout.write(formatEvaluation(result) + '\n');
        const details = options.details ?? join(config.outDir, 'eval-details.jsonl');
        mkdirSync(dirname(details), { recursive: true });
        writeFileSync(details, result.mistakes.map((m) => JSON.stringify(m)).join('\n') + '\n');
        log.info(`eval: ${result.mistakes.length} mistakes written to ${details}`);
      },
    );
}
