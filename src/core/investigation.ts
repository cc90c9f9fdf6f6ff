/**
 * The investigation: from one finding and what was gathered around it (trail, permissions, access keys,
 * related findings) to a decision. Pure: the command gathers, this module judges, the renderers print.
 * Every conclusion carries its evidence (times, IPs, user agents, counts) so the analyst can check it.
 */
import { CATEGORY_LABELS, classifyEvent, iamActionForEvent, serviceKeyForEventSource, type EventCategory } from './event-classification.js';
import { toFindingDetail, type Finding, type FindingDetail, type FindingSummary } from './finding.js';
import type { PermissionsResult } from './permissions.js';
import { isActionAllowed } from './policy-eval.js';
import type { TrailEvent, TrailResult } from './trail.js';
import { REVOKE_POLICY_NAME } from './remediation.js';
import { severityLabel } from './severity.js';

// ---------------------------------------------------------------------------------------------------------------
// Inputs (structural: the findings, trail and policies modules produce supersets of these)

export interface InvestigationPrincipalRef {
  userName?: string;
  userType?: string;
  accessKeyId?: string;
  principalId?: string;
}

export interface InvestigationFinding {
  id: string;
  type: string;
  severity: number;
  title?: string;
  accountId: string;
  region: string;
  resourceType?: string;
  principal: InvestigationPrincipalRef | null;
  remoteIp?: string;
  threatListName?: string;
  /** The API the finding is about (awsApiCallAction.api). */
  api?: string;
  userAgent?: string;
  count?: number;
  firstSeen?: string;
  lastSeen?: string;
  archived?: boolean;
  sample: boolean;
}

/** The part of a trail event (src/core/trail.ts) the investigation reasons about. */
export type ActivityEvent = Pick<TrailEvent, 'time' | 'region' | 'eventSource' | 'eventName' | 'sourceIp' | 'userAgent' | 'accessKeyId' | 'errorCode'> & {
  category?: string;
  /** Made with credentials derived from the principal's key. */
  derived?: boolean;
};

/** A temporary key minted by the principal (src/core/derived-credentials.ts produces a superset). */
export interface DerivedCredential {
  accessKeyId: string;
  /** The STS call that minted it (GetSessionToken, AssumeRole, GetFederationToken). */
  via: string;
  issuedAt: string;
  sourceIp?: string;
  region?: string;
  expiresAt?: string;
  /** AssumeRole: the role session ARN (arn:aws:sts::<account>:assumed-role/<role>/<session>). */
  assumedArn?: string;
}

export interface PolicyRow {
  source: string;
  group?: string;
  kind: string;
  name: string;
  arn?: string;
}

export interface RiskRow {
  capability: string;
  category: string;
  actions: string[];
  policy?: string;
}

/** What the policies module established about the principal. */
export interface PermissionFacts {
  policies: PolicyRow[];
  isAdmin: boolean;
  risks: RiskRow[];
  /** Effective decision for one IAM action (`ssm:GetParameters`); undefined when it cannot tell. */
  isGranted: (action: string) => boolean | undefined;
  /** Number of actions effectively granted (wildcards expanded), when known. */
  grantedCount?: number;
  /** Tags of the user/role (Owner, Project…): who to call before breaking a workload. */
  tags?: Array<{ key: string; value: string }>;
}

export interface AccessKeyFact {
  accessKeyId: string;
  status: string;
  createdAt?: string;
  lastUsed?: { date?: string; service?: string; region?: string };
}

export interface RelatedFinding {
  id: string;
  type: string;
  severity: number;
  region: string;
  accessKeyId?: string;
  lastSeen?: string;
  count?: number;
}

export type InvestigationSection = 'finding' | 'activity' | 'permissions' | 'accessKeys' | 'relatedFindings';

export interface SectionWarning {
  section: InvestigationSection;
  message: string;
}

export interface InvestigationInput {
  finding: InvestigationFinding;
  /** "CloudTrail management events", or undefined when the finding type does not say. */
  dataSource?: string;
  events?: ActivityEvent[];
  derivedCredentials?: DerivedCredential[];
  activityTruncated?: boolean;
  permissions?: PermissionFacts;
  accessKeys?: AccessKeyFact[];
  relatedFindings?: RelatedFinding[];
  warnings: SectionWarning[];
  now: Date;
}

// ---------------------------------------------------------------------------------------------------------------
// Principal kind

export type PrincipalKind = 'iam-user' | 'assumed-role' | 'root' | 'aws-service' | 'sample' | 'no-principal';

export interface PrincipalAssessment {
  kind: PrincipalKind;
  userName?: string;
  userType?: string;
  accessKeyId?: string;
  principalId?: string;
  /** For AssumedRole: the role (GuardDuty puts the role name in userName). */
  roleName?: string;
  /** For AssumedRole: the session name (after the colon of principalId), e.g. an instance ID. */
  sessionName?: string;
  temporaryKey: boolean;
  /** Whether gd-ir can act on it (deactivate a key or revoke a user's sessions). */
  actionable: boolean;
  /** Why not, when it is not. */
  notActionableReason?: string;
}

/** Placeholder values CreateSampleFindings puts in generated findings. */
const GENERATED = /^GeneratedFinding/;

export function assessPrincipal(finding: InvestigationFinding): PrincipalAssessment {
  const p = finding.principal;
  const base = {
    userName: p?.userName,
    userType: p?.userType,
    accessKeyId: p?.accessKeyId,
    principalId: p?.principalId,
    temporaryKey: (p?.accessKeyId ?? '').startsWith('ASIA'),
  };
  if (finding.sample || GENERATED.test(p?.userName ?? '') || GENERATED.test(p?.accessKeyId ?? '')) {
    return {
      ...base,
      kind: 'sample',
      actionable: false,
      notActionableReason:
        'this is a sample finding generated by GuardDuty (CreateSampleFindings): its principal and key are placeholders that do not exist in the account',
    };
  }
  if (!p || (!p.accessKeyId && !p.userName)) {
    return {
      ...base,
      kind: 'no-principal',
      actionable: false,
      notActionableReason: `the finding is about ${/^[AEIOU]/i.test(finding.resourceType ?? 'non-IAM') ? 'an' : 'a'} ${finding.resourceType ?? 'non-IAM'} resource, not an IAM principal: there is no key or session to contain`,
    };
  }
  const type = p.userType ?? '';
  if (type === 'Root') {
    return {
      ...base,
      kind: 'root',
      actionable: false,
      notActionableReason: 'root credentials cannot be managed through IAM APIs: only the root user can rotate them, from the console',
    };
  }
  if (type === 'AWSService') {
    return {
      ...base,
      kind: 'aws-service',
      actionable: false,
      notActionableReason: 'the calls were made by an AWS service on the account\'s behalf: there are no credentials of yours to disable',
    };
  }
  if (type === 'AssumedRole' || type === 'Role') {
    const sessionName = p.principalId?.includes(':') ? p.principalId.slice(p.principalId.indexOf(':') + 1) : undefined;
    return { ...base, kind: 'assumed-role', roleName: p.userName, sessionName, actionable: true };
  }
  return { ...base, kind: 'iam-user', actionable: Boolean(p.userName && p.accessKeyId) };
}

/** The principal in words: "IAM user X (AKIA…)", "role R (session i-…)". */
export function describePrincipal(a: PrincipalAssessment): string {
  switch (a.kind) {
    case 'iam-user':
      return `IAM user ${a.userName ?? '?'}${a.accessKeyId ? ` (${a.accessKeyId})` : ''}`;
    case 'assumed-role':
      return `role ${a.roleName ?? '?'}${a.sessionName ? ` (session ${a.sessionName}` : ' ('}${a.accessKeyId ? `${a.sessionName ? ', ' : ''}${a.accessKeyId}` : ''})`;
    case 'root':
      return `the account's root user${a.accessKeyId ? ` (${a.accessKeyId})` : ''}`;
    case 'aws-service':
      return `an AWS service (${a.userName ?? 'unknown'})`;
    case 'sample':
      return `placeholder principal ${a.userName ?? '?'}`;
    case 'no-principal':
      return 'no IAM principal';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Activity: the malicious window vs earlier ordinary use

export interface IpUse {
  ip: string;
  count: number;
  errors: number;
  first: string;
  last: string;
  userAgents: string[];
  /** The finding's remote IP (the threat-list IP). */
  findingIp: boolean;
}

export interface AgentUse {
  userAgent: string;
  count: number;
  first: string;
  last: string;
  ips: string[];
}

export interface ApiUse {
  eventSource: string;
  eventName: string;
  category: string;
  count: number;
  errors: number;
}

export interface ErrorUse {
  errorCode: string;
  eventName: string;
  count: number;
}

export interface ActivityEvidence {
  total: number;
  first?: string;
  last?: string;
  ips: IpUse[];
  userAgents: AgentUse[];
  apis: ApiUse[];
  categories: Array<{ category: string; count: number; apis: string[] }>;
  errors: ErrorUse[];
  /** The finding's IP in the trail: when it first and last appeared. */
  malicious?: { ip: string; firstSeen: string; lastSeen: string; count: number; userAgents: string[] };
  /** Use of the key before the malicious IP first appeared. */
  before?: { since: string; until: string; count: number; ips: Array<{ ip: string; count: number; userAgents: string[]; first: string; last: string }> };
  /** User agents the malicious IP used that were never seen before it. */
  newUserAgents: string[];
  /** One line per conclusion, each with its evidence. */
  findings: string[];
}

const DENIED = /AccessDenied|UnauthorizedOperation|Unauthorized|Forbidden|NotAuthorized/i;

export function isDeniedError(code: string | undefined): boolean {
  return code !== undefined && code !== '' && DENIED.test(code);
}

/** ISO time without milliseconds, as sentences show it ("2026-11-27T21:56:02Z"). */
export function isoShort(value: string): string {
  return value.replace(/\.\d{3}Z$/, 'Z');
}

function byTime(a: ActivityEvent, b: ActivityEvent): number {
  return a.time < b.time ? -1 : a.time > b.time ? 1 : 0;
}

function pushUnique(list: string[], value: string | undefined): void {
  if (value && !list.includes(value)) list.push(value);
}

export function analyseActivity(events: readonly ActivityEvent[], finding: InvestigationFinding): ActivityEvidence {
  const sorted = [...events].sort(byTime);
  const ips = new Map<string, IpUse>();
  const agents = new Map<string, AgentUse>();
  const apis = new Map<string, ApiUse>();
  const errors = new Map<string, ErrorUse>();
  const cats = new Map<string, { category: string; count: number; apis: string[] }>();
  for (const e of sorted) {
    const ip = e.sourceIp ?? '-';
    const u = ips.get(ip) ?? { ip, count: 0, errors: 0, first: e.time, last: e.time, userAgents: [], findingIp: ip === finding.remoteIp };
    u.count++;
    if (e.errorCode) u.errors++;
    u.last = e.time;
    pushUnique(u.userAgents, e.userAgent);
    ips.set(ip, u);
    if (e.userAgent) {
      const a = agents.get(e.userAgent) ?? { userAgent: e.userAgent, count: 0, first: e.time, last: e.time, ips: [] };
      a.count++;
      a.last = e.time;
      pushUnique(a.ips, e.sourceIp);
      agents.set(e.userAgent, a);
    }
    const category = e.category ?? classifyEvent(e.eventSource, e.eventName);
    const key = `${e.eventSource} ${e.eventName}`;
    const api = apis.get(key) ?? { eventSource: e.eventSource, eventName: e.eventName, category, count: 0, errors: 0 };
    api.count++;
    if (e.errorCode) api.errors++;
    apis.set(key, api);
    const c = cats.get(category) ?? { category, count: 0, apis: [] };
    c.count++;
    pushUnique(c.apis, e.eventName);
    cats.set(category, c);
    if (e.errorCode) {
      const ek = `${e.errorCode} ${e.eventName}`;
      const er = errors.get(ek) ?? { errorCode: e.errorCode, eventName: e.eventName, count: 0 };
      er.count++;
      errors.set(ek, er);
    }
  }
  const evidence: ActivityEvidence = {
    total: sorted.length,
    first: sorted[0]?.time,
    last: sorted[sorted.length - 1]?.time,
    ips: [...ips.values()].sort((a, b) => Number(b.findingIp) - Number(a.findingIp) || b.count - a.count || a.ip.localeCompare(b.ip)),
    userAgents: [...agents.values()].sort((a, b) => b.count - a.count || a.userAgent.localeCompare(b.userAgent)),
    apis: [...apis.values()].sort((a, b) => b.count - a.count || a.eventName.localeCompare(b.eventName)),
    categories: [...cats.values()].sort((a, b) => Number(a.category === 'ordinary') - Number(b.category === 'ordinary') || b.count - a.count),
    errors: [...errors.values()].sort((a, b) => b.count - a.count || a.eventName.localeCompare(b.eventName)),
    newUserAgents: [],
    findings: [],
  };

  const bad = finding.remoteIp ? ips.get(finding.remoteIp) : undefined;
  if (bad) {
    evidence.malicious = { ip: bad.ip, firstSeen: bad.first, lastSeen: bad.last, count: bad.count, userAgents: bad.userAgents };
    const earlier = sorted.filter((e) => e.time < bad.first);
    if (earlier.length > 0) {
      const pre = new Map<string, { ip: string; count: number; userAgents: string[]; first: string; last: string }>();
      for (const e of earlier) {
        const ip = e.sourceIp ?? '-';
        const p = pre.get(ip) ?? { ip, count: 0, userAgents: [], first: e.time, last: e.time };
        p.count++;
        p.last = e.time;
        pushUnique(p.userAgents, e.userAgent);
        pre.set(ip, p);
      }
      evidence.before = {
        since: earlier[0]?.time ?? bad.first,
        until: earlier[earlier.length - 1]?.time ?? bad.first,
        count: earlier.length,
        ips: [...pre.values()].sort((a, b) => b.count - a.count),
      };
      const seenBefore = new Set(earlier.map((e) => e.userAgent).filter(Boolean));
      evidence.newUserAgents = bad.userAgents.filter((ua) => !seenBefore.has(ua));
    } else {
      evidence.newUserAgents = [];
    }
  }
  evidence.findings = activityConclusions(evidence, finding);
  return evidence;
}

function activityConclusions(ev: ActivityEvidence, finding: InvestigationFinding): string[] {
  const out: string[] = [];
  if (ev.total === 0) return out;
  const list = finding.threatListName ? ` (threat list ${finding.threatListName})` : '';
  if (ev.malicious) {
    out.push(
      `The finding's IP ${ev.malicious.ip}${list} first used the key at ${ev.malicious.firstSeen} and last at ${ev.malicious.lastSeen}: ${ev.malicious.count} calls.`,
    );
    if (ev.before && ev.before.ips.length > 0) {
      const parts = ev.before.ips.map((p) => `${p.ip} (${p.count} calls${p.userAgents.length ? `, user agent ${p.userAgents.join(' | ')}` : ''})`);
      out.push(`Before that, since ${ev.before.since}, only ${parts.join('; ')} used it.`);
    } else {
      out.push(`No earlier use of the key in the window: the finding's IP is the first caller seen.`);
    }
    if (ev.newUserAgents.length > 0 && ev.before) {
      out.push(`User agent changed: ${ev.newUserAgents.join(' | ')} appears only from ${ev.malicious.ip}, never before it.`);
    }
  } else if (finding.remoteIp) {
    out.push(`The finding's IP ${finding.remoteIp} does not appear in the trail of this window.`);
  }
  const denied = ev.errors.filter((e) => isDeniedError(e.errorCode)).reduce((n, e) => n + e.count, 0);
  if (denied > 0) {
    const names = [...new Set(ev.errors.filter((e) => isDeniedError(e.errorCode)).map((e) => e.eventName))];
    out.push(`${denied} calls were denied (${names.join(', ')}): someone is probing what the key can do.`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Timeline: the moments that matter, not every event

export interface TimelineEntry {
  time: string;
  text: string;
  /** 'malicious' for the finding's IP, 'derived' for derived credentials. */
  kind: 'ordinary' | 'malicious' | 'derived' | 'finding';
}

export function buildTimeline(
  events: readonly ActivityEvent[],
  derived: readonly DerivedCredential[],
  finding: InvestigationFinding,
  principalKey: string | undefined,
  limit = 12,
): TimelineEntry[] {
  const sorted = [...events].sort(byTime);
  const entries: TimelineEntry[] = [];
  const seenIp = new Set<string>();
  const seenCategory = new Set<string>();
  const derivedKeys = new Set(derived.map((d) => d.accessKeyId));
  const seenDerivedUse = new Set<string>();
  for (const e of sorted) {
    const isBad = e.sourceIp !== undefined && e.sourceIp === finding.remoteIp;
    const who = e.accessKeyId && e.accessKeyId !== principalKey ? ` with ${e.accessKeyId}` : '';
    if (e.sourceIp && !seenIp.has(e.sourceIp)) {
      seenIp.add(e.sourceIp);
      entries.push({
        time: e.time,
        kind: isBad ? 'malicious' : 'ordinary',
        text: `first call from ${e.sourceIp}${isBad ? ' (the finding\'s IP)' : ''}: ${e.eventName}${e.errorCode ? ` (${e.errorCode})` : ''}${who}`,
      });
      continue;
    }
    const category = e.category ?? classifyEvent(e.eventSource, e.eventName);
    if (isBad && category !== 'ordinary' && !seenCategory.has(category)) {
      seenCategory.add(category);
      entries.push({ time: e.time, kind: 'malicious', text: `first ${(CATEGORY_LABELS[category as EventCategory] ?? category).toLowerCase()}: ${e.eventName}${e.errorCode ? ` (${e.errorCode})` : ''}${who}` });
      continue;
    }
    if (e.accessKeyId && derivedKeys.has(e.accessKeyId) && !seenDerivedUse.has(e.accessKeyId)) {
      seenDerivedUse.add(e.accessKeyId);
      entries.push({ time: e.time, kind: 'derived', text: `first use of derived key ${e.accessKeyId}: ${e.eventName}${e.errorCode ? ` (${e.errorCode})` : ''}` });
    }
  }
  for (const d of derived) {
    entries.push({ time: d.issuedAt, kind: 'derived', text: `${d.via} minted temporary key ${d.accessKeyId}${d.sourceIp ? ` from ${d.sourceIp}` : ''}` });
  }
  if (finding.firstSeen) entries.push({ time: finding.firstSeen, kind: 'finding', text: `GuardDuty: first activity of this finding (${finding.api ?? finding.type})` });
  const last = sorted[sorted.length - 1];
  if (last) entries.push({ time: last.time, kind: last.sourceIp === finding.remoteIp ? 'malicious' : 'ordinary', text: `last call: ${last.eventName} from ${last.sourceIp ?? '?'}${last.errorCode ? ` (${last.errorCode})` : ''}` });
  entries.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  // Keep the first entries and the very last one (the "still going on?" answer).
  if (entries.length > limit) return [...entries.slice(0, limit - 1), entries[entries.length - 1] as TimelineEntry];
  return entries;
}

// ---------------------------------------------------------------------------------------------------------------
// Used vs granted

export interface ActionUse {
  /** IAM action, e.g. `ssm:GetParameters`. */
  action: string;
  count: number;
  first: string;
  last: string;
  /** Whether the principal's policies grant it (undefined when permissions could not be read). */
  granted?: boolean;
  /** False for calls AWS allows without any policy (sts:GetCallerIdentity, sts:GetSessionToken). */
  needsPermission: boolean;
}

/**
 * Calls IAM users can make with no policy at all (STS API reference: GetCallerIdentity "No permissions are
 * required"; GetSessionToken "no permissions are required for users to get a session token").
 */
export const NO_PERMISSION_ACTIONS: ReadonlySet<string> = new Set(['sts:GetCallerIdentity', 'sts:GetSessionToken']);

export interface DeniedUse {
  action: string;
  count: number;
  errorCodes: string[];
  first: string;
  last: string;
  /** Whether it came from the finding's IP. */
  fromFindingIp: boolean;
}

export interface UsageAnalysis {
  used: ActionUse[];
  denied: DeniedUse[];
  /** Granted actions never used in the window (undefined when the granted set is unknown). */
  grantedUnused?: number;
}

export function actionOfEvent(e: Pick<ActivityEvent, 'eventSource' | 'eventName'>): string {
  const service = serviceKeyForEventSource(e.eventSource);
  return `${service}:${iamActionForEvent(service, e.eventName)}`;
}

export function analyseUsage(events: readonly ActivityEvent[], finding: InvestigationFinding, permissions?: PermissionFacts): UsageAnalysis {
  const used = new Map<string, ActionUse>();
  const denied = new Map<string, DeniedUse>();
  for (const e of [...events].sort(byTime)) {
    const action = actionOfEvent(e);
    if (isDeniedError(e.errorCode)) {
      const d = denied.get(action) ?? { action, count: 0, errorCodes: [], first: e.time, last: e.time, fromFindingIp: false };
      d.count++;
      d.last = e.time;
      pushUnique(d.errorCodes, e.errorCode);
      if (e.sourceIp && e.sourceIp === finding.remoteIp) d.fromFindingIp = true;
      denied.set(action, d);
      continue;
    }
    // Calls that failed for other reasons (ParameterNotFound, throttling) were still authorised.
    const needsPermission = !NO_PERMISSION_ACTIONS.has(action);
    const u = used.get(action) ?? { action, count: 0, first: e.time, last: e.time, granted: needsPermission ? permissions?.isGranted(action) : undefined, needsPermission };
    u.count++;
    u.last = e.time;
    used.set(action, u);
  }
  const usedList = [...used.values()].sort((a, b) => b.count - a.count || a.action.localeCompare(b.action));
  const out: UsageAnalysis = {
    used: usedList,
    denied: [...denied.values()].sort((a, b) => b.count - a.count || a.action.localeCompare(b.action)),
  };
  if (permissions?.grantedCount !== undefined) {
    out.grantedUnused = Math.max(0, permissions.grantedCount - usedList.filter((u) => u.granted === true).length);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Blast radius

export interface OtherCaller {
  ip: string;
  userAgents: string[];
  count: number;
  first: string;
  last: string;
  /** Still calling after the malicious activity began: a live workload. */
  activeDuringAttack: boolean;
}

export interface BlastRadius {
  /** Who else uses the key (source IPs other than the finding's). */
  otherCallers: OtherCaller[];
  /** The user's other access keys. */
  otherKeys: AccessKeyFact[];
  /** The finding's key as IAM reports it. */
  key?: AccessKeyFact;
  tags: Array<{ key: string; value: string }>;
  /** What containment breaks, in sentences with evidence. */
  impact: string[];
  /** Why a team would not automate this remediation. */
  automationCaveats: string[];
}

export function assessBlastRadius(input: InvestigationInput, principal: PrincipalAssessment, evidence: ActivityEvidence | undefined): BlastRadius {
  const events = input.events ?? [];
  const attackStart = evidence?.malicious?.firstSeen;
  const key = principal.accessKeyId;
  const callers = new Map<string, OtherCaller>();
  for (const e of [...events].sort(byTime)) {
    if (!e.sourceIp || e.sourceIp === input.finding.remoteIp) continue;
    if (key && e.accessKeyId && e.accessKeyId !== key) continue;
    const c = callers.get(e.sourceIp) ?? { ip: e.sourceIp, userAgents: [], count: 0, first: e.time, last: e.time, activeDuringAttack: false };
    c.count++;
    c.last = e.time;
    pushUnique(c.userAgents, e.userAgent);
    if (attackStart && e.time >= attackStart) c.activeDuringAttack = true;
    callers.set(e.sourceIp, c);
  }
  const otherCallers = [...callers.values()].sort((a, b) => b.count - a.count);
  const keys = input.accessKeys ?? [];
  const otherKeys = keys.filter((k) => k.accessKeyId !== key);
  const own = keys.find((k) => k.accessKeyId === key);
  const tags = input.permissions?.tags ?? [];
  const impact: string[] = [];
  const caveats: string[] = [];
  if (principal.kind === 'iam-user' && key) {
    for (const c of otherCallers) {
      impact.push(
        `Deactivating ${key} also stops the caller at ${c.ip}${c.userAgents.length ? ` (${c.userAgents.join(' | ')})` : ''}: ${c.count} calls since ${c.first}, last at ${c.last}${c.activeDuringAttack ? ', still active after the attack began' : ''}.`,
      );
    }
    const activeOthers = otherKeys.filter((k) => k.status === 'Active');
    if (keys.length > 0) {
      if (activeOthers.length === 0) impact.push(`${principal.userName ?? 'The user'} has no other active access key: that workload has no fallback until it gets a new key.`);
      else impact.push(`${principal.userName ?? 'The user'} has ${activeOthers.length} other active key(s) (${activeOthers.map((k) => k.accessKeyId).join(', ')}): check whether they leaked too.`);
    }
    if (own?.lastUsed?.date) impact.push(`IAM last saw ${key} used at ${isoShort(own.lastUsed.date)}${own.lastUsed.service ? ` (${own.lastUsed.service}${own.lastUsed.region ? `, ${own.lastUsed.region}` : ''})` : ''}.`);
    const owner = tags.find((t) => /^(owner|team|service|application|app)$/i.test(t.key));
    if (owner) impact.push(`The user is tagged ${owner.key}=${owner.value}: tell them before the key goes dark.`);
    if (otherCallers.length > 0) {
      caveats.push(
        `The same key serves a legitimate workload (${otherCallers.map((c) => c.ip).join(', ')}): disabling it automatically would cause an outage the team did not choose.`,
      );
    }
    if (input.derivedCredentials && input.derivedCredentials.length > 0) {
      caveats.push('Deactivating the key alone does not end the temporary credentials minted from it: the response needs a second, deliberate step.');
    }
  } else if (principal.kind === 'assumed-role') {
    impact.push(
      `Revoking the sessions of role ${principal.roleName ?? '?'} denies every session issued before now, including legitimate ones (instances, functions and people using the role); they recover by obtaining new credentials.`,
    );
    for (const c of otherCallers) {
      impact.push(`The session is also used from ${c.ip}${c.userAgents.length ? ` (${c.userAgents.join(' | ')})` : ''}: ${c.count} calls, last at ${c.last}.`);
    }
    caveats.push('A role session revocation hits every workload on the role at once: a person should decide when.');
  }
  return { otherCallers, otherKeys, key: own, tags, impact, automationCaveats: caveats };
}

// ---------------------------------------------------------------------------------------------------------------
// Recommendation

export type RecommendedAction = 'deactivate-key' | 'revoke-user-sessions' | 'revoke-role-sessions' | 'manual-root' | 'none';

export interface Recommendation {
  action: RecommendedAction;
  /** One line saying what to do. */
  summary: string;
  /** Exact commands, in order. */
  commands: string[];
  /** What to watch afterwards (commands). */
  watch: string[];
  /** Manual steps gd-ir cannot do. */
  manualSteps: string[];
  rationale: string[];
}

/** The deny-older-sessions policy the IAM console attaches for "Revoke active sessions" on a role. */
export function roleRevokeCommand(roleName: string, now: Date): string {
  const doc = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': now.toISOString() } } }],
  });
  return `aws iam put-role-policy --role-name ${roleName} --policy-name AWSRevokeOlderSessions --policy-document '${doc}'`;
}

/** Values that may be pasted into a shell: IAM identifiers only (a finding from a file can hold anything). */
const SAFE_KEY = /^(AKIA|ASIA)[A-Z0-9]{12,124}$/;
const SAFE_NAME = /^[\w+=,.@-]{1,64}$/;
/** arn:aws:sts::<account>:assumed-role/<role>/<session>, as AssumeRole's responseElements.assumedRoleUser.arn. */
const ASSUMED_ROLE_ARN = /^arn:aws[\w-]*:sts::(\d{12}):assumed-role\/([\w+=,.@-]{1,64})\//;

/**
 * Roles whose sessions cannot be revoked with an inline policy: IAM refuses to modify the roles IAM Identity
 * Center creates for permission sets (AWSReservedSSO_*) and service-linked roles (AWSServiceRoleFor*).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_disable-perms.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html
 */
export function unrevocableRole(roleName: string): { where: string; step: string; why: string } | undefined {
  if (roleName.startsWith('AWSReservedSSO_')) {
    return {
      where: 'IAM Identity Center',
      step: `In IAM Identity Center: revoke the user's active permission-set sessions (Users → the user → Active sessions), then remove or change the permission set behind ${roleName} if needed.`,
      why: `${roleName} was created by IAM Identity Center for a permission set: IAM does not let anyone edit it (put-role-policy fails), so its sessions are revoked in IAM Identity Center.`,
    };
  }
  if (roleName.startsWith('AWSServiceRoleFor')) {
    return {
      where: 'the AWS service that owns it',
      step: `${roleName} is a service-linked role: its sessions cannot be revoked; contain the resource or service configuration that uses it.`,
      why: 'AWS does not allow revoking the sessions of a service-linked role.',
    };
  }
  return undefined;
}

/**
 * The roles whose sessions the principal minted with AssumeRole. A role session is governed by the role's
 * policies, not by the calling user's, so a deny attached to the user does not end it: the role's own
 * "revoke older sessions" policy does. https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_disable-perms.html
 */
function assumedRoles(derived: readonly DerivedCredential[]): Array<{ roleName: string; accountId: string; keys: string[] }> {
  const roles = new Map<string, { roleName: string; accountId: string; keys: string[] }>();
  for (const d of derived) {
    if (d.via !== 'AssumeRole') continue;
    const m = ASSUMED_ROLE_ARN.exec(d.assumedArn ?? '');
    if (!m) continue;
    const [, accountId = '', roleName = ''] = m;
    const id = `${accountId}/${roleName}`;
    const entry = roles.get(id) ?? { roleName, accountId, keys: [] };
    entry.keys.push(d.accessKeyId);
    roles.set(id, entry);
  }
  return [...roles.values()];
}

export function recommend(input: InvestigationInput, principal: PrincipalAssessment, blast: BlastRadius): Recommendation {
  if (principal.actionable) {
    const badKey = principal.accessKeyId !== undefined && !SAFE_KEY.test(principal.accessKeyId);
    const name = principal.kind === 'assumed-role' ? principal.roleName : principal.userName;
    if (badKey || (name !== undefined && !SAFE_NAME.test(name))) {
      return {
        action: 'none',
        summary: 'The finding\'s key or principal name is not a valid IAM identifier: no command is built from it.',
        commands: [],
        watch: [],
        manualSteps: ['Check the finding\'s origin (a file can hold anything) and identify the principal in IAM before acting.'],
        rationale: ['Commands are only suggested for values that are safe to paste into a shell.'],
      };
    }
  }
  const derived = (input.derivedCredentials ?? []).filter((d) => SAFE_KEY.test(d.accessKeyId));
  const now = input.now;
  const key = principal.accessKeyId;
  const user = principal.userName;
  switch (principal.kind) {
    case 'iam-user': {
      if (!key || !user) {
        return {
          action: 'none', summary: 'The finding names no access key and user: nothing to contain automatically.',
          commands: [], watch: [], manualSteps: ['Identify the credentials from the trail before acting.'], rationale: [],
        };
      }
      const rationale: string[] = [];
      const watch = [`gd-ir trail --key ${key} --since 1h`, ...derived.map((d) => `gd-ir trail --key ${d.accessKeyId} --since 1h`)];
      if (principal.temporaryKey) {
        const longTerm = (input.accessKeys ?? []).filter((k) => k.status === 'Active').map((k) => k.accessKeyId);
        rationale.push(`${key} is a temporary (session) key: IAM cannot deactivate it; an explicit deny on older sessions of ${user} ends it.`);
        const commands = [`gd-ir remediate --key ${key} --user ${user} --revoke-sessions`];
        if (longTerm.length > 0) {
          rationale.push(`The session was minted from one of ${user}'s long-term keys (${longTerm.join(', ')}): find which in the trail and deactivate it too.`);
        }
        return {
          action: 'revoke-user-sessions',
          summary: `Revoke ${user}'s sessions (ends ${key}), then deactivate the long-term key it came from.`,
          commands,
          watch,
          manualSteps: [],
          rationale,
        };
      }
      // GetSessionToken and GetFederationToken sessions answer to the user's policies; AssumeRole sessions to the role's.
      const userSessions = derived.filter((d) => d.via !== 'AssumeRole');
      const roles = assumedRoles(derived);
      const revoke = userSessions.length > 0;
      const command = `gd-ir remediate --key ${key} --user ${user}${revoke ? ' --revoke-sessions' : ''}`;
      const roleCommands = roles
        .filter((r) => r.accountId === input.finding.accountId && !unrevocableRole(r.roleName))
        .map((r) => roleRevokeCommand(r.roleName, now));
      const manualSteps: string[] = [];
      rationale.push(`${key} was used from ${input.finding.remoteIp ?? 'the finding\'s IP'}${input.finding.threatListName ? `, on threat list ${input.finding.threatListName}` : ''}: deactivate it (kept, not deleted: evidence and a way back).`);
      if (revoke) {
        rationale.push(
          `It minted temporary credentials (${userSessions.map((d) => `${d.accessKeyId} via ${d.via} at ${d.issuedAt}`).join('; ')}), which stay valid after deactivation: --revoke-sessions denies sessions issued before now (${REVOKE_POLICY_NAME}).`,
        );
      }
      for (const r of roles) {
        rationale.push(
          `It assumed role ${r.roleName}${r.accountId === input.finding.accountId ? '' : ` in account ${r.accountId}`} (${r.keys.join(', ')}): a role session answers to the role's policies, not ${user}'s, so neither deactivation nor --revoke-sessions ends it; revoking the role's older sessions does, for every session of that role.`,
        );
        const protectedRole = unrevocableRole(r.roleName);
        if (protectedRole) manualSteps.push(protectedRole.step);
        else if (r.accountId !== input.finding.accountId) {
          manualSteps.push(`In account ${r.accountId}: revoke the active sessions of role ${r.roleName} (IAM console → Roles → ${r.roleName} → Revoke sessions).`);
        }
      }
      if (blast.otherCallers.length > 0) {
        rationale.push(`Coordinate with the owner of ${blast.otherCallers.map((c) => c.ip).join(', ')} first: give that workload a new key, then deactivate.`);
      }
      if (input.warnings.some((w) => w.section === 'activity')) rationale.push('The trail could not be read completely: derived credentials may exist that this report does not show; consider --revoke-sessions anyway.');
      return {
        action: 'deactivate-key',
        summary: `Deactivate ${key} of ${user}${revoke ? ' and revoke the sessions minted from it' : ''}${roles.length > 0 ? `${revoke ? ';' : ','} revoke the sessions of the role${roles.length === 1 ? '' : 's'} it assumed (${roles.map((r) => r.roleName).join(', ')})` : ''}.`,
        commands: [command, ...roleCommands],
        watch,
        manualSteps: [...manualSteps, 'Issue a new key to the legitimate workload and rotate any secret the key could read (the SSM parameters it fetched).'],
        rationale,
      };
    }
    case 'assumed-role': {
      const role = principal.roleName ?? '<role>';
      const protectedRole = unrevocableRole(role);
      if (protectedRole) {
        return {
          action: 'revoke-role-sessions',
          summary: `Revoke the active sessions of role ${role} where it is managed (${protectedRole.where}); IAM cannot attach a policy to it.`,
          commands: [],
          watch: key ? [`gd-ir trail --key ${key} --since 1h`] : [],
          manualSteps: [protectedRole.step, 'Find out how the role\'s credentials were obtained before the next session is issued.'],
          rationale: [protectedRole.why, ...blast.automationCaveats],
        };
      }
      return {
        action: 'revoke-role-sessions',
        summary: `Revoke the active sessions of role ${role} (there is no key to deactivate: ${key ?? 'the session key'} is temporary).`,
        commands: [roleRevokeCommand(role, now)],
        watch: key ? [`gd-ir trail --key ${key} --since 1h`] : [],
        manualSteps: [
          `Or in the IAM console: Roles → ${role} → Revoke sessions → Revoke active sessions (same policy).`,
          principal.sessionName?.startsWith('i-')
            ? `The session belongs to instance ${principal.sessionName}: its credentials were taken from the instance; isolate and examine it, or the attacker gets fresh ones.`
            : 'Find out how the role\'s credentials were obtained before the next session is issued.',
        ],
        rationale: [
          'gd-ir remediate acts on IAM users\' keys; a role session is contained by denying sessions issued before now (aws:TokenIssueTime).',
          ...blast.automationCaveats,
        ],
      };
    }
    case 'root':
      return {
        action: 'manual-root',
        summary: 'Root credentials were used: secure the root user by hand; gd-ir acts on nothing here.',
        commands: [],
        watch: [],
        manualSteps: [
          'Sign in as root and check whether this use was expected (who holds the root credentials?).',
          'Rotate the root password; delete any root access keys (Security credentials page).',
          'Enable (or re-register) MFA on the root user.',
          'Review the root user\'s recent CloudTrail activity and any resources it changed.',
        ],
        rationale: [principal.notActionableReason ?? ''],
      };
    case 'aws-service':
    case 'sample':
    case 'no-principal':
      return {
        action: 'none',
        summary: principal.kind === 'sample' ? 'Sample finding: nothing to contain.' : 'Nothing for gd-ir to contain.',
        commands: [],
        watch: [],
        manualSteps: principal.kind === 'sample' ? ['Archive it, or filter sample findings out of alerting.'] : [],
        rationale: [principal.notActionableReason ?? ''],
      };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Data source meaning

export function dataSourceAdvice(dataSource: string | undefined, kind: PrincipalKind): string[] {
  const ds = (dataSource ?? '').toLowerCase();
  if (ds.includes('cloudtrail management')) {
    return [
      'GuardDuty read CloudTrail management events: the same record CloudTrail LookupEvents returns, so the trail below is the evidence it saw.',
      'Management events do not show data access (S3 object reads, Lambda invocations); check S3 data events or S3 Protection findings for what was read from buckets.',
      kind === 'iam-user' || kind === 'assumed-role' ? 'IAM calls (and STS calls to its global endpoint) are recorded in us-east-1: the trail covers it.' : '',
    ].filter(Boolean);
  }
  if (ds.includes('s3 data')) return ['GuardDuty read CloudTrail S3 data events: object-level reads are not in LookupEvents; use the trail\'s S3 data events or S3 server access logs.'];
  if (ds.includes('flow')) return ['GuardDuty read VPC flow logs: check the instance\'s network connections and security groups.'];
  if (ds.includes('dns')) return ['GuardDuty read DNS logs: check what the instance resolved and which process did.'];
  if (ds.includes('eks') || ds.includes('kubernetes')) return ['GuardDuty read EKS audit logs: check the cluster\'s audit log for the same user.'];
  if (ds === '') return ['GuardDuty does not say which log this finding type comes from; check the finding type in the GuardDuty documentation.'];
  return [`GuardDuty read ${dataSource}.`];
}

// ---------------------------------------------------------------------------------------------------------------
// The model

export interface Investigation {
  finding: InvestigationFinding;
  severityLabel: string;
  dataSource?: string;
  dataSourceAdvice: string[];
  principal: PrincipalAssessment;
  /** Undefined when the trail was not gathered (sample/service findings) or could not be read. */
  activity?: {
    evidence: ActivityEvidence;
    timeline: TimelineEntry[];
    events: ActivityEvent[];
    derivedCredentials: DerivedCredential[];
    truncated: boolean;
  };
  permissions?: PermissionFacts;
  usage?: UsageAnalysis;
  accessKeys?: AccessKeyFact[];
  relatedFindings?: RelatedFinding[];
  blastRadius: BlastRadius;
  recommendation: Recommendation;
  warnings: SectionWarning[];
  generatedAt: string;
}

export function assembleInvestigation(input: InvestigationInput): Investigation {
  const principal = assessPrincipal(input.finding);
  const events = input.events;
  const derived = input.derivedCredentials ?? [];
  let activity: Investigation['activity'];
  if (events) {
    const evidence = analyseActivity(events, input.finding);
    activity = {
      evidence,
      timeline: buildTimeline(events, derived, input.finding, principal.accessKeyId),
      events,
      derivedCredentials: derived,
      truncated: input.activityTruncated ?? false,
    };
  }
  const usage = events && (principal.kind === 'iam-user' || principal.kind === 'assumed-role') ? analyseUsage(events, input.finding, input.permissions) : undefined;
  const blastRadius = assessBlastRadius(input, principal, activity?.evidence);
  return {
    finding: input.finding,
    severityLabel: severityLabel(input.finding.severity),
    dataSource: input.dataSource,
    dataSourceAdvice: dataSourceAdvice(input.dataSource, principal.kind),
    principal,
    activity,
    permissions: input.permissions,
    usage,
    accessKeys: input.accessKeys,
    relatedFindings: input.relatedFindings,
    blastRadius,
    recommendation: recommend(input, principal, blastRadius),
    warnings: input.warnings,
    generatedAt: input.now.toISOString(),
  };
}

/** What the command should gather for a principal kind (sample and service findings: nothing). */
export interface GatherPlan {
  trail: boolean;
  permissions: 'user' | 'role' | false;
  accessKeys: boolean;
  relatedFindings: boolean;
}

export function gatherPlan(principal: PrincipalAssessment): GatherPlan {
  switch (principal.kind) {
    case 'iam-user':
      return { trail: Boolean(principal.accessKeyId || principal.userName), permissions: principal.userName ? 'user' : false, accessKeys: Boolean(principal.userName), relatedFindings: true };
    case 'assumed-role':
      return { trail: Boolean(principal.accessKeyId), permissions: principal.roleName ? 'role' : false, accessKeys: false, relatedFindings: true };
    case 'root':
      return { trail: Boolean(principal.accessKeyId), permissions: false, accessKeys: false, relatedFindings: true };
    default:
      return { trail: false, permissions: false, accessKeys: false, relatedFindings: false };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The report: the assembled investigation plus the gathered models the renderers reuse

export interface InvestigationReport {
  detail: FindingDetail;
  investigation: Investigation;
  trail?: TrailResult;
  permissionsResult?: PermissionsResult;
  related?: FindingSummary[];
}

/** The finding as the investigation reads it (from the findings module's detail view). */
export function investigationFinding(d: FindingDetail): InvestigationFinding {
  const p = d.principal;
  return {
    id: d.id,
    type: d.type,
    severity: d.severity,
    title: d.title,
    accountId: d.accountId,
    region: d.region,
    ...(d.resourceType ? { resourceType: d.resourceType } : {}),
    principal: p
      ? {
          ...(p.userName ? { userName: p.userName } : {}),
          ...(p.userType ? { userType: p.userType } : {}),
          ...(p.accessKeyId ? { accessKeyId: p.accessKeyId } : {}),
          ...(p.principalId ? { principalId: p.principalId } : {}),
        }
      : null,
    ...(d.remoteIp ? { remoteIp: d.remoteIp } : {}),
    ...(d.threatListName ? { threatListName: d.threatListName } : {}),
    ...(d.action.api ? { api: d.action.api } : {}),
    ...(d.action.userAgent ? { userAgent: d.action.userAgent } : {}),
    count: d.count,
    ...(d.firstSeen ? { firstSeen: d.firstSeen } : {}),
    ...(d.lastSeen ? { lastSeen: d.lastSeen } : {}),
    archived: d.archived,
    sample: d.sample,
  };
}

/** What the policies module established, as the investigation uses it. */
export function permissionFacts(r: PermissionsResult): PermissionFacts {
  return {
    policies: r.policies.map((p) => ({ source: p.source, ...(p.group ? { group: p.group } : {}), kind: p.kind, name: p.name, ...(p.arn ? { arn: p.arn } : {}) })),
    isAdmin: r.analysis.isAdmin,
    risks: r.analysis.risks.map((k) => ({ capability: k.capability, category: k.category, actions: [...k.actions], policy: k.policy.name })),
    isGranted: (action) => isActionAllowed(r.analysis, action),
    grantedCount: r.analysis.grantedActionCounts.total,
    tags: r.principal.tags.map((t) => ({ key: t.key, value: t.value })),
  };
}

export function relatedFinding(s: FindingSummary): RelatedFinding {
  return {
    id: s.id,
    type: s.type,
    severity: s.severity,
    region: s.region,
    ...(s.principal?.accessKeyId ? { accessKeyId: s.principal.accessKeyId } : {}),
    ...(s.lastSeen ? { lastSeen: s.lastSeen } : {}),
    count: s.count,
  };
}

/** Everything gathered for one finding (each part absent when it was not gathered or could not be read). */
export interface GatheredParts {
  finding: Finding;
  trail?: TrailResult;
  permissions?: PermissionsResult;
  accessKeys?: AccessKeyFact[];
  related?: FindingSummary[];
  warnings: SectionWarning[];
  now: Date;
}

/** From the gathered parts to the report the renderers print (pure; the command and the tests share it). */
export function buildInvestigationReport(parts: GatheredParts): InvestigationReport {
  const detail = toFindingDetail(parts.finding);
  const trail = parts.trail;
  const investigation = assembleInvestigation({
    finding: investigationFinding(detail),
    ...(detail.dataSource.name !== 'unknown' ? { dataSource: detail.dataSource.name } : {}),
    ...(trail ? { events: trail.events, derivedCredentials: trail.derivedCredentials, activityTruncated: trail.truncated } : {}),
    ...(parts.permissions ? { permissions: permissionFacts(parts.permissions) } : {}),
    ...(parts.accessKeys ? { accessKeys: parts.accessKeys } : {}),
    ...(parts.related ? { relatedFindings: parts.related.map(relatedFinding) } : {}),
    warnings: parts.warnings,
    now: parts.now,
  });
  return {
    detail,
    investigation,
    ...(trail ? { trail } : {}),
    ...(parts.permissions ? { permissionsResult: parts.permissions } : {}),
    ...(parts.related ? { related: parts.related } : {}),
  };
}
