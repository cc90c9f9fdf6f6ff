/**
 * One change of a remediation: intent record (fsynced) → IAM write → read back → outcome record. The
 * audit log gets both records whatever happens, so a crash between them is found and reconciled later.
 */
import { randomUUID } from 'node:crypto';
import { AuditLog } from '../../audit/audit-log.js';
import {
  deleteUserInlinePolicy,
  putUserInlinePolicy,
  updateAccessKeyStatus,
  verifyAccessKeyStatus,
  verifyUserInlinePolicy,
} from '../../aws/iam-writes.js';
import type { Context } from '../../cli/context.js';
import { AUDIT_RECORD_VERSION, type AuditRecord } from '../../core/audit.js';
import {
  REVOKE_POLICY_NAME,
  revokePolicyCutoff,
  revokePolicyDocument,
  type PlanStep,
  type RemediationPlan,
  type StepResult,
} from '../../core/remediation/index.js';

/** Test hook (docs/commands/remediate.md): stop the process right after the intent record or the API call. */
export const CRASH_HOOK_ENV = 'GD_IR_TEST_CRASH_AFTER';

export type AuditBase = Pick<AuditRecord, 'accountId' | 'region' | 'callerArn' | 'findingId' | 'gdIrVersion' | 'roleArn' | 'roleSessionName' | 'sourceIdentity' | 'profile' | 'readRoleArn' | 'analystArn'>;

/** The fields every record of this remediation carries: where, who, and (a member account) through which role and session. */
export function auditBase(ctx: Context, plan: RemediationPlan): AuditBase {
  const write = plan.access?.write;
  const read = plan.access?.read;
  const member = write !== undefined && write.via !== 'caller' && write.via !== 'none';
  return {
    accountId: plan.facts.accountId,
    region: plan.facts.region,
    callerArn: member && write.actingArn ? write.actingArn : plan.facts.caller.arn,
    findingId: plan.request.findingId ?? null,
    gdIrVersion: ctx.version,
    ...(member && write.roleArn ? { roleArn: write.roleArn } : {}),
    ...(member && write.sessionName ? { roleSessionName: write.sessionName } : {}),
    ...(member && write.sourceIdentity ? { sourceIdentity: write.sourceIdentity } : {}),
    ...(member && write.profile ? { profile: write.profile } : {}),
    ...(member && read?.roleArn && read.via === 'role' ? { readRoleArn: read.roleArn } : {}),
    ...(member && plan.access?.analystArn ? { analystArn: plan.access.analystArn } : {}),
  };
}

function stepRecord(
  ctx: Context,
  base: AuditBase,
  kind: AuditRecord['kind'],
  operationId: string,
  step: PlanStep,
  accessKeyId: string,
  fields: Pick<AuditRecord, 'statusBefore' | 'statusAfter' | 'verified' | 'error'>,
): AuditRecord {
  return {
    v: AUDIT_RECORD_VERSION,
    kind,
    time: ctx.clock.now().toISOString(),
    operationId,
    action: step.action,
    accessKeyId,
    userName: step.userName,
    ...(step.action === 'revoke-sessions' || step.action === 'restore-sessions' ? { policyName: REVOKE_POLICY_NAME } : {}),
    ...base,
    ...fields,
    pid: AuditLog.writer.pid,
    host: AuditLog.writer.host,
  };
}


/** Test hook: `intent` / `call` kills at the first step, `intent:<action>` / `call:<action>` at that step. */
function crashHook(ctx: Context, point: 'intent' | 'call', action: PlanStep['action']): void {
  const at = ctx.env[CRASH_HOOK_ENV];
  if (at === point || at === `${point}:${action}`) process.kill(process.pid, 'SIGKILL');
}


/**
 * One change: intent (fsynced) → write → read back → outcome. Never throws for AWS errors; returns them. The write
 * goes through `ctx`; the read-back through `readCtx` (in a member account: the read role; reads never use the write role).
 */
export async function performStep(
  ctx: Context,
  log: AuditLog,
  base: AuditBase,
  step: PlanStep,
  accessKeyId: string,
  readCtx: Context = ctx,
): Promise<StepResult & { failure?: unknown }> {
  const operationId = randomUUID();
  log.append(stepRecord(ctx, base, 'intent', operationId, step, accessKeyId, { statusBefore: step.before, statusAfter: step.after, verified: null, error: null }), {
    durable: true,
  });
  crashHook(ctx, 'intent', step.action);
  const outcome = (fields: Pick<AuditRecord, 'statusAfter' | 'verified' | 'error'>): void =>
    log.append(stepRecord(ctx, base, 'outcome', operationId, step, accessKeyId, { statusBefore: step.before, ...fields }), { durable: true });
  try {
    let verify: { verified: boolean; observed?: string; error?: string };
    switch (step.action) {
      case 'deactivate':
      case 'reactivate': {
        const want = step.action === 'deactivate' ? 'Inactive' : 'Active';
        await updateAccessKeyStatus(ctx, step.userName, accessKeyId, want);
        crashHook(ctx, 'call', step.action);
        const r = await verifyAccessKeyStatus(readCtx, step.userName, accessKeyId, want);
        verify = { verified: r.verified, observed: r.observed, error: r.error };
        break;
      }
      case 'revoke-sessions': {
        // The cutoff is the moment of the write, not of the plan: sessions minted while the analyst
        // read the plan are revoked too.
        const cutoff = ctx.clock.now();
        const doc = revokePolicyDocument(cutoff);
        step.policyDocument = doc;
        step.cutoff = cutoff.toISOString();
        await putUserInlinePolicy(ctx, step.userName, REVOKE_POLICY_NAME, doc);
        crashHook(ctx, 'call', step.action);
        // Another gd-ir run may have written the policy after us with its own, later cutoff: that still
        // revokes every session ours would. Only an earlier cutoff (or someone else's policy) fails.
        const mine = cutoff.toISOString();
        const r = await verifyUserInlinePolicy(readCtx, step.userName, REVOKE_POLICY_NAME, (read) => {
          const theirs = revokePolicyCutoff(read);
          return theirs !== undefined && Date.parse(theirs) >= Date.parse(mine);
        });
        verify = { verified: r.verified, observed: r.error ? undefined : r.observed === undefined ? 'absent' : 'present', error: r.error };
        break;
      }
      case 'restore-sessions': {
        await deleteUserInlinePolicy(ctx, step.userName, REVOKE_POLICY_NAME);
        crashHook(ctx, 'call', step.action);
        const r = await verifyUserInlinePolicy(readCtx, step.userName, REVOKE_POLICY_NAME, undefined);
        verify = { verified: r.verified, observed: r.error ? undefined : r.observed === undefined ? 'absent' : 'present', error: r.error };
        break;
      }
    }
    outcome({ statusAfter: verify.observed ?? null, verified: verify.verified, error: null });
    return { step, operationId, changed: true, verified: verify.verified, observed: verify.observed };
  } catch (err) {
    const interrupted = err instanceof Error && err.name === 'AbortError';
    const message = interrupted ? 'interrupted before the result was known' : err instanceof Error ? err.message : String(err);
    outcome({ statusAfter: null, verified: false, error: message });
    return { step, operationId, changed: false, verified: false, error: message, failure: err };
  }
}

