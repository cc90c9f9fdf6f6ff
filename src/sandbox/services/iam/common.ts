/**
 * Shared IAM helpers: input validation in IAM's ValidationError wording, lookups in the caller's account with
 * moto-style NoSuchEntity messages, Marker paging, XML shapes, and the policy-document grammar check.
 */
import { awsManagedPolicy } from '../../aws-managed-policies.js';
import type { HandlerContext } from '../../context.js';
import type { IamGroup, IamRole, IamUser, ManagedPolicy, Tag } from '../../model.js';
import type { Operation } from '../../service.js';
import type { XmlValue } from '../../wire.js';
import { ServiceError, decodeToken, encodeToken, isRecord, isoSeconds, shortHash } from '../../wire.js';

export type Form = Record<string, string>;

/** An IAM operation: the awsQuery form in, the `<OperationResult>` members out (undefined: no Result element). */
export type IamOperation = Operation<undefined>;

/** Declares an IAM operation over the request form. */
export function iamOp(
  readOnly: boolean,
  fn: (ctx: HandlerContext, form: Form) => Record<string, XmlValue> | undefined,
  trail: Pick<IamOperation, 'requestParameters' | 'responseElements'> = {},
): IamOperation {
  return { readOnly, handle: (ctx, call) => fn(ctx, call.input as Form), ...trail };
}

export const noSuch = (message: string): ServiceError => new ServiceError('NoSuchEntity', message, 404);
export const validation = (message: string): ServiceError => new ServiceError('ValidationError', message, 400);

export function required(form: Form, name: string, pattern?: RegExp, max = 128): string {
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

/** `rec[key]` when it is the record's own entry (a user named `constructor` is not Object's constructor). */
export function own<T>(rec: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(rec, key) ? rec[key] : undefined;
}

export const NAME_RE = /^[\w+=,.@-]+$/;

export function userByName(ctx: HandlerContext, name: string): IamUser {
  const u = own(ctx.account.iam.users, name);
  if (!u) throw noSuch(`The user with name ${name} cannot be found.`);
  return u;
}

/** UserName from the form, or the caller's user (a GetSessionToken session acts as its parent user). */
export function userOrCaller(ctx: HandlerContext, form: Form): IamUser {
  const name = form.UserName;
  if (name !== undefined && name !== '') {
    if (!NAME_RE.test(name)) required(form, 'UserName', NAME_RE);
    return userByName(ctx, name);
  }
  if (!ctx.caller.userName) throw validation('Must specify userName when calling with non-User credentials');
  return userByName(ctx, ctx.caller.userName);
}

export function groupByName(ctx: HandlerContext, name: string): IamGroup {
  const g = own(ctx.account.iam.groups, name);
  if (!g) throw noSuch(`The group with name ${name} cannot be found.`);
  return g;
}

export function roleByName(ctx: HandlerContext, name: string): IamRole {
  const r = own(ctx.account.iam.roles, name);
  if (!r) throw noSuch(`The role with name ${name} cannot be found.`);
  return r;
}

export const ARN_RE = /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/.+/;

/** The account's managed policy, or an AWS managed policy (every account has those; src/sandbox/aws-managed-policies.ts). */
export function policyByArn(ctx: HandlerContext, arn: string): ManagedPolicy {
  if (!ARN_RE.test(arn)) throw new ServiceError('InvalidInput', `ARN ${arn} is not valid.`, 400);
  const p = own(ctx.account.iam.managedPolicies, arn) ?? awsManagedPolicy(arn);
  if (!p) throw noSuch(`Policy ${arn} does not exist or is not attachable.`);
  return p;
}

/** IAM Marker/IsTruncated/MaxItems paging; the marker is bound to the operation and its subject. */
export function page<T>(form: Form, scope: string, items: T[]): { items: T[]; IsTruncated: boolean; Marker?: string } {
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

export function paged<T>(form: Form, scope: string, name: string, items: T[], map: (t: T) => XmlValue, extra: Record<string, XmlValue> = {}): Record<string, XmlValue> {
  const p = page(form, scope, items);
  const out: Record<string, XmlValue> = { ...extra, [name]: p.items.map(map), IsTruncated: p.IsTruncated };
  if (p.Marker) out.Marker = p.Marker;
  return out;
}

export function tagsXml(tags: Tag[]): XmlValue {
  return tags.map((t) => ({ Key: t.Key, Value: t.Value }));
}

export function boundary(arn: string | undefined): XmlValue {
  return arn ? { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn } : undefined;
}

export function attached(ctx: HandlerContext, arns: string[], pathPrefix: string | undefined): Array<{ PolicyName: string; PolicyArn: string }> {
  return arns
    .map((arn) => ({ arn, policy: ctx.account.iam.managedPolicies[arn] }))
    .filter(({ policy }) => !pathPrefix || (policy?.path ?? '/').startsWith(pathPrefix))
    .map(({ arn, policy }) => ({ PolicyName: policy?.policyName ?? arn.split('/').pop() ?? arn, PolicyArn: arn }));
}

export function sortedNames(rec: Record<string, string>): string[] {
  return Object.keys(rec).sort();
}

/** Validates a policy document the way IAM's MalformedPolicyDocument does (syntax + basic grammar). */
export function validatePolicy(doc: string): void {
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

export function userXml(u: IamUser): Record<string, XmlValue> {
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
