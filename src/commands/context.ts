/**
 * What every command needs: the resolved config (flag > env > file > default) and a logger that
 * respects --quiet. Kept apart from the commands so they stay small and testable.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfig, type Config, type Overrides } from '../config.js';
import type { OpenOptions } from '../db/database.js';
import { ConfigError } from '../errors.js';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

export function makeLogger(quiet: boolean, stream: NodeJS.WritableStream = process.stderr): Logger {
  return {
    info: (message) => {
      if (!quiet) stream.write(message + '\n');
    },
    warn: (message) => stream.write(message + '\n'),
  };
}

export interface CommandContext {
  config: Config;
  log: Logger;
  quiet: boolean;
}

/** Global options live on the root program; `flags` are the command's own overrides by config key. */
export function commandContext(command: Command, flags: Overrides = {}): CommandContext {
  const globals = command.optsWithGlobals() as { config?: string; db?: string; quiet?: boolean };
  const config = loadConfig({
    file: globals.config,
    env: process.env,
    flags: { db: globals.db, ...flags },
  });
  const quiet = Boolean(globals.quiet);
  return { config, log: makeLogger(quiet), quiet };
}

/** A whole-number flag (`--flag`), checked before it reaches the config, which would name the config key. */
export function wholeNumber(flag: string, raw: string | undefined, min: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(value) || value < min) throw new ConfigError(`--${flag} must be a whole number >= ${min}, got "${raw}"`);
  return value;
}

/**
 * For commands that only read or rebuild from a database earlier runs made (score, metrics, report, coach, purge):
 * a mistyped path must not create an empty database and publish empty results over yesterday's.
 */
export function requireExistingDatabase(config: Config, command: string): void {
  if (config.db !== ':memory:' && !existsSync(config.db)) {
    throw new ConfigError(`${command}: database ${config.db} does not exist (set --db or db in the config; csqa ingest or csqa run creates it)`);
  }
}

/** DuckDB settings from the config, for every command that opens the database. */
export function databaseOptions(config: Config): OpenOptions {
  return { memoryLimit: config.memoryLimit || undefined, threads: config.threads || undefined };
}
