/**
 * STS AssumeRole, the way gd-ir reaches a member account: validation (botocore's sts model: lengths and patterns of
 * RoleSessionName, ExternalId, SerialNumber, TokenCode, SourceIdentity; DurationSeconds 900–43200), the MFA code
 * (src/sandbox/mfa.ts), the caller's identity-based permission and the role's trust policy
 * (src/sandbox/trust-policy.ts, including `sts:SetSourceIdentity` when a SourceIdentity is set), the role's maximum
 * session duration and the one-hour limit of role chaining; then a session in the role's account
 * (`roleSessionIssued`), recorded in the caller's and the role owner's CloudTrail (`recordAlsoIn`).
 *
 * Error wording as STS sends it (AWS CLI and SDK issue reports quoting the service): "MultiFactorAuthentication
 * failed with invalid MFA one time pass code.", "… must provide both MFA serial number and one time pass code.",
 * "… unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.",
 * "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", "… exceeds the 1 hour session
 * limit for roles assumed by role chaining.", "Request ARN is invalid", and "User: <arn> is not authorized to perform:
 * sts:AssumeRole on resource: <role arn>" (a trust policy's refusal gives no reason; a missing identity-based
 * permission says "because no identity-based policy allows the sts:AssumeRole action", as in the Stratus record in
 * test/fixtures/real; a permissions boundary that does not allow it, "because no permissions boundary allows the
 * sts:AssumeRole action", IAM User Guide, "Troubleshooting access denied error messages"). A role that does not exist is refused like an untrusted one: STS does not disclose it.
 */
import { randomBytes } from 'node:crypto';
import { accountData } from '../accounts.js';
import type { HandlerContext } from '../context.js';
import { verifyTotp } from '../mfa.js';
import type { IamRole } from '../model.js';
import type { Operation, ParsedCall } from '../service.js';
import { identityPolicies } from '../policy-check.js';
import { identityDecision, resourcePolicyDecision, type PrincipalFacts, type RequestContext } from '../trust-policy.js';
import { ServiceError, isoSeconds } from '../wire.js';

type Form = Record<string, string>;

const NAME_PATTERN = /^[\w+=,.@-]*$/;
const EXTERNAL_ID_PATTERN = /^[\w+=,.@:/-]*$/;
const SERIAL_PATTERN = /^[\w+=/:,.@-]*$/;
const TOKEN_PATTERN = /^\d*$/;
const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/((?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/;

const accessDenied = (message: string): ServiceError => new ServiceError('AccessDenied', message, 403);

interface Field {
  name: string;
  member: string;
  min: number;
  max: number;
  pattern?: RegExp;
  patternText?: string;
  required?: boolean;
}

const FIELDS: readonly Field[] = [
  { name: 'RoleArn', member: 'roleArn', min: 20, max: 2048, required: true },
  { name: 'RoleSessionName', member: 'roleSessionName', min: 2, max: 64, pattern: NAME_PATTERN, patternText: '[\\w+=,.@-]*', required: true },
  { name: 'ExternalId', member: 'externalId', min: 2, max: 1224, pattern: EXTERNAL_ID_PATTERN, patternText: '[\\w+=,.@:\\/-]*' },
  { name: 'SerialNumber', member: 'serialNumber', min: 9, max: 256, pattern: SERIAL_PATTERN, patternText: '[\\w+=/:,.@-]*' },
  { name: 'TokenCode', member: 'tokenCode', min: 6, max: 6, pattern: TOKEN_PATTERN, patternText: '[\\d]*' },
  { name: 'SourceIdentity', member: 'sourceIdentity', min: 2, max: 64, pattern: NAME_PATTERN, patternText: '[\\w+=,.@-]*' },
];

/** The modelled constraints, reported all at once as the service does ("2 validation errors detected: …; …"). */
function validate(form: Form): void {
  const problems: string[] = [];
  for (const f of FIELDS) {
    const v = form[f.name];
    if (v === undefined) {
      if (f.required) problems.push(`Value null at '${f.member}' failed to satisfy constraint: Member must not be null`);
      continue;
    }
    if (v.length < f.min) problems.push(`Value '${v}' at '${f.member}' failed to satisfy constraint: Member must have length greater than or equal to ${f.min}`);
    else if (v.length > f.max) problems.push(`Value '${v}' at '${f.member}' failed to satisfy constraint: Member must have length less than or equal to ${f.max}`);
    if (f.pattern && !f.pattern.test(v)) problems.push(`Value '${v}' at '${f.member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${f.patternText}`);
  }
  const d = form.DurationSeconds;
  if (d !== undefined) {
    const n = Number(d);
    if (!Number.isInteger(n) || n < 900) problems.push(`Value '${d}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`);
    else if (n > 43200) problems.push(`Value '${d}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200`);
  }
  if (problems.length > 0) {
    throw new ServiceError('ValidationError', `${problems.length} validation error${problems.length === 1 ? '' : 's'} detected: ${problems.join('; ')}`, 400);
  }
}

/** CloudTrail's rendering of a credential expiration: "Jul 30, 2024, 9:46:15 PM", in UTC (the Stratus AssumeRole record). */
export function cloudTrailDate(d: Date): string {
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()] ?? 'Jan';
  const h = d.getUTCHours();
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${month} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${h % 12 === 0 ? 12 : h % 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

const UPPER32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function newSessionKeyId(): string {
  return 'ASIA' + [...randomBytes(16)].map((b) => UPPER32[b % 32]).join('');
}

/** The identity-based policies of the caller: a user's inline, attached and group policies, or a role session's role's. */
/** Who the caller is, as policies name it (a role session by its role's ARN, or its session ARN). */
function principalFacts(ctx: HandlerContext): PrincipalFacts {
  const { caller } = ctx;
  if (caller.roleName) {
    const partition = /^arn:([^:]+):/.exec(caller.arn)?.[1] ?? 'aws';
    const role = Object.hasOwn(ctx.account.iam.roles, caller.roleName) ? ctx.account.iam.roles[caller.roleName] : undefined;
    return { arn: role?.arn ?? `arn:${partition}:iam::${ctx.account.accountId}:role/${caller.roleName}`, sessionArn: caller.arn, accountId: ctx.account.accountId };
  }
  if (caller.kind === 'session' && caller.userName) {
    const user = Object.hasOwn(ctx.account.iam.users, caller.userName) ? ctx.account.iam.users[caller.userName] : undefined;
    return { arn: user?.arn ?? caller.arn, accountId: ctx.account.accountId };
  }
  return { arn: caller.arn, accountId: ctx.account.accountId };
}

/** Checks SerialNumber and TokenCode; returns whether MFA was used. */
function checkMfa(ctx: HandlerContext, form: Form): boolean {
  const serial = form.SerialNumber;
  const code = form.TokenCode;
  if (serial === undefined && code === undefined) return false;
  if (serial === undefined || code === undefined) throw accessDenied('MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.');
  const devices = ctx.account.iam.mfaDevices ?? {};
  const device = Object.hasOwn(devices, serial) ? devices[serial] : undefined;
  if (!device || !ctx.caller.userName || device.userName !== ctx.caller.userName || ctx.caller.roleName) {
    throw accessDenied('MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.');
  }
  if (!verifyTotp(device.totpSeed, code, ctx.now)) throw accessDenied('MultiFactorAuthentication failed with invalid MFA one time pass code.');
  return true;
}

function requestContext(ctx: HandlerContext, who: PrincipalFacts, form: Form, mfa: boolean): RequestContext {
  const c: RequestContext = {
    'aws:principalarn': who.arn,
    'aws:principalaccount': who.accountId,
    'aws:principaltype': ctx.caller.roleName ? 'AssumedRole' : 'User',
    'aws:userid': ctx.caller.userId,
    'aws:currenttime': isoSeconds(ctx.now),
    'aws:epochtime': String(Math.floor(ctx.now.getTime() / 1000)),
    'aws:requestedregion': ctx.region,
    'sts:rolesessionname': form.RoleSessionName ?? '',
  };
  if (!ctx.caller.roleName && ctx.caller.userName) c['aws:username'] = ctx.caller.userName;
  // Absent for long-term keys; "false" for temporary credentials issued without MFA (IAM: aws:MultiFactorAuthPresent).
  if (mfa || ctx.caller.mfaAuthenticated) {
    c['aws:multifactorauthpresent'] = 'true';
    c['aws:multifactorauthage'] = '0';
  } else if (ctx.caller.kind === 'session') c['aws:multifactorauthpresent'] = 'false';
  if (form.ExternalId !== undefined) c['sts:externalid'] = form.ExternalId;
  if (form.SourceIdentity !== undefined) c['sts:sourceidentity'] = form.SourceIdentity;
  if (ctx.caller.sourceIdentity !== undefined) c['aws:sourceidentity'] = ctx.caller.sourceIdentity;
  return c;
}

/** Both policies must allow `action` (cross-account); in the role's own account a trust policy naming the caller suffices. */
function authorize(ctx: HandlerContext, role: IamRole | undefined, roleArn: string, action: string, who: PrincipalFacts, context: RequestContext, sameAccount: boolean): void {
  const denied = `User: ${ctx.caller.arn} is not authorized to perform: ${action} on resource: ${roleArn}`;
  const policies = identityPolicies(ctx.account, ctx.caller);
  const identity = identityDecision(policies?.documents ?? [], action, roleArn, context);
  if (identity === 'deny') throw accessDenied(`${denied} with an explicit deny in an identity-based policy`);
  const trust = role ? resourcePolicyDecision(role.assumeRolePolicyDocument, who, action, context) : { decision: 'none' as const, direct: false };
  if (trust.decision !== 'allow') throw accessDenied(denied);
  if (identity !== 'allow' && !(sameAccount && trust.direct)) throw accessDenied(`${denied} because no identity-based policy allows the ${action} action`);
  // A permissions boundary caps what the identity-based policies grant (IAM User Guide, "Policy evaluation logic").
  if (identity === 'allow' && policies?.boundary !== undefined && identityDecision([policies.boundary], action, roleArn, context) !== 'allow') {
    throw accessDenied(`${denied} because no permissions boundary allows the ${action} action`);
  }
}

function assumeRole(ctx: HandlerContext, call: ParsedCall): Record<string, unknown> {
  const form = call.input as Form;
  validate(form);
  const roleArn = form.RoleArn as string;
  const sessionName = form.RoleSessionName as string;
  const parsed = ROLE_ARN.exec(roleArn);
  if (!parsed) throw new ServiceError('ValidationError', 'Request ARN is invalid', 400);
  const [, partition, roleAccountId, path, roleName] = parsed as unknown as [string, string, string, string, string];
  const duration = form.DurationSeconds !== undefined ? Number(form.DurationSeconds) : 3600;
  // Needs nothing of the role, so it is refused before the role is looked at (unlike MaxSessionDuration below).
  if (ctx.caller.roleName && duration > 3600) {
    throw new ServiceError('ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.', 400);
  }
  const mfa = checkMfa(ctx, form);

  const target = accountData(ctx.world, roleAccountId);
  const found = target && Object.hasOwn(target.iam.roles, roleName) ? target.iam.roles[roleName] : undefined;
  const role = found && found.arn === roleArn && found.path === `/${path}` ? found : undefined;
  const who = principalFacts(ctx);
  const context = requestContext(ctx, who, form, mfa);
  const sameAccount = roleAccountId === ctx.account.accountId;
  authorize(ctx, role, roleArn, 'sts:AssumeRole', who, context, sameAccount);
  // Setting a source identity is its own permission, in the trust policy and (across accounts) the caller's policies.
  if (form.SourceIdentity !== undefined) authorize(ctx, role, roleArn, 'sts:SetSourceIdentity', who, context, sameAccount);
  if (!target || !role) throw accessDenied(`User: ${ctx.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);

  // Disclosed only to a caller allowed to assume the role.
  if (duration > role.maxSessionDuration) throw new ServiceError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.', 400);

  // A source identity persists through role chaining (IAM User Guide, "Monitor and control actions taken with assumed roles").
  const sourceIdentity = form.SourceIdentity ?? ctx.caller.sourceIdentity;
  const issuedAt = isoSeconds(ctx.now);
  const expires = new Date(Math.floor(ctx.now.getTime() / 1000) * 1000 + duration * 1000);
  const session = {
    accessKeyId: newSessionKeyId(),
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: `IQoJb3JpZ2luX2Vj${randomBytes(240).toString('base64')}`,
    arn: `arn:${partition}:sts::${roleAccountId}:assumed-role/${role.roleName}/${sessionName}`,
    userId: `${role.roleId}:${sessionName}`,
  };
  ctx.mutate({
    kind: 'roleSessionIssued',
    account: roleAccountId,
    roleName: role.roleName,
    ...session,
    issuedAt,
    expiresAt: expires.toISOString(),
    ...(sourceIdentity !== undefined ? { sourceIdentity } : {}),
    mfaAuthenticated: mfa || ctx.caller.mfaAuthenticated === true,
  });
  if (!sameAccount) ctx.recordAlsoIn(roleAccountId);
  return {
    Credentials: { AccessKeyId: session.accessKeyId, SecretAccessKey: session.secretAccessKey, SessionToken: session.sessionToken, Expiration: isoSeconds(expires) },
    AssumedRoleUser: { AssumedRoleId: session.userId, Arn: session.arn },
    ...(sourceIdentity !== undefined ? { SourceIdentity: sourceIdentity } : {}),
  };
}

interface AssumeRoleOutput {
  Credentials: { AccessKeyId: string; SessionToken: string; Expiration: string };
  AssumedRoleUser: { AssumedRoleId: string; Arn: string };
  SourceIdentity?: string;
}

export const ASSUME_ROLE: Operation<undefined> = {
  // Real AssumeRole records are readOnly (test/fixtures/real/cloudtrail/stratus-assumerole-credentials.json).
  readOnly: true,
  alwaysRecorded: true,
  handle: (ctx, call) => assumeRole(ctx, call),
  // The members CloudTrail records (IAM User Guide STS examples): the MFA code is never recorded; durationSeconds is a number.
  requestParameters: (call) => {
    const f = call.input as Form;
    return {
      roleArn: f.RoleArn,
      roleSessionName: f.RoleSessionName,
      ...(f.DurationSeconds !== undefined ? { durationSeconds: Number(f.DurationSeconds) } : {}),
      ...(f.ExternalId !== undefined ? { externalId: f.ExternalId } : {}),
      ...(f.SerialNumber !== undefined ? { serialNumber: f.SerialNumber } : {}),
      ...(f.SourceIdentity !== undefined ? { sourceIdentity: f.SourceIdentity } : {}),
    };
  },
  responseElements: (output) => {
    const o = output as AssumeRoleOutput;
    return {
      credentials: { accessKeyId: o.Credentials.AccessKeyId, sessionToken: o.Credentials.SessionToken, expiration: cloudTrailDate(new Date(o.Credentials.Expiration)) },
      assumedRoleUser: { assumedRoleId: o.AssumedRoleUser.AssumedRoleId, arn: o.AssumedRoleUser.Arn },
      ...(o.SourceIdentity !== undefined ? { sourceIdentity: o.SourceIdentity } : {}),
    };
  },
  resources: (call) => {
    const arn = (call.input as Form).RoleArn ?? '';
    const m = ROLE_ARN.exec(arn);
    return m ? [{ ARN: arn, accountId: m[2], type: 'AWS::IAM::Role' }] : undefined;
  },
};
