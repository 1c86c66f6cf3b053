import type { Command } from 'commander';
import { openDatabase } from '../db/database.js';
import { scoreDatabase } from '../score/scoreDatabase.js';
import { scoreOptionsFromConfig } from '../score/setup.js';
import { commandContext, databaseOptions, requireExistingDatabase } from './context.js';

export function registerScore(program: Command): void {
  program
    .command('score')
    .description('score sentiment and detect signals for every conversation not yet scored (incremental)')
    .option('--sentiment-model <dir>', 'local model directory for sentiment (config: score.sentimentModel)')
    .option('--catalog <file...>', 'extra detector catalog files (config: score.catalogFiles)')
    .action(async (options: { sentimentModel?: string; catalog?: string[] }, command: Command) => {
      const { config, log } = commandContext(command, {
        'score.sentimentModel': options.sentimentModel,
        'score.catalogFiles': options.catalog,
      });
      const scoreOptions = await scoreOptionsFromConfig(config);
      requireExistingDatabase(config, 'score');
      const db = await openDatabase(config.db, databaseOptions(config));
      try {
        const started = Date.now();
        const s = await scoreDatabase(db, scoreOptions);
        const seconds = (Date.now() - started) / 1000;
        log.info(
          s.conversations === 0
            ? 'score: nothing new to score'
            : `score: ${s.conversations} conversations, ${s.messages} messages (${s.distinctTexts} distinct texts), ` +
                `${s.signals} signals, ${s.newTemplates} new templates, sentiment by ${scoreOptions.sentiment.name} ` +
                `in ${seconds.toFixed(1)} s`,
        );
        if (s.keptPurged > 0) {
          log.info(`score: ${s.keptPurged} conversations keep their earlier scores: csqa purge removed text they were scored from`);
        }
      } finally {
        db.close();
      }
    });
}
