/** CloudTrail LookupEvents over the caller's account's events in the request's region (the last 90 days). */
import type { HandlerContext } from '../../context.js';
import { ServiceError, decodeToken, encodeToken, isRecord, shortHash, stableStringify } from '../../wire.js';
import type { CloudTrailCache, IndexedEvent } from './cache.js';

const NINETY_DAYS_MS = 90 * 24 * 3600 * 1000;
const LOOKUP_KEYS = ['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId'] as const;
type LookupKey = (typeof LOOKUP_KEYS)[number];

function matches(e: IndexedEvent, key: LookupKey, value: string): boolean {
  switch (key) {
    case 'EventId':
      return e.eventId === value;
    case 'EventName':
      return e.eventName === value;
    case 'ReadOnly':
      return e.readOnly === value;
    case 'Username':
      return e.username === value;
    case 'AccessKeyId':
      return e.accessKeyId === value;
    case 'EventSource':
      return e.eventSource === value;
    case 'ResourceType':
      return e.resources.some((r) => r.ResourceType === value);
    case 'ResourceName':
      return e.resources.some((r) => r.ResourceName === value);
  }
}

function err(code: string, message: string): ServiceError {
  return new ServiceError(code, message, 400);
}

/** Epoch seconds (number, or a numeric/ISO string leniently) → epoch ms. */
function timeParam(raw: unknown, name: string): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'number') return raw * 1000;
  if (typeof raw === 'string') {
    const n = Number(raw);
    if (raw.trim() !== '' && Number.isFinite(n)) return n * 1000;
    const t = Date.parse(raw);
    if (!Number.isNaN(t)) return t;
  }
  throw new ServiceError('SerializationException', `${name} must be a timestamp in epoch seconds.`, 400);
}

export function lookupEvents(ctx: HandlerContext, cache: CloudTrailCache, input: Record<string, unknown>): Record<string, unknown> {
  const attrsRaw = input.LookupAttributes;
  let attr: { key: LookupKey; value: string } | undefined;
  if (attrsRaw !== undefined && attrsRaw !== null) {
    if (!Array.isArray(attrsRaw)) throw err('InvalidLookupAttributesException', 'LookupAttributes must be a list.');
    if (attrsRaw.length > 1) throw err('InvalidLookupAttributesException', 'You cannot specify more than one lookup attribute.');
    const a: unknown = attrsRaw[0];
    if (a !== undefined) {
      if (!isRecord(a) || typeof a.AttributeKey !== 'string' || typeof a.AttributeValue !== 'string') {
        throw err('InvalidLookupAttributesException', 'Each lookup attribute needs an AttributeKey and an AttributeValue.');
      }
      if (!(LOOKUP_KEYS as readonly string[]).includes(a.AttributeKey)) {
        throw err('InvalidLookupAttributesException', `Invalid attribute key ${a.AttributeKey}; valid keys are ${LOOKUP_KEYS.join(', ')}.`);
      }
      if (a.AttributeValue.length < 1 || a.AttributeValue.length > 2000) {
        throw err('InvalidLookupAttributesException', 'AttributeValue must be 1 to 2000 characters long.');
      }
      attr = { key: a.AttributeKey as LookupKey, value: a.AttributeValue };
    }
  }
  const start = timeParam(input.StartTime, 'StartTime');
  const end = timeParam(input.EndTime, 'EndTime');
  if (start !== undefined && end !== undefined && end < start) throw err('InvalidTimeRangeException', 'Start time must be before end time.');
  const maxRaw = input.MaxResults;
  let maxResults = 50;
  if (maxRaw !== undefined && maxRaw !== null) {
    const n = typeof maxRaw === 'number' ? maxRaw : Number(maxRaw);
    if (!Number.isInteger(n) || n < 1 || n > 50) throw err('InvalidMaxResultsException', 'MaxResults must be between 1 and 50.');
    maxResults = n;
  }
  const category = input.EventCategory;
  if (category !== undefined && category !== null && category !== 'insight') {
    throw err('InvalidEventCategoryException', 'EventCategory must be insight.');
  }
  const data = ctx.account.regions[ctx.region];
  const requestKey = `${ctx.account.accountId}|${ctx.region}|${stableStringify(attr ?? null)}|${start ?? ''}|${end ?? ''}|${category ?? ''}`;
  const h = shortHash(requestKey);
  let offset = 0;
  let list: IndexedEvent[] | undefined;
  let snapshotId = '';
  const token = input.NextToken;
  if (typeof token === 'string' && token !== '') {
    const t = decodeToken(token);
    if (!t || t.h !== h) throw err('InvalidNextTokenException', 'Invalid NextToken: it must be used with the same parameters as the request that returned it.');
    offset = t.o;
    snapshotId = t.s ?? '';
    list = cache.snapshots.get(snapshotId);
  }
  if (!list) {
    if (!data || category === 'insight') list = [];
    else {
      const idx = cache.index(ctx.account.accountId, ctx.region, data);
      if (!snapshotId) snapshotId = shortHash(`${requestKey}|${idx.generation}|${ctx.now.getTime()}`);
      const oldest = ctx.now.getTime() - NINETY_DAYS_MS;
      const lo = Math.max(oldest, start ?? -Infinity);
      const hi = end ?? Infinity;
      list = idx.events.filter((e) => e.timeMs >= lo && e.timeMs <= hi && (!attr || matches(e, attr.key, attr.value)));
    }
    if (!snapshotId) snapshotId = shortHash(`${requestKey}|empty`);
    cache.snapshots.set(snapshotId, list);
  }
  const page = list.slice(offset, offset + maxResults);
  const out: Record<string, unknown> = {
    Events: page.map((e) => {
      const ev: Record<string, unknown> = {
        EventId: e.eventId,
        EventName: e.eventName,
        ReadOnly: e.readOnly,
        EventTime: e.timeMs / 1000,
        EventSource: e.eventSource,
        Resources: e.resources,
        CloudTrailEvent: cache.recordJson(e.rec),
      };
      if (e.accessKeyId !== undefined) ev.AccessKeyId = e.accessKeyId;
      if (e.username !== undefined) ev.Username = e.username;
      return ev;
    }),
  };
  if (offset + maxResults < list.length) out.NextToken = encodeToken({ h, o: offset + maxResults, s: snapshotId });
  return out;
}
