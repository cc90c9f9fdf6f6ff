/**
 * CloudTrail records from any source (trail log files, JSON lines, saved `lookup-events` output, Athena
 * rows) as the TrailEvent every renderer already knows, and the documents that carry them.
 *
 * A record here is the object CloudTrail writes in a log file's `Records` array and in LookupEvents'
 * `CloudTrailEvent` string (CloudTrail User Guide, "CloudTrail record contents"). Pure.
 */
import { parseCloudTrailTime, trailEvent, type LookupEventInput, type TrailEvent } from '../trail/index.js';

export type CloudTrailRecord = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A CloudTrail record: an object with an event time, source, name and an identity. */
export function isCloudTrailRecord(v: unknown): v is CloudTrailRecord {
  return isObject(v) && typeof v.eventTime === 'string' && typeof v.eventSource === 'string' && typeof v.eventName === 'string' && isObject(v.userIdentity);
}

/**
 * LookupEvents' `Username` of a record: the IAM user name, `root`, the role session name of an assumed
 * role or federated user, else the session issuer's name (as event history reports it).
 */
export function usernameOf(rec: CloudTrailRecord): string | undefined {
  const ui = isObject(rec.userIdentity) ? rec.userIdentity : {};
  if (typeof ui.userName === 'string') return ui.userName;
  if (ui.type === 'Root') return 'root';
  if ((ui.type === 'AssumedRole' || ui.type === 'FederatedUser') && typeof ui.arn === 'string') return ui.arn.split('/').pop();
  const ctx = isObject(ui.sessionContext) ? ui.sessionContext : undefined;
  const issuer = ctx && isObject(ctx.sessionIssuer) ? ctx.sessionIssuer : undefined;
  return issuer && typeof issuer.userName === 'string' ? issuer.userName : undefined;
}

export function accessKeyIdOf(rec: CloudTrailRecord): string | undefined {
  const ui = isObject(rec.userIdentity) ? rec.userIdentity : {};
  return str(ui.accessKeyId);
}

export function eventTimeMs(rec: CloudTrailRecord): number {
  return parseCloudTrailTime(rec.eventTime) ?? NaN;
}

/** The LookupEvents header of a record (what event history would have returned around it). */
export function lookupHeaderOf(rec: CloudTrailRecord): LookupEventInput {
  const t = eventTimeMs(rec);
  const resources = Array.isArray(rec.resources) ? rec.resources.filter(isObject) : [];
  const ro = rec.readOnly;
  return {
    EventId: str(rec.eventID),
    EventName: str(rec.eventName),
    ...(typeof ro === 'boolean' ? { ReadOnly: String(ro) } : typeof ro === 'string' ? { ReadOnly: ro } : {}),
    AccessKeyId: accessKeyIdOf(rec),
    ...(Number.isNaN(t) ? {} : { EventTime: new Date(t) }),
    EventSource: str(rec.eventSource),
    Username: usernameOf(rec),
    Resources: resources.map((r) => ({ ResourceType: str(r.type), ResourceName: str(r.ARN) ?? str(r.arn) })),
  };
}

/** A record as a TrailEvent: the same builder event history's records go through. */
export function trailEventFromRecord(rec: CloudTrailRecord, opts: { derived?: boolean; viaKey?: string } = {}): TrailEvent {
  return trailEvent(lookupHeaderOf(rec), rec, str(rec.awsRegion) ?? 'unknown', opts);
}

export type DocumentKind = 'trail-log' | 'lookup-events' | 'records-array' | 'record';

/**
 * The records a parsed JSON document carries: a trail log file (`{"Records":[…]}`), saved
 * `aws cloudtrail lookup-events` output (`{"Events":[{"CloudTrailEvent":"…"}]}`), a bare array of
 * records, or one record. Anything else is not CloudTrail (undefined). Elements that are not records
 * are counted, not returned.
 */
export function recordsOfDocument(doc: unknown): { kind: DocumentKind; records: CloudTrailRecord[]; invalid: number } | undefined {
  const pick = (items: unknown[], kind: DocumentKind): { kind: DocumentKind; records: CloudTrailRecord[]; invalid: number } => {
    const records: CloudTrailRecord[] = [];
    let invalid = 0;
    for (const x of items) {
      if (isCloudTrailRecord(x)) records.push(x);
      else invalid++;
    }
    return { kind, records, invalid };
  };
  if (Array.isArray(doc)) return doc.length === 0 || isCloudTrailRecord(doc[0]) ? pick(doc, 'records-array') : undefined;
  if (!isObject(doc)) return undefined;
  if (Array.isArray(doc.Records)) return pick(doc.Records, 'trail-log');
  if (Array.isArray(doc.Events)) {
    const items = doc.Events.map((e) => {
      if (!isObject(e) || typeof e.CloudTrailEvent !== 'string') return undefined;
      try {
        return JSON.parse(e.CloudTrailEvent) as unknown;
      } catch {
        return undefined;
      }
    });
    return pick(items, 'lookup-events');
  }
  if (isCloudTrailRecord(doc)) return { kind: 'record', records: [doc], invalid: 0 };
  return undefined;
}
