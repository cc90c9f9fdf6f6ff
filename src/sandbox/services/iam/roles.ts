/** IAM roles and their policies. */
import { isoSeconds, pyQuote } from '../../wire.js';
import type { IamOperation } from './common.js';
import { NAME_RE, attached, boundary, iamOp, noSuch, paged, required, roleByName, sortedNames, tagsXml } from './common.js';

export const ROLE_OPERATIONS: Record<string, IamOperation> = {
  GetRole: iamOp(true, (ctx, form) => {
    const r = roleByName(ctx, required(form, 'RoleName', NAME_RE));
    return {
      Role: {
        Path: r.path,
        RoleName: r.roleName,
        RoleId: r.roleId,
        Arn: r.arn,
        CreateDate: isoSeconds(r.createDate),
        AssumeRolePolicyDocument: pyQuote(r.assumeRolePolicyDocument),
        Description: r.description,
        MaxSessionDuration: r.maxSessionDuration,
        PermissionsBoundary: boundary(r.permissionsBoundaryArn),
        Tags: r.tags.length > 0 ? tagsXml(r.tags) : undefined,
        RoleLastUsed: r.lastUsed ? { LastUsedDate: isoSeconds(r.lastUsed.date), Region: r.lastUsed.region } : {},
      },
    };
  }),

  ListAttachedRolePolicies: iamOp(true, (ctx, form) => {
    const r = roleByName(ctx, required(form, 'RoleName', NAME_RE));
    return paged(form, `LARP|${r.roleName}|${form.PathPrefix ?? ''}`, 'AttachedPolicies', attached(ctx, r.attachedPolicyArns, form.PathPrefix), (p) => p);
  }),

  ListRolePolicies: iamOp(true, (ctx, form) => {
    const r = roleByName(ctx, required(form, 'RoleName', NAME_RE));
    return paged(form, `LRP|${r.roleName}`, 'PolicyNames', sortedNames(r.inlinePolicies), (n) => n);
  }),

  GetRolePolicy: iamOp(true, (ctx, form) => {
    const r = roleByName(ctx, required(form, 'RoleName', NAME_RE));
    const name = required(form, 'PolicyName', NAME_RE);
    const doc = Object.hasOwn(r.inlinePolicies, name) ? r.inlinePolicies[name] : undefined;
    if (doc === undefined) throw noSuch(`The role policy with name ${name} cannot be found.`);
    return { RoleName: r.roleName, PolicyName: name, PolicyDocument: pyQuote(doc) };
  }),
};
