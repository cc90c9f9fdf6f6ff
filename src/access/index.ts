/**
 * The account-access layer: one function, `accountContext(ctx, account, 'read' | 'write')`, gives the context
 * (AWS clients) that acts in `account` for that purpose. In the caller's own account it is the run's context; in
 * another account it assumes the read or write role (or uses the named profile) the flags, environment or
 * configuration file name for it (src/access/settings.ts), once per role per run (src/access/assume.ts,
 * profile.ts). Before a context for writes is handed out, GetCallerIdentity on its credentials must name the
 * target account: a mismatch stops with exit 1 and nothing changed. Reads never get the write role.
 *
 * Used by the investigation, trail, policies, remediation and the triage console; `contain` and `watch` use the
 * same function (see /work/notes/multi-account.md and docs/multi-account.md).
 */
import type { AwsClients } from '../aws/clients.js';
import { awsCall } from '../aws/call.js';
import type { Context } from '../cli/context.js';
import { runConfig, type GdIrConfig } from '../config/index.js';
import { accountOfArn, analystName, partitionOf, roleArnFor, type AccessPurpose, type AccountAccess } from '../core/access.js';
import { ExitCode, GdIrError, RuntimeError } from '../core/errors.js';
import { assumeRole, mfaCodes, refreshingProvider, type AssumeSpec, type MfaCodes } from './assume.js';
import { profileProvider, type ProfileRole } from './profile.js';
import { accessSettings, ENV, type AccessSettings } from './settings.js';

export type { AccessPurpose, AccountAccess } from '../core/access.js';
export { describeAccess } from '../core/access.js';

/** A context acting in one account, and how it got there. */
export interface AccountContext {
  ctx: Context;
  access: AccountAccess;
}

/** No role or profile is configured for an account that is not the caller's (exit 4, with the ways to name one). */
export class NoAccountAccessError extends GdIrError {
  constructor(
    readonly account: string,
    readonly purpose: AccessPurpose,
    callerAccount: string,
  ) {
    super(
      `account ${account} is not the account of your credentials (${callerAccount}), and no ${purpose} role is configured for it`,
      'no_access',
      ExitCode.Auth,
      {
        remedy:
          purpose === 'write'
            ? 'pass --write-role <name|arn> (and --mfa-serial if it requires MFA), set GD_IR_WRITE_ROLE, or map the account in the configuration file (docs/multi-account.md)'
            : 'pass --read-role <name|arn>, set GD_IR_READ_ROLE, or map the account in the configuration file (docs/multi-account.md)',
      },
    );
  }
}

interface Session {
  clients: AwsClients;
  /** The identity acting (assumed-role ARN), when known. */
  actingArn?: string;
  profileRole?: ProfileRole;
}

interface RunState {
  config?: GdIrConfig;
  mfa?: MfaCodes;
  sessions: Map<string, Promise<Session>>;
}

const runs = new WeakMap<AwsClients, RunState>();
const rootOf = new WeakMap<AwsClients, AwsClients>();

function root(aws: AwsClients): AwsClients {
  return rootOf.get(aws) ?? aws;
}

function state(ctx: Context): RunState {
  const r = root(ctx.aws);
  let s = runs.get(r);
  if (!s) {
    s = { sessions: new Map() };
    runs.set(r, s);
  }
  return s;
}

function config(ctx: Context): GdIrConfig {
  const s = state(ctx);
  s.config ??= runConfig(ctx.env);
  return s.config;
}

/** The identity gd-ir runs as (the analyst), fetched once per run. */
export function analystIdentity(ctx: Context): Promise<{ account: string; arn: string; userId: string }> {
  const r = root(ctx.aws);
  return awsCall('sts:GetCallerIdentity', () => r.callerIdentity(ctx.signal));
}

function mismatch(what: string, expected: string, actual: string, purpose: AccessPurpose): RuntimeError {
  return new RuntimeError(`${what} is in account ${actual}, not ${expected}: refusing to ${purpose === 'write' ? 'act' : 'read'} there with it; nothing was changed`, {
    code: 'account_mismatch',
    remedy: `name a role of account ${expected} (--${purpose}-role <name> expands to arn:aws:iam::${expected}:role/<name>), or fix the account's entry in the configuration file`,
  });
}

/** How gd-ir would reach `account` for `purpose`, without assuming anything (for plans and `findings show`). */
export async function plannedAccess(ctx: Context, account: string | undefined, purpose: AccessPurpose): Promise<AccountAccess> {
  const me = await analystIdentity(ctx);
  const target = account ?? me.account;
  if (target === me.account) return { account: target, purpose, via: 'caller', actingArn: me.arn };
  const settings = accessSettings(target, purpose, ctx.accessFlags ?? {}, ctx.env, config(ctx));
  const name = analystName(me.arn);
  if (settings.route.kind === 'none') return { account: target, purpose, via: 'none' };
  if (settings.route.kind === 'profile') return { account: target, purpose, via: 'profile', profile: settings.route.profile, source: 'config' };
  return {
    account: target,
    purpose,
    via: 'role',
    roleArn: roleArnFor(settings.route.role, target, partitionOf(me.arn)),
    sessionName: name,
    sourceIdentity: name,
    source: settings.route.source,
  };
}

let attempts = 0;

async function openRoleSession(ctx: Context, spec: AssumeSpec, s: RunState, prepare?: (clients: AwsClients) => void): Promise<Session> {
  const r = root(ctx.aws);
  s.mfa ??= mfaCodes(ctx, ctx.accessFlags?.mfaCode);
  const firstP = assumeRole({ aws: r, signal: ctx.signal }, spec, s.mfa);
  firstP.catch(() => undefined);
  // The clients are made while STS answers (their construction is not free); they sign only once the session is there.
  // A failed attempt leaves its clients behind unused: the next one gets its own.
  const clients = r.derive(`role:${spec.roleArn}#${++attempts}`, refreshingProvider({ aws: r, signal: ctx.signal, clock: ctx.clock }, spec, firstP, s.mfa));
  rootOf.set(clients, r);
  prepare?.(clients);
  const first = await firstP;
  const acting = accountOfArn(first.arn);
  if (acting !== undefined && acting !== spec.account) throw mismatch(`the session of ${spec.roleArn}`, spec.account, acting, spec.purpose);
  return { clients, actingArn: first.arn };
}

async function openProfileSession(ctx: Context, profile: string, account: string, purpose: AccessPurpose, s: RunState): Promise<Session> {
  const r = root(ctx.aws);
  s.mfa ??= mfaCodes(ctx, ctx.accessFlags?.mfaCode);
  const seen: ProfileRole = {};
  const clients = r.derive(`profile:${profile}`, profileProvider(ctx, r, profile, { account, purpose }, s.mfa, seen));
  rootOf.set(clients, r);
  const who = await awsCall('sts:GetCallerIdentity', () => clients.callerIdentity(ctx.signal));
  if (who.account !== account) throw mismatch(`profile ${profile}`, account, who.account, purpose);
  return { clients, actingArn: who.arn, profileRole: seen };
}

/** Whether any role or profile is configured at all (so that knowing the caller's account early is worth a call). */
export function anyAccessRoute(ctx: Context): boolean {
  const f = ctx.accessFlags ?? {};
  const c = config(ctx);
  return (
    f.readRole !== undefined ||
    f.writeRole !== undefined ||
    Boolean(ctx.env[ENV.readRole]) ||
    Boolean(ctx.env[ENV.writeRole]) ||
    c.defaults.readRole !== undefined ||
    c.defaults.writeRole !== undefined ||
    Object.keys(c.accounts).length > 0
  );
}

/** Whether a role or profile is configured for `account` (flags, environment or configuration file); nothing is called. */
export function hasAccessRoute(ctx: Context, account: string, purpose: AccessPurpose): boolean {
  return settingsFor(ctx, account, purpose).route.kind !== 'none';
}

function settingsFor(ctx: Context, account: string, purpose: AccessPurpose): AccessSettings {
  return accessSettings(account, purpose, ctx.accessFlags ?? {}, ctx.env, config(ctx));
}

/**
 * The context that acts in `account` (default: the caller's own) for `purpose`. Throws NoAccountAccessError (exit 4)
 * when another account has no role or profile configured, a PermissionError/CredentialsError (exit 4) naming the
 * role, the account, the reason and the trust policy when it cannot be assumed, and RuntimeError `account_mismatch`
 * (exit 1) when the credentials turn out to act elsewhere.
 */
export async function accountContext(
  ctx: Context,
  account: string | undefined,
  purpose: AccessPurpose,
  opts: { /** Called with the new clients while the role is being assumed (to make the ones the caller needs first). */ prepare?: (clients: AwsClients) => void } = {},
): Promise<AccountContext> {
  const me = await analystIdentity(ctx);
  const target = account ?? me.account;
  const rootCtx: Context = root(ctx.aws) === ctx.aws ? ctx : { ...ctx, aws: root(ctx.aws) };
  if (target === me.account) return { ctx: rootCtx, access: { account: target, purpose, via: 'caller', actingArn: me.arn } };

  const settings = settingsFor(ctx, target, purpose);
  const s = state(ctx);
  let access: AccountAccess;
  let session: Session;
  if (settings.route.kind === 'none') throw new NoAccountAccessError(target, purpose, me.account);
  if (settings.route.kind === 'profile') {
    const profile = settings.route.profile;
    const key = `profile:${profile}`;
    let p = s.sessions.get(key);
    if (!p) {
      p = openProfileSession(ctx, profile, target, purpose, s);
      s.sessions.set(key, p);
      p.catch(() => s.sessions.delete(key));
    }
    session = await p;
    const seen = session.profileRole ?? {};
    access = {
      account: target,
      purpose,
      via: 'profile',
      profile,
      ...(seen.roleArn ? { roleArn: seen.roleArn } : {}),
      ...(seen.sessionName ? { sessionName: seen.sessionName } : {}),
      ...(seen.sourceIdentity ? { sourceIdentity: seen.sourceIdentity } : {}),
      ...(session.actingArn ? { actingArn: session.actingArn } : {}),
      source: 'config',
    };
  } else {
    const roleArn = roleArnFor(settings.route.role, target, partitionOf(me.arn));
    const roleAccount = accountOfArn(roleArn);
    if (roleAccount !== target) throw mismatch(`the ${purpose} role ${roleArn}`, target, roleAccount ?? '?', purpose);
    const name = analystName(me.arn);
    const spec: AssumeSpec = {
      roleArn,
      account: target,
      purpose,
      sessionName: name,
      sourceIdentity: name,
      ...(settings.externalId !== undefined ? { externalId: settings.externalId } : {}),
      ...(settings.mfaSerial !== undefined ? { mfaSerial: settings.mfaSerial } : {}),
      durationSeconds: settings.sessionDuration,
      callerArn: me.arn,
      callerAccount: me.account,
    };
    const key = `role:${roleArn}`;
    let p = s.sessions.get(key);
    if (!p) {
      p = openRoleSession(ctx, spec, s, opts.prepare);
      s.sessions.set(key, p);
      p.catch(() => s.sessions.delete(key));
    }
    session = await p;
    access = { account: target, purpose, via: 'role', roleArn, sessionName: name, sourceIdentity: name, ...(session.actingArn ? { actingArn: session.actingArn } : {}), source: settings.route.source };
  }
  const result: AccountContext = { ctx: { ...ctx, aws: session.clients }, access };
  if (purpose === 'write') await verifyActingAccount(result);
  return result;
}

/**
 * The safety check before any write: GetCallerIdentity on the context's own credentials must name the account it is
 * meant to act in. A mismatch is a RuntimeError (exit 1) raised before anything was changed.
 */
export async function verifyActingAccount(ac: AccountContext): Promise<{ account: string; arn: string }> {
  const who = await awsCall('sts:GetCallerIdentity', () => ac.ctx.aws.callerIdentity(ac.ctx.signal));
  if (who.account !== ac.access.account) {
    throw mismatch(ac.access.via === 'profile' ? `profile ${ac.access.profile ?? ''}` : `the credentials for ${ac.access.roleArn ?? 'this account'}`, ac.access.account, who.account, ac.access.purpose);
  }
  ac.access.actingArn = who.arn;
  return who;
}
