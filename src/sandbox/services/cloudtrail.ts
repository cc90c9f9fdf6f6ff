/**
 * CloudTrail (awsJson1_1, 2013-11-01): LookupEvents over World.regions[region].events.
 */
import type { HandlerContext } from '../context.js';
import type { CloudTrailRecord, RegionData } from '../model.js';
import type { Reply } from '../types.js';
import { BoundedCache, ServiceError, decodeToken, encodeToken, isRecord, shortHash, stableStringify } from '../wire.js';

const NINETY_DAYS_MS = 90 * 24 * 3600 * 1000;
const LOOKUP_KEYS = ['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId'] as const;
type LookupKey = (typeof LOOKUP_KEYS)[number];

/** A record decorated once with the LookupEvents view of it. */
interface IndexedEvent {
  rec: CloudTrailRecord;
  timeMs: number;
  eventId: string;
  eventName: string;
  readOnly: 'true' | 'false';
  username: string | undefined;
  accessKeyId: string | undefined;
  eventSource: string;
  resources: Array<{ ResourceType: string; ResourceName: string }>;
}

interface RegionIndex {
  src: CloudTrailRecord[];
  len: number;
  generation: number;
  /** newest first */
  events: IndexedEvent[];
}

export class CloudTrailCache {
  private generation = 0;
  private readonly indexes = new Map<string, RegionIndex>();
  readonly snapshots = new BoundedCache<IndexedEvent[]>(128);
  private readonly json = new WeakMap<object, string>();

  index(region: string, data: RegionData): RegionIndex {
    const cur = this.indexes.get(region);
    if (cur && cur.src === data.events && cur.len === data.events.length) return cur;
    const events = data.events.map(decorate);
    events.sort((a, b) => b.timeMs - a.timeMs || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
    const idx: RegionIndex = { src: data.events, len: data.events.length, generation: ++this.generation, events };
    this.indexes.set(region, idx);
    return idx;
  }

  recordJson(rec: CloudTrailRecord): string {
    let s = this.json.get(rec);
    if (s === undefined) {
      s = JSON.stringify(rec);
      this.json.set(rec, s);
    }
    return s;
  }

  clear(): void {
    this.indexes.clear();
    this.snapshots.clear();
  }
}

const PARAM_RESOURCES: Array<[string, string]> = [
  ['userName', 'AWS::IAM::User'],
  ['roleName', 'AWS::IAM::Role'],
  ['groupName', 'AWS::IAM::Group'],
  ['policyArn', 'AWS::IAM::Policy'],
  ['accessKeyId', 'AWS::IAM::AccessKey'],
  ['bucketName', 'AWS::S3::Bucket'],
  ['tableName', 'AWS::DynamoDB::Table'],
  ['name', 'AWS::SSM::Parameter'],
  ['names', 'AWS::SSM::Parameter'],
  ['instanceId', 'AWS::EC2::Instance'],
];

/** LookupEvents' `Resources`: the record's `resources`, or else the resources named in requestParameters. */
function resourcesOf(rec: CloudTrailRecord): Array<{ ResourceType: string; ResourceName: string }> {
  const out: Array<{ ResourceType: string; ResourceName: string }> = [];
  const seen = new Set<string>();
  const add = (type: string | undefined, name: unknown): void => {
    if (!type || typeof name !== 'string' || name === '') return;
    const k = `${type}|${name}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push({ ResourceType: type, ResourceName: name });
  };
  for (const r of rec.resources ?? []) add(r.type, r.ARN);
  if (out.length > 0) return out;
  const params = rec.requestParameters;
  if (isRecord(params)) {
    for (const [param, type] of PARAM_RESOURCES) {
      const v = params[param];
      if (Array.isArray(v)) for (const x of v) add(type, x);
      else add(type, v);
    }
  }
  return out;
}

function usernameOf(rec: CloudTrailRecord): string | undefined {
  const ui = rec.userIdentity;
  if (typeof ui.userName === 'string') return ui.userName;
  if (ui.type === 'Root') return 'root';
  if ((ui.type === 'AssumedRole' || ui.type === 'FederatedUser') && typeof ui.arn === 'string') return ui.arn.split('/').pop();
  const issuer = isRecord(ui.sessionContext) && isRecord(ui.sessionContext.sessionIssuer) ? ui.sessionContext.sessionIssuer : undefined;
  return issuer && typeof issuer.userName === 'string' ? issuer.userName : undefined;
}

function decorate(rec: CloudTrailRecord): IndexedEvent {
  return {
    rec,
    timeMs: Date.parse(rec.eventTime),
    eventId: rec.eventID,
    eventName: rec.eventName,
    readOnly: rec.readOnly === true ? 'true' : 'false',
    username: usernameOf(rec),
    accessKeyId: typeof rec.userIdentity.accessKeyId === 'string' ? rec.userIdentity.accessKeyId : undefined,
    eventSource: rec.eventSource,
    resources: resourcesOf(rec),
  };
}

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

function lookupEvents(ctx: HandlerContext, input: Record<string, unknown>): Reply {
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
  const data = ctx.world.regions[ctx.region];
  const requestKey = `${ctx.region}|${stableStringify(attr ?? null)}|${start ?? ''}|${end ?? ''}|${category ?? ''}`;
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
    list = ctx.ct.snapshots.get(snapshotId);
  }
  if (!list) {
    if (!data || category === 'insight') list = [];
    else {
      const idx = ctx.ct.index(ctx.region, data);
      if (!snapshotId) snapshotId = shortHash(`${requestKey}|${idx.generation}|${ctx.now.getTime()}`);
      const oldest = ctx.now.getTime() - NINETY_DAYS_MS;
      const lo = Math.max(oldest, start ?? -Infinity);
      const hi = end ?? Infinity;
      list = idx.events.filter((e) => e.timeMs >= lo && e.timeMs <= hi && (!attr || matches(e, attr.key, attr.value)));
    }
    if (!snapshotId) snapshotId = shortHash(`${requestKey}|empty`);
    ctx.ct.snapshots.set(snapshotId, list);
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
        CloudTrailEvent: ctx.ct.recordJson(e.rec),
      };
      if (e.accessKeyId !== undefined) ev.AccessKeyId = e.accessKeyId;
      if (e.username !== undefined) ev.Username = e.username;
      return ev;
    }),
  };
  if (offset + maxResults < list.length) out.NextToken = encodeToken({ h, o: offset + maxResults, s: snapshotId });
  return { status: 200, contentType: 'application/x-amz-json-1.1', body: JSON.stringify(out) };
}

export function handleCloudTrail(ctx: HandlerContext, operation: string, input: Record<string, unknown>): Reply {
  if (operation === 'LookupEvents') return lookupEvents(ctx, input);
  throw new ServiceError('UnknownOperationException', `The sandbox does not implement CloudTrail ${operation}.`, 400);
}

/** awsJson1_1 error: botocore reads only the body `__type`; the header is for the JS SDK too. */
export function cloudTrailError(code: string, message: string, status: number): Reply {
  return {
    status,
    contentType: 'application/x-amz-json-1.1',
    headers: { 'x-amzn-ErrorType': code },
    body: JSON.stringify({ __type: code, Message: message, message }),
  };
}
