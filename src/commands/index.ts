/** Every csqa command, in the order `csqa --help` lists them. */
import type { Command } from 'commander';
import { registerConfig } from './config.js';
import { registerReport } from './report.js';

export const COMMANDS: ReadonlyArray<(program: Command) => void> = [registerConfig, registerReport];
