#!/usr/bin/env node
/**
 * The csqa binary: parses the command line and maps errors to exit codes. The only place that exits.
 */
import { Command, CommanderError } from 'commander';
import { CsqaError, ExitCode } from './errors.js';
import { COMMANDS } from './commands/index.js';

export function buildProgram(): Command {
  const program = new Command('csqa')
    .description('Customer-service quality inspection: conversation logs -> DuckDB -> signals, KPIs, dashboards, coaching')
    .option('-c, --config <file>', 'config file (JSON); default ./csqa.config.json when present')
    .option('--db <file>', 'DuckDB database file (config: db)')
    .option('-q, --quiet', 'print only warnings and errors')
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return process.exitCode === undefined ? ExitCode.ok : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    if (error instanceof CsqaError) {
      process.stderr.write(`csqa: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`csqa: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
    return ExitCode.internal;
  }
}

main(process.argv).then((code) => {
  process.exitCode = code;
});
