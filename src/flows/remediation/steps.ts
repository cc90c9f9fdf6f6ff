/**
 * One change of a remediation: intent record (fsynced) → IAM write → read back → outcome record, through the
 * audited-change runner every writer shares (./audited.ts).
 */
import type { AuditLog } from '../../audit/audit-log.js';
import {
  deleteUserInlinePolicy,
  putUserInlinePolicy,
  updateAccessKeyStatus,
  verifyAccessKeyStatus,
  verifyUserInlinePolicy,
} from '../../aws/iam-writes.js';
import type { Context } from '../../cli/context.js';
import { accessAuditFields } from '../../core/audit.js';
import {
  REVOKE_POLICY_NAME,
  revokePolicyCutoff,
  revokePolicyDocument,
  type PlanStep,
  type RemediationPlan,
  type StepResult,
} from '../../core/remediation/index.js';
import { runAudited, type AuditBase, type ReadBack } from './audited.js';

export { CRASH_HOOK_ENV, type AuditBase } from './audited.js';

/** The fields every record of this remediation carries: where, who, and (a member account) through which role and session. */
export function auditBase(ctx: Context, plan: RemediationPlan): AuditBase {
  return {
    accountId: plan.facts.accountId,
    region: plan.facts.region,
    findingId: plan.request.findingId ?? null,
    gdIrVersion: ctx.version,
    ...accessAuditFields(plan.facts.caller.arn, plan.access),
  };
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
  let verify: () => Promise<ReadBack>;
  let write: () => Promise<void>;
  switch (step.action) {
    case 'deactivate':
    case 'reactivate': {
      const want = step.action === 'deactivate' ? 'Inactive' : 'Active';
      write = () => updateAccessKeyStatus(ctx, step.userName, accessKeyId, want);
      verify = async () => {
        const r = await verifyAccessKeyStatus(readCtx, step.userName, accessKeyId, want);
        return { verified: r.verified, ...(r.observed !== undefined ? { observed: r.observed } : {}), ...(r.error ? { error: r.error } : {}) };
      };
      break;
    }
    case 'revoke-sessions': {
      let mine = '';
      // The cutoff is the moment of the write, not of the plan: sessions minted while the analyst read the plan
      // are revoked too.
      write = async () => {
        const cutoff = ctx.clock.now();
        step.policyDocument = revokePolicyDocument(cutoff);
        step.cutoff = cutoff.toISOString();
        mine = step.cutoff;
        await putUserInlinePolicy(ctx, step.userName, REVOKE_POLICY_NAME, step.policyDocument);
      };
      // Another gd-ir run may have written the policy after us with its own, later cutoff: that still revokes every
      // session ours would. Only an earlier cutoff (or someone else's policy) fails.
      verify = async () => {
        const r = await verifyUserInlinePolicy(readCtx, step.userName, REVOKE_POLICY_NAME, (read) => {
          const theirs = revokePolicyCutoff(read);
          return theirs !== undefined && Date.parse(theirs) >= Date.parse(mine);
        });
        return { verified: r.verified, ...(r.error ? { error: r.error } : { observed: r.observed === undefined ? 'absent' : 'present' }) };
      };
      break;
    }
    case 'restore-sessions': {
      write = async () => {
        await deleteUserInlinePolicy(ctx, step.userName, REVOKE_POLICY_NAME);
      };
      verify = async () => {
        const r = await verifyUserInlinePolicy(readCtx, step.userName, REVOKE_POLICY_NAME, undefined);
        return { verified: r.verified, ...(r.error ? { error: r.error } : { observed: r.observed === undefined ? 'absent' : 'present' }) };
      };
      break;
    }
  }
  const r = await runAudited(
    ctx,
    log,
    base,
    {
      action: step.action,
      accessKeyId,
      userName: step.userName,
      ...(step.action === 'revoke-sessions' || step.action === 'restore-sessions' ? { policyName: REVOKE_POLICY_NAME } : {}),
      statusBefore: step.before,
      statusAfter: step.after,
    },
    write,
    verify,
  );
  return {
    step,
    operationId: r.operationId,
    changed: r.changed,
    verified: r.verified,
    ...(r.observed !== undefined ? { observed: r.observed } : {}),
    ...(r.error !== undefined ? { error: r.error } : {}),
    ...(r.failure !== undefined ? { failure: r.failure } : {}),
  };
}
