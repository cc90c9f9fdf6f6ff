/**
 * The hostile world of the reliability suite: the workshop scenario with attacker-written strings in every
 * displayed field of findings, CloudTrail records and IAM data (docs/reliability.md, part 4).
 */
import type { World } from '../../src/sandbox/index.js';
import { buildScenario } from '../../src/sandbox/scenarios/index.js';
import { WORKSHOP } from '../../src/sandbox/scenarios/workshop-facts.js';
import { FIXED_NOW } from './harness.js';

/** Every string the attacker writes ends with this (the marker is the visible "RLO" after U+202E). */
export const CORE = '\u001b[31mRED\u001b[0m\u001b]8;;http://evil.example/x\u0007LINK\u001b]8;;\u0007\r\bBS\u202eRLO\u2066LRI\u009b31mC1\u0007BEL\ttab\u0000NUL\u007fDEL\nLF|pipe|`tick`';
export const MARK = '\u202eRLO';
/** GuardDuty and CloudTrail speak JSON, which carries lone surrogates (\ud800); IAM's XML cannot. */
const JSON_HOSTILE = `${CORE}\ud800`;
const IAM_HOSTILE = CORE;
const LONG = 'L'.repeat(10_000);

/** Keys whose values are identifiers, times or lookup keys: changing them would change what is fetched, not what is shown. */
const FINDING_SKIP = new Set([
  'id', 'accountId', 'region', 'partition', 'arn', 'createdAt', 'updatedAt', 'eventFirstSeen', 'eventLastSeen', 'detectorId', 'schemaVersion',
  'accessKeyId', 'principalId', 'userName', 'userType', 'resourceType', 'type', 'value', 'ipAddressV4',
]);
const EVENT_SKIP = new Set([
  'eventVersion', 'eventID', 'eventTime', 'eventSource', 'eventName', 'awsRegion', 'sourceIPAddress', 'accessKeyId', 'principalId', 'arn', 'accountId',
  'type', 'recipientAccountId', 'requestID', 'eventType', 'userName', 'eventCategory', 'managementEvent', 'sessionIssuer', 'creationDate', 'expiration',
]);

function poison(value: unknown, skip: Set<string>, suffix: string, key = ''): unknown {
  if (typeof value === 'string') return skip.has(key) ? value : `${value}${suffix}`;
  if (Array.isArray(value)) return value.map((v) => poison(v, skip, suffix, key));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = skip.has(k) ? v : poison(v, skip, suffix, k);
    return out;
  }
  return value;
}

function poisonPolicy(doc: string): string {
  const parsed = JSON.parse(doc) as { Statement?: unknown };
  const statements = Array.isArray(parsed.Statement) ? parsed.Statement : parsed.Statement ? [parsed.Statement] : [];
  const mapped = (statements as Array<Record<string, unknown>>).map((s, i) => ({ ...s, Sid: `S${i}${IAM_HOSTILE}` }));
  return JSON.stringify({ ...parsed, Statement: mapped });
}

export function hostileWorld(): World {
  const w = buildScenario('workshop', { now: FIXED_NOW });
  for (const region of Object.values(w.regions)) {
    region.findings = region.findings.map((f) => {
      const p = poison(f, FINDING_SKIP, JSON_HOSTILE) as typeof f;
      return { ...p, title: `${LONG}${JSON_HOSTILE}`, description: `${LONG}${JSON_HOSTILE}` };
    });
    region.events = region.events.map((e) => {
      const p = poison(e, EVENT_SKIP, JSON_HOSTILE) as typeof e;
      return e.userIdentity.accessKeyId === WORKSHOP.compromised.derivedSessionKeyId ? { ...p, userAgent: `${LONG}${JSON_HOSTILE}` } : p;
    });
  }
  // IAM refuses inline policy names outside [\w+=,.@-] (GetUserPolicy validates them): poison the documents.
  const rename = (policies: Record<string, string>): Record<string, string> =>
    Object.fromEntries(Object.entries(policies).map(([name, doc]) => [name, poisonPolicy(doc)]));
  for (const u of Object.values(w.iam.users)) {
    u.tags = [...u.tags.map((t) => ({ Key: `${t.Key}${IAM_HOSTILE}`, Value: `${t.Value}${IAM_HOSTILE}` })), { Key: 'long', Value: `${LONG}${IAM_HOSTILE}` }];
    u.inlinePolicies = rename(u.inlinePolicies);
  }
  for (const g of Object.values(w.iam.groups)) g.inlinePolicies = rename(g.inlinePolicies);
  for (const r of Object.values(w.iam.roles)) {
    r.tags = r.tags.map((t) => ({ Key: `${t.Key}${IAM_HOSTILE}`, Value: `${t.Value}${IAM_HOSTILE}` }));
    r.description = `${r.description ?? ''}${IAM_HOSTILE}`;
    r.inlinePolicies = rename(r.inlinePolicies);
  }
  for (const m of Object.values(w.iam.managedPolicies)) {
    m.policyName = `${m.policyName}${IAM_HOSTILE}`;
    m.description = `${m.description ?? ''}${IAM_HOSTILE}`;
    for (const v of m.versions) v.document = poisonPolicy(v.document);
  }
  return w;
}
