import { describe, expect, it } from 'vitest';
import { buildTrailSummary, compareNewestFirst, matchesTrailFilters, NO_FILTERS, parseLookupEvent, principalFromEvents } from '../../../src/core/trail/index.js';
import { trailEventToJson } from '../../../src/render/trail-json.js';
import { ARN, KEY, lookupEvent, trailEvent, USER } from './fixtures.js';

describe('parseLookupEvent', () => {
  it('takes the fields from the LookupEvents record and its CloudTrailEvent', () => {
    const raw = lookupEvent({
      id: 'e1', time: '2026-11-27T10:00:03Z', source: 'iam.amazonaws.com', name: 'CreateUser', region: 'us-east-1', readOnly: false,
      errorCode: 'AccessDenied', errorMessage: 'not authorized', request: { userName: 'backdoor-admin' },
    });
    raw.Resources = [{ ResourceType: 'AWS::IAM::User', ResourceName: 'backdoor-admin' }];
    const e = parseLookupEvent(raw, 'us-east-1');
    expect({ ...e, raw: undefined }).toEqual({
      eventId: 'e1', time: '2026-11-27T10:00:03Z', timeMs: Date.parse('2026-11-27T10:00:03Z'), region: 'us-east-1',
      eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', sourceIp: '198.51.100.77', userAgent: 'aws-cli/1.18.147 Python/2.7.18 Linux/4.14',
      accessKeyId: KEY, userName: USER, principalArn: ARN, identityType: 'IAMUser', errorCode: 'AccessDenied', errorMessage: 'not authorized',
      failed: true, readOnly: false, category: 'persistence', resources: [{ type: 'AWS::IAM::User', name: 'backdoor-admin' }],
      requestParameters: { userName: 'backdoor-admin' }, responseElements: null, derived: false, viaKey: undefined, controlCharacters: false,
      raw: undefined,
    });
    expect(e.raw.record?.eventID).toBe('e1');
  });

  it('survives a malformed CloudTrailEvent and flags control characters in user agents and nested parameters', () => {
    const bad = parseLookupEvent({ EventId: 'x', EventName: 'ListBuckets', EventSource: 's3.amazonaws.com', EventTime: new Date('2026-11-27T10:00:00Z'), ReadOnly: 'true', CloudTrailEvent: '{oops' }, 'us-west-2');
    expect(bad).toMatchObject({ eventId: 'x', eventName: 'ListBuckets', readOnly: true, region: 'us-west-2', category: 'reconnaissance', controlCharacters: false });
    expect(trailEvent({ id: 'h1', time: '2026-11-27T10:00:00Z', name: 'ListBuckets', userAgent: 'kali \u001b[31mred' }).controlCharacters).toBe(true);
    expect(trailEvent({ id: 'h2', time: '2026-11-27T10:00:00Z', name: 'GetParameter', request: { name: ['/p\u202eTERCES'] } }).controlCharacters).toBe(true);
  });

  it('marks derived events with the key they came from', () => {
    const e = trailEvent({ id: 'd', time: '2026-11-27T10:00:00Z', name: 'GetParameters', key: 'ASIAQDERIVEDSESSION01' }, { derived: true, viaKey: KEY });
    expect(e).toMatchObject({ derived: true, viaKey: KEY, accessKeyId: 'ASIAQDERIVEDSESSION01' });
  });
});

describe('buildTrailSummary', () => {
  const events = [
    trailEvent({ id: '1', time: '2026-11-27T09:00:04Z', name: 'GetParameters', ip: '203.0.113.10', userAgent: 'ci/1' }),
    trailEvent({ id: '2', time: '2026-11-27T10:00:02Z', source: 'iam.amazonaws.com', name: 'GetUser', region: 'us-east-1', errorCode: 'AccessDenied' }),
    trailEvent({ id: '3', time: '2026-11-27T10:00:03Z', source: 'iam.amazonaws.com', name: 'CreateUser', region: 'us-east-1', readOnly: false, errorCode: 'AccessDenied' }),
    trailEvent({ id: '4', time: '2026-11-27T10:01:02Z', source: 'iam.amazonaws.com', name: 'GetUser', region: 'us-east-1', errorCode: 'AccessDenied' }),
    trailEvent({ id: '5', time: '2026-11-27T10:01:07Z', name: 'GetParameters' }),
    // 20 minutes later: a new burst.
    trailEvent({ id: '6', time: '2026-11-27T10:21:00Z', source: 'dynamodb.amazonaws.com', name: 'ListTables', errorCode: 'AccessDeniedException' }),
    trailEvent({ id: '7', time: '2026-11-27T10:22:00Z', name: 'GetParameter', errorCode: 'ParameterNotFound', userAgent: 'x\u001b[2Jy' }),
  ];
  const s = buildTrailSummary([...events].reverse(), { findingIp: '198.51.100.77' });

  it('counts totals, first and last', () => {
    expect(s).toMatchObject({
      totalEvents: 7, firstEvent: '2026-11-27T09:00:04Z', lastEvent: '2026-11-27T10:22:00Z', readOnlyEvents: 6, writeEvents: 1, errorEvents: 5, derivedEvents: 0, controlCharacterEvents: 1,
    });
  });

  it('lists calls by API and service, most frequent first', () => {
    expect(s.byApi.slice(0, 2)).toEqual([
      { eventSource: 'iam.amazonaws.com', eventName: 'GetUser', count: 2, errors: 2, category: 'reconnaissance' },
      { eventSource: 'ssm.amazonaws.com', eventName: 'GetParameters', count: 2, errors: 0, category: 'credential-access' },
    ]);
    expect(s.byService).toEqual([
      { eventSource: 'ssm.amazonaws.com', count: 3 },
      { eventSource: 'iam.amazonaws.com', count: 3 },
      { eventSource: 'dynamodb.amazonaws.com', count: 1 },
    ].sort((a, b) => b.count - a.count || (a.eventSource < b.eventSource ? -1 : 1)));
  });

  it("flags the finding's IP among the source IPs with first and last use", () => {
    expect(s.sourceIps).toEqual([
      { ip: '198.51.100.77', count: 6, first: '2026-11-27T10:00:02Z', last: '2026-11-27T10:22:00Z', findingIp: true },
      { ip: '203.0.113.10', count: 1, first: '2026-11-27T09:00:04Z', last: '2026-11-27T09:00:04Z', findingIp: false },
    ]);
  });

  it('groups access-denied errors into bursts', () => {
    expect(s.errors).toEqual({
      total: 5,
      byCode: [
        { code: 'AccessDenied', count: 3 },
        { code: 'AccessDeniedException', count: 1 },
        { code: 'ParameterNotFound', count: 1 },
      ],
      withoutCode: [],
      accessDeniedBursts: [
        { count: 3, first: '2026-11-27T10:00:02Z', last: '2026-11-27T10:01:02Z', apis: ['CreateUser', 'GetUser'] },
        { count: 1, first: '2026-11-27T10:21:00Z', last: '2026-11-27T10:21:00Z', apis: ['ListTables'] },
      ],
    });
  });

  it('counts regions and categories (in the table order)', () => {
    expect(s.regions).toEqual([
      { region: 'us-west-2', count: 4 },
      { region: 'us-east-1', count: 3 },
    ]);
    expect(s.categories).toEqual([
      { category: 'reconnaissance', count: 3, apis: ['GetUser', 'ListTables'] },
      { category: 'credential-access', count: 3, apis: ['GetParameter', 'GetParameters'] },
      { category: 'persistence', count: 1, apis: ['CreateUser'] },
    ]);
  });

  it('is empty for no events', () => {
    expect(buildTrailSummary([])).toMatchObject({ totalEvents: 0, firstEvent: undefined, byApi: [], categories: [] });
  });

  it('orders newest first with a stable tie-break, and reads the principal from its own events', () => {
    expect([...events].sort(compareNewestFirst).map((e) => e.eventId)).toEqual(['7', '6', '5', '4', '3', '2', '1']);
    expect(principalFromEvents({ accessKeyId: KEY }, events)).toEqual({ accessKeyId: KEY, userName: USER, arn: ARN, type: 'IAMUser' });
  });
});

describe('failed console sign-ins (responseElements.ConsoleLogin "Failure", errorMessage, no errorCode)', () => {
  const SIGNIN = 'signin.amazonaws.com';
  const failure = (id: string, time: string, message = 'Failed authentication') =>
    trailEvent({ id, time, source: SIGNIN, name: 'ConsoleLogin', region: 'us-east-1', readOnly: false, errorMessage: message, response: { ConsoleLogin: 'Failure' } });
  const events = [
    trailEvent({ id: 's', time: '2026-11-27T09:00:00Z', source: SIGNIN, name: 'ConsoleLogin', region: 'us-east-1', readOnly: false, response: { ConsoleLogin: 'Success' } }),
    failure('f1', '2026-11-27T09:01:00Z'),
    failure('f2', '2026-11-27T09:01:20Z'),
    failure('f3', '2026-11-27T09:01:40Z', 'No username found in supplied account'),
    trailEvent({ id: 'd', time: '2026-11-27T09:02:00Z', name: 'GetParameters', errorCode: 'AccessDeniedException' }),
  ];

  it('are failed calls, with errorCode left as CloudTrail wrote it (absent)', () => {
    const [ok, f1] = events;
    expect(ok).toMatchObject({ failed: false, errorCode: undefined, category: 'ordinary' });
    // A failed sign-in is a password guess: credential access (MITRE ATT&CK T1110), a successful one is ordinary.
    expect(f1).toMatchObject({ failed: true, errorCode: undefined, errorMessage: 'Failed authentication', category: 'credential-access' });
  });

  it('count as errors in the summary, listed by event and message', () => {
    const s = buildTrailSummary(events);
    expect(s.errorEvents).toBe(4);
    expect(s.errors.total).toBe(4);
    expect(s.errors.byCode).toEqual([{ code: 'AccessDeniedException', count: 1 }]);
    expect(s.errors.withoutCode).toEqual([
      { eventName: 'ConsoleLogin', message: 'Failed authentication', count: 2 },
      { eventName: 'ConsoleLogin', message: 'No username found in supplied account', count: 1 },
    ]);
    expect(s.byApi.find((a) => a.eventName === 'ConsoleLogin')).toMatchObject({ count: 4, errors: 3 });
  });

  it('are kept by --errors-only', () => {
    expect(events.filter((e) => matchesTrailFilters(e, { ...NO_FILTERS, events: [], errorsOnly: true })).map((e) => e.eventId)).toEqual(['f1', 'f2', 'f3', 'd']);
  });

  it('--json keeps errorCode null and says failed', () => {
    expect(trailEventToJson(events[1]!)).toMatchObject({ errorCode: null, errorMessage: 'Failed authentication', failed: true });
    expect(trailEventToJson(events[0]!)).toMatchObject({ errorCode: null, failed: false });
  });

  it('a failed CheckMfa is recorded the same way', () => {
    const e = trailEvent({ id: 'm', time: '2026-11-27T09:03:00Z', source: SIGNIN, name: 'CheckMfa', readOnly: false, response: { CheckMfa: 'Failure' } });
    expect(e).toMatchObject({ failed: true, errorCode: undefined });
  });
});
