/**
 * CloudTrail gateway: `collectTrail`, the whole trail of a principal (fetch every region at the
 * speed limit, de-duplication, derived credentials, --follow, summary) for `gd-ir trail` and
 * `gd-ir investigate`. One page at a time is cloudtrail-lookup.ts (pacing and retries).
 */
import type { Context } from '../cli/context.js';
import { findDerivedCredentials, parseCloudTrailTime } from '../core/trail/index.js';
import { accessLevelFor } from '../core/event-classification.js';
import { OPT_IN_REGIONS } from '../core/regions.js';
import {
  buildTrailSummary,
  compareNewestFirst,
  matchesTrailFilters,
  parseLookupEvent,
  principalFromEvents,
  type LookupEventInput,
  type TrailEvent,
  type TrailRegionStats,
  type TrailRequest,
  type TrailResult,
} from '../core/trail/index.js';
import { LOOKUP_ACTION, lookupEventsPage, lookupLimiters, type ErrorLike, type LookupCallbacks, type LookupQuery } from './cloudtrail-lookup.js';
import { awsErrorCode, isCredentialsError, toGdIrError } from './errors.js';


export type { TrailRegionStats, TrailResult, TrailStats } from '../core/trail/index.js';

export interface TrailProgress {
  /** Events fetched so far (de-duplicated). */
  events: number;
  pages: number;
  /** Lookup streams finished / started (one per region, plus one per region and derived key with --follow). */
  streamsDone: number;
  streamsTotal: number;
  regionsDone: number;
  regionsTotal: number;
  throttles: number;
  /** Total backoff imposed by throttles (ms). */
  throttleWaitMs: number;
  phase: 'principal' | 'derived';
}

export interface TrailHooks {
  onProgress?(progress: TrailProgress): void;
  /** Each new event that passes the filters, as it arrives (for --jsonl). */
  onEvent?(event: TrailEvent): void;
}

interface StreamSpec {
  query: LookupQuery;
  derived: boolean;
  viaKey?: string;
  /** A slice of a stream that was split (never split again). */
  slice?: boolean;
}

/** Most concurrent page chains per lookup when responses are slower than the limiter's interval. */
export const MAX_SLICES_PER_LOOKUP = 4;

/**
 * How many concurrent slices the rest of a lookup should be split into, after its first page.
 * NextToken chains pages, so one chain cannot send its next request before the previous response is
 * back: when a response takes longer than the limiter's interval (500 ms at 2/s), one chain leaves
 * slots unused. Splitting the remaining time range into slices read concurrently fills them; each
 * slice costs at most one partly filled page, so it is done only when enough pages remain.
 */
export function slicesFor(page: { latencyMs: number; events: LookupEventInput[] }, query: LookupQuery, intervalMs: number): { count: number; oldestMs: number } {
  const times = page.events.map((e) => (e.EventTime instanceof Date ? e.EventTime.getTime() : NaN)).filter((t) => !Number.isNaN(t));
  if (times.length === 0) return { count: 1, oldestMs: query.end.getTime() };
  const oldestMs = Math.min(...times);
  // The page's own density (not the window end's: the principal may have been quiet since).
  const covered = Math.max(1, Math.max(...times) - oldestMs);
  const remainingPages = (oldestMs - query.start.getTime()) / covered;
  // One chain more than the latency needs keeps the limiter busy through jitter and the slices' uneven ends.
  const byLatency = page.latencyMs > intervalMs ? Math.ceil(page.latencyMs / intervalMs) + 1 : 1;
  const count = Math.max(1, Math.min(MAX_SLICES_PER_LOOKUP, byLatency, Math.floor(remainingPages / 2)));
  return { count, oldestMs };
}

/**
 * Fetch a principal's trail: every region in parallel (each paced by its own limiter), events
 * de-duplicated by event ID, derived credentials found in the STS events, their activity added with
 * `follow`, filters applied, summary built. Nothing is rendered.
 */
export async function collectTrail(
  ctx: Pick<Context, 'aws' | 'clock' | 'signal'>,
  request: TrailRequest,
  hooks: TrailHooks = {},
): Promise<TrailResult> {
  const startedAt = ctx.clock.now().getTime();
  const limiters = lookupLimiters(ctx);
  if (request.rate !== undefined) limiters.setRate(request.rate);
  const warnings = [...request.warnings];
  const all = new Map<string, TrailEvent>();
  const matched: TrailEvent[] = [];
  const regionStats = new Map<string, TrailRegionStats>(
    request.regions.map((r) => [r, { region: r, events: 0, pages: 0, requests: 0, throttles: 0 }]),
  );
  const progress: TrailProgress = {
    events: 0, pages: 0, streamsDone: 0, streamsTotal: 0, regionsDone: 0, regionsTotal: request.regions.length, throttles: 0, throttleWaitMs: 0, phase: 'principal',
  };
  let truncated = false;
  let retries = 0;
  let slicesStarted = 0;
  const report = (): void => hooks.onProgress?.({ ...progress });
  const callbacks: LookupCallbacks = {
    onThrottle: (region, backoff) => {
      progress.throttles++;
      progress.throttleWaitMs += backoff;
      const s = regionStats.get(region);
      if (s) s.throttles++;
      report();
    },
    onRetry: () => {
      retries++;
    },
    onAttempt: (region) => {
      const s = regionStats.get(region);
      if (s) s.requests++;
    },
  };

  const accept = async (raw: LookupEventInput, spec: StreamSpec): Promise<void> => {
    const event = parseLookupEvent(raw, spec.query.region, { derived: spec.derived, viaKey: spec.viaKey });
    if (all.has(event.eventId)) return;
    event.accessLevel = await accessLevelFor(event.eventSource, event.eventName);
    // Checked after the await: another stream may have added the same event meanwhile.
    if (all.has(event.eventId)) return;
    if (all.size >= request.maxEvents) {
      truncated = true;
      return;
    }
    all.set(event.eventId, event);
    progress.events = all.size;
    const s = regionStats.get(spec.query.region);
    if (s) s.events++;
    if (matchesTrailFilters(event, request.filters)) {
      matched.push(event);
      hooks.onEvent?.(event);
    }
  };

  const runStream = async (spec: StreamSpec): Promise<void> => {
    const limiter = limiters.forRegion(spec.query.region);
    const s = regionStats.get(spec.query.region);
    let token: string | undefined;
    let first = true;
    do {
      if (truncated) return;
      const page = await lookupEventsPage(ctx, limiter, spec.query, token, callbacks);
      if (s) s.pages++;
      progress.pages++;
      for (const raw of page.events) await accept(raw, spec);
      token = page.nextToken;
      report();
      if (first && token && !spec.slice) {
        const plan = slicesFor(page, spec.query, 1000 / limiter.effectiveRate);
        if (plan.count > 1) {
          // Abandon the token: the rest of the range, up to and including the oldest event seen, is
          // read as `count` slices in parallel. Boundary events come back twice and are de-duplicated.
          const start = spec.query.start.getTime();
          const step = (plan.oldestMs - start) / plan.count;
          const slices: StreamSpec[] = Array.from({ length: plan.count }, (_, i) => ({
            ...spec,
            slice: true,
            query: {
              ...spec.query,
              start: new Date(Math.floor(start + i * step)),
              end: new Date(i === plan.count - 1 ? plan.oldestMs : Math.ceil(start + (i + 1) * step)),
            },
          }));
          slicesStarted += slices.length;
          // Wait for every slice before reporting a failure, so none keeps running after the trail is returned.
          const settled = await Promise.allSettled(slices.map(runStream));
          const failed = settled.find((x): x is PromiseRejectedResult => x.status === 'rejected');
          if (failed) throw failed.reason;
          return;
        }
      }
      first = false;
    } while (token);
  };

  /** Run streams in parallel; a failing stream becomes a warning unless every stream failed. */
  const runAll = async (specs: StreamSpec[], describe: (spec: StreamSpec) => string): Promise<void> => {
    progress.streamsTotal += specs.length;
    const failures: Array<{ spec: StreamSpec; error: unknown }> = [];
    await Promise.all(
      specs.map(async (spec) => {
        try {
          await runStream(spec);
        } catch (error) {
          if (ctx.signal.aborted || (error as ErrorLike)?.name === 'AbortError') throw error;
          failures.push({ spec, error });
        } finally {
          progress.streamsDone++;
          if (!spec.derived) progress.regionsDone++;
          report();
        }
      }),
    );
    if (failures.length > 0 && failures.length === specs.length) throw toGdIrError(failures[0]?.error, { action: LOOKUP_ACTION });
    for (const f of failures) {
      const message = f.error instanceof Error ? f.error.message : String(f.error);
      if (OPT_IN_REGIONS.has(f.spec.query.region) && isCredentialsError(f.error)) {
        warnings.push(`skipped ${f.spec.query.region}: an opt-in region this account has not enabled (${awsErrorCode((f.error as ErrorLike).cause ?? f.error)})`);
      } else {
        warnings.push(`could not read ${describe(f.spec)}: ${message} — those events are missing from this trail`);
      }
    }
  };

  await runAll(
    request.regions.map((region) => ({
      query: { region, attribute: request.lookup.attribute, value: request.lookup.value, start: request.window.start, end: request.window.end },
      derived: false,
    })),
    (spec) => `CloudTrail in ${spec.query.region}`,
  );

  const derivedCredentials = findDerivedCredentials([...all.values()]);
  if (request.follow && derivedCredentials.length > 0 && !truncated) {
    progress.phase = 'derived';
    const specs: StreamSpec[] = [];
    for (const cred of derivedCredentials) {
      // Temporary credentials cannot act before they exist.
      const start = new Date(Math.max(request.window.start.getTime(), parseCloudTrailTime(cred.issuedAt) ?? request.window.start.getTime()));
      if (start.getTime() >= request.window.end.getTime()) continue;
      for (const region of request.regions) {
        specs.push({
          query: { region, attribute: 'AccessKeyId', value: cred.accessKeyId, start, end: request.window.end },
          derived: true,
          viaKey: cred.parentAccessKeyId ?? request.principal.accessKeyId,
        });
      }
    }
    await runAll(specs, (spec) => `CloudTrail in ${spec.query.region} for derived key ${spec.query.value}`);
  }
  if (truncated) {
    warnings.push(
      `stopped at --max-events ${request.maxEvents}: older events in the window were not fetched (raise --max-events or narrow --since/--until)`,
    );
  }

  matched.sort(compareNewestFirst);
  const allEvents = [...all.values()];
  const regions = [...regionStats.values()];
  return {
    request,
    principal: principalFromEvents(request.principal, allEvents),
    events: matched,
    fetchedEvents: all.size,
    derivedCredentials,
    summary: buildTrailSummary(matched, { findingIp: request.findingIp }),
    truncated,
    warnings,
    stats: {
      requests: regions.reduce((n, r) => n + r.requests, 0),
      pages: progress.pages,
      throttles: progress.throttles,
      throttleWaitMs: progress.throttleWaitMs,
      retries,
      slices: slicesStarted,
      elapsedMs: ctx.clock.now().getTime() - startedAt,
      regions,
    },
  };
}
