/**
 * The busy key of the `large` scenario over 3 regions with CloudTrail's real limit on (2 LookupEvents
 * requests/s per region): every event exactly once, and not one ThrottlingException, because each
 * region's limiter paces at the limit. 1,500 events keep this under 10 s; bench/trail-throughput.ts
 * runs the full 5,000 and measures events/s.
 */
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../../helpers/cli.js';
import { useSandbox } from '../../helpers/sandbox.js';
import { LARGE } from '../../../src/sandbox/scenarios/large-facts.js';

const REGIONS = ['us-west-2', 'us-east-1', 'eu-west-1'];

describe('gd-ir trail on the large scenario, rate limit on', () => {
  const sb = useSandbox({ scenario: 'large', scenarioParams: { eventsPerKey: 1_500, findings: 10, users: 5, regions: REGIONS }, cloudTrailRateLimit: 2 });

  it('reads every event exactly once and is never throttled', async () => {
    const before = sb.get().requests.length;
    const r = await runInProcess(['trail', '--key', LARGE.busy.accessKeyId, '--regions', REGIONS.join(','), '--json'], { env: sb.env() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as {
      events: Array<{ eventId: string; region: string }>;
      stats: { throttles: number; requests: number; pages: number };
      truncated: boolean;
      summary: { regions: Array<{ region: string; count: number }> };
    };
    const expected: string[] = [];
    for (const region of REGIONS) {
      for (const e of sb.get().world.regions[region]?.events ?? []) if (e.userIdentity.accessKeyId === LARGE.busy.accessKeyId) expected.push(e.eventID);
    }
    expect(expected).toHaveLength(1_500);
    expect(j.events.map((e) => e.eventId).sort()).toEqual(expected.sort());
    expect(j.truncated).toBe(false);
    expect(j.summary.regions.map((x) => x.count)).toEqual([500, 500, 500]);

    const sent = sb.get().requests.slice(before).filter((q) => q.service === 'cloudtrail' && q.operation === 'LookupEvents');
    expect(sent.filter((q) => q.errorCode === 'ThrottlingException')).toEqual([]);
    expect(j.stats.throttles).toBe(0);
    // 10 full pages per region, each request sent once.
    expect(sent).toHaveLength(30);
    expect(j.stats).toMatchObject({ requests: 30, pages: 30 });
  });

  it('with slow responses, reads the rest of each region as concurrent slices: still exactly once, still never throttled', async () => {
    // The previous run just spent this account's LookupEvents quota, which a new process's limiters
    // cannot know about (a throttle there would be absorbed, but this test asserts there is none):
    // setting the limit again starts every region's bucket full, as a pause would, without waiting.
    sb.get().setKnobs({ latencyMs: 700, cloudTrailRateLimit: 2 });
    try {
      const before = sb.get().requests.length;
      const r = await runInProcess(['trail', '--key', LARGE.busy.accessKeyId, '--regions', REGIONS.join(','), '--json'], { env: sb.env() });
      expect(r.code).toBe(0);
      const j = JSON.parse(r.stdout) as { events: Array<{ eventId: string }>; stats: { throttles: number; slices: number } };
      expect(j.events).toHaveLength(1_500);
      expect(new Set(j.events.map((e) => e.eventId)).size).toBe(1_500);
      expect(j.stats.slices).toBeGreaterThanOrEqual(2 * REGIONS.length);
      const sent = sb.get().requests.slice(before).filter((q) => q.service === 'cloudtrail' && q.operation === 'LookupEvents');
      const t0 = sent[0]?.start ?? 0;
      expect(sent.filter((q) => q.errorCode === 'ThrottlingException'), sent.map((q) => `${q.seq} ${q.region} ${Math.round(q.start - t0)} ${q.errorCode ?? ''} ${q.fault ?? ''}`).join('\n')).toEqual([]);
    } finally {
      sb.get().setKnobs({ latencyMs: 0 });
    }
  });
});
