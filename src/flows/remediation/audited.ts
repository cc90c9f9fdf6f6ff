/**
 * One audited change, for any writer (remediate's steps, a containment plan's steps): intent record (fsynced) →
 * the write → read back → outcome record. The audit log gets both records whatever happens, so a crash between
 * them is found and reconciled later. AWS failures are returned, not thrown.
 */
import { randomUUID } from 'node:crypto';
import { AuditLog } from '../../audit/audit-log.js';
import type { Context } from '../../cli/context.js';
import { AUDIT_RECORD_VERSION, type AccessAuditFields, type AuditRecord } from '../../core/audit.js';

/** Test hook (docs/commands/remediate.md): stop the process right after the intent record or the API call. */
export const CRASH_HOOK_ENV = 'GD_IR_TEST_CRASH_AFTER';

/** What every record of one run's changes carries: where, by whom, and (a member account) through which role and session. */
export interface AuditBase extends AccessAuditFields {
  accountId: string;
  region: string;
  findingId: string | null;
  gdIrVersion: string;
}

/** What the records say about the change (besides the base and the outcome). */
export type AuditedChange = Pick<AuditRecord, 'action' | 'accessKeyId' | 'userName' | 'statusBefore' | 'statusAfter'> &
  Partial<Pick<AuditRecord, 'policyName' | 'planId' | 'step' | 'steps' | 'undoOf' | 'api' | 'target' | 'params'>>;

export interface ReadBack {
  verified: boolean;
  /** The state read back (undefined when the read failed). */
  observed?: string;
  error?: string;
}

export interface AuditedResult {
  operationId: string;
  changed: boolean;
  verified: boolean;
  observed?: string;
  /** The write failed: why. */
  error?: string;
  /** The write went through but the read-back failed: why (the step is then not verified). */
  readError?: string;
  /** The error of a write that failed (the caller decides how to report it). */
  failure?: unknown;
}

/** Test hook: `intent` / `call` kills at the first step, `intent:<action>` / `call:<action>` at that step. */
export function crashHook(ctx: Context, point: 'intent' | 'call', action: string): void {
  const at = ctx.env[CRASH_HOOK_ENV];
  if (at === point || at === `${point}:${action}`) process.kill(process.pid, 'SIGKILL');
}

function record(ctx: Context, base: AuditBase, kind: AuditRecord['kind'], operationId: string, change: AuditedChange, fields: Pick<AuditRecord, 'statusAfter' | 'verified' | 'error'>): AuditRecord {
  return {
    v: AUDIT_RECORD_VERSION,
    kind,
    time: ctx.clock.now().toISOString(),
    operationId,
    ...change,
    ...base,
    ...fields,
    pid: AuditLog.writer.pid,
    host: AuditLog.writer.host,
  };
}

/**
 * Runs `write` then `verify` between an intent and an outcome record. `write` may refine the change's
 * parameters before the call (the revoke cutoff is the moment of the write): they are recorded in the outcome.
 */
export async function runAudited(
  ctx: Context,
  log: AuditLog,
  base: AuditBase,
  change: AuditedChange,
  write: () => Promise<void>,
  verify: () => Promise<ReadBack>,
): Promise<AuditedResult> {
  const operationId = randomUUID();
  log.append(record(ctx, base, 'intent', operationId, change, { statusAfter: change.statusAfter, verified: null, error: null }), { durable: true });
  crashHook(ctx, 'intent', change.action);
  const outcome = (fields: Pick<AuditRecord, 'statusAfter' | 'verified' | 'error'>): void => log.append(record(ctx, base, 'outcome', operationId, change, fields), { durable: true });
  try {
    await write();
    crashHook(ctx, 'call', change.action);
    const v = await verify();
    outcome({ statusAfter: v.observed ?? null, verified: v.verified, error: null });
    return { operationId, changed: true, verified: v.verified, ...(v.observed !== undefined ? { observed: v.observed } : {}), ...(v.error ? { readError: v.error } : {}) };
  } catch (err) {
    const interrupted = err instanceof Error && err.name === 'AbortError';
    const message = interrupted ? 'interrupted before the result was known' : err instanceof Error ? err.message : String(err);
    outcome({ statusAfter: null, verified: false, error: message });
    return { operationId, changed: false, verified: false, error: message, failure: err };
  }
}
