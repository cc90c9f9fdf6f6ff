/**
 * Executing one plan step: its write, then reading the state back until it shows (IAM and CloudTrail are
 * eventually consistent), through the audited-change runner shared with remediate (intent and outcome recorded
 * whatever happens). Writes go through `ctx`; every read (the read-backs, and the document read before a deletion)
 * through `rctx`: in a member account its read role, never the write role.
 */
import type { AuditLog } from '../../audit/audit-log.js';
import { getTrailStatus, startLogging, stopLogging } from '../../aws/cloudtrail-trails.js';
import { deleteInlinePolicy, deleteLoginProfile, putInlinePolicy, setDefaultPolicyVersion, setPolicyAttached, updateAssumeRolePolicy } from '../../aws/iam-containment.js';
import { getInlinePolicy, getLoginProfile, getRoleTrustPolicy, listAttachedPolicyArns, listPolicyVersions } from '../../aws/iam-state.js';
import { deleteUserInlinePolicy, putUserInlinePolicy, readBack, updateAccessKeyStatus, verifyAccessKeyStatus, verifyUserInlinePolicy } from '../../aws/iam-writes.js';
import type { Context } from '../../cli/context.js';
import { sameDocument } from '../../core/changes/index.js';
import type { ContainPlan, ContainStep, ContainStepResult, StepParams } from '../../core/containment/index.js';
import { revokePolicyCutoff, revokePolicyDocument } from '../../core/remediation/index.js';
import { runAudited, type AuditBase, type ReadBack } from '../remediation/audited.js';

type Act = { write: () => Promise<void>; verify: () => Promise<ReadBack>; params: () => StepParams };

const done = <T>(r: { verified: boolean; observed: T | undefined; error?: string }, show: (v: T | undefined) => string): ReadBack => ({
  verified: r.verified,
  ...(r.error ? { error: r.error } : { observed: show(r.observed) }),
});

function act(ctx: Context, rctx: Context, step: ContainStep): Act {
  let p = step.params;
  const params = (): StepParams => p;
  switch (p.action) {
    case 'deactivate':
    case 'reactivate': {
      const { userName, accessKeyId } = p;
      const want = p.action === 'deactivate' ? 'Inactive' : 'Active';
      return {
        params,
        write: () => updateAccessKeyStatus(ctx, userName, accessKeyId, want),
        verify: async () => done(await verifyAccessKeyStatus(rctx, userName, accessKeyId, want), (v) => v ?? 'absent'),
      };
    }
    case 'revoke-sessions':
    case 'revoke-role-sessions': {
      const q = p;
      let mine = '';
      const read = (): Promise<string | undefined> => ('userName' in q ? getInlinePolicy(rctx, 'user', q.userName, q.policyName) : getInlinePolicy(rctx, 'role', q.roleName, q.policyName));
      return {
        params,
        // The cutoff is the moment of the write: sessions minted while the analyst read the plan are revoked too.
        write: async () => {
          const now = ctx.clock.now();
          mine = now.toISOString();
          const doc = revokePolicyDocument(now);
          if ('userName' in q) await putUserInlinePolicy(ctx, q.userName, q.policyName, doc);
          else await putInlinePolicy(ctx, 'role', q.roleName, q.policyName, doc);
        },
        verify: async () => done(await readBack(rctx, read, (d) => d !== undefined && Date.parse(revokePolicyCutoff(d) ?? '') >= Date.parse(mine)), (v) => (v === undefined ? 'absent' : 'present')),
      };
    }
    case 'restore-sessions':
      return {
        params,
        write: async () => {
          await deleteUserInlinePolicy(ctx, (p as { userName: string }).userName, (p as { policyName: string }).policyName);
        },
        verify: async () => done(await verifyUserInlinePolicy(rctx, (p as { userName: string }).userName, (p as { policyName: string }).policyName, undefined), (v) => (v === undefined ? 'absent' : 'present')),
      };
    case 'restore-role-sessions': {
      const q = p;
      return {
        params,
        write: () => deleteInlinePolicy(ctx, 'role', q.roleName, q.policyName),
        verify: async () => done(await readBack(rctx, () => getInlinePolicy(rctx, 'role', q.roleName, q.policyName), (d) => d === undefined), (v) => (v === undefined ? 'absent' : 'present')),
      };
    }
    case 'delete-login-profile': {
      const q = p;
      return {
        params,
        write: () => deleteLoginProfile(ctx, q.userName),
        verify: async () => done(await readBack(rctx, () => getLoginProfile(rctx, q.userName), (v) => v === undefined), (v) => (v === undefined ? 'absent' : 'present')),
      };
    }
    case 'detach-policy':
    case 'attach-policy': {
      const q = p;
      const want = q.action === 'attach-policy';
      return {
        params,
        write: () => setPolicyAttached(ctx, q.holder, q.name, q.policyArn, want),
        verify: async () =>
          done(await readBack(rctx, () => listAttachedPolicyArns(rctx, q.holder, q.name), (arns) => (arns ?? []).includes(q.policyArn) === want), (arns) => ((arns ?? []).includes(q.policyArn) ? 'attached' : 'detached')),
      };
    }
    case 'delete-inline-policy':
    case 'put-inline-policy': {
      const q = p;
      return {
        params,
        write: async () => {
          if (q.action === 'delete-inline-policy') {
            // Keep the document in the audit log's outcome, so `contain --undo` can put it back exactly.
            const doc = await getInlinePolicy(rctx, q.holder, q.name, q.policyName);
            if (doc !== undefined) p = { ...q, document: doc };
            await deleteInlinePolicy(ctx, q.holder, q.name, q.policyName);
          } else await putInlinePolicy(ctx, q.holder, q.name, q.policyName, q.document);
        },
        verify: async () =>
          done(
            await readBack(rctx, () => getInlinePolicy(rctx, q.holder, q.name, q.policyName), (d) => (q.action === 'delete-inline-policy' ? d === undefined : d !== undefined && sameDocument(d, q.document))),
            (d) => (d === undefined ? 'absent' : 'present'),
          ),
      };
    }
    case 'set-trust-policy': {
      const q = p;
      return {
        params,
        write: () => updateAssumeRolePolicy(ctx, q.roleName, q.document),
        verify: async () => done(await readBack(rctx, () => getRoleTrustPolicy(rctx, q.roleName), (d) => d !== undefined && sameDocument(d, q.document)), (d) => (d === undefined ? 'role absent' : sameDocument(d, q.document) ? 'as written' : 'different')),
      };
    }
    case 'set-default-version': {
      const q = p;
      return {
        params,
        write: () => setDefaultPolicyVersion(ctx, q.policyArn, q.versionId),
        verify: async () =>
          done(await readBack(rctx, () => listPolicyVersions(rctx, q.policyArn), (vs) => (vs ?? []).some((v) => v.isDefault && v.versionId === q.versionId)), (vs) => (vs ?? []).find((v) => v.isDefault)?.versionId ?? 'unknown'),
      };
    }
    case 'start-logging':
    case 'stop-logging': {
      const q = p;
      const want = q.action === 'start-logging';
      return {
        params,
        write: () => (want ? startLogging(ctx, q.trail, q.region) : stopLogging(ctx, q.trail, q.region)),
        verify: async () => done(await readBack(rctx, () => getTrailStatus(rctx, q.trail, q.region), (s) => s?.isLogging === want), (s) => (s === undefined ? 'absent' : s.isLogging ? 'logging' : 'not logging')),
      };
    }
  }
}

/** The audited step: intent, write, read back, outcome. Never throws for AWS errors (returned in `failure`). */
export async function executeStep(
  ctx: Context,
  log: AuditLog,
  base: AuditBase,
  plan: ContainPlan,
  step: ContainStep,
  count: number,
  rctx: Context = ctx,
): Promise<ContainStepResult & { failure?: unknown }> {
  const a = act(ctx, rctx, step);
  const userName = 'userName' in step.params ? step.params.userName : plan.principal.userName ?? '';
  const r = await runAudited(
    ctx,
    log,
    base,
    {
      action: step.action,
      accessKeyId: step.accessKeyId,
      userName,
      ...('policyName' in step.params && (step.action.includes('sessions')) ? { policyName: step.params.policyName } : {}),
      statusBefore: step.before,
      statusAfter: step.after,
      planId: plan.planId,
      step: step.number,
      steps: count,
      ...(plan.undoOf ? { undoOf: plan.undoOf } : {}),
      api: step.api,
      target: step.subject,
      // A getter: the outcome record carries what the write learnt (the document a deletion removed).
      get params(): StepParams {
        return a.params();
      },
    },
    a.write,
    a.verify,
  );
  return {
    step: { ...step, params: a.params() },
    operationId: r.operationId,
    changed: r.changed,
    verified: r.verified,
    ...(r.observed !== undefined ? { observed: r.observed } : {}),
    ...(r.error !== undefined ? { error: r.error } : r.readError !== undefined ? { error: `not verified: ${r.readError}` } : {}),
    ...(r.failure !== undefined ? { failure: r.failure } : {}),
  };
}
