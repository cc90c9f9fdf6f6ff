/**
 * CloudTrail event history, read as streams: one LookupEvents stream per region and selector, every
 * region in parallel at the speed limit, slow streams split into concurrent slices, failures of some
 * regions turned into warnings. What becomes of the events (de-duplication, the cap, derived
 * credentials, filters, summary) is the trail pipeline's (src/sources/trail.ts), the same for every
 * source. One page at a time is cloudtrail-lookup.ts (pacing and retries).
 */
import type { Context } from '../cli/context.js';
import { OPT_IN_REGIONS } from '../core/regions.js';
import type { LookupAttribute, LookupEventInput, LookupStreamProgress, TrailRegionStats, TrailStats } from '../core/trail/index.js';
import { LOOKUP_ACTION, lookupEventsPage, lookupLimiters, type ErrorLike, type LookupCallbacks, type LookupQuery } from './cloudtrail-lookup.js';
import { awsErrorCode, isCredentialsError, toGdIrError } from './errors.js';


export interface LookupStreamSpec {
  query: LookupQuery;
  /** A stream of a derived key (--follow): counted apart from the regions in the progress. */
  derived: boolean;
  /** A slice of a stream that was split (never split again). */
  slice?: boolean;
}


export interface LookupStreamHandlers {
  /** Each event of a page, in page order. */
  onEvent(raw: LookupEventInput, spec: LookupStreamSpec): Promise<void>;
  /** True once no more events are wanted (--max-events): streams stop at their next page. */
  stopped(): boolean;
  onProgress?(p: LookupStreamProgress): void;
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
 * Event history for one reader: every stream it is asked to read, at the region's pace, with the
 * statistics of the whole read (requests, pages, throttles, slices) across calls.
 */
export class LookupReader {
  private readonly startedAt: number;
  private readonly regionStats = new Map<string, TrailRegionStats>();
  private readonly progress: LookupStreamProgress = { pages: 0, streamsDone: 0, streamsTotal: 0, regionsDone: 0, regionsTotal: 0, throttles: 0, throttleWaitMs: 0 };
  private retries = 0;
  private slicesStarted = 0;
  private readonly limiters: ReturnType<typeof lookupLimiters>;

  constructor(
    private readonly ctx: Pick<Context, 'aws' | 'clock' | 'signal'>,
    rate?: number,
  ) {
    this.startedAt = ctx.clock.now().getTime();
    this.limiters = lookupLimiters(ctx);
    if (rate !== undefined) this.limiters.setRate(rate);
  }

  private statsOf(region: string): TrailRegionStats {
    let s = this.regionStats.get(region);
    if (!s) {
      s = { region, events: 0, pages: 0, requests: 0, throttles: 0 };
      this.regionStats.set(region, s);
    }
    return s;
  }

  /**
   * Read `attribute = value` in every region over its window (each selector from its own start), in
   * parallel. A failing stream becomes a warning unless every stream failed. Returns the warnings.
   */
  async read(selectors: ReadonlyArray<{ attribute: LookupAttribute; value: string; start: Date; derived: boolean }>, regions: readonly string[], end: Date, handlers: LookupStreamHandlers): Promise<string[]> {
    const specs: LookupStreamSpec[] = [];
    for (const sel of selectors) {
      if (sel.start.getTime() >= end.getTime()) continue;
      for (const region of regions) specs.push({ query: { region, attribute: sel.attribute, value: sel.value, start: sel.start, end }, derived: sel.derived });
    }
    for (const r of regions) this.statsOf(r);
    if (!specs.some((s) => s.derived)) this.progress.regionsTotal += new Set(specs.map((s) => s.query.region)).size;
    return this.runAll(specs, handlers, (spec) => `CloudTrail in ${spec.query.region}${spec.derived ? ` for derived key ${spec.query.value}` : ''}`);
  }

  stats(): TrailStats {
    const regions = [...this.regionStats.values()];
    return {
      requests: regions.reduce((n, r) => n + r.requests, 0),
      pages: this.progress.pages,
      throttles: this.progress.throttles,
      throttleWaitMs: this.progress.throttleWaitMs,
      retries: this.retries,
      slices: this.slicesStarted,
      elapsedMs: this.ctx.clock.now().getTime() - this.startedAt,
      regions,
    };
  }

  private callbacks(handlers: LookupStreamHandlers): LookupCallbacks {
    return {
      onThrottle: (region, backoff) => {
        this.progress.throttles++;
        this.progress.throttleWaitMs += backoff;
        this.statsOf(region).throttles++;
        handlers.onProgress?.({ ...this.progress });
      },
      onRetry: () => {
        this.retries++;
      },
      onAttempt: (region) => {
        this.statsOf(region).requests++;
      },
    };
  }

  private async runStream(spec: LookupStreamSpec, handlers: LookupStreamHandlers): Promise<void> {
    const limiter = this.limiters.forRegion(spec.query.region);
    const s = this.statsOf(spec.query.region);
    const callbacks = this.callbacks(handlers);
    let token: string | undefined;
    let first = true;
    do {
      if (handlers.stopped()) return;
      const page = await lookupEventsPage(this.ctx, limiter, spec.query, token, callbacks);
      s.pages++;
      this.progress.pages++;
      for (const raw of page.events) {
        s.events++;
        await handlers.onEvent(raw, spec);
      }
      token = page.nextToken;
      handlers.onProgress?.({ ...this.progress });
      if (first && token && !spec.slice) {
        const plan = slicesFor(page, spec.query, 1000 / limiter.effectiveRate);
        if (plan.count > 1) {
          // Abandon the token: the rest of the range, up to and including the oldest event seen, is
          // read as `count` slices in parallel. Boundary events come back twice and are de-duplicated.
          const start = spec.query.start.getTime();
          const step = (plan.oldestMs - start) / plan.count;
          const slices: LookupStreamSpec[] = Array.from({ length: plan.count }, (_, i) => ({
            ...spec,
            slice: true,
            query: {
              ...spec.query,
              start: new Date(Math.floor(start + i * step)),
              end: new Date(i === plan.count - 1 ? plan.oldestMs : Math.ceil(start + (i + 1) * step)),
            },
          }));
          this.slicesStarted += slices.length;
          // Wait for every slice before reporting a failure, so none keeps running after the trail is returned.
          const settled = await Promise.allSettled(slices.map((x) => this.runStream(x, handlers)));
          const failed = settled.find((x): x is PromiseRejectedResult => x.status === 'rejected');
          if (failed) throw failed.reason;
          return;
        }
      }
      first = false;
    } while (token);
  }

  /** Run streams in parallel; a failing stream becomes a warning unless every stream failed. */
  private async runAll(specs: LookupStreamSpec[], handlers: LookupStreamHandlers, describe: (spec: LookupStreamSpec) => string): Promise<string[]> {
    const warnings: string[] = [];
    this.progress.streamsTotal += specs.length;
    const failures: Array<{ spec: LookupStreamSpec; error: unknown }> = [];
    await Promise.all(
      specs.map(async (spec) => {
        try {
          await this.runStream(spec, handlers);
        } catch (error) {
          if (this.ctx.signal.aborted || (error as ErrorLike)?.name === 'AbortError') throw error;
          failures.push({ spec, error });
        } finally {
          this.progress.streamsDone++;
          if (!spec.derived) this.progress.regionsDone++;
          handlers.onProgress?.({ ...this.progress });
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
    return warnings;
  }
}
