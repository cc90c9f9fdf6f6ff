import { describe, expect, it } from 'vitest';
import { RateLimiter, RateLimiterRegistry, type LimiterClock } from '../../../src/core/rate-limiter.js';

/** A manual clock: sleep advances time instantly and records how long each sleep was. */
class FakeClock implements LimiterClock {
  t = 1_000_000;
  sleeps: number[] = [];
  now(): Date {
    return new Date(this.t);
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.t += ms;
  }
}

describe('RateLimiter', () => {
  it('paces requests exactly 1/rate apart, the first one at once', async () => {
    const clock = new FakeClock();
    const l = new RateLimiter({ rate: 2, clock });
    const sent: number[] = [];
    for (let i = 0; i < 5; i++) {
      await l.acquire();
      sent.push(clock.t);
    }
    expect(sent.map((t) => t - 1_000_000)).toEqual([0, 500, 1000, 1500, 2000]);
  });

  it('schedules at the slot, not after the response: time spent on the response is not added', async () => {
    const clock = new FakeClock();
    const l = new RateLimiter({ rate: 2, clock });
    await l.acquire();
    clock.t += 300; // the response took 300 ms
    expect(await l.acquire()).toBe(200);
    clock.t += 700; // a slow response: the next slot is already due
    expect(await l.acquire()).toBe(0);
  });

  it('gives concurrent callers distinct, evenly spaced slots', () => {
    const clock = new FakeClock();
    const l = new RateLimiter({ rate: 4, clock });
    expect([l.reserve(), l.reserve(), l.reserve()]).toEqual([0, 250, 500]);
    expect(l.stats.acquired).toBe(3);
  });

  it('does not burst after idleness', async () => {
    const clock = new FakeClock();
    const l = new RateLimiter({ rate: 2, clock });
    await l.acquire();
    clock.t += 10_000;
    expect(l.reserve()).toBe(0);
    expect(l.reserve()).toBe(500);
  });

  it('backs off on a throttle (exponential, jittered from its own source), slows down, and recovers on success', () => {
    const clock = new FakeClock();
    const l = new RateLimiter({ rate: 2, clock, random: () => 0.5 });
    l.reserve();
    expect(l.onThrottle()).toBe(375); // ceiling 500: 250 + 0.5 × 250
    expect(l.effectiveRate).toBe(1);
    expect(l.onThrottle()).toBe(750); // ceiling 1000
    expect(l.effectiveRate).toBe(0.5); // floor: a quarter of the target
    expect(l.onThrottle()).toBe(1500);
    expect(l.effectiveRate).toBe(0.5);
    expect(l.throttleStreak).toBe(3);
    // Every later slot waits for the backoff.
    expect(l.reserve()).toBe(1500);
    l.onSuccess();
    expect(l.throttleStreak).toBe(0);
    expect(l.effectiveRate).toBe(1);
    l.onSuccess();
    l.onSuccess();
    expect(l.effectiveRate).toBe(2);
    expect(l.stats.throttles).toBe(3);
    expect(l.stats.backoffMs).toBe(375 + 750 + 1500);
  });

  it('caps the backoff', () => {
    const clock = new FakeClock();
    const l = new RateLimiter({ rate: 2, clock, random: () => 0.999, backoffMaxMs: 4000 });
    let last = 0;
    for (let i = 0; i < 10; i++) last = l.onThrottle();
    expect(last).toBeLessThanOrEqual(4000);
    expect(last).toBeGreaterThanOrEqual(2000);
  });

  it('rejects a non-positive rate', () => {
    expect(() => new RateLimiter({ rate: 0, clock: new FakeClock() })).toThrow(RangeError);
  });
});

describe('RateLimiterRegistry', () => {
  it('keeps one limiter per region and applies rate changes to all', () => {
    const reg = new RateLimiterRegistry(new FakeClock());
    const a = reg.forRegion('us-west-2');
    expect(reg.forRegion('us-west-2')).toBe(a);
    const b = reg.forRegion('us-east-1');
    expect(b).not.toBe(a);
    expect(a.rate).toBe(2);
    reg.setRate(1);
    expect(a.rate).toBe(1);
    expect(b.effectiveRate).toBe(1);
    expect(reg.forRegion('eu-west-1').rate).toBe(1);
    expect(reg.regions()).toEqual(['us-west-2', 'us-east-1', 'eu-west-1']);
  });
});
