/**
 * The IAM writes of a containment plan beyond remediate's (src/aws/iam-writes.ts): console passwords, managed
 * policy attachments, user/role/group inline policies, role trust policies, policy default versions. Each write is
 * announced in the audit log by the caller before it is sent; this module only talks to IAM.
 */
import type { Context } from '../cli/context.js';
import { awsCall } from './call.js';
import type { Holder } from './iam-state.js';

type IamCtx = Pick<Context, 'aws' | 'signal'>;
const cap = (h: Holder): 'User' | 'Role' | 'Group' => (h === 'user' ? 'User' : h === 'role' ? 'Role' : 'Group');

export async function deleteLoginProfile(ctx: IamCtx, userName: string): Promise<void> {
  const { DeleteLoginProfileCommand } = await import('@aws-sdk/client-iam');
  const iam = await ctx.aws.iam();
  await awsCall('iam:DeleteLoginProfile', () => iam.send(new DeleteLoginProfileCommand({ UserName: userName }), { abortSignal: ctx.signal }));
}

/** Attach (true) or detach (false) a managed policy. */
export async function setPolicyAttached(ctx: IamCtx, holder: Holder, name: string, policyArn: string, attached: boolean): Promise<void> {
  const m = await import('@aws-sdk/client-iam');
  const iam = await ctx.aws.iam();
  const o = { abortSignal: ctx.signal };
  const action = `iam:${attached ? 'Attach' : 'Detach'}${cap(holder)}Policy`;
  await awsCall(action, async () => {
    if (holder === 'user') await iam.send(attached ? new m.AttachUserPolicyCommand({ UserName: name, PolicyArn: policyArn }) : new m.DetachUserPolicyCommand({ UserName: name, PolicyArn: policyArn }), o);
    else if (holder === 'role') await iam.send(attached ? new m.AttachRolePolicyCommand({ RoleName: name, PolicyArn: policyArn }) : new m.DetachRolePolicyCommand({ RoleName: name, PolicyArn: policyArn }), o);
    else await iam.send(attached ? new m.AttachGroupPolicyCommand({ GroupName: name, PolicyArn: policyArn }) : new m.DetachGroupPolicyCommand({ GroupName: name, PolicyArn: policyArn }), o);
  });
}

/** Put an inline policy (creates or replaces). */
export async function putInlinePolicy(ctx: IamCtx, holder: Holder, name: string, policyName: string, document: string): Promise<void> {
  const m = await import('@aws-sdk/client-iam');
  const iam = await ctx.aws.iam();
  const o = { abortSignal: ctx.signal };
  await awsCall(`iam:Put${cap(holder)}Policy`, async () => {
    if (holder === 'user') await iam.send(new m.PutUserPolicyCommand({ UserName: name, PolicyName: policyName, PolicyDocument: document }), o);
    else if (holder === 'role') await iam.send(new m.PutRolePolicyCommand({ RoleName: name, PolicyName: policyName, PolicyDocument: document }), o);
    else await iam.send(new m.PutGroupPolicyCommand({ GroupName: name, PolicyName: policyName, PolicyDocument: document }), o);
  });
}

export async function deleteInlinePolicy(ctx: IamCtx, holder: Holder, name: string, policyName: string): Promise<void> {
  const m = await import('@aws-sdk/client-iam');
  const iam = await ctx.aws.iam();
  const o = { abortSignal: ctx.signal };
  await awsCall(`iam:Delete${cap(holder)}Policy`, async () => {
    if (holder === 'user') await iam.send(new m.DeleteUserPolicyCommand({ UserName: name, PolicyName: policyName }), o);
    else if (holder === 'role') await iam.send(new m.DeleteRolePolicyCommand({ RoleName: name, PolicyName: policyName }), o);
    else await iam.send(new m.DeleteGroupPolicyCommand({ GroupName: name, PolicyName: policyName }), o);
  });
}

export async function updateAssumeRolePolicy(ctx: IamCtx, roleName: string, document: string): Promise<void> {
  const { UpdateAssumeRolePolicyCommand } = await import('@aws-sdk/client-iam');
  const iam = await ctx.aws.iam();
  await awsCall('iam:UpdateAssumeRolePolicy', () => iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: document }), { abortSignal: ctx.signal }));
}

export async function setDefaultPolicyVersion(ctx: IamCtx, policyArn: string, versionId: string): Promise<void> {
  const { SetDefaultPolicyVersionCommand } = await import('@aws-sdk/client-iam');
  const iam = await ctx.aws.iam();
  await awsCall('iam:SetDefaultPolicyVersion', () => iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: policyArn, VersionId: versionId }), { abortSignal: ctx.signal }));
}
