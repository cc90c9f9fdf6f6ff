/**
 * The persistence scenario's changes without a network: its CloudTrail records parsed as LookupEvents returns them,
 * swept by the pure core, and judged against the scenario's IAM and trail state (the answers the read-backs would
 * get). Lets the plan be tested exactly.
 */
import { assembleChanges, createdKeys, judgeChanges, probeKey, readsFor, type Change, type Probe, type ProbeResult } from '../../../src/core/changes/index.js';
import { parseLookupEvent, type TrailEvent } from '../../../src/core/trail/index.js';
import type { World } from '../../../src/sandbox/model.js';
import { buildScenario } from '../../../src/sandbox/scenarios/index.js';
import { PERSISTENCE as P } from '../../../src/sandbox/scenarios/persistence-facts.js';

export const NOW = new Date('2026-11-30T12:00:00Z');

export function persistenceWorld(): World {
  return buildScenario('persistence', { now: NOW });
}

function eventsOf(world: World, keys: readonly string[]): TrailEvent[] {
  const out: TrailEvent[] = [];
  for (const [region, data] of Object.entries(world.regions)) {
    for (const rec of data.events) {
      const key = (rec.userIdentity as { accessKeyId?: string }).accessKeyId;
      if (key && keys.includes(key)) out.push(parseLookupEvent({ EventId: rec.eventID, CloudTrailEvent: JSON.stringify(rec) }, region));
    }
  }
  return out;
}

/** What IAM and CloudTrail answer for a read, from the world as it is. */
export function answer(world: World, p: Probe): ProbeResult {
  const iam = world.iam;
  const missing: ProbeResult = { ok: false, notFound: true, error: 'does not exist' };
  const ok = (value: unknown): ProbeResult => ({ ok: true, value });
  const holder = (h: 'user' | 'role' | 'group', n: string) => (h === 'user' ? iam.users[n] : h === 'role' ? iam.roles[n] : iam.groups[n]);
  switch (p.op) {
    case 'getUser':
      return iam.users[p.userName] ? ok(true) : missing;
    case 'listAccessKeys':
      return iam.users[p.userName] ? ok(Object.values(iam.accessKeys).filter((k) => k.userName === p.userName && k.accessKeyId.startsWith('AKIA')).map((k) => ({ accessKeyId: k.accessKeyId, status: k.status }))) : missing;
    case 'getLoginProfile':
      return iam.users[p.userName]?.loginProfile ? ok({ createDate: iam.users[p.userName]?.loginProfile?.createDate }) : missing;
    case 'listAttachedPolicies':
      return holder(p.holder, p.name) ? ok([...(holder(p.holder, p.name)?.attachedPolicyArns ?? [])]) : missing;
    case 'listInlinePolicies':
      return holder(p.holder, p.name) ? ok(Object.keys(holder(p.holder, p.name)?.inlinePolicies ?? {})) : missing;
    case 'listGroupsForUser':
      return iam.users[p.userName] ? ok([...(iam.users[p.userName]?.groups ?? [])]) : missing;
    case 'getInlinePolicy': {
      const doc = holder(p.holder, p.name)?.inlinePolicies[p.policyName];
      return doc === undefined ? missing : ok(doc);
    }
    case 'getRoleTrust':
      return iam.roles[p.roleName] ? ok(iam.roles[p.roleName]?.assumeRolePolicyDocument) : missing;
    case 'listPolicyVersions': {
      const policy = iam.managedPolicies[p.policyArn];
      return policy ? ok(policy.versions.map((v) => ({ versionId: v.versionId, isDefault: v.isDefaultVersion, createDate: v.createDate }))) : missing;
    }
    case 'getTrailStatus': {
      const t = world.regions[p.region]?.trails?.[p.trail];
      return t ? ok({ isLogging: t.isLogging, ...(t.stopLoggingTime ? { stopLoggingTime: t.stopLoggingTime } : {}) }) : missing;
    }
    case 'getTrail':
      return world.regions[p.region]?.trails?.[p.trail] ? ok(true) : missing;
  }
}

/** The sweep of the scenario (the principal, its session, the keys it created and theirs), judged against `world`. */
export function persistenceChanges(world: World): { changes: Change[]; reads: (p: Probe) => ProbeResult | undefined } {
  const hop0 = eventsOf(world, [P.compromised.accessKeyId, P.compromised.sessionKeyId]);
  const hop1Keys = createdKeys(hop0).map((k) => k.accessKeyId);
  const hop1 = eventsOf(world, [...hop1Keys, P.backdoor.sessionKeyId]);
  const drafts = assembleChanges(
    [
      { actor: { kind: 'principal', hop: 0, accessKeyId: P.compromised.accessKeyId, userName: P.compromised.userName }, events: hop0 },
      { actor: { kind: 'created-key', hop: 1, accessKeyId: P.backdoor.accessKeyId, userName: P.backdoor.userName }, events: hop1 },
    ],
    P.accountId,
  );
  const results = new Map<string, ProbeResult>();
  for (const p of readsFor(drafts)) results.set(probeKey(p), answer(world, p));
  return { changes: judgeChanges(drafts, results, P.accountId), reads: (p) => results.get(probeKey(p)) };
}
