import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { findDerivedCredentials } from '../../../src/core/trail/index.js';
import { buildTrailSummary, compareNewestFirst, NO_FILTERS, type TrailRequest, type TrailResult } from '../../../src/core/trail/index.js';
import { renderTrail, shortUserAgent } from '../../../src/render/trail.js';
import { trailEventToJson, trailToJson } from '../../../src/render/trail-json.js';
import { ARN, KEY, trailEvent, USER } from './fixtures.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const plain = new Chalk({ level: 0 });
const HOSTILE_UA = 'aws-cli/1.18.147 \u001b[31mkali\u001b[0m \u001b]8;;http://evil.example\u0007docs\u001b]8;;\u0007\u202eevil';

function result(over: Partial<TrailRequest> = {}): TrailResult {
  const events = [
    trailEvent({ id: 'e1', time: '2026-11-27T09:00:04Z', name: 'GetParameters', ip: '203.0.113.10', userAgent: 'aws-cli/2.15.30 Python/3.11.8 Linux/5.10', request: { names: ['/ci/db-host'] } }),
    trailEvent({
      id: 'e2', time: '2026-11-27T10:06:31Z', source: 'sts.amazonaws.com', name: 'GetSessionToken', region: 'us-east-1', userAgent: 'aws-cli/1.18.147 Python/2.7.18 Linux/4.14',
      response: { credentials: { accessKeyId: 'ASIAQDERIVEDSESSION01', expiration: 'Nov 27, 2026, 10:06:31 PM' } },
    }),
    trailEvent({ id: 'e3', time: '2026-11-27T11:00:02Z', source: 'iam.amazonaws.com', name: 'GetUser', region: 'us-east-1', errorCode: 'AccessDenied', userAgent: 'aws-cli/1.18.147 Python/2.7.18 Linux/4.14' }),
    trailEvent({ id: 'e4', time: '2026-11-27T11:00:03Z', source: 'iam.amazonaws.com', name: 'CreateUser', region: 'us-east-1', readOnly: false, errorCode: 'AccessDenied', request: { userName: 'backdoor-admin' }, userAgent: 'aws-cli/1.18.147 Python/2.7.18 Linux/4.14' }),
    trailEvent({ id: 'e5', time: '2026-11-27T11:08:33Z', name: 'ListBuckets', source: 's3.amazonaws.com', userAgent: HOSTILE_UA, errorCode: 'AccessDenied', key: 'ASIAQDERIVEDSESSION01' }, { derived: true, viaKey: KEY }),
  ];
  events[0]!.accessLevel = 'Read';
  const request: TrailRequest = {
    principal: { accessKeyId: KEY },
    lookup: { attribute: 'AccessKeyId', value: KEY },
    window: { start: new Date('2026-11-26T10:00:00Z'), end: NOW },
    regions: ['us-west-2', 'us-east-1'],
    follow: true,
    maxEvents: 10_000,
    filters: { ...NO_FILTERS, events: [] },
    findingId: '0ac1e1b4c6f24d27a1c1d2e3f4a5b6c7',
    findingIp: '198.51.100.77',
    warnings: [],
    ...over,
  };
  const sorted = [...events].sort(compareNewestFirst);
  return {
    request,
    principal: { accessKeyId: KEY, userName: USER, arn: ARN, type: 'IAMUser' },
    events: sorted,
    fetchedEvents: 5,
    derivedCredentials: findDerivedCredentials(events),
    summary: buildTrailSummary(sorted, { findingIp: '198.51.100.77' }),
    truncated: false,
    warnings: [],
    stats: { requests: 6, pages: 6, throttles: 0, throttleWaitMs: 0, retries: 0, slices: 0, elapsedMs: 3000, regions: [] },
  };
}

describe('renderTrail', () => {
  it('piped: ISO times, full width, no colour, sanitised, newest first', () => {
    const text = renderTrail(result(), { style: plain, columns: undefined, tty: false, now: NOW });
    expect(text).toBe(
      [
        `CloudTrail activity of access key ${KEY} (${USER})`,
        `  Principal  ${ARN}`,
        `  Lookup     AccessKeyId = ${KEY}`,
        '  Window     2026-11-26T10:00:00Z → 2026-11-27T12:00:00Z (26 hours)',
        '  Regions    us-west-2, us-east-1',
        '  Finding    0ac1e1b4c6f24d27a1c1d2e3f4a5b6c7 (remote IP 198.51.100.77)',
        '  Events     5 · 4 read · 1 write · 3 errors · 1 with derived credentials',
        '  First      2026-11-27T09:00:04Z',
        '  Last       2026-11-27T11:08:33Z',
        '',
        '[!] 1 event had terminal control characters in user agent or parameters (raw in --json)',
        '',
        'What it did',
        '  CATEGORY           EVENTS  APIS',
        '  Reconnaissance          2  GetUser, ListBuckets',
        '  Credential access       1  GetParameters',
        '  Persistence             2  CreateUser, GetSessionToken',
        '',
        'Source IPs',
        '  SOURCE IP      EVENTS  FIRST                 LAST                  NOTE',
        "  198.51.100.77       4  2026-11-27T10:06:31Z  2026-11-27T11:08:33Z  the finding's remote IP",
        '  203.0.113.10        1  2026-11-27T09:00:04Z  2026-11-27T09:00:04Z',
        '',
        'User agents',
        '  USER AGENT                                 EVENTS  FIRST                 LAST',
        '  aws-cli/1.18.147 Python/2.7.18 Linux/4.14       3  2026-11-27T10:06:31Z  2026-11-27T11:00:03Z',
        '  [!] aws-cli/1.18.147 kali docsevil              1  2026-11-27T11:08:33Z  2026-11-27T11:08:33Z',
        '  aws-cli/2.15.30 Python/3.11.8 Linux/5.10        1  2026-11-27T09:00:04Z  2026-11-27T09:00:04Z',
        '',
        'Calls by API',
        '  API              SERVICE  EVENTS  ERRORS  CATEGORY',
        '  CreateUser       iam           1       1  Persistence',
        '  GetUser          iam           1       1  Reconnaissance',
        '  ListBuckets      s3            1       1  Reconnaissance',
        '  GetParameters    ssm           1          Credential access',
        '  GetSessionToken  sts           1          Persistence',
        '  By service  iam 2 · s3 1 · ssm 1 · sts 1',
        '  By region   us-east-1 3 · us-west-2 2',
        '',
        'Errors (3)',
        '  AccessDenied 3',
        // The derived ListBuckets denial 8 minutes later is a burst of its own (of one: not listed).
        '  Access-denied burst: 2 calls 2026-11-27T11:00:02Z → 2026-11-27T11:00:03Z (CreateUser, GetUser)',
        '',
        'Derived credentials (1) — still valid after the key is deactivated, until they expire',
        '  ACCESS KEY             VIA              ISSUED                EXPIRES               REGION     SOURCE IP      USER AGENT',
        '  ASIAQDERIVEDSESSION01  GetSessionToken  2026-11-27T10:06:31Z  2026-11-27T22:06:31Z  us-east-1  198.51.100.77  aws-cli/1.18.147 Python/2.7.18',
        '',
        'Timeline (newest first, 5 events)',
        '  TIME                  REGION     SOURCE  API              SOURCE IP      USER AGENT                      ERROR         DERIVED KEY',
        '  2026-11-27T11:08:33Z  us-west-2  s3      ListBuckets      198.51.100.77  [!] aws-cli/1.18.147 kali       AccessDenied  ASIAQDERIVEDSESSION01',
        `  2026-11-27T11:00:03Z  us-east-1  iam     CreateUser       198.51.100.77  aws-cli/1.18.147 Python/2.7.18  AccessDenied`,
        `  2026-11-27T11:00:02Z  us-east-1  iam     GetUser          198.51.100.77  aws-cli/1.18.147 Python/2.7.18  AccessDenied`,
        `  2026-11-27T10:06:31Z  us-east-1  sts     GetSessionToken  198.51.100.77  aws-cli/1.18.147 Python/2.7.18`,
        `  2026-11-27T09:00:04Z  us-west-2  ssm     GetParameters    203.0.113.10   aws-cli/2.15.30 Python/3.11.8`,
      ].join('\n'),
    );
    expect(text).not.toMatch(/[\u001b\u0007\u202e]/);
  });

  it('on a TTY: relative times, fitted to the width, oldest first on request', () => {
    const text = renderTrail(result({ follow: false }), { style: plain, columns: 100, tty: true, now: NOW, oldestFirst: true });
    const lines = text.split('\n');
    expect(lines).toContain('  First      3h ago');
    expect(lines).toContain('  Last       51m ago');
    const timeline = lines.slice(lines.indexOf('Timeline (oldest first, 5 events)') + 1);
    expect(timeline[0]).toMatch(/^ {2}TIME +REGION +SOURCE +API/);
    expect(timeline[1]).toMatch(/^ {2}3h ago +us-west-2 +ssm +GetParameters/);
    expect(timeline[5]).toMatch(/^ {2}51m ago +us-west-2 +s3 +ListBuckets/);
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(100);
    expect(text).toContain('  add --follow to include their activity in this trail');
  });

  it('on a narrow TTY the error lines wrap at word boundaries with a hanging indent', () => {
    const text = renderTrail(result({ follow: false }), { style: plain, columns: 50, tty: true, now: NOW, oldestFirst: false });
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.startsWith('  Access-denied burst: '));
    expect(lines.slice(at, at + 2)).toEqual(['  Access-denied burst: 2 calls 1h ago → 1h ago', '    (CreateUser, GetUser)']);
  });

  it('says so when no event matches the filters', () => {
    const r = result({ filters: { ...NO_FILTERS, events: ['DeleteTrail'], errorsOnly: true } });
    const empty: TrailResult = { ...r, events: [], summary: buildTrailSummary([]), derivedCredentials: [] };
    const text = renderTrail(empty, { style: plain, columns: undefined, tty: false, now: NOW });
    expect(text).toContain('  Filters    event DeleteTrail · errors only');
    expect(text).toContain('  Events     none');
    expect(text.endsWith('Timeline (newest first, 0 events)\n  No events match the filters in this window.')).toBe(true);
  });

  it('shortens user agents to the tool and the next token', () => {
    expect(shortUserAgent('aws-cli/2.15.30 Python/3.11.8 Linux/5.10 exe/x86_64')).toBe('aws-cli/2.15.30 Python/3.11.8');
    expect(shortUserAgent(undefined)).toBe('');
    expect(shortUserAgent('x'.repeat(60))).toHaveLength(40);
  });
});

describe('trail JSON', () => {
  it('has exactly the documented top-level fields', () => {
    const json = trailToJson(result());
    expect(Object.keys(json)).toEqual([
      'schemaVersion', 'principal', 'lookup', 'window', 'regions', 'finding', 'filters', 'fetchedEvents', 'events',
      'derivedCredentials', 'summary', 'truncated', 'warnings', 'source', 'stats',
    ]);
    expect(json).toMatchObject({
      schemaVersion: 1,
      principal: { accessKeyId: KEY, userName: USER, arn: ARN, type: 'IAMUser' },
      lookup: { attribute: 'AccessKeyId', value: KEY },
      window: { start: '2026-11-26T10:00:00Z', end: '2026-11-27T12:00:00Z' },
      regions: ['us-west-2', 'us-east-1'],
      finding: { id: '0ac1e1b4c6f24d27a1c1d2e3f4a5b6c7', remoteIp: '198.51.100.77' },
      filters: { events: [], source: null, ip: null, errorsOnly: false, access: null },
      truncated: false,
      warnings: [],
    });
    expect(Object.keys(json.summary as object)).toEqual([
      'totalEvents', 'firstEvent', 'lastEvent', 'readOnlyEvents', 'writeEvents', 'errorEvents', 'derivedEvents', 'controlCharacterEvents',
      'byApi', 'byService', 'sourceIps', 'userAgents', 'errors', 'regions', 'categories',
    ]);
    expect(Object.keys((json.derivedCredentials as object[])[0]!)).toEqual([
      'accessKeyId', 'via', 'parentAccessKeyId', 'issuedAt', 'region', 'sourceIp', 'userAgent', 'expiration', 'expiresAt', 'assumedArn', 'eventId',
    ]);
    expect(Object.keys(json.stats as object)).toEqual(['requests', 'pages', 'throttles', 'throttleWaitMs', 'retries', 'slices', 'elapsedMs']);
  });

  it('maps each event with the pinned fields, raw values kept, raw record only on request', () => {
    const r = result();
    const e = trailEventToJson(r.events[0]!);
    expect(Object.keys(e)).toEqual([
      'eventId', 'time', 'region', 'eventSource', 'eventName', 'sourceIp', 'userAgent', 'accessKeyId', 'userName', 'errorCode', 'errorMessage',
      'failed', 'readOnly', 'category', 'accessLevel', 'resources', 'requestParameters', 'derived', 'viaKey', 'controlCharacters',
    ]);
    expect(e).toMatchObject({ eventName: 'ListBuckets', userAgent: HOSTILE_UA, derived: true, viaKey: KEY, controlCharacters: true, category: 'reconnaissance', accessLevel: null });
    const oldest = trailEventToJson(r.events[4]!, { raw: true });
    expect(oldest).toMatchObject({ accessLevel: 'Read', requestParameters: { names: ['/ci/db-host'] }, readOnly: true, errorCode: null });
    expect(Object.keys(oldest.raw ?? {})).toEqual(['lookupEvent', 'cloudTrailEvent']);
    expect(oldest.raw?.cloudTrailEvent).toMatchObject({ eventID: 'e1', eventName: 'GetParameters' });
    expect(oldest.raw?.lookupEvent).toMatchObject({ EventId: 'e1', EventTime: '2026-11-27T09:00:04.000Z' });
  });
});
