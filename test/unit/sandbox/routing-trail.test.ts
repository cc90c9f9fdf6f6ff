import { describe, expect, it } from 'vitest';
import { lowerCamelDeep, queryParameters } from '../../../src/sandbox/protocols.js';
import { TrailRecorder, buildRecord, eventRegion, eventTime, sharedCopy, withSharedEventId } from '../../../src/sandbox/recorder.js';
import { routeRequest } from '../../../src/sandbox/routing.js';
import type { RawRequest } from '../../../src/sandbox/service.js';
import { CloudTrailCache } from '../../../src/sandbox/services/cloudtrail/cache.js';
import type { CloudTrailRecord, RegionData } from '../../../src/sandbox/model.js';

function raw(o: { method?: string; path?: string; headers?: Record<string, string>; body?: string }): RawRequest {
  const body = o.body ?? '';
  return { method: o.method ?? 'POST', url: new URL(o.path ?? '/', 'http://sandbox.local'), headers: o.headers ?? {}, body, bytes: Buffer.from(body) };
}
const auth = (service: string, region = 'eu-west-1'): string => `AWS4-HMAC-SHA256 Credential=AKIAX/20260101/${region}/${service}/aws4_request, SignedHeaders=host, Signature=0`;
const routed = (r: RawRequest): { service?: string; operation?: string; region: string; error?: string } => {
  const x = routeRequest(r);
  return 'error' in x ? { service: x.service?.name, region: x.region, error: x.error.code } : { service: x.service.name, operation: x.call.operation, region: x.region };
};

describe('routing: the credential scope first, the X-Amz-Target prefix second, then the fallbacks', () => {
  it('the scope decides, whatever else the request carries', () => {
    expect(routed(raw({ headers: { authorization: auth('sts'), 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetCallerIdentity' }))).toEqual({ service: 'sts', operation: 'GetCallerIdentity', region: 'eu-west-1' });
    // An IAM-scoped request with a target header is still IAM (a future awsJson service's target cannot capture it).
    expect(routed(raw({ headers: { authorization: auth('iam'), 'x-amz-target': 'CloudTrail_20131101.LookupEvents' }, body: 'Action=GetUser' }))).toMatchObject({ service: 'iam', operation: 'GetUser' });
    expect(routed(raw({ method: 'GET', path: '/detector', headers: { authorization: auth('guardduty') } }))).toMatchObject({ service: 'guardduty', operation: 'ListDetectors' });
  });

  it('without a known scope, a known target prefix decides (both CloudTrail spellings)', () => {
    expect(routed(raw({ headers: { 'x-amz-target': 'CloudTrail_20131101.LookupEvents' } }))).toMatchObject({ service: 'cloudtrail', operation: 'LookupEvents', region: 'us-east-1' });
    expect(routed(raw({ headers: { authorization: auth('ec2'), 'x-amz-target': 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents' } }))).toMatchObject({ service: 'cloudtrail', operation: 'LookupEvents' });
  });

  it('an unknown target is not CloudTrail\'s: it falls through to the fallbacks, and then to 404', () => {
    // (Athena is emulated now: its target routes to it; SSM is not.)
    expect(routed(raw({ headers: { 'x-amz-target': 'AmazonSSM.GetParameters' }, body: '{}' }))).toEqual({ service: undefined, region: 'us-east-1', error: 'UnknownOperationException' });
    expect(routed(raw({ headers: { 'x-amz-target': 'AmazonAthena.StartQueryExecution' }, body: '{}' }))).toMatchObject({ service: 'athena' });
  });

  it('the fallbacks: /detector is GuardDuty; a form is STS for its operations, IAM otherwise', () => {
    expect(routed(raw({ method: 'GET', path: '/detector' }))).toMatchObject({ service: 'guardduty' });
    expect(routed(raw({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetCallerIdentity&Version=2011-06-15' }))).toMatchObject({ service: 'sts' });
    expect(routed(raw({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetUser&Version=2010-05-08' }))).toMatchObject({ service: 'iam' });
    expect(routed(raw({ method: 'GET', path: '/nothing' }))).toMatchObject({ service: undefined, error: 'UnknownOperationException' });
  });

  it('a malformed body is an error in the routed service\'s shape', () => {
    expect(routed(raw({ headers: { authorization: auth('cloudtrail'), 'x-amz-target': 'CloudTrail_20131101.LookupEvents' }, body: '[1]' }))).toMatchObject({ service: 'cloudtrail', error: 'SerializationException' });
    expect(routed(raw({ headers: { authorization: auth('iam') }, body: 'Version=2010-05-08' }))).toMatchObject({ service: 'iam', error: 'MissingAction' });
  });
});

describe('CloudTrail requestParameters from the wire input', () => {
  it('awsQuery: members lowerCamel, lists and maps rebuilt, nothing for no input', () => {
    expect(
      queryParameters({
        UserName: 'u',
        'Tags.member.2.Key': 'b',
        'Tags.member.2.Value': '2',
        'Tags.member.1.Key': 'a',
        'Tags.member.1.Value': '1',
        'PolicyArns.member.1': 'arn:aws:iam::aws:policy/X',
        'Attributes.entry.1.key': 'K',
        'Attributes.entry.1.value': 'V',
        AssumeRolePolicyDocument: '{}',
      }),
    ).toEqual({ userName: 'u', tags: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }], policyArns: ['arn:aws:iam::aws:policy/X'], attributes: { K: 'V' }, assumeRolePolicyDocument: '{}' });
    expect(queryParameters({})).toBeNull();
  });

  it('awsJson: lowerCamel at every level', () => {
    expect(lowerCamelDeep({ Name: 't', TagsList: [{ Key: 'k', Value: 'v' }], IsMultiRegionTrail: true })).toEqual({ name: 't', tagsList: [{ key: 'k', value: 'v' }], isMultiRegionTrail: true });
  });
});

function record(id: string, time: string, region = 'us-east-1'): CloudTrailRecord {
  return buildRecord({
    identity: { type: 'IAMUser', principalId: 'AIDA', arn: 'arn:aws:iam::111122223333:user/u', accountId: '111122223333', accessKeyId: 'AKIAX', userName: 'u' },
    recipientAccountId: '111122223333',
    eventSource: 'iam.amazonaws.com',
    eventName: 'UpdateAccessKey',
    awsRegion: region,
    time: new Date(time),
    sourceIPAddress: '127.0.0.1',
    requestParameters: { userName: 'u' },
    responseElements: null,
    readOnly: false,
    requestID: `req-${id}`,
    eventID: id,
  });
}

describe('the recorder', () => {
  it('global event sources land in us-east-1; others in the request\'s region', () => {
    expect(eventRegion('iam.amazonaws.com', 'eu-west-1')).toBe('us-east-1');
    expect(eventRegion('sts.amazonaws.com', 'eu-west-1')).toBe('eu-west-1');
    expect(eventRegion('guardduty.amazonaws.com', 'eu-west-1')).toBe('eu-west-1');
    expect(eventTime(new Date('2026-06-01T12:00:00.987Z'))).toBe('2026-06-01T12:00:00Z');
  });

  it('holds records back until their delivery time, then delivers them in call order', () => {
    let delay = 1000;
    const r = new TrailRecorder(() => delay);
    const account = { accountId: '111122223333', regions: {}, iam: { users: {}, groups: {}, roles: {}, managedPolicies: {}, accessKeys: {}, sessions: {} } };
    r.append(account, record('a', '2026-06-01T12:00:00Z'), 0);
    r.append(account, record('b', '2026-06-01T12:00:01Z', 'eu-west-1'), 500);
    expect(account.regions).toEqual({});
    r.deliver(999);
    expect(r.pendingCount).toBe(2);
    r.deliver(1000);
    expect(Object.keys(account.regions)).toEqual(['us-east-1']);
    r.deliver(1500);
    expect(r.pendingCount).toBe(0);
    expect((account.regions as Record<string, RegionData>)['eu-west-1']?.events.map((e) => e.eventID)).toEqual(['b']);
    delay = 0;
    r.append(account, record('c', '2026-06-01T12:00:02Z'), 2000);
    expect((account.regions as Record<string, RegionData>)['us-east-1']?.events.map((e) => e.eventID)).toEqual(['a', 'c']);
  });

  it('the LookupEvents index merges appended events: the same order as a full rebuild', () => {
    const data: RegionData = { findings: [], events: [record('m', '2026-06-01T10:00:00Z'), record('k', '2026-06-01T08:00:00Z'), record('z', '2026-06-01T09:00:00Z')] };
    const cache = new CloudTrailCache();
    const first = cache.index('111122223333', 'us-east-1', data);
    expect(first.events.map((e) => e.eventId)).toEqual(['m', 'z', 'k']);
    data.events.push(record('n', '2026-06-01T11:00:00Z'), record('a', '2026-06-01T09:00:00Z'), record('y', '2026-06-01T09:00:00Z'));
    const merged = cache.index('111122223333', 'us-east-1', data).events.map((e) => e.eventId);
    const rebuilt = new CloudTrailCache().index('111122223333', 'us-east-1', { findings: [], events: [...data.events] }).events.map((e) => e.eventId);
    expect(merged).toEqual(rebuilt);
    expect(merged).toEqual(['n', 'm', 'a', 'y', 'z', 'k']);
    expect(cache.index('111122223333', 'us-east-1', data).generation).toBeGreaterThan(first.generation);
  });

  it('a cross-account call: both copies share sharedEventID (after recipientAccountId); the other account sees an AWSAccount', () => {
    const mine = withSharedEventId(record('e1', '2026-06-01T12:00:00Z'), 'shared-1');
    const keys = Object.keys(mine);
    expect(keys.indexOf('sharedEventID')).toBe(keys.indexOf('recipientAccountId') + 1);
    const theirs = sharedCopy(mine, '444455556666', 'e2', 'shared-1');
    expect(theirs).toMatchObject({ eventID: 'e2', sharedEventID: 'shared-1', recipientAccountId: '444455556666', requestID: 'req-e1' });
    expect(theirs.userIdentity).toEqual({ type: 'AWSAccount', principalId: 'AIDA', accountId: '111122223333' });
    expect(Object.keys(theirs).filter((k) => k === 'sharedEventID')).toHaveLength(1);
    expect(mine.userIdentity.type).toBe('IAMUser');
  });
});
