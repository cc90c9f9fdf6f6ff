/** The summary an analyst reads first: what, from where, which errors, which categories. */
import { EVENT_CATEGORIES, type EventCategory } from '../event-classification.js';
import type { CountedSpan, TrailEvent, TrailPrincipal, TrailSummary } from './model.js';

const ACCESS_DENIED = /^(?:AccessDenied(?:Exception)?|(?:Client\.)?UnauthorizedOperation|UnauthorizedAccess|AuthorizationError|Forbidden)$/;
export function isAccessDeniedCode(code: string | undefined): boolean {
  return code !== undefined && ACCESS_DENIED.test(code);
}
const BURST_GAP_MS = 5 * 60_000;

function span(map: Map<string, CountedSpan>, key: string, time: string): void {
  const cur = map.get(key);
  if (!cur) map.set(key, { count: 1, first: time, last: time });
  else {
    cur.count++;
    if (time < cur.first) cur.first = time;
    if (time > cur.last) cur.last = time;
  }
}

const byCountThenKey = <T>(key: (t: T) => string, count: (t: T) => number) => (a: T, b: T): number =>
  count(b) - count(a) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

export function buildTrailSummary(events: readonly TrailEvent[], opts: { findingIp?: string } = {}): TrailSummary {
  const sorted = [...events].sort((a, b) => a.timeMs - b.timeMs || (a.eventId < b.eventId ? -1 : 1));
  const apis = new Map<string, { eventSource: string; eventName: string; count: number; errors: number; category: EventCategory }>();
  const services = new Map<string, number>();
  const ips = new Map<string, CountedSpan>();
  const agents = new Map<string, CountedSpan>();
  const codes = new Map<string, number>();
  const withoutCode = new Map<string, { eventName: string; message?: string; count: number }>();
  const regions = new Map<string, number>();
  const categories = new Map<EventCategory, { count: number; apis: Set<string> }>();
  const bursts: Array<CountedSpan & { apis: string[]; lastMs: number; apiSet: Set<string> }> = [];
  let readOnly = 0;
  let write = 0;
  let errors = 0;
  let derived = 0;
  let control = 0;
  for (const e of sorted) {
    const apiKey = `${e.eventSource}|${e.eventName}`;
    const api = apis.get(apiKey) ?? { eventSource: e.eventSource, eventName: e.eventName, count: 0, errors: 0, category: e.category };
    api.count++;
    if (e.failed) api.errors++;
    // One API, several meanings (a failed ConsoleLogin is credential access, a successful one ordinary): show the telling one.
    if (api.category === 'ordinary' && e.category !== 'ordinary') api.category = e.category;
    apis.set(apiKey, api);
    services.set(e.eventSource, (services.get(e.eventSource) ?? 0) + 1);
    if (e.sourceIp) span(ips, e.sourceIp, e.time);
    if (e.userAgent) span(agents, e.userAgent, e.time);
    regions.set(e.region, (regions.get(e.region) ?? 0) + 1);
    const cat = categories.get(e.category) ?? { count: 0, apis: new Set<string>() };
    cat.count++;
    cat.apis.add(e.eventName);
    categories.set(e.category, cat);
    if (e.readOnly === true) readOnly++;
    if (e.readOnly === false) write++;
    if (e.derived) derived++;
    if (e.controlCharacters) control++;
    if (e.failed) errors++;
    if (e.failed && !e.errorCode) {
      const key = `${e.eventName}|${e.errorMessage ?? ''}`;
      const w = withoutCode.get(key) ?? { eventName: e.eventName, ...(e.errorMessage ? { message: e.errorMessage } : {}), count: 0 };
      w.count++;
      withoutCode.set(key, w);
    }
    if (e.errorCode) {
      codes.set(e.errorCode, (codes.get(e.errorCode) ?? 0) + 1);
      if (isAccessDeniedCode(e.errorCode)) {
        const open = bursts[bursts.length - 1];
        if (open && e.timeMs - open.lastMs <= BURST_GAP_MS) {
          open.count++;
          open.last = e.time;
          open.lastMs = e.timeMs;
          open.apiSet.add(e.eventName);
        } else {
          bursts.push({ count: 1, first: e.time, last: e.time, lastMs: e.timeMs, apis: [], apiSet: new Set([e.eventName]) });
        }
      }
    }
  }
  return {
    totalEvents: events.length,
    firstEvent: sorted[0]?.time,
    lastEvent: sorted[sorted.length - 1]?.time,
    readOnlyEvents: readOnly,
    writeEvents: write,
    errorEvents: errors,
    derivedEvents: derived,
    controlCharacterEvents: control,
    byApi: [...apis.values()].sort(byCountThenKey((a) => `${a.eventSource}|${a.eventName}`, (a) => a.count)),
    byService: [...services.entries()].map(([eventSource, count]) => ({ eventSource, count })).sort(byCountThenKey((a) => a.eventSource, (a) => a.count)),
    sourceIps: [...ips.entries()]
      .map(([ip, s]) => ({ ip, ...s, findingIp: opts.findingIp !== undefined && ip === opts.findingIp }))
      .sort(byCountThenKey((a) => a.ip, (a) => a.count)),
    userAgents: [...agents.entries()].map(([userAgent, s]) => ({ userAgent, ...s })).sort(byCountThenKey((a) => a.userAgent, (a) => a.count)),
    errors: {
      total: errors,
      byCode: [...codes.entries()].map(([code, count]) => ({ code, count })).sort(byCountThenKey((a) => a.code, (a) => a.count)),
      withoutCode: [...withoutCode.values()].sort(byCountThenKey((a) => `${a.eventName}|${a.message ?? ''}`, (a) => a.count)),
      accessDeniedBursts: bursts.map((b) => ({ count: b.count, first: b.first, last: b.last, apis: [...b.apiSet].sort() })),
    },
    regions: [...regions.entries()].map(([region, count]) => ({ region, count })).sort(byCountThenKey((a) => a.region, (a) => a.count)),
    categories: EVENT_CATEGORIES.filter((c) => categories.has(c)).map((c) => {
      const v = categories.get(c) as { count: number; apis: Set<string> };
      return { category: c, count: v.count, apis: [...v.apis].sort() };
    }),
  };
}

/** The principal as the events show it: ARN and identity type of its own (non-derived) calls. */
export function principalFromEvents(principal: TrailPrincipal, events: readonly TrailEvent[]): TrailPrincipal {
  const own = events.find((e) => !e.derived && e.principalArn);
  const userName = principal.userName ?? events.find((e) => !e.derived && e.userName)?.userName;
  return {
    ...principal,
    ...(userName ? { userName } : {}),
    ...(own?.principalArn ? { arn: own.principalArn } : {}),
    ...(own?.identityType ? { type: own.identityType } : {}),
  };
}

