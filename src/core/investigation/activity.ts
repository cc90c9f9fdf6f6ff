/**
 * Activity: the malicious window against earlier ordinary use. Which IPs and user agents used the key,
 * when the finding's IP first appeared, what it did, what was denied; each conclusion with its evidence.
 */
import { classifyEvent } from '../event-classification.js';
import type { ActivityEvent, InvestigationFinding } from './model.js';
import { byTime, eventFailed, pushUnique } from './util.js';
import { failureLabel } from '../trail/outcome.js';

export { isoShort } from './util.js';

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
  /** CloudTrail's errorCode; undefined for a failure recorded without one (a failed console sign-in). */
  errorCode?: string;
  /** What to show: the errorCode, else the event's error message ("Failed authentication"), else "Failure". */
  failure: string;
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
    const failed = eventFailed(e);
    if (failed) u.errors++;
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
    const category = e.category ?? classifyEvent(e.eventSource, e.eventName, { failed });
    const key = `${e.eventSource} ${e.eventName}`;
    const api = apis.get(key) ?? { eventSource: e.eventSource, eventName: e.eventName, category, count: 0, errors: 0 };
    api.count++;
    if (failed) api.errors++;
    apis.set(key, api);
    const c = cats.get(category) ?? { category, count: 0, apis: [] };
    c.count++;
    pushUnique(c.apis, e.eventName);
    cats.set(category, c);
    if (failed) {
      const failure = failureLabel({ errorCode: e.errorCode, errorMessage: e.errorMessage, failed }) ?? 'Failure';
      const ek = `${failure} ${e.eventName}`;
      const er = errors.get(ek) ?? { ...(e.errorCode ? { errorCode: e.errorCode } : {}), failure, eventName: e.eventName, count: 0 };
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
  const signIns = ev.errors.filter((e) => e.errorCode === undefined && /^(ConsoleLogin|CheckMfa)$/.test(e.eventName));
  const failedSignIns = signIns.reduce((n, e) => n + e.count, 0);
  if (failedSignIns > 0) {
    out.push(
      `${failedSignIns} console sign-in${failedSignIns === 1 ? '' : 's'} failed (${[...new Set(signIns.map((e) => e.failure))].join(', ')}): someone may be guessing the password; check whether a sign-in succeeded after them.`,
    );
  }
  const denied = ev.errors.filter((e) => isDeniedError(e.errorCode)).reduce((n, e) => n + e.count, 0);
  if (denied > 0) {
    const names = [...new Set(ev.errors.filter((e) => isDeniedError(e.errorCode)).map((e) => e.eventName))];
    out.push(`${denied} calls were denied (${names.join(', ')}): someone is probing what the key can do.`);
  }
  return out;
}
