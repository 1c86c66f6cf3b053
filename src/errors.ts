/**
 * Every failure a user can act on is a CsqaError with a fixed exit code; only src/cli.ts turns
 * them into process exits, so schedulers can branch on the code and tests can assert on the type.
 */
export const ExitCode = {
  ok: 0,
  /** An unexpected bug: the message is printed with its stack. */
  internal: 1,
  /** Bad command line or configuration. */
  usage: 2,
  /** An input file could not be read at all (missing, unknown format, unparseable). */
  input: 3,
  /** Some file's quarantined share exceeded `ingest.quarantineThreshold`. */
  quarantine: 4,
  /** A data audit returned violating rows. */
  audit: 5,
  /** Another csqa run holds the database. */
  locked: 6,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class CsqaError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ConfigError extends CsqaError {
  constructor(message: string) {
    super(message, ExitCode.usage);
  }
}

export class InputError extends CsqaError {
  constructor(message: string) {
    super(message, ExitCode.input);
  }
}

export class QuarantineThresholdError extends CsqaError {
  constructor(message: string) {
    super(message, ExitCode.quarantine);
  }
}

export class AuditError extends CsqaError {
  constructor(message: string) {
    super(message, ExitCode.audit);
  }
}

export class LockError extends CsqaError {
  constructor(message: string) {
    super(message, ExitCode.locked);
  }
}
