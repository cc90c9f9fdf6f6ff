/**
 * IAM (awsQuery, 2010-05-08) and STS GetCallerIdentity (awsQuery, 2011-06-15), XML responses.
 */
import type { HandlerContext } from '../context.js';
import type { IamGroup, IamRole, IamUser, ManagedPolicy, Tag } from '../model.js';
import type { Reply } from '../types.js';
import type { XmlValue } from '../wire.js';
import { ServiceError, decodeToken, encodeToken, isRecord, isoSeconds, pyQuote, shortHash, toXml, xmlEscape } from '../wire.js';

export const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
export const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

type Form = Record<string, string>;

function xmlReply(ns: string, operation: string, requestId: string, result: Record<string, XmlValue> | undefined): Reply {
  const inner = result === undefined ? '' : toXml(`${operation}Result`, result) || `<${operation}Result/>`;
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<${operation}Response xmlns="${ns}">${inner}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`;
  return { status: 200, contentType: 'text/xml', body };
}

/** awsQuery error envelope (IAM and STS). */
export function queryError(ns: string, code: string, message: string, status: number, requestId: string): Reply {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${ns}"><Error><Type>${type}</Type><Code>${xmlEscape(code)}</Code>` +
    `<Message>${xmlEscape(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { status, contentType: 'text/xml', body };
}

const noSuch = (message: string): ServiceError => new ServiceError('NoSuchEntity', message, 404);
const validation = (message: string): ServiceError => new ServiceError('ValidationError', message, 400);

function required(form: Form, name: string, pattern?: RegExp, max = 128): string {
  const v = form[name];
  const lower = name.charAt(0).toLowerCase() + name.slice(1);
  if (v === undefined || v === '') throw validation(`1 validation error detected: Value null at '${lower}' failed to satisfy constraint: Member must not be null`);
  if (v.length > max) {
    throw validation(`1 validation error detected: Value '${v}' at '${lower}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
  }
  if (pattern && !pattern.test(v)) {
    throw validation(`1 validation error detected: Value '${v}' at '${lower}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern.source}`);
  }
  return v;
}

const NAME_RE = /^[\w+=,.@-]+$/;

function userByName(ctx: HandlerContext, name: string): IamUser {
  const u = ctx.world.iam.users[name];
  if (!u) throw noSuch(`The user with name ${name} cannot be found.`);
  return u;
}

/** UserName from the form, or the caller's user (a GetSessionToken session acts as its parent user). */
function userOrCaller(ctx: HandlerContext, form: Form): IamUser {
  const name = form.UserName;
  if (name !== undefined && name !== '') {
    if (!NAME_RE.test(name)) required(form, 'UserName', NAME_RE);
    return userByName(ctx, name);
  }
  if (!ctx.caller.userName) throw validation('Must specify userName when calling with non-User credentials');
  return userByName(ctx, ctx.caller.userName);
}

function groupByName(ctx: HandlerContext, name: string): IamGroup {
  const g = ctx.world.iam.groups[name];
  if (!g) throw noSuch(`The group with name ${name} cannot be found.`);
  return g;
}

function roleByName(ctx: HandlerContext, name: string): IamRole {
  const r = ctx.world.iam.roles[name];
  if (!r) throw noSuch(`The role with name ${name} cannot be found.`);
  return r;
}

const ARN_RE = /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/.+/;

function policyByArn(ctx: HandlerContext, arn: string): ManagedPolicy {
  if (!ARN_RE.test(arn)) throw new ServiceError('InvalidInput', `ARN ${arn} is not valid.`, 400);
  const p = ctx.world.iam.managedPolicies[arn];
  if (!p) throw noSuch(`Policy ${arn} does not exist or is not attachable.`);
  return p;
}

/** IAM Marker/IsTruncated/MaxItems paging; the marker is bound to the operation and its subject. */
function page<T>(form: Form, scope: string, items: T[]): { items: T[]; IsTruncated: boolean; Marker?: string } {
  let max = 100;
  const rawMax = form.MaxItems;
  if (rawMax !== undefined && rawMax !== '') {
    const n = Number(rawMax);
    if (!Number.isInteger(n) || n < 1 || n > 1000) {
      throw validation(
        `1 validation error detected: Value '${rawMax}' at 'maxItems' failed to satisfy constraint: Member must have value ${n < 1 ? 'greater than or equal to 1' : 'less than or equal to 1000'}`,
      );
    }
    max = n;
  }
  const h = shortHash(scope);
  let offset = 0;
  const marker = form.Marker;
  if (marker !== undefined && marker !== '') {
    const t = decodeToken(marker);
    if (!t || t.h !== h) throw new ServiceError('InvalidInput', 'Invalid Marker.', 400);
    offset = t.o;
  }
  const slice = items.slice(offset, offset + max);
  if (offset + max < items.length) return { items: slice, IsTruncated: true, Marker: encodeToken({ h, o: offset + max }) };
  return { items: slice, IsTruncated: false };
}

function paged<T>(form: Form, scope: string, name: string, items: T[], map: (t: T) => XmlValue, extra: Record<string, XmlValue> = {}): Record<string, XmlValue> {
  const p = page(form, scope, items);
  const out: Record<string, XmlValue> = { ...extra, [name]: p.items.map(map), IsTruncated: p.IsTruncated };
  if (p.Marker) out.Marker = p.Marker;
  return out;
}

function tagsXml(tags: Tag[]): XmlValue {
  return tags.map((t) => ({ Key: t.Key, Value: t.Value }));
}

function boundary(arn: string | undefined): XmlValue {
  return arn ? { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn } : undefined;
}

function attached(ctx: HandlerContext, arns: string[], pathPrefix: string | undefined): Array<{ PolicyName: string; PolicyArn: string }> {
  return arns
    .map((arn) => ({ arn, policy: ctx.world.iam.managedPolicies[arn] }))
    .filter(({ policy }) => !pathPrefix || (policy?.path ?? '/').startsWith(pathPrefix))
    .map(({ arn, policy }) => ({ PolicyName: policy?.policyName ?? arn.split('/').pop() ?? arn, PolicyArn: arn }));
}

function sortedNames(rec: Record<string, string>): string[] {
  return Object.keys(rec).sort();
}

/** Validates a policy document the way IAM's MalformedPolicyDocument does (syntax + basic grammar). */
function validatePolicy(doc: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(doc);
  } catch {
    throw new ServiceError('MalformedPolicyDocument', 'Syntax errors in policy.', 400);
  }
  if (!isRecord(parsed)) throw new ServiceError('MalformedPolicyDocument', 'Syntax errors in policy.', 400);
  const st = parsed.Statement;
  if (st === undefined) throw new ServiceError('MalformedPolicyDocument', 'Missing required field Statement', 400);
  const list = Array.isArray(st) ? st : [st];
  for (const s of list) {
    if (!isRecord(s)) throw new ServiceError('MalformedPolicyDocument', 'Syntax errors in policy.', 400);
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw new ServiceError('MalformedPolicyDocument', 'Missing required field Effect', 400);
    if (s.Action === undefined && s.NotAction === undefined) throw new ServiceError('MalformedPolicyDocument', 'Policy statement must contain actions.', 400);
    if (s.Principal !== undefined || s.NotPrincipal !== undefined) throw new ServiceError('MalformedPolicyDocument', 'Policy document should not specify a principal.', 400);
  }
}

function userXml(u: IamUser): Record<string, XmlValue> {
  return {
    Path: u.path,
    UserName: u.userName,
    UserId: u.userId,
    Arn: u.arn,
    CreateDate: isoSeconds(u.createDate),
    PasswordLastUsed: u.passwordLastUsed ? isoSeconds(u.passwordLastUsed) : undefined,
    PermissionsBoundary: boundary(u.permissionsBoundaryArn),
    Tags: u.tags.length > 0 ? tagsXml(u.tags) : undefined,
  };
}

export const IAM_OPERATIONS = [
  'GetUser',
  'ListAccessKeys',
  'GetAccessKeyLastUsed',
  'UpdateAccessKey',
  'ListUserTags',
  'ListAttachedUserPolicies',
  'ListUserPolicies',
  'GetUserPolicy',
  'PutUserPolicy',
  'DeleteUserPolicy',
  'ListGroupsForUser',
  'ListAttachedGroupPolicies',
  'ListGroupPolicies',
  'GetGroupPolicy',
  'GetRole',
  'ListAttachedRolePolicies',
  'ListRolePolicies',
  'GetRolePolicy',
  'GetPolicy',
  'GetPolicyVersion',
] as const;

function iamResult(ctx: HandlerContext, op: string, form: Form): Record<string, XmlValue> | undefined {
  const iam = ctx.world.iam;
  switch (op) {
    case 'GetUser':
      return { User: userXml(userOrCaller(ctx, form)) };
    case 'ListAccessKeys': {
      const u = userOrCaller(ctx, form);
      const keys = Object.values(iam.accessKeys).filter((k) => k.userName === u.userName && !k.accessKeyId.startsWith('ASIA'));
      return paged(form, `ListAccessKeys|${u.userName}`, 'AccessKeyMetadata', keys, (k) => ({
        UserName: k.userName,
        AccessKeyId: k.accessKeyId,
        Status: k.status,
        CreateDate: isoSeconds(k.createDate),
      }));
    }
    case 'GetAccessKeyLastUsed': {
      const id = required(form, 'AccessKeyId', /^\w+$/);
      const k = iam.accessKeys[id];
      if (!k || id.startsWith('ASIA')) throw noSuch(`The Access Key with id ${id} cannot be found`);
      return {
        UserName: k.userName,
        AccessKeyLastUsed: k.lastUsed
          ? { LastUsedDate: isoSeconds(k.lastUsed.date), ServiceName: k.lastUsed.serviceName, Region: k.lastUsed.region }
          : { ServiceName: 'N/A', Region: 'N/A' },
      };
    }
    case 'UpdateAccessKey': {
      const id = required(form, 'AccessKeyId', /^\w+$/);
      const status = required(form, 'Status');
      if (status !== 'Active' && status !== 'Inactive') {
        throw validation(`1 validation error detected: Value '${status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive, Expired]`);
      }
      const u = userOrCaller(ctx, form);
      const k = iam.accessKeys[id];
      if (!k || k.userName !== u.userName || id.startsWith('ASIA')) throw noSuch(`The Access Key with id ${id} cannot be found`);
      k.status = status;
      ctx.mutate.keyStatus(id, status);
      return undefined;
    }
    case 'ListUserTags': {
      const u = userByName(ctx, required(form, 'UserName', NAME_RE));
      const tags = [...u.tags].sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0));
      return paged(form, `ListUserTags|${u.userName}`, 'Tags', tags, (t) => ({ Key: t.Key, Value: t.Value }));
    }
    case 'ListAttachedUserPolicies': {
      const u = userByName(ctx, required(form, 'UserName', NAME_RE));
      return paged(form, `LAUP|${u.userName}|${form.PathPrefix ?? ''}`, 'AttachedPolicies', attached(ctx, u.attachedPolicyArns, form.PathPrefix), (p) => p);
    }
    case 'ListUserPolicies': {
      const u = userByName(ctx, required(form, 'UserName', NAME_RE));
      return paged(form, `LUP|${u.userName}`, 'PolicyNames', sortedNames(u.inlinePolicies), (n) => n);
    }
    case 'GetUserPolicy': {
      const u = userByName(ctx, required(form, 'UserName', NAME_RE));
      const name = required(form, 'PolicyName', NAME_RE);
      const doc = u.inlinePolicies[name];
      if (doc === undefined) throw noSuch(`The user policy with name ${name} cannot be found.`);
      return { UserName: u.userName, PolicyName: name, PolicyDocument: pyQuote(doc) };
    }
    case 'PutUserPolicy': {
      const u = userByName(ctx, required(form, 'UserName', NAME_RE));
      const name = required(form, 'PolicyName', NAME_RE);
      const doc = required(form, 'PolicyDocument', undefined, 131072);
      validatePolicy(doc);
      u.inlinePolicies[name] = doc;
      ctx.mutate.userPolicy(u.userName, name, doc);
      return undefined;
    }
    case 'DeleteUserPolicy': {
      const u = userByName(ctx, required(form, 'UserName', NAME_RE));
      const name = required(form, 'PolicyName', NAME_RE);
      if (u.inlinePolicies[name] === undefined) throw noSuch(`The user policy with name ${name} cannot be found.`);
      delete u.inlinePolicies[name];
      ctx.mutate.userPolicy(u.userName, name, null);
      return undefined;
    }
    case 'ListGroupsForUser': {
      const u = userByName(ctx, required(form, 'UserName', NAME_RE));
      const groups = u.groups.map((g) => iam.groups[g]).filter((g): g is IamGroup => g !== undefined);
      return paged(form, `LGFU|${u.userName}`, 'Groups', groups, (g) => ({
        Path: g.path,
        GroupName: g.groupName,
        GroupId: g.groupId,
        Arn: g.arn,
        CreateDate: isoSeconds(g.createDate),
      }));
    }
    case 'ListAttachedGroupPolicies': {
      const g = groupByName(ctx, required(form, 'GroupName', NAME_RE));
      return paged(form, `LAGP|${g.groupName}|${form.PathPrefix ?? ''}`, 'AttachedPolicies', attached(ctx, g.attachedPolicyArns, form.PathPrefix), (p) => p);
    }
    case 'ListGroupPolicies': {
      const g = groupByName(ctx, required(form, 'GroupName', NAME_RE));
      return paged(form, `LGP|${g.groupName}`, 'PolicyNames', sortedNames(g.inlinePolicies), (n) => n);
    }
    case 'GetGroupPolicy': {
      const g = groupByName(ctx, required(form, 'GroupName', NAME_RE));
      const name = required(form, 'PolicyName', NAME_RE);
      const doc = g.inlinePolicies[name];
      if (doc === undefined) throw noSuch(`The group policy with name ${name} cannot be found.`);
      return { GroupName: g.groupName, PolicyName: name, PolicyDocument: pyQuote(doc) };
    }
    case 'GetRole': {
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
    }
    case 'ListAttachedRolePolicies': {
      const r = roleByName(ctx, required(form, 'RoleName', NAME_RE));
      return paged(form, `LARP|${r.roleName}|${form.PathPrefix ?? ''}`, 'AttachedPolicies', attached(ctx, r.attachedPolicyArns, form.PathPrefix), (p) => p);
    }
    case 'ListRolePolicies': {
      const r = roleByName(ctx, required(form, 'RoleName', NAME_RE));
      return paged(form, `LRP|${r.roleName}`, 'PolicyNames', sortedNames(r.inlinePolicies), (n) => n);
    }
    case 'GetRolePolicy': {
      const r = roleByName(ctx, required(form, 'RoleName', NAME_RE));
      const name = required(form, 'PolicyName', NAME_RE);
      const doc = r.inlinePolicies[name];
      if (doc === undefined) throw noSuch(`The role policy with name ${name} cannot be found.`);
      return { RoleName: r.roleName, PolicyName: name, PolicyDocument: pyQuote(doc) };
    }
    case 'GetPolicy': {
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
    }
    case 'GetPolicyVersion': {
      const arn = required(form, 'PolicyArn', undefined, 2048);
      const versionId = required(form, 'VersionId', /^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/);
      const p = policyByArn(ctx, arn);
      const v = p.versions.find((x) => x.versionId === versionId);
      if (!v) throw noSuch(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);
      return {
        PolicyVersion: { Document: pyQuote(v.document), VersionId: v.versionId, IsDefaultVersion: v.isDefaultVersion, CreateDate: isoSeconds(v.createDate) },
      };
    }
    default:
      throw new ServiceError('InvalidAction', `Could not find operation ${op} for version 2010-05-08`, 400);
  }
}

export function handleIam(ctx: HandlerContext, op: string, form: Form, requestId: string): Reply {
  return xmlReply(IAM_NS, op, requestId, iamResult(ctx, op, form));
}

export function handleSts(ctx: HandlerContext, op: string, requestId: string): Reply {
  if (op !== 'GetCallerIdentity') throw new ServiceError('InvalidAction', `Could not find operation ${op} for version 2011-06-15`, 400);
  return xmlReply(STS_NS, op, requestId, { UserId: ctx.caller.userId, Account: ctx.world.accountId, Arn: ctx.caller.arn });
}
