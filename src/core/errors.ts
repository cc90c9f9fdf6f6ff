/**
 * Typed errors and the one table that turns them into exit codes (docs/exit-codes.md).
 * Commands throw these; only src/cli/run.ts turns an error into output and an exit code.
 */

export const ExitCode = {
  Ok: 0,
  Runtime: 1,
  Usage: 2,
  Declined: 3,
  Auth: 4,
  Interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface GdIrErrorOptions {
  /** One line telling the user what to do about it. */
  remedy?: string;
  cause?: unknown;
}

export class GdIrError extends Error {
  readonly remedy?: string;
  constructor(
    message: string,
    readonly code: string,
    readonly exitCode: ExitCodeValue,
    options: GdIrErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.remedy = options.remedy;
  }
}

/** Bad command line or bad input file: exit 2, before any AWS call where possible. */
export class UsageError extends GdIrError {
  constructor(message: string, options: GdIrErrorOptions & { code?: string } = {}) {
    super(message, options.code ?? 'usage', ExitCode.Usage, options);
  }
}

/** A runtime failure: AWS error, missing resource, unverifiable write. Exit 1. */
export class RuntimeError extends GdIrError {
  constructor(message: string, options: GdIrErrorOptions & { code?: string } = {}) {
    super(message, options.code ?? 'runtime', ExitCode.Runtime, options);
  }
}

export class NotFoundError extends RuntimeError {
  constructor(message: string, options: GdIrErrorOptions = {}) {
    super(message, { ...options, code: 'not_found' });
  }
}

/** An AWS API error that is neither a credentials nor a permission problem. */
export class AwsError extends RuntimeError {
  constructor(
    message: string,
    readonly awsCode: string,
    readonly operation: string | undefined,
    options: GdIrErrorOptions = {},
  ) {
    super(message, { ...options, code: 'aws_error' });
  }
}

/** No credentials, expired or invalid ones. Exit 4. */
export class CredentialsError extends GdIrError {
  constructor(message: string, options: GdIrErrorOptions = {}) {
    super(message, 'credentials', ExitCode.Auth, options);
  }
}

/** AccessDenied on an operation gd-ir cannot do without. Exit 4. */
export class PermissionError extends GdIrError {
  constructor(
    message: string,
    /** The IAM action that was denied, e.g. `guardduty:ListFindings`, when known. */
    readonly permission: string | undefined,
    options: GdIrErrorOptions = {},
  ) {
    super(message, 'access_denied', ExitCode.Auth, options);
  }
}

/** The user said no (or typed the wrong confirmation). Exit 3, nothing changed. */
export class DeclinedError extends GdIrError {
  constructor(message = 'Confirmation declined; nothing was changed.') {
    super(message, 'declined', ExitCode.Declined);
  }
}

/** Ctrl-C / SIGINT / Esc at the top level. Exit 130. */
export class InterruptedError extends GdIrError {
  constructor(message = 'Interrupted.') {
    super(message, 'interrupted', ExitCode.Interrupted);
  }
}

/** One line saying what went wrong, with the remedy when there is one (for warnings that keep a report going). */
export function errorSummary(err: unknown): string {
  if (err instanceof GdIrError) return err.remedy ? `${err.message} (${err.remedy})` : err.message;
  return err instanceof Error ? err.message : String(err);
}
