/** Every csqa command, in the order `csqa --help` lists them. */
import type { Command } from 'commander';
import { registerConfig } from './config.js';
import { registerEval } from './eval.js';
import { registerScore } from './score.js';
import { registerSignals } from './signals.js';

export const COMMANDS: ReadonlyArray<(program: Command) => void> = [registerConfig, registerScore, registerSignals, registerEval];
