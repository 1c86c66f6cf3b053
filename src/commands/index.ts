/** Every csqa command, in the order `csqa --help` lists them. */
import type { Command } from 'commander';
import { registerCoach } from './coach.js';
import { registerConfig } from './config.js';

export const COMMANDS: ReadonlyArray<(program: Command) => void> = [registerConfig, registerCoach];
