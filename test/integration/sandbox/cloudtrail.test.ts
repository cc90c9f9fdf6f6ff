import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InvalidLookupAttributesException,
  InvalidMaxResultsException,
  InvalidNextTokenException,
  InvalidTimeRangeException,
  LookupEventsCommand,
  ThrottlingException,
  paginateLookupEvents,
} from '@aws-sdk/client-cloudtrail';
import type { Event, LookupAttribute } from '@aws-sdk/client-cloudtrail';
import { startSandbox } from '../../../src/sandbox/index.js';
import type { RunningSandbox } from '../../../src/sandbox/index.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import type { Clients } from './helpers.js';
import { TINY_CREDENTIALS, caught, clients, destroy, tinyWorld } from './helpers.js';

async function all(c: Clients, attrs: LookupAttribute[] | undefined, extra: { StartTime?: Date; EndTime?: Date } = {}, pageSize = 50): Promise<Event[]> {
  const out: Event[] = [];
  for await (const page of paginateLookupEvents({ client: c.ct, pageSize }, { LookupAttributes: attrs, ...extra })) out.push(...(page.Events ?? []));
  return out;
}

describe('CloudTrail LookupEvents on the workshop scenario', () => {
  let sb: RunningSandbox;
  let c: Clients;
  beforeAll(async () => {
    sb = await startSandbox({ cloudTrailRateLimit: false });
    c = clients(sb);
  });
  afterAll(async () => {
    destroy(c);
    await sb.close();
  });

  it('returns the compromised key\'s events newest first with the wire types the SDK expects', async () => {
    const events = await all(c, [{ AttributeKey: 'AccessKeyId', AttributeValue: WORKSHOP.compromised.accessKeyId }]);
    expect(events.length).toBeGreaterThan(50);
    const times = events.map((e) => e.EventTime?.getTime() ?? 0);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(new Set(events.map((e) => e.EventId)).size).toBe(events.length);
    const e = events[0] as Event;
    expect(e.EventTime).toBeInstanceOf(Date);
    expect(['true', 'false']).toContain(e.ReadOnly);
    expect(e.AccessKeyId).toBe(WORKSHOP.compromised.accessKeyId);
    expect(e.Username).toBe(WORKSHOP.compromised.userName);
    const rec = JSON.parse(e.CloudTrailEvent ?? '{}') as { eventID: string; userIdentity: { accessKeyId: string } };
    expect(rec.eventID).toBe(e.EventId);
    expect(rec.userIdentity.accessKeyId).toBe(WORKSHOP.compromised.accessKeyId);
    const fromIp = events.filter((x) => (JSON.parse(x.CloudTrailEvent ?? '{}') as { sourceIPAddress?: string }).sourceIPAddress === WORKSHOP.threatListIp);
    expect(fromIp.length).toBeGreaterThan(0);
    // same list with small pages
    const small = await all(c, [{ AttributeKey: 'AccessKeyId', AttributeValue: WORKSHOP.compromised.accessKeyId }], {}, 7);
    expect(small.map((x) => x.EventId)).toEqual(events.map((x) => x.EventId));
  });

  it('supports every lookup attribute key', async () => {
    const events = await all(c, undefined);
    const sample = events.find((e) => (e.Resources ?? []).length > 0 && e.Username && e.AccessKeyId) as Event;
    expect(sample).toBeDefined();
    const res = sample.Resources?.[0];
    const checks: Array<[LookupAttribute['AttributeKey'], string, (e: Event) => boolean]> = [
      ['EventId', sample.EventId as string, (e) => e.EventId === sample.EventId],
      ['EventName', sample.EventName as string, (e) => e.EventName === sample.EventName],
      ['ReadOnly', 'false', (e) => e.ReadOnly === 'false'],
      ['Username', sample.Username as string, (e) => e.Username === sample.Username],
      ['ResourceType', res?.ResourceType as string, (e) => (e.Resources ?? []).some((r) => r.ResourceType === res?.ResourceType)],
      ['ResourceName', res?.ResourceName as string, (e) => (e.Resources ?? []).some((r) => r.ResourceName === res?.ResourceName)],
      ['EventSource', sample.EventSource as string, (e) => e.EventSource === sample.EventSource],
      ['AccessKeyId', sample.AccessKeyId as string, (e) => e.AccessKeyId === sample.AccessKeyId],
    ];
    for (const [key, value, pred] of checks) {
      const got = await all(c, [{ AttributeKey: key, AttributeValue: value }]);
      expect(got.length, key).toBeGreaterThan(0);
      expect(got.every(pred), key).toBe(true);
      expect(got.length, key).toBe(events.filter(pred).length);
    }
  });

  it('filters by time range (inclusive) and validates it', async () => {
    const events = await all(c, [{ AttributeKey: 'AccessKeyId', AttributeValue: WORKSHOP.compromised.accessKeyId }]);
    const mid = events[10]?.EventTime as Date;
    const newer = await all(c, [{ AttributeKey: 'AccessKeyId', AttributeValue: WORKSHOP.compromised.accessKeyId }], { StartTime: mid });
    expect(newer.every((e) => (e.EventTime?.getTime() ?? 0) >= mid.getTime())).toBe(true);
    expect(newer.map((e) => e.EventId)).toContain(events[10]?.EventId);
    const err = await caught(() => c.ct.send(new LookupEventsCommand({ StartTime: new Date(), EndTime: new Date(Date.now() - 3600_000) })));
    expect(err).toBeInstanceOf(InvalidTimeRangeException);
  });

  it('rejects bad parameters with the modeled exceptions', async () => {
    const two = await caught(() =>
      c.ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetUser' }, { AttributeKey: 'Username', AttributeValue: 'x' }] })),
    );
    expect(two).toBeInstanceOf(InvalidLookupAttributesException);
    expect(two.$metadata?.httpStatusCode).toBe(400);
    for (const n of [0, 51]) expect(await caught(() => c.ct.send(new LookupEventsCommand({ MaxResults: n })))).toBeInstanceOf(InvalidMaxResultsException);
    const first = await c.ct.send(new LookupEventsCommand({ MaxResults: 5 }));
    expect(first.NextToken).toBeTruthy();
    const mismatch = await caught(() =>
      c.ct.send(new LookupEventsCommand({ MaxResults: 5, NextToken: first.NextToken, LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetUser' }] })),
    );
    expect(mismatch).toBeInstanceOf(InvalidNextTokenException);
    expect(await caught(() => c.ct.send(new LookupEventsCommand({ NextToken: 'garbage' })))).toBeInstanceOf(InvalidNextTokenException);
  });

  it('keeps regions apart (IAM events in us-east-1; unknown region has none)', async () => {
    const east = clients(sb, { region: 'us-east-1' });
    const none = clients(sb, { region: 'ap-south-1' });
    const eastEvents = await all(east, undefined);
    expect(eastEvents.length).toBeGreaterThan(0);
    expect(eastEvents.every((e) => (JSON.parse(e.CloudTrailEvent ?? '{}') as { awsRegion: string }).awsRegion === 'us-east-1')).toBe(true);
    expect((await none.ct.send(new LookupEventsCommand({}))).Events).toEqual([]);
    destroy(east);
    destroy(none);
  });
});

describe('CloudTrail 90-day window and rate limit (tiny world)', () => {
  it('only returns events from the last 90 days', async () => {
    const sb = await startSandbox({ world: tinyWorld(), cloudTrailRateLimit: false });
    const c = clients(sb, { credentials: TINY_CREDENTIALS });
    const events = await all(c, [{ AttributeKey: 'AccessKeyId', AttributeValue: 'AKIABAD' }]);
    expect(events).toHaveLength(30);
    destroy(c);
    await sb.close();
  });

  it('throttles LookupEvents at the rate limit; the SDK retries; the knob turns it off', async () => {
    const sb = await startSandbox({ world: tinyWorld(), cloudTrailRateLimit: 2 });
    const noRetry = clients(sb, { credentials: TINY_CREDENTIALS, maxAttempts: 1 });
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => noRetry.ct.send(new LookupEventsCommand({ MaxResults: 1 }))));
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected[0]?.reason).toBeInstanceOf(ThrottlingException);
    expect((rejected[0]?.reason as Error).message).toBe('Rate exceeded');
    expect(sb.requests.some((r) => r.fault === 'ratelimit' && r.errorCode === 'ThrottlingException')).toBe(true);

    const retrying = clients(sb, { credentials: TINY_CREDENTIALS, maxAttempts: 10 });
    const ok = await Promise.all(Array.from({ length: 4 }, () => retrying.ct.send(new LookupEventsCommand({ MaxResults: 1 }))));
    expect(ok.every((r) => r.Events?.length === 1)).toBe(true);

    sb.setKnobs({ cloudTrailRateLimit: false });
    const before = sb.requests.length;
    await Promise.all(Array.from({ length: 8 }, () => noRetry.ct.send(new LookupEventsCommand({ MaxResults: 1 }))));
    expect(sb.requests.slice(before).map((r) => r.status)).toEqual(Array.from({ length: 8 }, () => 200));
    destroy(noRetry);
    destroy(retrying);
    await sb.close();
  });
});
