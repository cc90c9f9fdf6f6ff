/**
 * Versions of customer managed policies: Create (at most five; optionally the new default), SetDefault, List, Delete.
 * AWS managed policies cannot be changed by an account.
 */
import type { HandlerContext } from '../../context.js';
import type { ManagedPolicy } from '../../model.js';
import { ServiceError, isoSeconds } from '../../wire.js';
import type { IamOperation } from './common.js';
import { iamOp, noSuch, own, paged, policyByArn, required, validatePolicy, validation } from './common.js';
import { trailDate } from './generate.js';

/** "A managed policy can have up to five versions" (IAM User Guide, "Versioning IAM policies"). */
export const MAX_POLICY_VERSIONS = 5;

const VERSION_RE = /^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/;

/** A customer managed policy of the caller's account (an AWS managed policy exists, but is not the account's to change). */
function ownPolicy(ctx: HandlerContext, arn: string): ManagedPolicy {
  const p = policyByArn(ctx, arn);
  const mine = own(ctx.account.iam.managedPolicies, arn);
  if (!mine || arn.startsWith('arn:aws:iam::aws:')) throw noSuch(`Policy ${p.arn} does not exist or is not attachable.`);
  return mine;
}

function version(p: ManagedPolicy, versionId: string) {
  const v = p.versions.find((x) => x.versionId === versionId);
  if (!v) throw noSuch(`Policy ${p.arn} version ${versionId} does not exist or is not attachable.`);
  return v;
}

export const POLICY_VERSION_OPERATIONS: Record<string, IamOperation> = {
  CreatePolicyVersion: iamOp(
    false,
    (ctx, form) => {
      const p = ownPolicy(ctx, required(form, 'PolicyArn', undefined, 2048));
      const document = required(form, 'PolicyDocument', undefined, 131072);
      const raw = form.SetAsDefault;
      if (raw !== undefined && raw !== '' && raw !== 'true' && raw !== 'false') throw validation(`1 validation error detected: Value '${raw}' at 'setAsDefault' failed to satisfy constraint: Member must be a boolean`);
      validatePolicy(document);
      if (p.versions.length >= MAX_POLICY_VERSIONS) {
        throw new ServiceError('LimitExceeded', `A managed policy can have up to ${MAX_POLICY_VERSIONS} versions. Before you create a new version, you must delete an existing version.`, 409);
      }
      const next = Math.max(0, ...p.versions.map((v) => Number(/^v(\d+)/.exec(v.versionId)?.[1] ?? 0))) + 1;
      const versionId = `v${next}`;
      const setAsDefault = raw === 'true';
      const createDate = isoSeconds(ctx.now);
      ctx.mutate({ kind: 'policyVersionCreate', account: ctx.account.accountId, policyArn: p.arn, versionId, document, createDate, setAsDefault });
      return { PolicyVersion: { VersionId: versionId, IsDefaultVersion: setAsDefault, CreateDate: createDate } };
    },
    {
      // setAsDefault is a primitive boolean in the model: recorded as a boolean, false when not sent.
      requestParameters: (call) => {
        const f = call.input as Record<string, string>;
        return { policyArn: f.PolicyArn, policyDocument: f.PolicyDocument, setAsDefault: f.SetAsDefault === 'true' };
      },
      responseElements: (out) => {
        const v = (out as { PolicyVersion: { VersionId: string; IsDefaultVersion: boolean; CreateDate: string } }).PolicyVersion;
        return { policyVersion: { versionId: v.VersionId, isDefaultVersion: v.IsDefaultVersion, createDate: trailDate(v.CreateDate) } };
      },
    },
  ),

  SetDefaultPolicyVersion: iamOp(false, (ctx, form) => {
    const p = ownPolicy(ctx, required(form, 'PolicyArn', undefined, 2048));
    const v = version(p, required(form, 'VersionId', VERSION_RE));
    ctx.mutate({ kind: 'policyVersionDefault', account: ctx.account.accountId, policyArn: p.arn, versionId: v.versionId, at: isoSeconds(ctx.now) });
    return undefined;
  }),

  ListPolicyVersions: iamOp(true, (ctx, form) => {
    const p = policyByArn(ctx, required(form, 'PolicyArn', undefined, 2048));
    return paged(form, `ListPolicyVersions|${p.arn}`, 'Versions', p.versions, (v) => ({
      VersionId: v.versionId,
      IsDefaultVersion: v.isDefaultVersion,
      CreateDate: isoSeconds(v.createDate),
    }));
  }),

  DeletePolicyVersion: iamOp(false, (ctx, form) => {
    const p = ownPolicy(ctx, required(form, 'PolicyArn', undefined, 2048));
    const v = version(p, required(form, 'VersionId', VERSION_RE));
    if (v.isDefaultVersion) throw new ServiceError('DeleteConflict', 'Cannot delete the default version of a policy.', 409);
    ctx.mutate({ kind: 'policyVersionDelete', account: ctx.account.accountId, policyArn: p.arn, versionId: v.versionId });
    return undefined;
  }),
};
