/**
 * One LookupEvents record → one TrailEvent: the fields gd-ir reasons about, classified, with the raw
 * record kept for --raw. Every event source (event history, log files, Athena) ends up here.
 */
import { hasControlCharacters } from '../sanitize.js';
import { classifyEvent } from '../event-classification.js';
import type { LookupEventInput, TrailEvent } from './model.js';
import { parseCloudTrailTime } from './time.js';
import { isFailedCall } from './outcome.js';

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
  return trailEvent(e, record, region, opts);
}

/**
 * One event from its LookupEvents header and its record (either may be partial): the one place a
 * CloudTrail record becomes a TrailEvent, whatever the source (event history, log files, Athena).
 */
export function trailEvent(e: LookupEventInput, record: Record<string, unknown> | undefined, region: string, opts: { derived?: boolean; viaKey?: string } = {}): TrailEvent {
  const r = record ?? {};
  const identity = isObject(r.userIdentity) ? r.userIdentity : {};
  const eventTime = e.EventTime instanceof Date && !Number.isNaN(e.EventTime.getTime()) ? e.EventTime : new Date(parseCloudTrailTime(r.eventTime) ?? 0);
  const eventSource = e.EventSource ?? str(r.eventSource) ?? 'unknown';
  const eventName = e.EventName ?? str(r.eventName) ?? 'unknown';
  const readOnly = typeof r.readOnly === 'boolean' ? r.readOnly : e.ReadOnly === 'true' ? true : e.ReadOnly === 'false' ? false : undefined;
  const userAgent = str(r.userAgent);
  const requestParameters = r.requestParameters ?? null;
  const responseElements = r.responseElements ?? null;
  const errorCode = str(r.errorCode);
  const errorMessage = str(r.errorMessage);
  const failed = isFailedCall({ eventSource, eventName, errorCode, errorMessage, responseElements });
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
    errorCode,
    errorMessage,
    failed,
    readOnly,
    category: classifyEvent(eventSource, eventName, { failed }),
    resources: (e.Resources ?? [])
      .filter((x) => x.ResourceType || x.ResourceName)
      .map((x) => ({ type: x.ResourceType ?? '', name: x.ResourceName ?? '' })),
    requestParameters,
    responseElements,
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

