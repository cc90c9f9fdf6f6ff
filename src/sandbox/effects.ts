/**
 * The one way the sandbox's world changes: typed effects. A service handler validates a request, then calls
 * `ctx.mutate(effect)`, which applies the effect to the live world with `applyEffect` AND appends it to the
 * persisted journal (src/sandbox/state.ts). At the next start the scenario is rebuilt relative to now and the
 * journal is replayed through the same `applyEffect`, so live and replayed worlds cannot drift apart.
 *
 * Rules for an effect:
 * - it names its account (`account`), and identifies its targets by anchor-independent keys (key IDs, user and
 *   policy names, region + finding ID), never by position;
 * - it carries every generated value (IDs, secrets, times): replay must not draw anything new;
 * - applying it to a world that lacks its target is a no-op (returns false), never an error: a scenario may
 *   change under an old journal.
 *
 * Adding a mutation = one member of `Effect` + one case in `applyEffect`.
 */
import { accountData } from './accounts.js';
import type { AccountData, AthenaTable, World } from './model.js';
import { applyIamEffect, isIamEffect, type IamEffect } from './iam-effects.js';

export type Effect =
  /** UpdateAccessKey. */
  | { kind: 'accessKeyStatus'; account: string; accessKeyId: string; status: 'Active' | 'Inactive' }
  /** PutUserPolicy (creates or replaces the inline policy). `document` is the decoded JSON text. */
  | { kind: 'userPolicyPut'; account: string; userName: string; policyName: string; document: string }
  /** DeleteUserPolicy. */
  | { kind: 'userPolicyDelete'; account: string; userName: string; policyName: string }
  /** Archive/UnarchiveFindings on the account's detector in `region`; `at` is when (ISO), for `updatedAt`. */
  | { kind: 'findingsArchived'; account: string; region: string; findingIds: string[]; archived: boolean; at: string }
  /** UpdateFindingsFeedback. */
  | { kind: 'findingsFeedback'; account: string; region: string; findingIds: string[]; feedback: 'USEFUL' | 'NOT_USEFUL' }
  /** AssumeRole: a role session in the role's account (`account`), with every generated value. */
  | {
      kind: 'roleSessionIssued';
      account: string;
      roleName: string;
      accessKeyId: string;
      secretAccessKey: string;
      sessionToken: string;
      arn: string;
      userId: string;
      issuedAt: string;
      expiresAt: string;
      sourceIdentity?: string;
      mfaAuthenticated: boolean;
    }
  /** IAM users, keys, login profiles, policy attachments, role trust and policy versions (src/sandbox/iam-effects.ts). */
  | IamEffect
  /** StopLogging / StartLogging of the trail `name` whose home region is `region`; `at` is when (ISO). */
  | { kind: 'trailLogging'; account: string; region: string; name: string; logging: boolean; at: string }
  /** Athena CREATE DATABASE. */
  | { kind: 'athenaDatabaseCreate'; account: string; database: string; createdAt: string }
  /** Athena CREATE EXTERNAL TABLE (in an existing database). */
  | { kind: 'athenaTableCreate'; account: string; database: string; table: AthenaTable };

export type EffectKind = Effect['kind'];

/** Applies one effect to `world`. Returns whether anything was found to apply it to. */
export function applyEffect(world: World, effect: Effect): boolean {
  const acct: AccountData | undefined = accountData(world, effect.account);
  if (!acct) return false;
  if (isIamEffect(effect)) return applyIamEffect(acct, effect);
  switch (effect.kind) {
    case 'accessKeyStatus': {
      const key = acct.iam.accessKeys[effect.accessKeyId];
      if (!key) return false;
      key.status = effect.status;
      return true;
    }
    case 'userPolicyPut': {
      const user = acct.iam.users[effect.userName];
      if (!user) return false;
      user.inlinePolicies[effect.policyName] = effect.document;
      return true;
    }
    case 'userPolicyDelete': {
      const user = acct.iam.users[effect.userName];
      if (!user || !Object.hasOwn(user.inlinePolicies, effect.policyName)) return false;
      delete user.inlinePolicies[effect.policyName];
      return true;
    }
    case 'findingsArchived': {
      const wanted = new Set(effect.findingIds);
      const at = Date.parse(effect.at);
      let found = false;
      for (const f of acct.regions[effect.region]?.findings ?? []) {
        if (!wanted.has(f.id)) continue;
        found = true;
        if ((f.service.archived ?? false) === effect.archived) continue;
        f.service.archived = effect.archived;
        // A replayed change older than the rebuilt finding's last update does not move it back in time.
        if (at > Date.parse(f.updatedAt)) f.updatedAt = effect.at;
      }
      return found;
    }
    case 'findingsFeedback': {
      const wanted = new Set(effect.findingIds);
      let found = false;
      for (const f of acct.regions[effect.region]?.findings ?? []) {
        if (!wanted.has(f.id)) continue;
        found = true;
        f.service.userFeedback = effect.feedback;
      }
      return found;
    }
    case 'roleSessionIssued': {
      if (!Object.hasOwn(acct.iam.roles, effect.roleName)) return false;
      acct.iam.sessions[effect.accessKeyId] = {
        arn: effect.arn,
        userId: effect.userId,
        roleName: effect.roleName,
        issuedAt: effect.issuedAt,
        expiresAt: effect.expiresAt,
        secretAccessKey: effect.secretAccessKey,
        sessionToken: effect.sessionToken,
        ...(effect.sourceIdentity !== undefined ? { sourceIdentity: effect.sourceIdentity } : {}),
        ...(effect.mfaAuthenticated ? { mfaAuthenticated: true } : {}),
      };
      return true;
    }
    case 'trailLogging': {
      const trail = acct.regions[effect.region]?.trails?.[effect.name];
      if (!trail || !Object.hasOwn(acct.regions[effect.region]?.trails ?? {}, effect.name)) return false;
      trail.isLogging = effect.logging;
      if (effect.logging) trail.startLoggingTime = effect.at;
      else trail.stopLoggingTime = effect.at;
      return true;
    }
    case 'athenaDatabaseCreate': {
      const catalog = (acct.athena ??= { databases: {} });
      if (Object.hasOwn(catalog.databases, effect.database)) return false;
      catalog.databases[effect.database] = { name: effect.database, createdAt: effect.createdAt, tables: {} };
      return true;
    }
    case 'athenaTableCreate': {
      const db = acct.athena && Object.hasOwn(acct.athena.databases, effect.database) ? acct.athena.databases[effect.database] : undefined;
      if (!db || Object.hasOwn(db.tables, effect.table.name)) return false;
      db.tables[effect.table.name] = structuredClone(effect.table);
      return true;
    }
    default: {
      // An effect of a kind this build does not know (a journal written by a newer gd-ir): nothing to apply.
      const unknown: never = effect;
      void unknown;
      return false;
    }
  }
}
