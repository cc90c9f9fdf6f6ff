/** Builders for LookupEvents records and trail events (unit tests). */
import { parseLookupEvent, type LookupEventInput, type TrailEvent } from '../../../src/core/trail/index.js';

export const KEY = 'AKIAQCOMPROMISED0EX1';
export const USER = 'GuardDuty-Example-Compromised-Simulated';
export const ARN = `arn:aws:iam::111122223333:user/${USER}`;

export interface EventSpec {
  id: string;
  time: string;
  source?: string;
  name: string;
  region?: string;
  ip?: string;
  userAgent?: string;
  key?: string;
  readOnly?: boolean;
  errorCode?: string;
  errorMessage?: string;
  request?: unknown;
  response?: unknown;
}

export function lookupEvent(s: EventSpec): LookupEventInput {
  const source = s.source ?? 'ssm.amazonaws.com';
  const record: Record<string, unknown> = {
    eventVersion: '1.11',
    userIdentity: { type: 'IAMUser', principalId: 'AIDACOMPROMISED0EXAMPLE', arn: ARN, accountId: '111122223333', accessKeyId: s.key ?? KEY, userName: USER },
    eventTime: s.time,
    eventSource: source,
    eventName: s.name,
    awsRegion: s.region ?? 'us-west-2',
    sourceIPAddress: s.ip ?? '198.51.100.77',
    userAgent: s.userAgent ?? 'aws-cli/1.18.147 Python/2.7.18 Linux/4.14',
    requestParameters: s.request ?? null,
    responseElements: s.response ?? null,
    eventID: s.id,
    readOnly: s.readOnly ?? true,
    eventType: 'AwsApiCall',
  };
  if (s.errorCode) {
    record.errorCode = s.errorCode;
    record.errorMessage = s.errorMessage ?? 'denied';
  } else if (s.errorMessage !== undefined) {
    // A failure recorded without an errorCode (a failed console sign-in).
    record.errorMessage = s.errorMessage;
  }
  return {
    EventId: s.id,
    EventName: s.name,
    ReadOnly: String(s.readOnly ?? true),
    AccessKeyId: s.key ?? KEY,
    EventTime: new Date(s.time),
    EventSource: source,
    Username: USER,
    Resources: [],
    CloudTrailEvent: JSON.stringify(record),
  };
}

export function trailEvent(s: EventSpec, opts: { derived?: boolean; viaKey?: string } = {}): TrailEvent {
  return parseLookupEvent(lookupEvent(s), s.region ?? 'us-west-2', opts);
}
