/**
 * Request pacing for CloudTrail LookupEvents, which AWS limits to 2 requests per second per account
 * per region (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html).
 *
 * Pure scheduling, clock injected. Each region gets one limiter, shared by every caller in the process
 * (the trail, its --follow lookups, investigate), so together they never exceed the region's limit.
 *
 * The limiter hands out *slots* (virtual scheduling, as in GCRA): slot n+1 is exactly 1/rate after
 * slot n, or now if the limiter has been idle. A caller that reserves its slot before sending waits only
 * until that instant, so a paginating loop runs at the limit with no idle gap beyond the response
 * latency. There is no catch-up burst after idleness: AWS does not document a burst allowance, and a
 * burst is what earns a ThrottlingException.
 *
 * On a throttle the region slows down (multiplicative decrease) and every caller of that region waits
 * out an exponential backoff with jitter; successes restore the rate step by step (additive increase).
 */

export interface LimiterClock {
  now(): Date;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** CloudTrail's documented LookupEvents limit, per account per region. */
export const LOOKUP_EVENTS_RATE = 2;

export interface RateLimiterOptions {
  /** Requests per second (> 0). */
  rate: number;
  clock: LimiterClock;
  /** Uniform [0, 1) source for backoff jitter (default Math.random). */
  random?: () => number;
  /** First backoff after a throttle (ms), doubled per consecutive throttle. Default 500. */
  backoffBaseMs?: number;
  /** Backoff ceiling (ms). Default 20 000. */
  backoffMaxMs?: number;
  /** The slowest rate a run of throttles can push the limiter to, as a fraction of the target. Default 0.25. */
  minRateFraction?: number;
}

export interface RateLimiterStats {
  /** Slots handed out (requests sent, retries included). */
  acquired: number;
  /** Total time callers spent waiting for their slot (ms). */
  waitedMs: number;
  /** Throttles reported by callers. */
  throttles: number;
  /** Time added by throttle backoffs (ms). */
  backoffMs: number;
}

export class RateLimiter {
  private targetRate: number;
  private currentRate: number;
  /** Epoch ms of the next free slot (the "theoretical arrival time"). */
  private nextSlot = -Infinity;
  private streak = 0;
  private readonly random: () => number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly minRateFraction: number;
  readonly stats: RateLimiterStats = { acquired: 0, waitedMs: 0, throttles: 0, backoffMs: 0 };

  constructor(private readonly options: RateLimiterOptions) {
    if (!(options.rate > 0) || !Number.isFinite(options.rate)) throw new RangeError('rate must be a positive number');
    this.targetRate = options.rate;
    this.currentRate = options.rate;
    this.random = options.random ?? Math.random;
    this.backoffBaseMs = options.backoffBaseMs ?? 500;
    this.backoffMaxMs = options.backoffMaxMs ?? 20_000;
    this.minRateFraction = options.minRateFraction ?? 0.25;
  }

  /** The configured rate (requests/s). */
  get rate(): number {
    return this.targetRate;
  }

  /** The rate in force now (lower than `rate` after throttles). */
  get effectiveRate(): number {
    return this.currentRate;
  }

  /** Consecutive throttles without a success in between. */
  get throttleStreak(): number {
    return this.streak;
  }

  setRate(rate: number): void {
    if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError('rate must be a positive number');
    this.targetRate = rate;
    this.currentRate = Math.min(this.currentRate, rate);
    if (this.streak === 0) this.currentRate = rate;
  }

  /**
   * Reserve the next slot and wait for it. Resolves with the time waited (ms). Reservation is
   * synchronous, so concurrent callers get distinct, evenly spaced slots in call order.
   */
  async acquire(signal?: AbortSignal): Promise<number> {
    const wait = this.reserve();
    if (wait > 0) await this.options.clock.sleep(wait, signal);
    return wait;
  }

  /** Reserve a slot without waiting; returns how long until it (ms). */
  reserve(): number {
    const now = this.options.clock.now().getTime();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + 1000 / this.currentRate;
    this.stats.acquired++;
    const wait = slot - now;
    this.stats.waitedMs += wait;
    return wait;
  }

  /**
   * A request was throttled: slow this region down and push every later slot past a backoff of
   * base·2^(streak−1) (capped), with "equal jitter" (half fixed, half random) so it is never zero.
   * Returns the backoff (ms); the retry then takes a slot like any other request.
   */
  onThrottle(): number {
    this.streak++;
    this.stats.throttles++;
    this.currentRate = Math.max(this.targetRate * this.minRateFraction, this.currentRate * 0.5);
    const ceiling = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** (this.streak - 1));
    const delay = Math.round(ceiling / 2 + this.random() * (ceiling / 2));
    const now = this.options.clock.now().getTime();
    this.nextSlot = Math.max(this.nextSlot, now + delay);
    this.stats.backoffMs += delay;
    return delay;
  }

  /** A request succeeded: end the throttle streak and recover a quarter of the target rate. */
  onSuccess(): void {
    this.streak = 0;
    if (this.currentRate < this.targetRate) this.currentRate = Math.min(this.targetRate, this.currentRate + this.targetRate / 4);
  }
}

/** One limiter per region, created on first use with the current default rate. */
export class RateLimiterRegistry {
  private readonly limiters = new Map<string, RateLimiter>();
  private defaultRate: number;
  private readonly random?: () => number;

  constructor(
    private readonly clock: LimiterClock,
    options: { rate?: number; random?: () => number } = {},
  ) {
    this.defaultRate = options.rate ?? LOOKUP_EVENTS_RATE;
    this.random = options.random;
  }

  /** Change the rate for every region (existing limiters included). */
  setRate(rate: number): void {
    this.defaultRate = rate;
    for (const l of this.limiters.values()) l.setRate(rate);
  }

  get rate(): number {
    return this.defaultRate;
  }

  forRegion(region: string): RateLimiter {
    let l = this.limiters.get(region);
    if (!l) {
      l = new RateLimiter({ rate: this.defaultRate, clock: this.clock, random: this.random });
      this.limiters.set(region, l);
    }
    return l;
  }

  regions(): string[] {
    return [...this.limiters.keys()];
  }
}
