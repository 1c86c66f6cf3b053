import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../errors.js';
import { parseMessageLines } from '../score/messageInput.js';
import { redact } from '../privacy/redact.js';
import { redactResults, scoreMessages } from '../score/quickCheck.js';
import { scoreOptionsFromConfig } from '../score/setup.js';
import { commandContext } from './context.js';

export function readInput(file: string | undefined): { content: string; source: string } {
  if (!file || file === '-') return { content: readFileSync(0, 'utf8'), source: 'stdin' };
  try {
    return { content: readFileSync(file, 'utf8'), source: file };
  } catch (error) {
    throw new InputError(`${file}: cannot be read (${(error as Error).message})`);
  }
}

export function registerSignals(program: Command): void {
  program
    .command('signals')
    .description('print sentiment and every signal for JSONL messages ({"text", "role"?, "conversation_id"?}) from a file or stdin')
    .argument('[file]', 'JSONL file; stdin when absent or "-"')
    .option('--sentiment-model <dir>', 'local model directory for sentiment (config: score.sentimentModel)')
    .option('--catalog <file...>', 'extra detector catalog files (config: score.catalogFiles)')
    .option('--redact', 'redact personal data in the printed text and matched spans (spans then carry no offsets)')
    .action(async (file: string | undefined, options: { sentimentModel?: string; catalog?: string[]; redact?: boolean }, command: Command) => {
      const { config } = commandContext(command, {
        'score.sentimentModel': options.sentimentModel,
        'score.catalogFiles': options.catalog,
      });
      const { content, source } = readInput(file);
      const messages = parseMessageLines(content, source);
      const scored = await scoreMessages(messages, await scoreOptionsFromConfig(config));
      const results = options.redact ? redactResults(scored, (text) => redact(text)) : scored;
      process.stdout.write(results.map((r) => JSON.stringify(r)).join('\n') + (results.length ? '\n' : ''));
    });
}
