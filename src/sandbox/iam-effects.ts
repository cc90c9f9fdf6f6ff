/**
 * The IAM effects beyond key status and inline user policies: users, access keys, login profiles, managed-policy
 * attachments, role inline policies and trust, and managed-policy versions. Same rules as src/sandbox/effects.ts:
 * each names its account, identifies its target by stable keys, carries every generated value, and is a no-op
 * (false) when its target is gone.
 */
import { awsManagedPolicy } from './aws-managed-policies.js';
import type { AccountData, Tag } from './model.js';

export type IamEffect =
  /** CreateUser. */
  | { kind: 'userCreate'; account: string; userName: string; userId: string; path: string; arn: string; createDate: string; tags: Tag[] }
  /** CreateAccessKey. The secret is sandbox-only and lives in the owner-only state file. */
  | { kind: 'accessKeyCreate'; account: string; userName: string; accessKeyId: string; secretAccessKey: string; createDate: string }
  /** DeleteAccessKey. */
  | { kind: 'accessKeyDelete'; account: string; userName: string; accessKeyId: string }
  /** CreateLoginProfile (the password itself is never kept). */
  | { kind: 'loginProfileCreate'; account: string; userName: string; createDate: string; passwordResetRequired: boolean }
  /** UpdateLoginProfile (a new password; `passwordResetRequired` when the call set it). */
  | { kind: 'loginProfileUpdate'; account: string; userName: string; passwordResetRequired?: boolean }
  /** DeleteLoginProfile. */
  | { kind: 'loginProfileDelete'; account: string; userName: string }
  /** AttachUserPolicy / AttachRolePolicy. */
  | { kind: 'policyAttach'; account: string; target: 'user' | 'role'; name: string; policyArn: string }
  /** DetachUserPolicy / DetachRolePolicy. */
  | { kind: 'policyDetach'; account: string; target: 'user' | 'role'; name: string; policyArn: string }
  /** PutRolePolicy (creates or replaces). */
  | { kind: 'rolePolicyPut'; account: string; roleName: string; policyName: string; document: string }
  /** DeleteRolePolicy. */
  | { kind: 'rolePolicyDelete'; account: string; roleName: string; policyName: string }
  /** UpdateAssumeRolePolicy. */
  | { kind: 'roleTrustSet'; account: string; roleName: string; document: string }
  /** CreatePolicyVersion. */
  | { kind: 'policyVersionCreate'; account: string; policyArn: string; versionId: string; document: string; createDate: string; setAsDefault: boolean }
  /** SetDefaultPolicyVersion; `at` is when (ISO), for the policy's updateDate. */
  | { kind: 'policyVersionDefault'; account: string; policyArn: string; versionId: string; at: string }
  /** DeletePolicyVersion. */
  | { kind: 'policyVersionDelete'; account: string; policyArn: string; versionId: string };

const KINDS: ReadonlySet<string> = new Set<IamEffect['kind']>([
  'userCreate', 'accessKeyCreate', 'accessKeyDelete', 'loginProfileCreate', 'loginProfileUpdate', 'loginProfileDelete', 'policyAttach',
  'policyDetach', 'rolePolicyPut', 'rolePolicyDelete', 'roleTrustSet', 'policyVersionCreate', 'policyVersionDefault', 'policyVersionDelete',
]);

export function isIamEffect(effect: { kind: string }): effect is IamEffect {
  return KINDS.has(effect.kind);
}

function own<T>(rec: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(rec, key) ? rec[key] : undefined;
}

/** The policy in the account, an AWS managed policy brought into it on first use (every account has them). */
function policyFor(acct: AccountData, arn: string) {
  const existing = own(acct.iam.managedPolicies, arn);
  if (existing) return existing;
  const managed = awsManagedPolicy(arn);
  if (!managed) return undefined;
  acct.iam.managedPolicies[arn] = managed;
  return managed;
}

export function applyIamEffect(acct: AccountData, effect: IamEffect): boolean {
  const iam = acct.iam;
  switch (effect.kind) {
    case 'userCreate': {
      if (own(iam.users, effect.userName)) return false;
      iam.users[effect.userName] = {
        userName: effect.userName, userId: effect.userId, path: effect.path, arn: effect.arn, createDate: effect.createDate,
        tags: effect.tags.map((t) => ({ ...t })), inlinePolicies: {}, attachedPolicyArns: [], groups: [],
      };
      return true;
    }
    case 'accessKeyCreate': {
      if (!own(iam.users, effect.userName) || own(iam.accessKeys, effect.accessKeyId)) return false;
      iam.accessKeys[effect.accessKeyId] = {
        accessKeyId: effect.accessKeyId, secretAccessKey: effect.secretAccessKey, userName: effect.userName, status: 'Active', createDate: effect.createDate,
      };
      return true;
    }
    case 'accessKeyDelete': {
      const key = own(iam.accessKeys, effect.accessKeyId);
      if (!key || key.userName !== effect.userName) return false;
      delete iam.accessKeys[effect.accessKeyId];
      return true;
    }
    case 'loginProfileCreate': {
      const user = own(iam.users, effect.userName);
      if (!user || user.loginProfile) return false;
      user.loginProfile = { createDate: effect.createDate, passwordResetRequired: effect.passwordResetRequired };
      return true;
    }
    case 'loginProfileUpdate': {
      const profile = own(iam.users, effect.userName)?.loginProfile;
      if (!profile) return false;
      if (effect.passwordResetRequired !== undefined) profile.passwordResetRequired = effect.passwordResetRequired;
      return true;
    }
    case 'loginProfileDelete': {
      const user = own(iam.users, effect.userName);
      if (!user?.loginProfile) return false;
      delete user.loginProfile;
      return true;
    }
    case 'policyAttach':
    case 'policyDetach': {
      const holder = effect.target === 'user' ? own(iam.users, effect.name) : own(iam.roles, effect.name);
      const policy = holder ? policyFor(acct, effect.policyArn) : undefined;
      if (!holder || !policy) return false;
      const attached = holder.attachedPolicyArns.includes(effect.policyArn);
      if (effect.kind === 'policyAttach') {
        if (attached) return false;
        holder.attachedPolicyArns.push(effect.policyArn);
        policy.attachmentCount++;
      } else {
        if (!attached) return false;
        holder.attachedPolicyArns = holder.attachedPolicyArns.filter((a) => a !== effect.policyArn);
        policy.attachmentCount = Math.max(0, policy.attachmentCount - 1);
      }
      return true;
    }
    case 'rolePolicyPut': {
      const role = own(iam.roles, effect.roleName);
      if (!role) return false;
      role.inlinePolicies[effect.policyName] = effect.document;
      return true;
    }
    case 'rolePolicyDelete': {
      const role = own(iam.roles, effect.roleName);
      if (!role || !Object.hasOwn(role.inlinePolicies, effect.policyName)) return false;
      delete role.inlinePolicies[effect.policyName];
      return true;
    }
    case 'roleTrustSet': {
      const role = own(iam.roles, effect.roleName);
      if (!role) return false;
      role.assumeRolePolicyDocument = effect.document;
      return true;
    }
    case 'policyVersionCreate': {
      const policy = own(iam.managedPolicies, effect.policyArn);
      if (!policy || policy.versions.some((v) => v.versionId === effect.versionId)) return false;
      policy.versions.push({ versionId: effect.versionId, document: effect.document, isDefaultVersion: false, createDate: effect.createDate });
      policy.updateDate = effect.createDate;
      if (effect.setAsDefault) setDefault(policy, effect.versionId);
      return true;
    }
    case 'policyVersionDefault': {
      const policy = own(iam.managedPolicies, effect.policyArn);
      if (!policy || !policy.versions.some((v) => v.versionId === effect.versionId)) return false;
      setDefault(policy, effect.versionId);
      if (Date.parse(effect.at) > Date.parse(policy.updateDate)) policy.updateDate = effect.at;
      return true;
    }
    case 'policyVersionDelete': {
      const policy = own(iam.managedPolicies, effect.policyArn);
      const version = policy?.versions.find((v) => v.versionId === effect.versionId);
      if (!policy || !version || version.isDefaultVersion) return false;
      policy.versions = policy.versions.filter((v) => v !== version);
      return true;
    }
  }
}

function setDefault(policy: { defaultVersionId: string; versions: Array<{ versionId: string; isDefaultVersion: boolean }> }, versionId: string): void {
  policy.defaultVersionId = versionId;
  for (const v of policy.versions) v.isDefaultVersion = v.versionId === versionId;
}
