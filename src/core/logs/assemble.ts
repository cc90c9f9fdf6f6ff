/**
 * A trail from log records: the same result `collectTrail` builds from event history (events once each,
 * newest first, the --max-events cap, derived credentials, filters, summary), so every renderer and
 * JSON mapper works unchanged on every source. Pure.
 */
import { findDerivedCredentials, type DerivedCredential } from '../trail/index.js';
import {
  buildTrailSummary,
  compareNewestFirst,
  matchesTrailFilters,
  principalFromEvents,
  type TrailEvent,
  type TrailRequest,
  type TrailResult,
} from '../trail/index.js';

/** What a log source read, for the report's data-source section and the progress line. */
export interface LogScanStats {
  /** Files or objects read (after pruning), and their size as stored (compressed). */
  files: number;
  bytes: number;
  /** Bytes after decompression. */
  bytesDecompressed: number;
  /** Records looked at (parsed, or skipped by the byte prefilter). */
  records: number;
  /** Records that matched a selector (before de-duplication and filters). */
  matched: number;
  /** Files skipped as corrupt, truncated, too large or not CloudTrail. */
  skipped: number;
  /** Files left out by the key layout (account, region, date). */
  pruned: number;
  elapsedMs: number;
}

export const EMPTY_SCAN_STATS: Readonly<LogScanStats> = Object.freeze({ files: 0, bytes: 0, bytesDecompressed: 0, records: 0, matched: 0, skipped: 0, pruned: 0, elapsedMs: 0 });

export function addScanStats(a: LogScanStats, b: LogScanStats): LogScanStats {
  return {
    files: a.files + b.files,
    bytes: a.bytes + b.bytes,
    bytesDecompressed: a.bytesDecompressed + b.bytesDecompressed,
    records: a.records + b.records,
    matched: a.matched + b.matched,
    skipped: a.skipped + b.skipped,
    pruned: a.pruned + b.pruned,
    elapsedMs: a.elapsedMs + b.elapsedMs,
  };
}

/** Events once each by event ID (the first seen wins), newest first, cut to the newest `max`. */
export function dedupeNewest(events: readonly TrailEvent[], max: number): { events: TrailEvent[]; truncated: boolean } {
  const byId = new Map<string, TrailEvent>();
  for (const e of events) if (!byId.has(e.eventId)) byId.set(e.eventId, e);
  const sorted = [...byId.values()].sort(compareNewestFirst);
  return sorted.length > max ? { events: sorted.slice(0, max), truncated: true } : { events: sorted, truncated: false };
}

/** Derived credentials minted by the principal's own events (what --follow then reads). */
export function derivedCredentialsOf(principalEvents: readonly TrailEvent[]): DerivedCredential[] {
  return findDerivedCredentials(principalEvents);
}

export interface LogTrailInput {
  request: TrailRequest;
  /** Events of the principal's own selector (any order, duplicates allowed). */
  principalEvents: readonly TrailEvent[];
  /** Events of derived credentials (--follow), already marked `derived`. */
  derivedEvents: readonly TrailEvent[];
  warnings: readonly string[];
  elapsedMs: number;
}

export function assembleLogTrail(input: LogTrailInput): TrailResult {
  const { request } = input;
  const own = dedupeNewest(input.principalEvents, request.maxEvents);
  const derivedCredentials = findDerivedCredentials(own.events);
  const seen = new Set(own.events.map((e) => e.eventId));
  const derived = dedupeNewest(input.derivedEvents.filter((e) => !seen.has(e.eventId)), Math.max(0, request.maxEvents - own.events.length));
  const all = [...own.events, ...derived.events];
  const truncated = own.truncated || derived.truncated;
  const warnings = [...input.warnings];
  if (truncated) {
    warnings.push(`stopped at --max-events ${request.maxEvents}: the oldest events in the window were left out (raise --max-events or narrow --since/--until)`);
  }
  const matched = all.filter((e) => matchesTrailFilters(e, request.filters)).sort(compareNewestFirst);
  return {
    request,
    principal: principalFromEvents(request.principal, all),
    events: matched,
    fetchedEvents: all.length,
    derivedCredentials,
    summary: buildTrailSummary(matched, { findingIp: request.findingIp }),
    truncated,
    warnings,
    stats: { requests: 0, pages: 0, throttles: 0, throttleWaitMs: 0, retries: 0, slices: 0, elapsedMs: input.elapsedMs, regions: [] },
  };
}
