/**
 * Every gateway sends through `send`: it passes the interrupt signal and turns SDK errors into typed
 * gd-ir errors naming the IAM action (`guardduty:ListFindings`), so commands can degrade on
 * PermissionError or fail with the right exit code.
 */
import { toGdIrError } from './errors.js';

export interface Sendable<Out> {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<Out>;
}

export async function awsCall<T>(action: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof Error && err.name === 'AbortError') throw err;
    throw toGdIrError(err, { action });
  }
}
