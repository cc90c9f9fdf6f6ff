/**
 * Reading back what the attacker left: which IAM and CloudTrail reads each change needs (`probesFor`), and what the
 * answers mean (`judge`): still as the attacker left it (present), undone (gone), different since (changed), or
 * not known (unknown: the read failed or the artifact is not one gd-ir reads). Reads are plain data, deduplicated by
 * `probeKey`, run concurrently by the flow (src/flows/changes/), answered as `ProbeResult`s.
 */
import type { Change, ChangeState, ProbeResult } from './model.js';
import { foreignPrincipals, sameDocument, trustPrincipals } from './trust.js';

export type Holder = 'user' | 'role' | 'group';

export type Probe =
  | { op: 'getUser'; userName: string }
  | { op: 'listAccessKeys'; userName: string }
  | { op: 'getLoginProfile'; userName: string }
  | { op: 'listAttachedPolicies'; holder: Holder; name: string }
  | { op: 'listInlinePolicies'; holder: Holder; name: string }
  | { op: 'listGroupsForUser'; userName: string }
  | { op: 'getInlinePolicy'; holder: Holder; name: string; policyName: string }
  | { op: 'getRoleTrust'; roleName: string }
  | { op: 'listPolicyVersions'; policyArn: string }
  | { op: 'getTrailStatus'; trail: string; region: string }
  | { op: 'getTrail'; trail: string; region: string };

export type { ProbeResult } from './model.js';

export interface KeyState {
  accessKeyId: string;
  status: string;
}
export interface PolicyVersionState {
  versionId: string;
  isDefault: boolean;
  createDate?: string;
}

/** The values each op answers with (the flow's gateways produce them). */
export interface ProbeValues {
  getUser: true;
  listAccessKeys: KeyState[];
  getLoginProfile: { createDate?: string };
  listAttachedPolicies: string[];
  listInlinePolicies: string[];
  listGroupsForUser: string[];
  getInlinePolicy: string;
  getRoleTrust: string;
  listPolicyVersions: PolicyVersionState[];
  getTrailStatus: { isLogging: boolean; stopLoggingTime?: string; startLoggingTime?: string };
  getTrail: true;
}

export function probeKey(p: Probe): string {
  return JSON.stringify(Object.entries(p).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** A user's ways in: what makes an attacker-created user more than an empty shell. */
const USER_ACCESS_READS = (userName: string): Probe[] => [
  { op: 'getUser', userName },
  { op: 'listAccessKeys', userName },
  { op: 'getLoginProfile', userName },
  { op: 'listAttachedPolicies', holder: 'user', name: userName },
  { op: 'listInlinePolicies', holder: 'user', name: userName },
  { op: 'listGroupsForUser', userName },
];

/** The reads a change needs (none for what gd-ir does not read). */
export function probesFor(change: Change): Probe[] {
  const t = change.target;
  switch (t.kind) {
    case 'user':
      return USER_ACCESS_READS(t.userName);
    case 'role':
      return [{ op: 'getRoleTrust', roleName: t.roleName }];
    case 'accessKey':
      return [{ op: 'listAccessKeys', userName: t.userName }];
    case 'loginProfile':
      return [{ op: 'getLoginProfile', userName: t.userName }];
    case 'managedAttachment':
      return [{ op: 'listAttachedPolicies', holder: t.holder, name: t.name }];
    case 'inlinePolicy':
      return [{ op: 'getInlinePolicy', holder: t.holder, name: t.name, policyName: t.policyName }];
    case 'roleTrust':
      return [{ op: 'getRoleTrust', roleName: t.roleName }];
    case 'policyVersion':
      return [{ op: 'listPolicyVersions', policyArn: t.policyArn }];
    case 'trailLogging':
      return [{ op: 'getTrailStatus', trail: t.trail, region: t.region }];
    case 'trailDeleted':
      return [{ op: 'getTrail', trail: t.trail, region: t.region }];
    case 'groupMembership':
      return [{ op: 'listGroupsForUser', userName: t.userName }];
    case 'mfaDevice':
    case 'recorded':
      return [];
  }
}

type Lookup = (p: Probe) => ProbeResult | undefined;

const present = (detail: string): ChangeState => ({ status: 'present', detail, read: true });
const gone = (detail: string): ChangeState => ({ status: 'gone', detail, read: true });
const changed = (detail: string): ChangeState => ({ status: 'changed', detail, read: true });

function value<K extends keyof ProbeValues>(lookup: Lookup, p: Probe & { op: K }): { value: ProbeValues[K] } | { notFound: true } | { error: string } {
  const r = lookup(p);
  if (!r) return { error: 'not read' };
  if (r.ok) return { value: r.value as ProbeValues[K] };
  return r.notFound ? { notFound: true } : { error: r.error };
}

/** Deny-only policies containment attaches (gd-ir's and the IAM console's session revocation, AWS's quarantine): restrictions, not ways in. */
const RESTRICTION_INLINE = new Set(['gd-ir-revoke-older-sessions', 'AWSRevokeOlderSessions']);
const isRestriction = (arn: string): boolean => /^arn:aws[\w-]*:iam::aws:policy\/AWSCompromisedKeyQuarantine(V\d+)?$/.test(arn);

const unreadable = (error: string): ChangeState => ({ status: 'unknown', detail: `could not be read: ${error}`, read: false });
const policyName = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1) || arn;

/** The current state of a change, from the reads `probesFor` asked for. */
export function judge(change: Change, lookup: Lookup, accountId?: string): ChangeState {
  const t = change.target;
  switch (t.kind) {
    case 'user': {
      const u = value(lookup, { op: 'getUser', userName: t.userName });
      if ('notFound' in u) return gone(`user ${t.userName} no longer exists`);
      if ('error' in u) return unreadable(u.error);
      const ways: string[] = [];
      const keys = value(lookup, { op: 'listAccessKeys', userName: t.userName });
      if ('value' in keys) for (const k of keys.value.filter((x) => x.status === 'Active')) ways.push(`active key ${k.accessKeyId}`);
      if ('value' in value(lookup, { op: 'getLoginProfile', userName: t.userName })) ways.push('a console password');
      const attached = value(lookup, { op: 'listAttachedPolicies', holder: 'user', name: t.userName });
      if ('value' in attached) for (const a of attached.value.filter((x) => !isRestriction(x))) ways.push(`${policyName(a)} attached`);
      const inline = value(lookup, { op: 'listInlinePolicies', holder: 'user', name: t.userName });
      if ('value' in inline) for (const n of inline.value.filter((x) => !RESTRICTION_INLINE.has(x))) ways.push(`inline policy ${n}`);
      const groups = value(lookup, { op: 'listGroupsForUser', userName: t.userName });
      if ('value' in groups) for (const g of groups.value) ways.push(`member of ${g}`);
      const failed = [keys, attached, inline, groups].some((r) => 'error' in r);
      if (ways.length > 0) return present(`user ${t.userName} exists with ${ways.join(', ')}`);
      if (failed) return { status: 'unknown', detail: `user ${t.userName} exists; some of its keys, policies or groups could not be read`, read: false };
      return changed(`user ${t.userName} exists but has no active key, password, policy or group (inert; delete it by hand once the evidence is kept)`);
    }
    case 'role': {
      const doc = value(lookup, { op: 'getRoleTrust', roleName: t.roleName });
      if ('notFound' in doc) return gone(`role ${t.roleName} no longer exists`);
      if ('error' in doc) return unreadable(doc.error);
      const outside = foreignPrincipals(doc.value, accountId);
      return present(`role ${t.roleName} exists${outside.length > 0 ? ` and trusts ${outside.map((p) => p.value).join(', ')}` : ''}`);
    }
    case 'accessKey': {
      const keys = value(lookup, { op: 'listAccessKeys', userName: t.userName });
      if ('notFound' in keys) return gone(`user ${t.userName} no longer exists`);
      if ('error' in keys) return unreadable(keys.error);
      const k = keys.value.find((x) => x.accessKeyId === t.accessKeyId);
      if (!k) return gone(`${t.accessKeyId} no longer exists`);
      return k.status === 'Active' ? present(`${t.accessKeyId} is Active`) : changed(`${t.accessKeyId} is ${k.status}`);
    }
    case 'loginProfile': {
      const p = value(lookup, { op: 'getLoginProfile', userName: t.userName });
      if ('notFound' in p) return gone(`user ${t.userName} has no console password`);
      if ('error' in p) return unreadable(p.error);
      const created = p.value.createDate ? Date.parse(p.value.createDate) : NaN;
      if (t.how === 'created' && !Number.isNaN(created) && created > Date.parse(change.time) + 60_000) {
        return changed(`user ${t.userName} has a console password created since (${p.value.createDate ?? ''})`);
      }
      return present(
        t.how === 'created'
          ? `user ${t.userName} still has the console password created at ${change.time}`
          : `user ${t.userName} has a console password (IAM does not say whether it was changed after ${change.time})`,
      );
    }
    case 'managedAttachment': {
      const list = value(lookup, { op: 'listAttachedPolicies', holder: t.holder, name: t.name });
      if ('notFound' in list) return gone(`${t.holder} ${t.name} no longer exists`);
      if ('error' in list) return unreadable(list.error);
      const on = list.value.includes(t.policyArn);
      const p = policyName(t.policyArn);
      if (t.detached) return on ? gone(`${p} is attached to ${t.holder} ${t.name} again`) : present(`${p} is still detached from ${t.holder} ${t.name}`);
      return on ? present(`${p} is attached to ${t.holder} ${t.name}`) : gone(`${p} is no longer attached to ${t.holder} ${t.name}`);
    }
    case 'inlinePolicy': {
      const doc = value(lookup, { op: 'getInlinePolicy', holder: t.holder, name: t.name, policyName: t.policyName });
      if ('error' in doc) return unreadable(doc.error);
      if (t.deleted) return 'notFound' in doc ? present(`${t.holder} ${t.name} still has no inline policy ${t.policyName}`) : gone(`${t.holder} ${t.name} has an inline policy ${t.policyName} again`);
      if ('notFound' in doc) return gone(`${t.holder} ${t.name} has no inline policy ${t.policyName}`);
      if (t.document !== undefined && !sameDocument(doc.value, t.document)) return changed(`inline policy ${t.policyName} of ${t.holder} ${t.name} has been rewritten since`);
      return present(`inline policy ${t.policyName} is on ${t.holder} ${t.name}${t.document !== undefined ? ', as the attacker wrote it' : ''}`);
    }
    case 'roleTrust': {
      const doc = value(lookup, { op: 'getRoleTrust', roleName: t.roleName });
      if ('notFound' in doc) return gone(`role ${t.roleName} no longer exists`);
      if ('error' in doc) return unreadable(doc.error);
      const added = foreignPrincipals(t.document, accountId);
      if (added.length > 0) {
        const now = trustPrincipals(doc.value);
        const still = added.filter((a) => now.some((n) => n.type === a.type && n.value === a.value));
        if (still.length > 0) return present(`role ${t.roleName} still trusts ${still.map((s) => s.value).join(', ')}`);
        return gone(`role ${t.roleName} no longer trusts ${added.map((s) => s.value).join(', ')}`);
      }
      return sameDocument(doc.value, t.document) ? present(`role ${t.roleName} has the trust policy the attacker wrote`) : changed(`the trust policy of role ${t.roleName} has been rewritten since`);
    }
    case 'policyVersion': {
      const list = value(lookup, { op: 'listPolicyVersions', policyArn: t.policyArn });
      if ('notFound' in list) return gone(`policy ${policyName(t.policyArn)} no longer exists`);
      if ('error' in list) return unreadable(list.error);
      const v = list.value.find((x) => x.versionId === t.versionId);
      const current = list.value.find((x) => x.isDefault)?.versionId ?? '?';
      if (!v) return gone(`version ${t.versionId} no longer exists (the default is ${current})`);
      if (v.isDefault) return present(`${t.versionId} is the default version of ${policyName(t.policyArn)}`);
      return t.setDefault
        ? gone(`${t.versionId} is no longer the default (${current} is)`)
        : changed(`${t.versionId} exists but is not the default (${current} is)`);
    }
    case 'trailLogging': {
      const s = value(lookup, { op: 'getTrailStatus', trail: t.trail, region: t.region });
      if ('notFound' in s) return changed(`trail ${t.trail} no longer exists`);
      if ('error' in s) return unreadable(s.error);
      return s.value.isLogging ? gone(`trail ${t.trail} is logging again`) : present(`trail ${t.trail} is not logging${s.value.stopLoggingTime ? ` (stopped ${s.value.stopLoggingTime})` : ''}`);
    }
    case 'trailDeleted': {
      const s = value(lookup, { op: 'getTrail', trail: t.trail, region: t.region });
      if ('notFound' in s) return present(`trail ${t.trail} does not exist`);
      if ('error' in s) return unreadable(s.error);
      return gone(`a trail named ${t.trail} exists again`);
    }
    case 'groupMembership': {
      const g = value(lookup, { op: 'listGroupsForUser', userName: t.userName });
      if ('notFound' in g) return gone(`user ${t.userName} no longer exists`);
      if ('error' in g) return unreadable(g.error);
      return g.value.includes(t.groupName) ? present(`${t.userName} is a member of ${t.groupName}`) : gone(`${t.userName} is no longer in ${t.groupName}`);
    }
    case 'mfaDevice':
    case 'recorded':
      return change.state;
  }
}
