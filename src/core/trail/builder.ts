/**
 * The one result builder of a trail, whatever it was read from (event history, a local archive, S3,
 * Athena): each event once by event ID, the newest `--max-events` kept, derived credentials from the
 * principal's own events, the filters, the summary. Sources feed it events in any order; it decides.
 * Pure.
 */
import { findDerivedCredentials } from './derived.js';
import { matchesTrailFilters } from './filters.js';
import type { DerivedCredential, TrailEvent, TrailRequest, TrailResult, TrailStats } from './model.js';
import { compareNewestFirst } from './parse.js';
import type { TrailSourceReport } from './source.js';
import { buildTrailSummary, principalFromEvents } from './summary.js';

export const EMPTY_TRAIL_STATS: Readonly<TrailStats> = Object.freeze({ requests: 0, pages: 0, throttles: 0, throttleWaitMs: 0, retries: 0, slices: 0, elapsedMs: 0, regions: [] });

/** Older first: the root of the heap is the oldest event kept (the first to give way). */
const older = (a: TrailEvent, b: TrailEvent): boolean => compareNewestFirst(a, b) > 0;

export class TrailBuilder {
  private readonly byId = new Map<string, TrailEvent>();
  /** Min-heap by time: only kept once the cap is reached. */
  private heap: TrailEvent[] | undefined;
  private isTruncated = false;

  constructor(readonly request: TrailRequest) {}

  get size(): number {
    return this.byId.size;
  }

  get truncated(): boolean {
    return this.isTruncated;
  }

  /** True once the cap was reached: a source reading newest first may stop. */
  get full(): boolean {
    return this.byId.size >= this.request.maxEvents;
  }

  has(eventId: string): boolean {
    return this.byId.has(eventId);
  }

  /**
   * Adds an event. Returns true when it is kept and passes the filters (stream it, --jsonl); false when
   * it is a duplicate, filtered out, or older than every event kept at the cap.
   */
  add(event: TrailEvent): boolean {
    if (this.byId.has(event.eventId)) return false;
    if (this.byId.size >= this.request.maxEvents) {
      this.isTruncated = true;
      this.heap ??= this.buildHeap();
      const oldest = this.heap[0];
      if (!oldest || !older(oldest, event)) return false;
      this.byId.delete(oldest.eventId);
      this.heap[0] = event;
      this.siftDown(0);
    } else if (this.heap) {
      this.heap.push(event);
      this.siftUp(this.heap.length - 1);
    }
    this.byId.set(event.eventId, event);
    return matchesTrailFilters(event, this.request.filters);
  }

  /** Temporary credentials minted in the events kept so far (what --follow reads next). */
  derivedCredentials(): DerivedCredential[] {
    return findDerivedCredentials([...this.byId.values()].filter((e) => !e.derived));
  }

  finish(extra: { warnings: readonly string[]; stats?: TrailStats; source?: TrailSourceReport; derivedCredentials?: DerivedCredential[] }): TrailResult {
    const all = [...this.byId.values()];
    const warnings = [...extra.warnings];
    if (this.isTruncated) {
      warnings.push(`stopped at --max-events ${this.request.maxEvents}: older events in the window were left out (raise --max-events or narrow --since/--until)`);
    }
    const matched = all.filter((e) => matchesTrailFilters(e, this.request.filters)).sort(compareNewestFirst);
    return {
      request: this.request,
      principal: principalFromEvents(this.request.principal, all),
      events: matched,
      fetchedEvents: all.length,
      derivedCredentials: extra.derivedCredentials ?? this.derivedCredentials(),
      summary: buildTrailSummary(matched, { findingIp: this.request.findingIp }),
      truncated: this.isTruncated,
      warnings,
      stats: extra.stats ?? { ...EMPTY_TRAIL_STATS, regions: [] },
      ...(extra.source ? { source: extra.source } : {}),
    };
  }

  private buildHeap(): TrailEvent[] {
    const heap = [...this.byId.values()];
    for (let i = (heap.length >> 1) - 1; i >= 0; i--) this.siftDownIn(heap, i);
    return heap;
  }

  private siftUp(i: number): void {
    const h = this.heap as TrailEvent[];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!older(h[i] as TrailEvent, h[parent] as TrailEvent)) break;
      [h[i], h[parent]] = [h[parent] as TrailEvent, h[i] as TrailEvent];
      i = parent;
    }
  }

  private siftDown(i: number): void {
    this.siftDownIn(this.heap as TrailEvent[], i);
  }

  private siftDownIn(h: TrailEvent[], i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && older(h[l] as TrailEvent, h[m] as TrailEvent)) m = l;
      if (r < h.length && older(h[r] as TrailEvent, h[m] as TrailEvent)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m] as TrailEvent, h[i] as TrailEvent];
      i = m;
    }
  }
}
