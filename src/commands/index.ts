/** Every csqa command, in the order `csqa --help` lists them. */
import type { Command } from 'commander';
import { registerCoach } from './coach.js';
import { registerConfig } from './config.js';
import { registerEval } from './eval.js';
import { registerFixtures } from './fixtures.js';
import { registerIngest } from './ingest.js';
import { registerMetrics } from './metrics.js';
import { registerPurge } from './purge.js';
import { registerReport } from './report.js';
import { registerRun } from './run.js';
import { registerScore } from './score.js';
import { registerSignals } from './signals.js';
import { registerUpgradeDb } from './upgradeDb.js';

export const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  registerRun,
  registerIngest,
  registerScore,
  registerMetrics,
  registerReport,
  registerCoach,
  registerSignals,
  registerEval,
  registerPurge,
  registerUpgradeDb,
  registerFixtures,
  registerConfig,
];
