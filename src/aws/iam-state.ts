/**
 * IAM reads of the changes sweep and of containment: does a user exist, its console password, what is attached to
 * or written inline on a user, role or group, a role's trust policy, a policy's versions. `undefined` answers mean
 * "does not exist" (NoSuchEntity); other failures throw typed errors naming the IAM action.
 */
import type { Context } from '../cli/context.js';
import { awsCall } from './call.js';
import { isNotFound } from './errors.js';
import { decodePolicyDocument } from './iam-writes.js';

export type Holder = 'user' | 'role' | 'group';
type IamCtx = Pick<Context, 'aws' | 'signal'>;

function notFound(err: unknown): boolean {
  return isNotFound(err) || isNotFound((err as { cause?: unknown }).cause);
}

/** Runs a read; NoSuchEntity becomes undefined. */
async function orMissing<T>(action: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await awsCall(action, fn);
  } catch (err) {
    if (notFound(err)) return undefined;
    throw err;
  }
}

async function pages<P, T>(iterable: AsyncIterable<P>, pick: (page: P) => T[]): Promise<T[]> {
  const out: T[] = [];
  for await (const page of iterable) out.push(...pick(page));
  return out;
}

const cap = (h: Holder): 'User' | 'Role' | 'Group' => (h === 'user' ? 'User' : h === 'role' ? 'Role' : 'Group');

export async function userExists(ctx: IamCtx, userName: string): Promise<boolean> {
  const { GetUserCommand } = await import('@aws-sdk/client-iam');
  const iam = await ctx.aws.iam();
  return (await orMissing('iam:GetUser', () => iam.send(new GetUserCommand({ UserName: userName }), { abortSignal: ctx.signal }))) !== undefined;
}

/** The user's console password metadata, or undefined when it has none (or the user does not exist). */
export async function getLoginProfile(ctx: IamCtx, userName: string): Promise<{ createDate?: string; passwordResetRequired?: boolean } | undefined> {
  const { GetLoginProfileCommand } = await import('@aws-sdk/client-iam');
  const iam = await ctx.aws.iam();
  const out = await orMissing('iam:GetLoginProfile', () => iam.send(new GetLoginProfileCommand({ UserName: userName }), { abortSignal: ctx.signal }));
  if (!out) return undefined;
  return {
    ...(out.LoginProfile?.CreateDate ? { createDate: out.LoginProfile.CreateDate.toISOString().replace(/\.000Z$/, 'Z') } : {}),
    ...(out.LoginProfile?.PasswordResetRequired !== undefined ? { passwordResetRequired: out.LoginProfile.PasswordResetRequired } : {}),
  };
}

/** ARNs of the managed policies attached to a user, role or group; undefined when it does not exist. */
export async function listAttachedPolicyArns(ctx: IamCtx, holder: Holder, name: string): Promise<string[] | undefined> {
  const m = await import('@aws-sdk/client-iam');
  const iam = await ctx.aws.iam();
  const pick = (p: { AttachedPolicies?: Array<{ PolicyArn?: string }> }): string[] => (p.AttachedPolicies ?? []).map((a) => a.PolicyArn ?? '').filter(Boolean);
  return orMissing(`iam:ListAttached${cap(holder)}Policies`, () => {
    if (holder === 'user') return pages(m.paginateListAttachedUserPolicies({ client: iam }, { UserName: name }), pick);
    if (holder === 'role') return pages(m.paginateListAttachedRolePolicies({ client: iam }, { RoleName: name }), pick);
    return pages(m.paginateListAttachedGroupPolicies({ client: iam }, { GroupName: name }), pick);
  });
}

/** Names of a user's, role's or group's inline policies; undefined when it does not exist. */
export async function listInlinePolicyNames(ctx: IamCtx, holder: Holder, name: string): Promise<string[] | undefined> {
  const m = await import('@aws-sdk/client-iam');
  const iam = await ctx.aws.iam();
  const pick = (p: { PolicyNames?: string[] }): string[] => p.PolicyNames ?? [];
  return orMissing(`iam:List${cap(holder)}Policies`, () => {
    if (holder === 'user') return pages(m.paginateListUserPolicies({ client: iam }, { UserName: name }), pick);
    if (holder === 'role') return pages(m.paginateListRolePolicies({ client: iam }, { RoleName: name }), pick);
    return pages(m.paginateListGroupPolicies({ client: iam }, { GroupName: name }), pick);
  });
}

export async function listUserGroups(ctx: IamCtx, userName: string): Promise<string[] | undefined> {
  const { paginateListGroupsForUser } = await import('@aws-sdk/client-iam');
  const iam = await ctx.aws.iam();
  return orMissing('iam:ListGroupsForUser', () => pages(paginateListGroupsForUser({ client: iam }, { UserName: userName }), (p) => (p.Groups ?? []).map((g) => g.GroupName ?? '').filter(Boolean)));
}

/** An inline policy's document (decoded), or undefined when there is none of that name. */
export async function getInlinePolicy(ctx: IamCtx, holder: Holder, name: string, policyName: string): Promise<string | undefined> {
  const m = await import('@aws-sdk/client-iam');
  const iam = await ctx.aws.iam();
  const o = { abortSignal: ctx.signal };
  const out = await orMissing(`iam:Get${cap(holder)}Policy`, async () => {
    if (holder === 'user') return (await iam.send(new m.GetUserPolicyCommand({ UserName: name, PolicyName: policyName }), o)).PolicyDocument;
    if (holder === 'role') return (await iam.send(new m.GetRolePolicyCommand({ RoleName: name, PolicyName: policyName }), o)).PolicyDocument;
    return (await iam.send(new m.GetGroupPolicyCommand({ GroupName: name, PolicyName: policyName }), o)).PolicyDocument;
  });
  return out === undefined ? undefined : decodePolicyDocument(out);
}

/** A role's trust policy (decoded), or undefined when the role does not exist. */
export async function getRoleTrustPolicy(ctx: IamCtx, roleName: string): Promise<string | undefined> {
  const { GetRoleCommand } = await import('@aws-sdk/client-iam');
  const iam = await ctx.aws.iam();
  const out = await orMissing('iam:GetRole', () => iam.send(new GetRoleCommand({ RoleName: roleName }), { abortSignal: ctx.signal }));
  return out ? decodePolicyDocument(out.Role?.AssumeRolePolicyDocument ?? '') : undefined;
}

export interface PolicyVersionInfo {
  versionId: string;
  isDefault: boolean;
  createDate?: string;
}

/** A managed policy's versions, or undefined when the policy does not exist. */
export async function listPolicyVersions(ctx: IamCtx, policyArn: string): Promise<PolicyVersionInfo[] | undefined> {
  const { paginateListPolicyVersions } = await import('@aws-sdk/client-iam');
  const iam = await ctx.aws.iam();
  return orMissing('iam:ListPolicyVersions', () =>
    pages(paginateListPolicyVersions({ client: iam }, { PolicyArn: policyArn }), (p) =>
      (p.Versions ?? []).map((v) => ({
        versionId: v.VersionId ?? '',
        isDefault: v.IsDefaultVersion ?? false,
        ...(v.CreateDate ? { createDate: v.CreateDate.toISOString().replace(/\.000Z$/, 'Z') } : {}),
      })),
    ),
  );
}

/** Whether a managed policy exists (an AWS managed policy newer than the partition's, say). */
export async function policyExists(ctx: IamCtx, policyArn: string): Promise<boolean> {
  const { GetPolicyCommand } = await import('@aws-sdk/client-iam');
  const iam = await ctx.aws.iam();
  return (await orMissing('iam:GetPolicy', () => iam.send(new GetPolicyCommand({ PolicyArn: policyArn }), { abortSignal: ctx.signal }))) !== undefined;
}
