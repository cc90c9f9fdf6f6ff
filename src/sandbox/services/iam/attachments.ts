/**
 * What gives a user or role its permissions, being changed: managed-policy attachments (Attach/Detach User/Role
 * Policy), role inline policies (Put/DeleteRolePolicy) and a role's trust policy (UpdateAssumeRolePolicy).
 */
import type { HandlerContext } from '../../context.js';
import type { IamRole, IamUser } from '../../model.js';
import { ServiceError, isRecord } from '../../wire.js';
import type { Form, IamOperation } from './common.js';
import { NAME_RE, iamOp, noSuch, policyByArn, required, roleByName, userByName, validatePolicy } from './common.js';

/** IAM's default quota of managed policies attached to one user or role (IAM User Guide, "IAM and AWS STS quotas"). */
export const MANAGED_POLICIES_PER_PRINCIPAL = 10;

function attach(ctx: HandlerContext, form: Form, target: 'user' | 'role'): undefined {
  const holder: IamUser | IamRole =
    target === 'user' ? userByName(ctx, required(form, 'UserName', NAME_RE, 64)) : roleByName(ctx, required(form, 'RoleName', NAME_RE, 64));
  const policy = policyByArn(ctx, required(form, 'PolicyArn', undefined, 2048));
  if (!policy.isAttachable) throw new ServiceError('PolicyNotAttachable', `Policy ${policy.arn} is not attachable.`, 400);
  // Attaching a policy that is already attached succeeds and changes nothing.
  if (holder.attachedPolicyArns.includes(policy.arn)) return undefined;
  if (holder.attachedPolicyArns.length >= MANAGED_POLICIES_PER_PRINCIPAL) {
    throw new ServiceError('LimitExceeded', `Cannot exceed quota for PoliciesPer${target === 'user' ? 'User' : 'Role'}: ${MANAGED_POLICIES_PER_PRINCIPAL}`, 409);
  }
  const name = 'userName' in holder ? holder.userName : holder.roleName;
  ctx.mutate({ kind: 'policyAttach', account: ctx.account.accountId, target, name, policyArn: policy.arn });
  return undefined;
}

function detach(ctx: HandlerContext, form: Form, target: 'user' | 'role'): undefined {
  const holder: IamUser | IamRole =
    target === 'user' ? userByName(ctx, required(form, 'UserName', NAME_RE, 64)) : roleByName(ctx, required(form, 'RoleName', NAME_RE, 64));
  const arn = required(form, 'PolicyArn', undefined, 2048);
  if (!holder.attachedPolicyArns.includes(arn)) throw noSuch(`Policy ${arn} was not found.`);
  const name = 'userName' in holder ? holder.userName : holder.roleName;
  ctx.mutate({ kind: 'policyDetach', account: ctx.account.accountId, target, name, policyArn: arn });
  return undefined;
}

/** A trust policy's grammar: like an identity policy, but every statement names a Principal. */
export function validateTrustPolicy(doc: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(doc);
  } catch {
    throw new ServiceError('MalformedPolicyDocument', 'Syntax errors in policy.', 400);
  }
  const st = isRecord(parsed) ? parsed.Statement : undefined;
  const list = Array.isArray(st) ? st : [st];
  if (st === undefined || list.some((s) => !isRecord(s))) throw new ServiceError('MalformedPolicyDocument', 'Syntax errors in policy.', 400);
  for (const s of list as Array<Record<string, unknown>>) {
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw new ServiceError('MalformedPolicyDocument', 'Missing required field Effect', 400);
    if (s.Action === undefined && s.NotAction === undefined) throw new ServiceError('MalformedPolicyDocument', 'Policy statement must contain actions.', 400);
    if (s.Principal === undefined && s.NotPrincipal === undefined) throw new ServiceError('MalformedPolicyDocument', 'Missing required field Principal', 400);
  }
}

export const ATTACHMENT_OPERATIONS: Record<string, IamOperation> = {
  AttachUserPolicy: iamOp(false, (ctx, form) => attach(ctx, form, 'user')),
  DetachUserPolicy: iamOp(false, (ctx, form) => detach(ctx, form, 'user')),
  AttachRolePolicy: iamOp(false, (ctx, form) => attach(ctx, form, 'role')),
  DetachRolePolicy: iamOp(false, (ctx, form) => detach(ctx, form, 'role')),

  PutRolePolicy: iamOp(false, (ctx, form) => {
    const r = roleByName(ctx, required(form, 'RoleName', NAME_RE, 64));
    const policyName = required(form, 'PolicyName', NAME_RE);
    const document = required(form, 'PolicyDocument', undefined, 131072);
    validatePolicy(document);
    ctx.mutate({ kind: 'rolePolicyPut', account: ctx.account.accountId, roleName: r.roleName, policyName, document });
    return undefined;
  }),

  DeleteRolePolicy: iamOp(false, (ctx, form) => {
    const r = roleByName(ctx, required(form, 'RoleName', NAME_RE, 64));
    const policyName = required(form, 'PolicyName', NAME_RE);
    if (!Object.hasOwn(r.inlinePolicies, policyName)) throw noSuch(`The role policy with name ${policyName} cannot be found.`);
    ctx.mutate({ kind: 'rolePolicyDelete', account: ctx.account.accountId, roleName: r.roleName, policyName });
    return undefined;
  }),

  UpdateAssumeRolePolicy: iamOp(false, (ctx, form) => {
    const r = roleByName(ctx, required(form, 'RoleName', NAME_RE, 64));
    const document = required(form, 'PolicyDocument', undefined, 131072);
    validateTrustPolicy(document);
    ctx.mutate({ kind: 'roleTrustSet', account: ctx.account.accountId, roleName: r.roleName, document });
    return undefined;
  }),
};
