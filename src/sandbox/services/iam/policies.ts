/** IAM policies: users' and groups' inline and attached policies, and managed policies with their versions. */
import { isoSeconds, pyQuote } from '../../wire.js';
import type { IamOperation } from './common.js';
import { NAME_RE, attached, groupByName, iamOp, noSuch, paged, policyByArn, required, sortedNames, userByName, validatePolicy } from './common.js';

export const POLICY_OPERATIONS: Record<string, IamOperation> = {
  ListAttachedUserPolicies: iamOp(true, (ctx, form) => {
    const u = userByName(ctx, required(form, 'UserName', NAME_RE));
    return paged(form, `LAUP|${u.userName}|${form.PathPrefix ?? ''}`, 'AttachedPolicies', attached(ctx, u.attachedPolicyArns, form.PathPrefix), (p) => p);
  }),

  ListUserPolicies: iamOp(true, (ctx, form) => {
    const u = userByName(ctx, required(form, 'UserName', NAME_RE));
    return paged(form, `LUP|${u.userName}`, 'PolicyNames', sortedNames(u.inlinePolicies), (n) => n);
  }),

  GetUserPolicy: iamOp(true, (ctx, form) => {
    const u = userByName(ctx, required(form, 'UserName', NAME_RE));
    const name = required(form, 'PolicyName', NAME_RE);
    const doc = Object.hasOwn(u.inlinePolicies, name) ? u.inlinePolicies[name] : undefined;
    if (doc === undefined) throw noSuch(`The user policy with name ${name} cannot be found.`);
    return { UserName: u.userName, PolicyName: name, PolicyDocument: pyQuote(doc) };
  }),

  PutUserPolicy: iamOp(false, (ctx, form) => {
    const u = userByName(ctx, required(form, 'UserName', NAME_RE));
    const policyName = required(form, 'PolicyName', NAME_RE);
    const document = required(form, 'PolicyDocument', undefined, 131072);
    validatePolicy(document);
    ctx.mutate({ kind: 'userPolicyPut', account: ctx.account.accountId, userName: u.userName, policyName, document });
    return undefined;
  }),

  DeleteUserPolicy: iamOp(false, (ctx, form) => {
    const u = userByName(ctx, required(form, 'UserName', NAME_RE));
    const policyName = required(form, 'PolicyName', NAME_RE);
    if (!Object.hasOwn(u.inlinePolicies, policyName)) throw noSuch(`The user policy with name ${policyName} cannot be found.`);
    ctx.mutate({ kind: 'userPolicyDelete', account: ctx.account.accountId, userName: u.userName, policyName });
    return undefined;
  }),

  ListAttachedGroupPolicies: iamOp(true, (ctx, form) => {
    const g = groupByName(ctx, required(form, 'GroupName', NAME_RE));
    return paged(form, `LAGP|${g.groupName}|${form.PathPrefix ?? ''}`, 'AttachedPolicies', attached(ctx, g.attachedPolicyArns, form.PathPrefix), (p) => p);
  }),

  ListGroupPolicies: iamOp(true, (ctx, form) => {
    const g = groupByName(ctx, required(form, 'GroupName', NAME_RE));
    return paged(form, `LGP|${g.groupName}`, 'PolicyNames', sortedNames(g.inlinePolicies), (n) => n);
  }),

  GetGroupPolicy: iamOp(true, (ctx, form) => {
    const g = groupByName(ctx, required(form, 'GroupName', NAME_RE));
    const name = required(form, 'PolicyName', NAME_RE);
    const doc = Object.hasOwn(g.inlinePolicies, name) ? g.inlinePolicies[name] : undefined;
    if (doc === undefined) throw noSuch(`The group policy with name ${name} cannot be found.`);
    return { GroupName: g.groupName, PolicyName: name, PolicyDocument: pyQuote(doc) };
  }),

  GetPolicy: iamOp(true, (ctx, form) => {
    const p = policyByArn(ctx, required(form, 'PolicyArn', undefined, 2048));
    return {
      Policy: {
        PolicyName: p.policyName,
        PolicyId: p.policyId,
        Arn: p.arn,
        Path: p.path,
        DefaultVersionId: p.defaultVersionId,
        AttachmentCount: p.attachmentCount,
        PermissionsBoundaryUsageCount: p.permissionsBoundaryUsageCount,
        IsAttachable: p.isAttachable,
        Description: p.description,
        CreateDate: isoSeconds(p.createDate),
        UpdateDate: isoSeconds(p.updateDate),
      },
    };
  }),

  GetPolicyVersion: iamOp(true, (ctx, form) => {
    const arn = required(form, 'PolicyArn', undefined, 2048);
    const versionId = required(form, 'VersionId', /^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/);
    const p = policyByArn(ctx, arn);
    const v = p.versions.find((x) => x.versionId === versionId);
    if (!v) throw noSuch(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);
    return {
      PolicyVersion: { Document: pyQuote(v.document), VersionId: v.versionId, IsDefaultVersion: v.isDefaultVersion, CreateDate: isoSeconds(v.createDate) },
    };
  }),
};
