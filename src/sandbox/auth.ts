/**
 * Caller resolution (no signature check): the SigV4 access key must be known to the world and usable.
 * Keys and sessions are looked up in every account; the caller acts in the account its key lives in.
 */
import { accountOfKey } from './accounts.js';
import type { AccountData, World } from './model.js';
import type { Caller } from './types.js';
import { isRecord } from './wire.js';

export type AuthResult =
  | { ok: true; caller: Caller; account: AccountData; revoked?: string }
  | { ok: false; reason: 'unknown' | 'inactive' | 'expired' };

/**
 * Finds the identity behind an access key. ASIA keys listed in `iam.sessions` act as their identity.
 * A session whose parent user (or role) carries a "revoke older sessions" inline policy (Deny * with
 * DateLessThan aws:TokenIssueTime later than the session's issuedAt) resolves with `revoked` set to
 * the policy name: requests are then denied (except STS GetCallerIdentity, which AWS always answers).
 */
export function resolveCaller(world: World, accessKeyId: string, now: Date): AuthResult {
  const account = accountOfKey(world, accessKeyId);
  if (!account) return { ok: false, reason: 'unknown' };
  const iam = account.iam;
  const session = iam.sessions[accessKeyId];
  if (session) {
    const key = iam.accessKeys[accessKeyId];
    if (key && key.status !== 'Active') return { ok: false, reason: 'inactive' };
    if (Date.parse(session.expiresAt) <= now.getTime()) return { ok: false, reason: 'expired' };
    const caller: Caller = { accessKeyId, kind: 'session', accountId: account.accountId, arn: session.arn, userId: session.userId, issuedAt: session.issuedAt };
    if (session.parentUser) caller.userName = session.parentUser;
    if (session.roleName) caller.roleName = session.roleName;
    if (session.sourceIdentity !== undefined) caller.sourceIdentity = session.sourceIdentity;
    if (session.mfaAuthenticated) caller.mfaAuthenticated = true;
    const policies: Record<string, string>[] = [];
    if (session.parentUser) {
      const u = iam.users[session.parentUser];
      if (u) policies.push(u.inlinePolicies);
    }
    if (session.roleName) {
      const r = iam.roles[session.roleName];
      if (r) policies.push(r.inlinePolicies);
    }
    const issued = Date.parse(session.issuedAt);
    for (const set of policies) {
      for (const [name, doc] of Object.entries(set)) {
        const cutoff = revokeCutoff(doc);
        if (cutoff !== undefined && issued < cutoff) return { ok: true, caller, account, revoked: name };
      }
    }
    return { ok: true, caller, account };
  }
  const key = iam.accessKeys[accessKeyId];
  if (!key) return { ok: false, reason: 'unknown' };
  if (key.status !== 'Active') return { ok: false, reason: 'inactive' };
  const user = iam.users[key.userName];
  if (!user) return { ok: false, reason: 'unknown' };
  return { ok: true, caller: { accessKeyId, kind: 'user', accountId: account.accountId, arn: user.arn, userId: user.userId, userName: user.userName }, account };
}

/** If `doc` denies everything for tokens issued before some instant, returns that instant (epoch ms). */
export function revokeCutoff(doc: string): number | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(doc);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed)) return undefined;
  const statements = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
  let cutoff: number | undefined;
  for (const st of statements) {
    if (!isRecord(st) || st.Effect !== 'Deny') continue;
    const actions = Array.isArray(st.Action) ? st.Action : [st.Action];
    if (!actions.includes('*')) continue;
    const cond = st.Condition;
    if (!isRecord(cond) || !isRecord(cond.DateLessThan)) continue;
    const raw = cond.DateLessThan['aws:TokenIssueTime'];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (typeof value !== 'string') continue;
    const t = Date.parse(value);
    if (!Number.isNaN(t)) cutoff = cutoff === undefined ? t : Math.max(cutoff, t);
  }
  return cutoff;
}
