/**
 * One LookupEvents page at CloudTrail's speed limit. Retries are ours, not the SDK's: LookupEvents is
 * limited to 2 requests/s per account per region, and an SDK retry would be sent without asking the
 * limiter, so the client is built with `maxAttempts: 1` and every attempt takes a slot from the region's
 * limiter:
 * - ThrottlingException: the region slows down and backs off (src/core/rate-limiter.ts), then retries;
 *   it never surfaces unless CloudTrail throttles MAX_CONSECUTIVE_THROTTLES times in a row.
 * - 5xx, timeouts and connection resets: retried with exponential backoff, up to MAX_TRANSIENT_ATTEMPTS.
 * - Anything else (access denied, bad credentials, invalid input) fails at once as a typed error.
 */
import type { Context } from '../cli/context.js';
import { AwsError } from '../core/errors.js';
import { RateLimiterRegistry, type RateLimiter } from '../core/rate-limiter.js';
import type { LookupAttribute, LookupEventInput } from '../core/trail/index.js';
import { awsErrorCode, toGdIrError } from './errors.js';

export const LOOKUP_ACTION = 'cloudtrail:LookupEvents';
export const LOOKUP_PAGE_SIZE = 50;
export const MAX_TRANSIENT_ATTEMPTS = 8;
export const MAX_CONSECUTIVE_THROTTLES = 12;

const THROTTLE_CODES = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'SlowDown']);
const TRANSIENT_CODES = new Set([
  'InternalFailure', 'InternalError', 'InternalServerError', 'InternalServerErrorException', 'ServiceUnavailable',
  'ServiceUnavailableException', 'TimeoutError', 'RequestTimeout', 'RequestTimeoutException',
]);
const NETWORK_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EAI_AGAIN', 'ECONNREFUSED']);

export interface ErrorLike {
  name?: string;
  code?: string;
  message?: string;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
}

export function isThrottle(err: unknown): boolean {
  const e = (err ?? {}) as ErrorLike;
  return THROTTLE_CODES.has(awsErrorCode(err)) || e.$metadata?.httpStatusCode === 429;
}

export function isTransient(err: unknown, depth = 0): boolean {
  const e = (err ?? {}) as ErrorLike;
  if (e.name === 'AbortError') return false;
  const status = e.$metadata?.httpStatusCode ?? 0;
  if (status >= 500 && status <= 599) return true;
  if (TRANSIENT_CODES.has(awsErrorCode(err)) || NETWORK_CODES.has(e.code ?? '')) return true;
  if (/socket hang up|ECONNRESET/i.test(e.message ?? '')) return true;
  return e.cause !== undefined && depth < 5 && isTransient(e.cause, depth + 1);
}

// One limiter registry per AwsClients instance (= one set of credentials = one account), shared by
// every trail in the process.
const registries = new WeakMap<object, RateLimiterRegistry>();

export function lookupLimiters(ctx: Pick<Context, 'aws' | 'clock'>): RateLimiterRegistry {
  let r = registries.get(ctx.aws);
  if (!r) {
    r = new RateLimiterRegistry(ctx.clock);
    registries.set(ctx.aws, r);
  }
  return r;
}

export interface LookupQuery {
  region: string;
  attribute: LookupAttribute;
  value: string;
  start: Date;
  end: Date;
}

export interface LookupPage {
  events: LookupEventInput[];
  nextToken?: string;
  /** Round trip of the request that succeeded (ms), limiter wait excluded. */
  latencyMs: number;
}

export interface LookupCallbacks {
  /** A request is being sent (first attempt or retry). */
  onAttempt?(region: string): void;
  /** A throttle was absorbed: the region waits `backoffMs` before its next request. */
  onThrottle?(region: string, backoffMs: number): void;
  /** A transient failure is being retried. */
  onRetry?(region: string, err: unknown, attempt: number): void;
}

/** One LookupEvents page, paced by the region's limiter, with throttle and transient retries. */
export async function lookupEventsPage(
  ctx: Pick<Context, 'aws' | 'clock' | 'signal'>,
  limiter: RateLimiter,
  query: LookupQuery,
  nextToken: string | undefined,
  callbacks: LookupCallbacks = {},
): Promise<LookupPage> {
  const { LookupEventsCommand } = await import('@aws-sdk/client-cloudtrail');
  const client = await ctx.aws.cloudTrail(query.region, { maxAttempts: 1 });
  const input = {
    LookupAttributes: [{ AttributeKey: query.attribute, AttributeValue: query.value }],
    StartTime: query.start,
    EndTime: query.end,
    MaxResults: LOOKUP_PAGE_SIZE,
    ...(nextToken ? { NextToken: nextToken } : {}),
  };
  let transientFailures = 0;
  for (;;) {
    await limiter.acquire(ctx.signal);
    callbacks.onAttempt?.(query.region);
    const sentAt = ctx.clock.now().getTime();
    try {
      const out = await client.send(new LookupEventsCommand(input), { abortSignal: ctx.signal });
      limiter.onSuccess();
      return { events: (out.Events ?? []) as LookupEventInput[], nextToken: out.NextToken || undefined, latencyMs: ctx.clock.now().getTime() - sentAt };
    } catch (err) {
      if (ctx.signal.aborted || (err as ErrorLike)?.name === 'AbortError') throw err;
      if (isThrottle(err)) {
        const backoff = limiter.onThrottle();
        if (limiter.throttleStreak >= MAX_CONSECUTIVE_THROTTLES) {
          throw new AwsError(
            `CloudTrail kept throttling LookupEvents in ${query.region} (${limiter.throttleStreak} times in a row): another client is probably using this account's 2 requests/s`,
            awsErrorCode(err),
            LOOKUP_ACTION,
            { cause: err, remedy: 'try again in a minute, or lower the pace with --rate 1' },
          );
        }
        callbacks.onThrottle?.(query.region, backoff);
        continue;
      }
      if (isTransient(err) && ++transientFailures < MAX_TRANSIENT_ATTEMPTS) {
        callbacks.onRetry?.(query.region, err, transientFailures);
        const ceiling = Math.min(5_000, 100 * 2 ** transientFailures);
        await ctx.clock.sleep(Math.round(ceiling / 2 + Math.random() * (ceiling / 2)), ctx.signal);
        continue;
      }
      throw toGdIrError(err, { action: LOOKUP_ACTION });
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// collectTrail
