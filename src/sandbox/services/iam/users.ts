/** IAM users and their access keys, in the caller's account. */
import type { IamGroup } from '../../model.js';
import { isoSeconds } from '../../wire.js';
import type { IamOperation } from './common.js';
import { NAME_RE, iamOp, noSuch, own, paged, required, userByName, userOrCaller, userXml, validation } from './common.js';

export const USER_OPERATIONS: Record<string, IamOperation> = {
  GetUser: iamOp(true, (ctx, form) => ({ User: userXml(userOrCaller(ctx, form)) })),

  ListAccessKeys: iamOp(true, (ctx, form) => {
    const u = userOrCaller(ctx, form);
    const keys = Object.values(ctx.account.iam.accessKeys).filter((k) => k.userName === u.userName && !k.accessKeyId.startsWith('ASIA'));
    return paged(form, `ListAccessKeys|${u.userName}`, 'AccessKeyMetadata', keys, (k) => ({
      UserName: k.userName,
      AccessKeyId: k.accessKeyId,
      Status: k.status,
      CreateDate: isoSeconds(k.createDate),
    }));
  }),

  GetAccessKeyLastUsed: iamOp(true, (ctx, form) => {
    const id = required(form, 'AccessKeyId', /^\w+$/);
    const k = own(ctx.account.iam.accessKeys, id);
    if (!k || id.startsWith('ASIA')) throw noSuch(`The Access Key with id ${id} cannot be found`);
    return {
      UserName: k.userName,
      AccessKeyLastUsed: k.lastUsed
        ? { LastUsedDate: isoSeconds(k.lastUsed.date), ServiceName: k.lastUsed.serviceName, Region: k.lastUsed.region }
        : { ServiceName: 'N/A', Region: 'N/A' },
    };
  }),

  UpdateAccessKey: iamOp(false, (ctx, form) => {
    const id = required(form, 'AccessKeyId', /^\w+$/);
    const status = required(form, 'Status');
    if (status !== 'Active' && status !== 'Inactive') {
      throw validation(`1 validation error detected: Value '${status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive, Expired]`);
    }
    const u = userOrCaller(ctx, form);
    const k = own(ctx.account.iam.accessKeys, id);
    if (!k || k.userName !== u.userName || id.startsWith('ASIA')) throw noSuch(`The Access Key with id ${id} cannot be found`);
    ctx.mutate({ kind: 'accessKeyStatus', account: ctx.account.accountId, accessKeyId: id, status });
    return undefined;
  }),

  ListUserTags: iamOp(true, (ctx, form) => {
    const u = userByName(ctx, required(form, 'UserName', NAME_RE));
    const tags = [...u.tags].sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0));
    return paged(form, `ListUserTags|${u.userName}`, 'Tags', tags, (t) => ({ Key: t.Key, Value: t.Value }));
  }),

  ListGroupsForUser: iamOp(true, (ctx, form) => {
    const u = userByName(ctx, required(form, 'UserName', NAME_RE));
    const groups = u.groups.map((g) => ctx.account.iam.groups[g]).filter((g): g is IamGroup => g !== undefined);
    return paged(form, `LGFU|${u.userName}`, 'Groups', groups, (g) => ({
      Path: g.path,
      GroupName: g.groupName,
      GroupId: g.groupId,
      Arn: g.arn,
      CreateDate: isoSeconds(g.createDate),
    }));
  }),
};
