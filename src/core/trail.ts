/**
 * The CloudTrail trail of a principal, as a pure model: which lookup to make (window, regions,
 * attribute), how a LookupEvents record becomes a TrailEvent, the client-side filters and the summary
 * an analyst reads first. No I/O: the gateway (src/aws/cloudtrail.ts) fetches, this module decides.
 */
import { UsageError } from './errors.js';
import { hasControlCharacters } from './sanitize.js';
import type { DerivedCredential } from './derived-credentials.js';
import { classifyEvent, EVENT_CATEGORIES, type EventCategory } from './event-classification.js';
import type { FindingSummary } from './finding.js';
import { GUARDDUTY_REGIONS } from './regions.js';

/** LookupEvents only searches the last 90 days of management events. */
export const LOOKUP_HORIZON_DAYS = 90;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** IAM, STS (global endpoint) and other global services record their events in us-east-1. */
export const GLOBAL_EVENTS_REGION = 'us-east-1';
export const DEFAULT_TRAIL_WINDOW_MS = 24 * HOUR_MS;
export const DEFAULT_MAX_EVENTS = 10_000;

export type LookupAttribute = 'AccessKeyId' | 'Username';

export interface TrailPrincipal {
  accessKeyId?: string;
  userName?: string;
  /** From the events (userIdentity.arn of the principal's own calls), when seen. */
  arn?: string;
  /** userIdentity.type (IAMUser, AssumedRole, …), when seen. */
  type?: string;
}

export interface TrailWindow {
  start: Date;
  end: Date;
}

export interface TrailFilters {
  /** Event names to keep (case-insensitive); empty keeps all. */
  events: string[];
  /** Event source host, e.g. `iam.amazonaws.com`. */
  source?: string;
  ip?: string;
  errorsOnly: boolean;
  access?: 'read' | 'write';
}

export const NO_FILTERS: TrailFilters = Object.freeze({ events: [], errorsOnly: false }) as TrailFilters;

export interface TrailRequest {
  principal: TrailPrincipal;
  lookup: { attribute: LookupAttribute; value: string };
  window: TrailWindow;
  regions: string[];
  /** Look up the activity of derived temporary credentials too. */
  follow: boolean;
  /** Cap on fetched events (after de-duplication). */
  maxEvents: number;
  /** LookupEvents requests per second per region (default 2). */
  rate?: number;
  filters: TrailFilters;
  /** The finding the request was built from, and its remote IP (flagged in the summary). */
  findingId?: string;
  findingIp?: string;
  /** Warnings found while building the request (90-day horizon, us-east-1 missing). */
  warnings: string[];
}

/** LookupEvents' Event, as the SDK returns it (plain fields only). */
export interface LookupEventInput {
  EventId?: string;
  EventName?: string;
  ReadOnly?: string;
  AccessKeyId?: string;
  EventTime?: Date;
  EventSource?: string;
  Username?: string;
  Resources?: Array<{ ResourceType?: string; ResourceName?: string }>;
  CloudTrailEvent?: string;
}

export interface TrailResource {
  type: string;
  name: string;
}

export interface TrailEvent {
  eventId: string;
  /** ISO-8601 UTC. */
  time: string;
  timeMs: number;
  region: string;
  eventSource: string;
  eventName: string;
  sourceIp?: string;
  userAgent?: string;
  accessKeyId?: string;
  userName?: string;
  principalArn?: string;
  identityType?: string;
  errorCode?: string;
  errorMessage?: string;
  readOnly?: boolean;
  category: EventCategory;
  /** IAM access level of the action (List, Read, Write, Permissions management, Tagging), when known. */
  accessLevel?: string;
  resources: TrailResource[];
  requestParameters: unknown;
  responseElements: unknown;
  /** Made with temporary credentials derived from the principal's key (--follow). */
  derived: boolean;
  /** For derived events: the principal's key that minted the credentials. */
  viaKey?: string;
  /** The user agent or request parameters carried terminal control characters or bidi overrides. */
  controlCharacters: boolean;
  /** The LookupEvents record and its parsed CloudTrailEvent (for --raw). */
  raw: { lookup: LookupEventInput; record: Record<string, unknown> | undefined };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True when any string inside `value` (deeply) carries control characters. */
export function containsControlCharacters(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return hasControlCharacters(value);
  if (depth > 20 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => containsControlCharacters(v, depth + 1));
  return Object.entries(value).some(([k, v]) => hasControlCharacters(k) || containsControlCharacters(v, depth + 1));
}

/** Turn one LookupEvents record into a TrailEvent. `region` is the region that was queried. */
export function parseLookupEvent(e: LookupEventInput, region: string, opts: { derived?: boolean; viaKey?: string } = {}): TrailEvent {
  let record: Record<string, unknown> | undefined;
  if (e.CloudTrailEvent) {
    try {
      const parsed: unknown = JSON.parse(e.CloudTrailEvent);
      if (isObject(parsed)) record = parsed;
    } catch {
      /* a malformed record still has the LookupEvents fields */
    }
  }
  const r = record ?? {};
  const identity = isObject(r.userIdentity) ? r.userIdentity : {};
  const eventTime = e.EventTime instanceof Date && !Number.isNaN(e.EventTime.getTime()) ? e.EventTime : new Date(str(r.eventTime) ?? 0);
  const eventSource = e.EventSource ?? str(r.eventSource) ?? 'unknown';
  const eventName = e.EventName ?? str(r.eventName) ?? 'unknown';
  const readOnly = typeof r.readOnly === 'boolean' ? r.readOnly : e.ReadOnly === 'true' ? true : e.ReadOnly === 'false' ? false : undefined;
  const userAgent = str(r.userAgent);
  const requestParameters = r.requestParameters ?? null;
  return {
    eventId: e.EventId ?? str(r.eventID) ?? `${eventSource}:${eventName}:${eventTime.getTime()}`,
    time: eventTime.toISOString().replace(/\.000Z$/, 'Z'),
    timeMs: eventTime.getTime(),
    region: str(r.awsRegion) ?? region,
    eventSource,
    eventName,
    sourceIp: str(r.sourceIPAddress),
    userAgent,
    accessKeyId: e.AccessKeyId ?? str(identity.accessKeyId),
    userName: e.Username ?? str(identity.userName),
    principalArn: str(identity.arn),
    identityType: str(identity.type),
    errorCode: str(r.errorCode),
    errorMessage: str(r.errorMessage),
    readOnly,
    category: classifyEvent(eventSource, eventName),
    resources: (e.Resources ?? [])
      .filter((x) => x.ResourceType || x.ResourceName)
      .map((x) => ({ type: x.ResourceType ?? '', name: x.ResourceName ?? '' })),
    requestParameters,
    responseElements: r.responseElements ?? null,
    derived: opts.derived === true,
    viaKey: opts.viaKey,
    controlCharacters: hasControlCharacters(userAgent) || containsControlCharacters(requestParameters),
    raw: { lookup: e, record },
  };
}

/** Newest first (ties by event ID, for a stable order). */
export function compareNewestFirst(a: TrailEvent, b: TrailEvent): number {
  return b.timeMs - a.timeMs || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);
}

// ---------------------------------------------------------------------------------------------------------------
// Window and regions

export interface ResolvedWindow {
  window: TrailWindow;
  warnings: string[];
  /** False when the whole window is older than the 90-day horizon (nothing to fetch). */
  visible: boolean;
}

function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Check and clamp a window: start before end, end not after now, and a warning for the part older
 * than CloudTrail's 90-day event history (which LookupEvents cannot see).
 */
export function resolveTrailWindow(start: Date, end: Date, now: Date): ResolvedWindow {
  const warnings: string[] = [];
  const effectiveEnd = end.getTime() > now.getTime() ? now : end;
  if (start.getTime() >= effectiveEnd.getTime()) {
    throw new UsageError(`the time window is empty: --since ${iso(start)} is not before --until ${iso(effectiveEnd)}`);
  }
  const horizon = new Date(now.getTime() - LOOKUP_HORIZON_DAYS * DAY_MS);
  if (effectiveEnd.getTime() <= horizon.getTime()) {
    warnings.push(
      `CloudTrail event history keeps only the last ${LOOKUP_HORIZON_DAYS} days (since ${iso(horizon)}): the whole window ${iso(start)} → ${iso(effectiveEnd)} is older and cannot be seen with LookupEvents; search the trail's S3 logs or CloudTrail Lake instead`,
    );
    return { window: { start, end: effectiveEnd }, warnings, visible: false };
  }
  if (start.getTime() < horizon.getTime()) {
    const days = Math.max(1, Math.round((horizon.getTime() - start.getTime()) / DAY_MS));
    warnings.push(
      `CloudTrail event history keeps only the last ${LOOKUP_HORIZON_DAYS} days: events from ${iso(start)} to ${iso(horizon)} (${days} day${days === 1 ? '' : 's'} of the window) cannot be seen with LookupEvents; search the trail's S3 logs or CloudTrail Lake for them`,
    );
    return { window: { start: horizon, end: effectiveEnd }, warnings, visible: true };
  }
  return { window: { start, end: effectiveEnd }, warnings, visible: true };
}

/**
 * Regions to read: the list given, `all`, or by default the current region plus us-east-1 (where IAM
 * and STS events live), de-duplicated in that order.
 */
export function resolveTrailRegions(
  option: string[] | 'all' | undefined,
  currentRegion: string,
  allRegions: readonly string[] = GUARDDUTY_REGIONS,
): { regions: string[]; warnings: string[] } {
  const warnings: string[] = [];
  let regions: string[];
  if (option === 'all') regions = [...new Set(allRegions)];
  else if (option && option.length > 0) regions = [...new Set(option)];
  else regions = [...new Set([currentRegion, GLOBAL_EVENTS_REGION])];
  if (!regions.includes(GLOBAL_EVENTS_REGION)) {
    warnings.push(`IAM calls (and STS calls to its global endpoint) are recorded in ${GLOBAL_EVENTS_REGION}, which is not among the regions read: they will be missing from this trail`);
  }
  return { regions, warnings };
}

/** `iam`, `IAM` or `iam.amazonaws.com` → `iam.amazonaws.com`. */
export function normaliseEventSource(value: string): string {
  const v = value.trim().toLowerCase();
  return v.includes('.') ? v : `${v}.amazonaws.com`;
}

export function matchesTrailFilters(e: TrailEvent, f: TrailFilters): boolean {
  if (f.events.length > 0 && !f.events.some((n) => n.toLowerCase() === e.eventName.toLowerCase())) return false;
  if (f.source && e.eventSource.toLowerCase() !== f.source) return false;
  if (f.ip && e.sourceIp !== f.ip) return false;
  if (f.errorsOnly && !e.errorCode) return false;
  if (f.access === 'read' && e.readOnly !== true) return false;
  if (f.access === 'write' && e.readOnly !== false) return false;
  return true;
}

export function hasActiveFilters(f: TrailFilters): boolean {
  return f.events.length > 0 || !!f.source || !!f.ip || f.errorsOnly || !!f.access;
}

// ---------------------------------------------------------------------------------------------------------------
// From a finding

/** What a trail needs from a finding (investigate builds it from its own view of the principal). */
export interface FindingTrailInput {
  id?: string;
  region: string;
  accessKeyId?: string;
  /** An IAM user name (Username lookup when no key is known); leave out for role sessions. */
  userName?: string;
  /** service.eventFirstSeen / eventLastSeen (ISO), or createdAt/updatedAt when absent. */
  firstSeen?: string;
  lastSeen?: string;
  /** The remote IP of the API call that raised the finding. */
  remoteIp?: string;
}

/** The trail input of a finding summary (src/core/finding.ts). */
export function findingTrailInput(summary: FindingSummary): FindingTrailInput {
  const p = summary.principal;
  const isRole = /role/i.test(p?.userType ?? '');
  return {
    id: summary.id,
    region: summary.region,
    ...(p?.accessKeyId ? { accessKeyId: p.accessKeyId } : {}),
    ...(p?.userName && !isRole ? { userName: p.userName } : {}),
    firstSeen: summary.firstSeen ?? summary.createdAt,
    lastSeen: summary.lastSeen ?? summary.updatedAt,
    ...(summary.remoteIp ? { remoteIp: summary.remoteIp } : {}),
  };
}

export interface TrailRequestOptions {
  follow?: boolean;
  maxEvents?: number;
  rate?: number;
  filters?: TrailFilters;
  /** Overrides the finding's regions. */
  regions?: string[];
}

/**
 * The trail for a finding's principal: key (else user) from the finding, window from 24 h before it
 * was first seen to 1 h after it was last seen, regions = the finding's region plus us-east-1.
 */
export function trailRequestForFinding(finding: FindingTrailInput, now: Date, opts: TrailRequestOptions = {}): TrailRequest {
  const { accessKeyId, userName } = finding;
  const attribute: LookupAttribute | undefined = accessKeyId ? 'AccessKeyId' : userName ? 'Username' : undefined;
  const value = accessKeyId ?? userName;
  if (!attribute || !value) {
    throw new UsageError(`${finding.id ? `finding ${finding.id}` : 'the finding'} names no access key or user, so there is no principal to look up in CloudTrail`, {
      remedy: 'pass --key <accessKeyId> or --user <userName> instead',
    });
  }
  const parse = (s: string | undefined): Date | undefined => {
    if (!s) return undefined;
    const d = new Date(s);
    return Number.isNaN(d.getTime()) ? undefined : d;
  };
  const first = parse(finding.firstSeen) ?? parse(finding.lastSeen) ?? now;
  const last = parse(finding.lastSeen) ?? first;
  const resolved = resolveTrailWindow(new Date(first.getTime() - DEFAULT_TRAIL_WINDOW_MS), new Date(Math.max(last.getTime(), first.getTime()) + HOUR_MS), now);
  const regions = resolveTrailRegions(opts.regions, finding.region);
  return {
    principal: { ...(accessKeyId ? { accessKeyId } : {}), ...(userName ? { userName } : {}) },
    lookup: { attribute, value },
    window: resolved.window,
    regions: regions.regions,
    follow: opts.follow ?? false,
    maxEvents: opts.maxEvents ?? DEFAULT_MAX_EVENTS,
    rate: opts.rate,
    filters: opts.filters ?? { ...NO_FILTERS, events: [] },
    findingId: finding.id,
    findingIp: finding.remoteIp,
    warnings: [...resolved.warnings, ...regions.warnings],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Summary

export interface CountedSpan {
  count: number;
  first: string;
  last: string;
}

export interface TrailSummary {
  totalEvents: number;
  firstEvent?: string;
  lastEvent?: string;
  readOnlyEvents: number;
  writeEvents: number;
  errorEvents: number;
  derivedEvents: number;
  /** Events whose user agent or parameters carried terminal control characters. */
  controlCharacterEvents: number;
  byApi: Array<{ eventSource: string; eventName: string; count: number; errors: number; category: EventCategory }>;
  byService: Array<{ eventSource: string; count: number }>;
  sourceIps: Array<{ ip: string; findingIp: boolean } & CountedSpan>;
  userAgents: Array<{ userAgent: string } & CountedSpan>;
  errors: {
    total: number;
    byCode: Array<{ code: string; count: number }>;
    /** Runs of access-denied errors no more than 5 minutes apart. */
    accessDeniedBursts: Array<CountedSpan & { apis: string[] }>;
  };
  regions: Array<{ region: string; count: number }>;
  categories: Array<{ category: EventCategory; count: number; apis: string[] }>;
}

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
    if (e.errorCode) api.errors++;
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
    if (e.errorCode) {
      errors++;
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

// ---------------------------------------------------------------------------------------------------------------
// The result of collectTrail (src/aws/cloudtrail.ts)

export interface TrailRegionStats {
  region: string;
  events: number;
  pages: number;
  requests: number;
  throttles: number;
}

export interface TrailStats {
  /** LookupEvents requests sent (retries included). */
  requests: number;
  pages: number;
  /** Throttles absorbed by the limiter (none surface as errors). */
  throttles: number;
  throttleWaitMs: number;
  retries: number;
  /** Concurrent slices started because responses were slower than the limiter's interval. */
  slices: number;
  elapsedMs: number;
  regions: TrailRegionStats[];
}

export interface TrailResult {
  request: TrailRequest;
  principal: TrailPrincipal;
  /** Events that pass the filters, newest first, each exactly once. */
  events: TrailEvent[];
  /** Every event fetched (before filters). */
  fetchedEvents: number;
  derivedCredentials: DerivedCredential[];
  summary: TrailSummary;
  /** The --max-events cap was reached: older events were not fetched. */
  truncated: boolean;
  warnings: string[];
  stats: TrailStats;
}

