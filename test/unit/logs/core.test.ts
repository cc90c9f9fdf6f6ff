/**
 * The pure core of the log sources: key layout and pruning, the shared record matcher, records from
 * every document shape, and the trail assembled from records.
 */
import { describe, expect, it } from 'vitest';
import { deliveryDays, deliveryTimeOf, dirMayMatch, keyMayMatch, listPrefixes, parseLogKey } from '../../../src/core/logs/layout.js';
import { derivedQuery, matchRecord, needlesOf, principalQuery, type LogQuery } from '../../../src/core/logs/match.js';
import { recordsOfDocument, trailEventFromRecord, usernameOf } from '../../../src/core/logs/record.js';
import { NO_FILTERS, parseLookupEvent, TrailBuilder, type TrailEvent, type TrailRequest } from '../../../src/core/trail/index.js';

function assembleLogTrail(input: { request: TrailRequest; principalEvents: TrailEvent[] }) {
  const b = new TrailBuilder(input.request);
  for (const e of input.principalEvents) b.add(e);
  return b.finish({ warnings: [] });
}

const ACCT = '111122223333';
const KEY = 'AKIAQCOMPROMISED0EX1';
const USER = 'GuardDuty-Example-Compromised-Simulated';

function rec(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity: { type: 'IAMUser', principalId: 'AIDACOMPROMISED0EXAMPLE', arn: `arn:aws:iam::${ACCT}:user/${USER}`, accountId: ACCT, accessKeyId: KEY, userName: USER },
    eventTime: '2026-06-01T12:00:00Z',
    eventSource: 'ssm.amazonaws.com',
    eventName: 'GetParameters',
    awsRegion: 'us-west-2',
    sourceIPAddress: '198.51.100.77',
    userAgent: 'aws-cli/1.18.147',
    requestParameters: { names: ['/prod/db/password'] },
    responseElements: null,
    eventID: 'e-1',
    readOnly: true,
    eventType: 'AwsApiCall',
    recipientAccountId: ACCT,
    ...over,
  };
}

const window = { start: new Date('2026-06-01T00:00:00Z'), end: new Date('2026-06-02T00:00:00Z') };

describe('key layout', () => {
  it('reads account and organisation keys, with the delivery time from the name', () => {
    const k = `logs/AWSLogs/${ACCT}/CloudTrail/us-west-2/2026/06/01/${ACCT}_CloudTrail_us-west-2_20260601T1205Z_Ab12Cd34Ef56Gh78.json.gz`;
    expect(parseLogKey(k)).toEqual({ kind: 'log', accountId: ACCT, region: 'us-west-2', day: '2026/06/01', deliveredMs: Date.UTC(2026, 5, 1, 12, 5) });
    const o = `AWSLogs/o-exampleorg1/${ACCT}/CloudTrail/eu-west-1/2026/06/01/${ACCT}_CloudTrail_eu-west-1_20260601T0000Z_x.json.gz`;
    expect(parseLogKey(o)).toMatchObject({ orgId: 'o-exampleorg1', accountId: ACCT, region: 'eu-west-1' });
    expect(parseLogKey(`AWSLogs/${ACCT}/CloudTrail-Digest/us-west-2/2026/06/01/${ACCT}_CloudTrail-Digest_us-west-2_trail_us-west-2_20260601T1205Z.json.gz`)?.kind).toBe('digest');
    expect(parseLogKey('AWSLogs/notanaccount/CloudTrail/us-west-2/2026/06/01/x.json.gz')).toBeUndefined();
    expect(deliveryTimeOf('garbage.json.gz')).toBeUndefined();
  });

  it('keeps the days from the window start to a day after its end, and prunes digest and Insights files', () => {
    expect(deliveryDays(window)).toEqual(['2026/06/01', '2026/06/02', '2026/06/03']);
    const scope = { window, regions: ['us-west-2'] };
    const key = (region: string, day: string, time: string): string => `AWSLogs/${ACCT}/CloudTrail/${region}/${day}/${ACCT}_CloudTrail_${region}_${time}_x.json.gz`;
    expect(keyMayMatch(key('us-west-2', '2026/06/01', '20260601T1200Z'), scope)).toBe(true);
    // Delivered before the window started: cannot hold a record of it.
    expect(keyMayMatch(key('us-west-2', '2026/05/31', '20260531T2300Z'), scope)).toBe(false);
    // Delivered late, the day after: kept.
    expect(keyMayMatch(key('us-west-2', '2026/06/02', '20260602T2300Z'), scope)).toBe(true);
    expect(keyMayMatch(key('us-west-2', '2026/06/04', '20260604T0000Z'), scope)).toBe(false);
    expect(keyMayMatch(key('eu-west-1', '2026/06/01', '20260601T1200Z'), scope)).toBe(false);
    expect(keyMayMatch(`AWSLogs/${ACCT}/CloudTrail-Insight/us-west-2/2026/06/01/a.json.gz`, scope)).toBe(false);
    // Outside the layout: kept, recognised by content.
    expect(keyMayMatch('handed-over/export.jsonl', scope)).toBe(true);
  });

  it('stops a walk at other regions, accounts and days, and never enters digest folders', () => {
    const scope = { window, regions: ['us-west-2'], accounts: [ACCT] };
    expect(dirMayMatch(['x', 'AWSLogs', ACCT, 'CloudTrail', 'us-west-2', '2026'], scope)).toBe(true);
    expect(dirMayMatch(['AWSLogs', ACCT, 'CloudTrail', 'us-west-2', '2026', '06', '01'], scope)).toBe(true);
    expect(dirMayMatch(['AWSLogs', ACCT, 'CloudTrail', 'us-west-2', '2026', '05'], scope)).toBe(false);
    expect(dirMayMatch(['AWSLogs', ACCT, 'CloudTrail', 'us-west-2', '2025'], scope)).toBe(false);
    expect(dirMayMatch(['AWSLogs', ACCT, 'CloudTrail', 'ap-south-1'], scope)).toBe(false);
    expect(dirMayMatch(['AWSLogs', '999988887777'], scope)).toBe(false);
    expect(dirMayMatch(['AWSLogs', ACCT, 'CloudTrail-Digest'], scope)).toBe(false);
    expect(dirMayMatch(['AWSLogs', 'o-exampleorg1', ACCT, 'CloudTrail'], scope)).toBe(true);
  });

  it('lists one prefix per account, region and delivery day', () => {
    expect(listPrefixes('trail', 'o-exampleorg1', [ACCT], ['us-west-2'], window)).toEqual([
      `trail/AWSLogs/o-exampleorg1/${ACCT}/CloudTrail/us-west-2/2026/06/01/`,
      `trail/AWSLogs/o-exampleorg1/${ACCT}/CloudTrail/us-west-2/2026/06/02/`,
      `trail/AWSLogs/o-exampleorg1/${ACCT}/CloudTrail/us-west-2/2026/06/03/`,
    ]);
    expect(listPrefixes('', undefined, [ACCT], ['us-east-1'], window)[0]).toBe(`AWSLogs/${ACCT}/CloudTrail/us-east-1/2026/06/01/`);
  });
});

describe('the record matcher', () => {
  const q: LogQuery = { selectors: [{ attribute: 'AccessKeyId', value: KEY }], window, regions: ['us-west-2', 'us-east-1'] };

  it('matches the key inside the window and the regions, inclusive at both ends', () => {
    expect(matchRecord(rec(), q)?.value).toBe(KEY);
    expect(matchRecord(rec({ eventTime: '2026-06-01T00:00:00Z' }), q)).toBeDefined();
    expect(matchRecord(rec({ eventTime: '2026-06-02T00:00:00Z' }), q)).toBeDefined();
    expect(matchRecord(rec({ eventTime: '2026-06-02T00:00:01Z' }), q)).toBeUndefined();
    expect(matchRecord(rec({ awsRegion: 'eu-west-1' }), q)).toBeUndefined();
    // The key somewhere else in the record (ListAccessKeys' response) is not the caller's key.
    expect(matchRecord(rec({ userIdentity: { type: 'IAMUser', accessKeyId: 'AKIAOTHER000000000000', userName: 'admin' }, responseElements: { key: KEY } }), q)).toBeUndefined();
  });

  it("uses event history's Username: user name, root, role session name", () => {
    expect(usernameOf(rec())).toBe(USER);
    expect(usernameOf(rec({ userIdentity: { type: 'Root', arn: `arn:aws:iam::${ACCT}:root` } }))).toBe('root');
    expect(usernameOf(rec({ userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${ACCT}:assumed-role/R/i-0abc` } }))).toBe('i-0abc');
    const byUser: LogQuery = { ...q, selectors: [{ attribute: 'Username', value: 'i-0abc' }] };
    expect(matchRecord(rec({ userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${ACCT}:assumed-role/R/i-0abc`, accessKeyId: 'ASIAROLE000000000000' } }), byUser)).toBeDefined();
  });

  it('derived keys match only from the moment they were minted', () => {
    const request = { window, regions: ['us-west-2'], principal: { accessKeyId: KEY } };
    const dq = derivedQuery(request, [{ accessKeyId: 'ASIADERIVED000000001', via: 'GetSessionToken', parentAccessKeyId: KEY, issuedAt: '2026-06-01T10:00:00Z', region: 'us-east-1', eventId: 'x' }]);
    const derivedRec = (t: string): Record<string, unknown> => rec({ eventTime: t, userIdentity: { type: 'IAMUser', accessKeyId: 'ASIADERIVED000000001', userName: USER } });
    expect(dq && matchRecord(derivedRec('2026-06-01T10:00:01Z'), dq)?.viaKey).toBe(KEY);
    expect(dq && matchRecord(derivedRec('2026-06-01T09:59:59Z'), dq)).toBeUndefined();
    expect(needlesOf(q)).toEqual([KEY]);
  });
});

describe('records of every document shape', () => {
  it('reads trail log files, lookup-events output, arrays and single records; counts the rest', () => {
    expect(recordsOfDocument({ Records: [rec(), { not: 'a record' }] })).toMatchObject({ kind: 'trail-log', invalid: 1 });
    const lookup = { Events: [{ EventId: 'e-1', CloudTrailEvent: JSON.stringify(rec()) }, { EventId: 'bad', CloudTrailEvent: '{' }] };
    const r = recordsOfDocument(lookup);
    expect(r?.kind).toBe('lookup-events');
    expect(r?.records.map((x) => x.eventID)).toEqual(['e-1']);
    expect(r?.invalid).toBe(1);
    expect(recordsOfDocument([rec()])?.records).toHaveLength(1);
    expect(recordsOfDocument(rec())?.kind).toBe('record');
    expect(recordsOfDocument({ foo: 1 })).toBeUndefined();
    expect(recordsOfDocument('text')).toBeUndefined();
  });

  it('a record becomes the same TrailEvent as its LookupEvents form', () => {
    const r = rec({ errorCode: 'AccessDenied', errorMessage: 'no', resources: [{ ARN: 'arn:aws:ssm:us-west-2:111122223333:parameter/x', type: 'AWS::SSM::Parameter' }] });
    const fromLog = trailEventFromRecord(r);
    const fromLookup = parseLookupEvent(
      { EventId: 'e-1', EventName: 'GetParameters', ReadOnly: 'true', AccessKeyId: KEY, EventTime: new Date('2026-06-01T12:00:00Z'), EventSource: 'ssm.amazonaws.com', Username: USER, Resources: [{ ResourceType: 'AWS::SSM::Parameter', ResourceName: 'arn:aws:ssm:us-west-2:111122223333:parameter/x' }], CloudTrailEvent: JSON.stringify(r) },
      'us-west-2',
    );
    const strip = ({ raw: _raw, ...rest }: typeof fromLog): Omit<typeof fromLog, 'raw'> => rest;
    expect(strip(fromLog)).toEqual(strip(fromLookup));
  });
});

describe('a trail from records', () => {
  const request: TrailRequest = {
    principal: { accessKeyId: KEY },
    lookup: { attribute: 'AccessKeyId', value: KEY },
    window,
    regions: ['us-west-2'],
    follow: true,
    maxEvents: 2,
    filters: { ...NO_FILTERS, events: [] },
    warnings: [],
  };

  it('keeps each event once, newest first, cut at --max-events with a warning, and finds derived keys', () => {
    const sts = rec({
      eventID: 'e-sts', eventTime: '2026-06-01T11:00:00Z', eventSource: 'sts.amazonaws.com', eventName: 'GetSessionToken', readOnly: true,
      responseElements: { credentials: { accessKeyId: 'ASIADERIVED000000001', expiration: 'Jun 2, 2026 11:00:00 PM' } },
    });
    const events = [rec({ eventID: 'e-1', eventTime: '2026-06-01T10:00:00Z' }), sts, rec({ eventID: 'e-3', eventTime: '2026-06-01T12:00:00Z' }), sts].map((r) => trailEventFromRecord(r));
    const result = assembleLogTrail({ request, principalEvents: events });
    expect(result.events.map((e) => e.eventId)).toEqual(['e-3', 'e-sts']);
    expect(result.truncated).toBe(true);
    expect(result.warnings.join('\n')).toMatch(/--max-events 2/);
    expect(result.derivedCredentials.map((d) => d.accessKeyId)).toEqual(['ASIADERIVED000000001']);
    expect(result.summary.totalEvents).toBe(2);
  });

  it('applies the trail filters after matching (errors only)', () => {
    const events = [rec({ eventID: 'ok' }), rec({ eventID: 'denied', errorCode: 'AccessDenied' })].map((r) => trailEventFromRecord(r));
    const result = assembleLogTrail({ request: { ...request, maxEvents: 10, filters: { ...NO_FILTERS, events: [], errorsOnly: true } }, principalEvents: events });
    expect(result.events.map((e) => e.eventId)).toEqual(['denied']);
    expect(result.fetchedEvents).toBe(2);
  });

  it('principalQuery carries the lookup, window and regions of the request', () => {
    expect(principalQuery(request)).toEqual({ selectors: [{ attribute: 'AccessKeyId', value: KEY }], window, regions: ['us-west-2'] });
  });
});
