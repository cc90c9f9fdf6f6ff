/**
 * CloudTrail's event index per account and region: each record decorated once with its LookupEvents view, newest
 * first, plus result snapshots for token paging and the serialized `CloudTrailEvent` strings. Events appended to a
 * region (recorded calls) are merged into the index instead of rebuilding it.
 */
import type { CloudTrailRecord, RegionData } from '../../model.js';
import { BoundedCache, isRecord } from '../../wire.js';

/** A record decorated once with the LookupEvents view of it. */
export interface IndexedEvent {
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

const newestFirst = (a: IndexedEvent, b: IndexedEvent): number => b.timeMs - a.timeMs || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);

/** Merges two newest-first lists. */
function merge(a: IndexedEvent[], b: IndexedEvent[]): IndexedEvent[] {
  const out: IndexedEvent[] = new Array<IndexedEvent>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = newestFirst(a[i] as IndexedEvent, b[j] as IndexedEvent) <= 0 ? (a[i++] as IndexedEvent) : (b[j++] as IndexedEvent);
  while (i < a.length) out[k++] = a[i++] as IndexedEvent;
  while (j < b.length) out[k++] = b[j++] as IndexedEvent;
  return out;
}

export class CloudTrailCache {
  private generation = 0;
  private readonly indexes = new Map<string, RegionIndex>();
  readonly snapshots = new BoundedCache<IndexedEvent[]>(128);
  private readonly json = new WeakMap<object, string>();

  /**
   * The index of one account's events in one region. A replaced array is re-indexed; an array that grew (events
   * appended) has only its new tail decorated and merged in.
   */
  index(accountId: string, region: string, data: RegionData): RegionIndex {
    const key = `${accountId}|${region}`;
    const cur = this.indexes.get(key);
    if (cur && cur.src === data.events && cur.len === data.events.length) return cur;
    let events: IndexedEvent[];
    if (cur && cur.src === data.events && data.events.length > cur.len) {
      const added = data.events.slice(cur.len).map(decorate).sort(newestFirst);
      events = merge(added, cur.events);
    } else {
      events = data.events.map(decorate).sort(newestFirst);
    }
    const idx: RegionIndex = { src: data.events, len: data.events.length, generation: ++this.generation, events };
    this.indexes.set(key, idx);
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
