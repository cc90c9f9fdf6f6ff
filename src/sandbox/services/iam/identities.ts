/** IAM users and access keys being created and deleted (CreateUser, ListUsers, CreateAccessKey, DeleteAccessKey). */
import { ServiceError, isoSeconds } from '../../wire.js';
import type { Tag } from '../../model.js';
import type { IamOperation } from './common.js';
import { NAME_RE, iamOp, noSuch, own, paged, required, userOrCaller, userXml } from './common.js';
import { newAccessKeyId, newSecretAccessKey, newUserId, trailDate } from './generate.js';

/** IAM's quota of access keys per user (IAM User Guide, "IAM and AWS STS quotas"). */
export const ACCESS_KEYS_PER_USER = 2;

const PATH_RE = /^(\u002F)|(\u002F[\u0021-\u007E]+\u002F)$/;

function tagsOf(form: Record<string, string>): Tag[] {
  const tags: Tag[] = [];
  for (let i = 1; form[`Tags.member.${i}.Key`] !== undefined; i++) tags.push({ Key: form[`Tags.member.${i}.Key`] as string, Value: form[`Tags.member.${i}.Value`] ?? '' });
  return tags;
}

export const IDENTITY_OPERATIONS: Record<string, IamOperation> = {
  CreateUser: iamOp(
    false,
    (ctx, form) => {
      const userName = required(form, 'UserName', NAME_RE, 64);
      const path = form.Path && form.Path !== '' ? required(form, 'Path', PATH_RE, 512) : '/';
      if (own(ctx.account.iam.users, userName)) throw new ServiceError('EntityAlreadyExists', `User with name ${userName} already exists.`, 409);
      const user = {
        userName,
        userId: newUserId(),
        path,
        arn: `arn:aws:iam::${ctx.account.accountId}:user${path}${userName}`,
        createDate: isoSeconds(ctx.now),
        tags: tagsOf(form),
      };
      ctx.mutate({ kind: 'userCreate', account: ctx.account.accountId, ...user });
      return { User: userXml({ ...user, inlinePolicies: {}, attachedPolicyArns: [], groups: [] }) };
    },
    {
      // As the published CreateUser record: the created user, its date in CloudTrail's IAM date format.
      responseElements: (out) => {
        const u = (out as { User: Record<string, unknown> }).User;
        const user: Record<string, unknown> = { path: u.Path, userName: u.UserName, userId: u.UserId, arn: u.Arn, createDate: trailDate(String(u.CreateDate)) };
        const tags = u.Tags as Array<{ Key: string; Value: string }> | undefined;
        if (tags) user.tags = tags.map((t) => ({ key: t.Key, value: t.Value }));
        return { user };
      },
    },
  ),

  // ListUsers returns neither permissions boundaries nor tags (IAM API reference, ListUsers).
  ListUsers: iamOp(true, (ctx, form) => {
    const prefix = form.PathPrefix ?? '/';
    const users = Object.values(ctx.account.iam.users)
      .filter((u) => u.path.startsWith(prefix))
      .sort((a, b) => (a.userName < b.userName ? -1 : a.userName > b.userName ? 1 : 0));
    return paged(form, `ListUsers|${prefix}`, 'Users', users, (u) => ({ ...userXml(u), PermissionsBoundary: undefined, Tags: undefined }));
  }),

  CreateAccessKey: iamOp(
    false,
    (ctx, form) => {
      const u = userOrCaller(ctx, form);
      const existing = Object.values(ctx.account.iam.accessKeys).filter((k) => k.userName === u.userName && !k.accessKeyId.startsWith('ASIA'));
      if (existing.length >= ACCESS_KEYS_PER_USER) throw new ServiceError('LimitExceeded', `Cannot exceed quota for AccessKeysPerUser: ${ACCESS_KEYS_PER_USER}`, 409);
      const key = { accessKeyId: newAccessKeyId(), secretAccessKey: newSecretAccessKey(), createDate: isoSeconds(ctx.now) };
      ctx.mutate({ kind: 'accessKeyCreate', account: ctx.account.accountId, userName: u.userName, ...key });
      return { AccessKey: { UserName: u.userName, AccessKeyId: key.accessKeyId, Status: 'Active', SecretAccessKey: key.secretAccessKey, CreateDate: key.createDate } };
    },
    {
      // CloudTrail never records the secret (published CreateAccessKey records: accessKeyId, createDate, status, userName).
      responseElements: (out) => {
        const k = (out as { AccessKey: Record<string, string> }).AccessKey;
        return { accessKey: { userName: k.UserName, accessKeyId: k.AccessKeyId, status: k.Status, createDate: trailDate(k.CreateDate as string) } };
      },
    },
  ),

  DeleteAccessKey: iamOp(false, (ctx, form) => {
    const id = required(form, 'AccessKeyId', /^\w+$/);
    const u = userOrCaller(ctx, form);
    const k = own(ctx.account.iam.accessKeys, id);
    if (!k || k.userName !== u.userName || id.startsWith('ASIA')) throw noSuch(`The Access Key with id ${id} cannot be found`);
    ctx.mutate({ kind: 'accessKeyDelete', account: ctx.account.accountId, userName: u.userName, accessKeyId: id });
    return undefined;
  }),
};
