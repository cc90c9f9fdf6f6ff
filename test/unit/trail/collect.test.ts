/**
 * collectTrail and lookupEventsPage against a scripted CloudTrail client and a fake clock: pagination,
 * de-duplication, throttling and transient faults, --max-events, --follow and partial region failures.
 */
import { describe, expect, it } from 'vitest';
import { collectTrail } from '../../../src/sources/trail.js';
import { lookupEventsPage, lookupLimiters, MAX_CONSECUTIVE_THROTTLES } from '../../../src/aws/cloudtrail-lookup.js';
import type { Context } from '../../../src/cli/context.js';
import { AwsError, PermissionError } from '../../../src/core/errors.js';
import { RateLimiter } from '../../../src/core/rate-limiter.js';
import { NO_FILTERS, type LookupEventInput, type TrailRequest } from '../../../src/core/trail/index.js';
import { KEY, lookupEvent } from './fixtures.js';

class FakeClock {
  t = Date.parse('2026-11-27T12:00:00Z');
  sleeps: number[] = [];
  now(): Date {
    return new Date(this.t);
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.t += ms;
  }
}

interface SentInput {
  LookupAttributes: Array<{ AttributeKey: string; AttributeValue: string }>;
  StartTime: Date;
  EndTime: Date;
  MaxResults: number;
  NextToken?: string;
}

type Script = (input: SentInput, region: string, call: number) => { Events: LookupEventInput[]; NextToken?: string } | Error;

function sdkError(name: string, status: number, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status }, ...extra });
}

function fakeContext(script: Script, latencyMs = 0) {
  const clock = new FakeClock();
  const sent: Array<{ region: string; input: SentInput; at: number }> = [];
  const clientOptions: Array<{ region: string; maxAttempts?: number }> = [];
  let calls = 0;
  const aws = {
    cloudTrail: async (region: string, options: { maxAttempts?: number } = {}) => {
      clientOptions.push({ region, ...options });
      return {
        send: async (cmd: { input: SentInput }) => {
          sent.push({ region, input: cmd.input, at: clock.t });
          if (latencyMs > 0) await clock.sleep(latencyMs);
          const out = script(cmd.input, region, calls++);
          if (out instanceof Error) throw out;
          return out;
        },
      };
    },
  };
  const ctx = { aws, clock, signal: new AbortController().signal } as unknown as Pick<Context, 'aws' | 'clock' | 'signal'>;
  return { ctx, clock, sent, clientOptions };
}

/** Pages of `perPage` events for `n` events per region, newest first, tokens "p1", "p2", … */
function paged(eventsByRegion: Record<string, LookupEventInput[]>, perPage = 50): Script {
  return (input, region) => {
    const from = input.StartTime.getTime();
    const to = input.EndTime.getTime();
    const all = (eventsByRegion[region] ?? []).filter((e) => {
      const t = e.EventTime?.getTime() ?? 0;
      return e.AccessKeyId === input.LookupAttributes[0]?.AttributeValue && t >= from && t <= to;
    });
    const offset = input.NextToken ? Number(input.NextToken.slice(1)) : 0;
    const page = all.slice(offset, offset + perPage);
    return { Events: page, ...(offset + perPage < all.length ? { NextToken: `p${offset + perPage}` } : {}) };
  };
}

function events(region: string, n: number, opts: { key?: string; idPrefix?: string; startMs?: number } = {}): LookupEventInput[] {
  const start = opts.startMs ?? Date.parse('2026-11-27T11:00:00Z');
  return Array.from({ length: n }, (_, i) =>
    lookupEvent({ id: `${opts.idPrefix ?? region}-${i}`, time: new Date(start - i * 1000).toISOString(), name: 'GetParameters', region, key: opts.key ?? KEY }),
  );
}

function request(over: Partial<TrailRequest> = {}): TrailRequest {
  return {
    principal: { accessKeyId: KEY },
    lookup: { attribute: 'AccessKeyId', value: KEY },
    window: { start: new Date('2026-11-26T12:00:00Z'), end: new Date('2026-11-27T12:00:00Z') },
    regions: ['us-west-2', 'us-east-1'],
    follow: false,
    maxEvents: 10_000,
    filters: { ...NO_FILTERS, events: [] },
    warnings: [],
    ...over,
  };
}

describe('lookupEventsPage', () => {
  const query = { region: 'us-west-2', attribute: 'AccessKeyId' as const, value: KEY, start: new Date(0), end: new Date(1000) };

  it('sends one lookup attribute, the window and 50 a page through a client without SDK retries', async () => {
    const { ctx, sent, clientOptions } = fakeContext(() => ({ Events: [] }));
    await lookupEventsPage(ctx, new RateLimiter({ rate: 2, clock: ctx.clock }), query, 'tok');
    expect(sent[0]?.input).toEqual({ LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: KEY }], StartTime: new Date(0), EndTime: new Date(1000), MaxResults: 50, NextToken: 'tok' });
    expect(clientOptions).toEqual([{ region: 'us-west-2', maxAttempts: 1 }]);
  });

  it('absorbs throttles: backs off, slows the region, retries through the limiter', async () => {
    const { ctx, sent } = fakeContext((_i, _r, call) => (call < 3 ? sdkError('ThrottlingException', 400) : { Events: [] }));
    const limiter = new RateLimiter({ rate: 2, clock: ctx.clock, random: () => 0 });
    const throttles: number[] = [];
    await lookupEventsPage(ctx, limiter, query, undefined, { onThrottle: (_r, ms) => throttles.push(ms) });
    expect(sent).toHaveLength(4);
    expect(throttles).toEqual([250, 500, 1000]);
    // Each retry waited at least its backoff after the previous attempt.
    const gaps = sent.slice(1).map((s, i) => s.at - (sent[i]?.at ?? 0));
    expect(gaps[0]).toBeGreaterThanOrEqual(250);
    expect(gaps[2]).toBeGreaterThanOrEqual(1000);
    expect(limiter.throttleStreak).toBe(0);
  });

  it('gives up on throttling only after many in a row, with a remedy', async () => {
    const { ctx } = fakeContext(() => sdkError('ThrottlingException', 400));
    const err = await lookupEventsPage(ctx, new RateLimiter({ rate: 2, clock: ctx.clock }), query, undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsError);
    expect((err as AwsError).message).toMatch(new RegExp(`${MAX_CONSECUTIVE_THROTTLES} times in a row`));
    expect((err as AwsError).remedy).toMatch(/--rate 1/);
  });

  it('retries 5xx and connection resets, then fails on a persistent one', async () => {
    const { ctx, sent } = fakeContext((_i, _r, call) =>
      call === 0 ? sdkError('InternalFailure', 500) : call === 1 ? Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) : { Events: [] },
    );
    await lookupEventsPage(ctx, new RateLimiter({ rate: 2, clock: ctx.clock }), query, undefined);
    expect(sent).toHaveLength(3);
    const failing = fakeContext(() => sdkError('ServiceUnavailable', 503));
    await expect(lookupEventsPage(failing.ctx, new RateLimiter({ rate: 2, clock: failing.ctx.clock }), query, undefined)).rejects.toThrow(/ServiceUnavailable/);
    expect(failing.sent).toHaveLength(8);
  });

  it('does not retry access denied: exit 4 naming cloudtrail:LookupEvents', async () => {
    const { ctx, sent } = fakeContext(() => sdkError('AccessDeniedException', 400, { message: 'not allowed' }));
    const err = await lookupEventsPage(ctx, new RateLimiter({ rate: 2, clock: ctx.clock }), query, undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermissionError);
    expect((err as PermissionError).permission).toBe('cloudtrail:LookupEvents');
    expect(sent).toHaveLength(1);
  });
});

describe('collectTrail', () => {
  it('follows NextToken in every region at 2 requests/s each, each event once', async () => {
    const data = { 'us-west-2': events('us-west-2', 120), 'us-east-1': events('us-east-1', 30) };
    const { ctx, sent } = fakeContext(paged(data));
    const r = await collectTrail(ctx, request());
    expect(r.events).toHaveLength(150);
    expect(new Set(r.events.map((e) => e.eventId)).size).toBe(150);
    expect(r.fetchedEvents).toBe(150);
    expect(r.truncated).toBe(false);
    expect(sent.filter((s) => s.region === 'us-west-2').map((s) => s.input.NextToken)).toEqual([undefined, 'p50', 'p100']);
    const west = sent.filter((s) => s.region === 'us-west-2').map((s) => s.at);
    expect(west[1]! - west[0]!).toBe(500);
    expect(west[2]! - west[1]!).toBe(500);
    // Regions run in parallel: the first request of each region goes out at once.
    expect(sent.filter((s) => s.region === 'us-east-1')[0]?.at).toBe(west[0]);
    expect(r.stats).toMatchObject({ requests: 4, pages: 4, throttles: 0 });
    expect(r.events[0]?.time >= r.events[1]!.time).toBe(true);
  });

  it('splits the rest of the window into concurrent slices when responses are slower than the pace', async () => {
    // 400 events over 400 s, pages of 50; every response takes 1.2 s (more than the 500 ms interval).
    const data = { 'us-west-2': events('us-west-2', 400) };
    const { ctx, sent } = fakeContext(paged(data), 1200);
    const r = await collectTrail(ctx, request({ regions: ['us-west-2'], window: { start: new Date('2026-11-27T10:50:00Z'), end: new Date('2026-11-27T12:00:00Z') } }));
    expect(r.events).toHaveLength(400);
    expect(new Set(r.events.map((e) => e.eventId)).size).toBe(400);
    expect(r.stats.slices).toBe(4);
    // After the first page, four page chains (1.2 s / 500 ms, plus one) with their own time ranges, none continuing the first token.
    const ranges = new Set(sent.slice(1).map((q) => `${q.input.StartTime.toISOString()}|${q.input.EndTime.toISOString()}`));
    expect(ranges.size).toBe(4);
    expect(sent.slice(1).some((q) => q.input.NextToken === 'p50' && q.input.EndTime.getTime() === Date.parse('2026-11-27T12:00:00Z'))).toBe(false);
  });

  it('does not split when responses come back within the pace', async () => {
    const { ctx } = fakeContext(paged({ 'us-west-2': events('us-west-2', 400) }), 100);
    const r = await collectTrail(ctx, request({ regions: ['us-west-2'] }));
    expect(r.stats).toMatchObject({ slices: 0, requests: 8 });
  });

  it('shares one limiter per region between trails of the same process', async () => {
    const { ctx } = fakeContext(() => ({ Events: [] }));
    const a = lookupLimiters(ctx).forRegion('us-west-2');
    await collectTrail(ctx, request({ regions: ['us-west-2'] }));
    expect(lookupLimiters(ctx).forRegion('us-west-2')).toBe(a);
    expect(a.stats.acquired).toBe(1);
  });

  it('counts an event returned twice (pages, regions) once', async () => {
    const dup = events('us-west-2', 3);
    const { ctx } = fakeContext((_i, region) => ({ Events: region === 'us-west-2' ? [...dup, dup[0]!] : [dup[1]!] }));
    const r = await collectTrail(ctx, request());
    expect(r.events.map((e) => e.eventId).sort()).toEqual(['us-west-2-0', 'us-west-2-1', 'us-west-2-2']);
  });

  it('stops at --max-events, warns and sets truncated', async () => {
    const { ctx, sent } = fakeContext(paged({ 'us-west-2': events('us-west-2', 200) }));
    const r = await collectTrail(ctx, request({ regions: ['us-west-2'], maxEvents: 60 }));
    expect(r.events).toHaveLength(60);
    expect(r.truncated).toBe(true);
    expect(r.warnings).toEqual([
      'stopped at --max-events 60: older events in the window were left out (raise --max-events or narrow --since/--until)',
    ]);
    expect(sent).toHaveLength(2);
  });

  it('applies the filters to the events and the summary but keeps every event for derived credentials', async () => {
    const sts = lookupEvent({
      id: 'gst', time: '2026-11-27T11:30:00Z', source: 'sts.amazonaws.com', name: 'GetSessionToken', region: 'us-east-1',
      response: { credentials: { accessKeyId: 'ASIAQDERIVEDSESSION01', expiration: 'Nov 27, 2026, 11:30:00 PM' } },
    });
    const { ctx } = fakeContext((_i, region) => ({ Events: region === 'us-east-1' ? [sts] : events('us-west-2', 2) }));
    const streamed: string[] = [];
    const r = await collectTrail(ctx, request({ filters: { ...NO_FILTERS, events: ['GetParameters'] } }), { onEvent: (e) => streamed.push(e.eventId) });
    expect(r.events.map((e) => e.eventName)).toEqual(['GetParameters', 'GetParameters']);
    expect(streamed.sort()).toEqual(['us-west-2-0', 'us-west-2-1']);
    expect(r.fetchedEvents).toBe(3);
    expect(r.summary.totalEvents).toBe(2);
    expect(r.derivedCredentials.map((d) => d.accessKeyId)).toEqual(['ASIAQDERIVEDSESSION01']);
  });

  it("--follow reads each derived key from its issue time in every region, marked derived", async () => {
    const derivedKey = 'ASIAQDERIVEDSESSION01';
    const sts = lookupEvent({
      id: 'gst', time: '2026-11-27T11:30:00Z', source: 'sts.amazonaws.com', name: 'GetSessionToken', region: 'us-east-1',
      response: { credentials: { accessKeyId: derivedKey } },
    });
    const data = {
      'us-east-1': [sts],
      'us-west-2': [...events('us-west-2', 2, { key: derivedKey, idPrefix: 'derived', startMs: Date.parse('2026-11-27T11:40:00Z') }), ...events('us-west-2', 1)],
    };
    const { ctx, sent } = fakeContext(paged(data));
    const progress: string[] = [];
    const r = await collectTrail(ctx, request({ follow: true }), { onProgress: (p) => progress.push(p.phase) });
    const derivedLookups = sent.filter((s) => s.input.LookupAttributes[0]?.AttributeValue === derivedKey);
    expect(derivedLookups.map((s) => s.region).sort()).toEqual(['us-east-1', 'us-west-2']);
    expect(derivedLookups[0]?.input.StartTime).toEqual(new Date('2026-11-27T11:30:00Z'));
    const derived = r.events.filter((e) => e.derived);
    expect(derived.map((e) => e.eventId).sort()).toEqual(['derived-0', 'derived-1']);
    expect(derived.every((e) => e.viaKey === KEY && e.accessKeyId === derivedKey)).toBe(true);
    expect(r.summary.derivedEvents).toBe(2);
    expect(progress).toContain('derived');
  });

  it('turns a failing region into a warning when another region answered', async () => {
    const { ctx } = fakeContext((_i, region) =>
      region === 'eu-west-1' ? sdkError('AccessDeniedException', 400, { message: 'denied by an SCP' }) : { Events: events(region, 1) },
    );
    const r = await collectTrail(ctx, request({ regions: ['us-west-2', 'eu-west-1'] }));
    expect(r.events).toHaveLength(1);
    expect(r.warnings).toEqual([
      'could not read CloudTrail in eu-west-1: access denied for cloudtrail:LookupEvents: denied by an SCP — those events are missing from this trail',
    ]);
  });

  it('says an opt-in region that rejects the credentials was skipped', async () => {
    const { ctx } = fakeContext((_i, region) =>
      region === 'ap-east-1' ? sdkError('UnrecognizedClientException', 400, { message: 'The security token included in the request is invalid.' }) : { Events: events(region, 1) },
    );
    const r = await collectTrail(ctx, request({ regions: ['us-west-2', 'ap-east-1'] }));
    expect(r.events).toHaveLength(1);
    expect(r.warnings).toEqual(['skipped ap-east-1: an opt-in region this account has not enabled (UnrecognizedClientException)']);
  });

  it('waits for every slice of a region before reporting its failure', async () => {
    let calls = 0;
    const data = events('us-west-2', 400);
    const pages = paged({ 'us-west-2': data });
    const { ctx, sent } = fakeContext((input, region, call) => {
      calls = call;
      // The second slice fails for good; the others keep paginating.
      if (call > 0 && input.StartTime.getTime() > Date.parse('2026-11-27T10:52:00Z') && input.StartTime.getTime() < Date.parse('2026-11-27T10:54:00Z')) {
        return sdkError('AccessDeniedException', 400, { message: 'no' });
      }
      return pages(input, region, call);
    }, 1200);
    const err = await collectTrail(ctx, request({ regions: ['us-west-2'], window: { start: new Date('2026-11-27T10:50:00Z'), end: new Date('2026-11-27T12:00:00Z') } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermissionError);
    const after = sent.length;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sent.length).toBe(after);
    expect(calls).toBeGreaterThan(1);
  });

  it('fails when every region fails', async () => {
    const { ctx } = fakeContext(() => sdkError('AccessDeniedException', 400, { message: 'no' }));
    await expect(collectTrail(ctx, request())).rejects.toBeInstanceOf(PermissionError);
  });

  it('stops promptly when interrupted', async () => {
    const controller = new AbortController();
    const { ctx, sent } = fakeContext(paged({ 'us-west-2': events('us-west-2', 500) }));
    const clock = ctx.clock as unknown as FakeClock;
    const abortingClock = {
      now: () => clock.now(),
      sleep: async (ms: number, signal?: AbortSignal) => {
        if (sent.length >= 2) controller.abort();
        if (signal?.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
        await clock.sleep(ms);
      },
    };
    const err = await collectTrail({ ...ctx, clock: abortingClock, signal: controller.signal } as unknown as Pick<Context, 'aws' | 'clock' | 'signal'>, request({ regions: ['us-west-2'] })).catch((e: unknown) => e);
    expect((err as Error).name).toBe('AbortError');
    expect(sent.length).toBeLessThanOrEqual(3);
  });
});
