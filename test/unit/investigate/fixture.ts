/**
 * Builds investigation reports from the workshop world without any network: the same pure functions the
 * command uses (trail parsing, derived credentials, summary, permissions analysis, report builder), fed
 * with the scenario's records as LookupEvents/IAM would return them. Fixed clock, so renderings are exact.
 */
import { buildScenario } from '../../../src/sandbox/scenarios/index.js';
import { assembleChanges, createdKeys, principalCredentials, principalStreams, type ChangesResult } from '../../../src/core/changes/index.js';
import type { CloudTrailRecord, World } from '../../../src/sandbox/model.js';
import { normalizeFinding, toFindingSummary } from '../../../src/core/finding/index.js';
import { buildInvestigationReport, type AccessKeyFact, type InvestigationReport, type SectionWarning } from '../../../src/core/investigation/index.js';
import { buildPermissions, type RawPermissions, type RawPolicy } from '../../../src/core/permissions.js';
import { buildTrailSummary, compareNewestFirst, findingTrailInput, parseLookupEvent, trailRequestForFinding, type TrailEvent, type TrailResult } from '../../../src/core/trail/index.js';
import { findDerivedCredentials } from '../../../src/core/trail/index.js';

export const NOW = new Date('2026-11-27T12:00:00Z');

let cached: World | undefined;
export function world(): World {
  cached ??= buildScenario('workshop', { now: NOW });
  return cached;
}

export function rawFinding(id: string): unknown {
  for (const region of Object.values(world().regions)) {
    const f = region.findings.find((x) => (x as { id?: string }).id === id);
    if (f) return JSON.parse(JSON.stringify(f));
  }
  throw new Error(`no finding ${id} in the workshop`);
}

function lookup(rec: CloudTrailRecord, region: string, opts: { derived?: boolean; viaKey?: string } = {}): TrailEvent {
  const r = rec as unknown as Record<string, unknown>;
  return parseLookupEvent(
    { EventId: String(r.eventID), EventTime: new Date(String(r.eventTime)), EventName: String(r.eventName), EventSource: String(r.eventSource), CloudTrailEvent: JSON.stringify(rec) },
    region,
    opts,
  );
}

function keyOf(rec: CloudTrailRecord): string | undefined {
  return (rec as unknown as { userIdentity?: { accessKeyId?: string } }).userIdentity?.accessKeyId;
}

export function trailFor(id: string): TrailResult {
  const summary = toFindingSummary(normalizeFinding(rawFinding(id)));
  const request = trailRequestForFinding(findingTrailInput(summary), NOW, { follow: true });
  const inWindow = (rec: CloudTrailRecord): boolean => {
    const t = new Date(String((rec as unknown as { eventTime: string }).eventTime)).getTime();
    return t >= request.window.start.getTime() && t <= request.window.end.getTime();
  };
  const events: TrailEvent[] = [];
  for (const region of request.regions) {
    for (const rec of world().regions[region]?.events ?? []) if (keyOf(rec) === request.lookup.value && inWindow(rec)) events.push(lookup(rec, region));
  }
  const derivedCredentials = findDerivedCredentials(events);
  for (const d of derivedCredentials) {
    for (const region of request.regions) {
      for (const rec of world().regions[region]?.events ?? []) {
        if (keyOf(rec) === d.accessKeyId && inWindow(rec)) events.push(lookup(rec, region, { derived: true, viaKey: request.lookup.value }));
      }
    }
  }
  events.sort(compareNewestFirst);
  return {
    request,
    principal: request.principal,
    events,
    fetchedEvents: events.length,
    derivedCredentials,
    summary: buildTrailSummary(events, summary.remoteIp ? { findingIp: summary.remoteIp } : {}),
    truncated: false,
    warnings: [],
    // Fields the report never reads; the cast keeps the fixture valid while the trail's stats grow.
    stats: { requests: 0, pages: 0, throttles: 0, throttleWaitMs: 0, retries: 0, elapsedMs: 0, regions: [], slices: 0 } as TrailResult['stats'],
  };
}

export async function permissionsFor(type: 'user' | 'role', name: string) {
  const iam = world().iam;
  const principal = type === 'user' ? iam.users[name] : iam.roles[name];
  if (!principal) throw new Error(`no ${type} ${name}`);
  const policies: RawPolicy[] = [];
  for (const arn of principal.attachedPolicyArns) {
    const mp = iam.managedPolicies[arn];
    const version = mp?.versions.find((v) => v.versionId === mp.defaultVersionId);
    policies.push({
      source: 'direct',
      kind: arn.startsWith('arn:aws:iam::aws:') ? 'managed-aws' : 'managed-customer',
      name: mp?.policyName ?? arn,
      arn,
      ...(version ? { versionId: version.versionId, rawDocument: encodeURIComponent(version.document) } : {}),
    });
  }
  for (const [pname, doc] of Object.entries(principal.inlinePolicies)) policies.push({ source: 'direct', kind: 'inline', name: pname, rawDocument: encodeURIComponent(doc) });
  const raw: RawPermissions = {
    principal: {
      type,
      name,
      arn: principal.arn,
      created: principal.createDate,
      tags: principal.tags.map((t) => ({ key: t.Key, value: t.Value })),
    },
    policies,
    warnings: [],
  };
  return buildPermissions(raw);
}

export function accessKeysFor(userName: string): AccessKeyFact[] {
  return Object.values(world().iam.accessKeys)
    .filter((k) => k.userName === userName && k.accessKeyId.startsWith('AKIA'))
    .map((k) => ({
      accessKeyId: k.accessKeyId,
      status: k.status,
      createdAt: k.createDate,
      ...(k.lastUsed ? { lastUsed: { date: k.lastUsed.date, service: k.lastUsed.serviceName, region: k.lastUsed.region } } : {}),
    }));
}

export function relatedFor(id: string, userName: string) {
  const out = [];
  for (const region of Object.values(world().regions)) {
    for (const raw of region.findings) {
      const f = normalizeFinding(JSON.parse(JSON.stringify(raw)));
      const s = toFindingSummary(f);
      if (s.id !== id && !s.archived && s.principal?.userName === userName && s.region === toFindingSummary(normalizeFinding(rawFinding(id))).region) out.push(s);
    }
  }
  return out;
}

export interface FixtureOptions {
  trail?: boolean;
  permissions?: boolean;
  keys?: boolean;
  related?: boolean;
  warnings?: SectionWarning[];
}

/**
 * The changes sweep without the network: the workshop's attacker made no successful write (its CreateUser was
 * denied), so there are no created keys to follow and nothing to read back.
 */
export function changesFor(trail: TrailResult): ChangesResult {
  if (createdKeys(trail.events).length > 0) throw new Error('the fixture does not follow created keys');
  return { changes: assembleChanges(principalStreams(trail), world().accountId), followed: principalCredentials(trail), notFollowed: [], warnings: [] };
}

/** The report the command would produce for a workshop finding, with parts left out on request. */
export async function workshopReport(id: string, o: FixtureOptions = {}): Promise<InvestigationReport> {
  const finding = normalizeFinding(rawFinding(id));
  const s = toFindingSummary(finding);
  const p = s.principal;
  const isRole = p?.userType === 'AssumedRole';
  const isUser = p?.userType === 'IAMUser';
  const trail = o.trail !== false && (isUser || isRole) ? trailFor(id) : undefined;
  return buildInvestigationReport({
    finding,
    ...(trail ? { trail, changes: changesFor(trail) } : {}),
    ...(o.permissions !== false && (isUser || isRole) && p?.userName ? { permissions: await permissionsFor(isRole ? 'role' : 'user', p.userName) } : {}),
    ...(o.keys !== false && isUser && p?.userName ? { accessKeys: accessKeysFor(p.userName) } : {}),
    ...(o.related !== false && (isUser || isRole) && p?.userName ? { related: relatedFor(id, p.userName) } : {}),
    warnings: o.warnings ?? [],
    now: NOW,
  });
}
