/**
 * `collectTrail` for log sources: the principal's records from the source, then (with --follow) the
 * records of every temporary key it minted, assembled into the same TrailResult event history gives.
 */
import { accessLevelFor } from '../core/event-classification.js';
import { addScanStats, assembleLogTrail, derivedCredentialsOf, type LogScanStats } from '../core/logs/assemble.js';
import { derivedQuery, principalQuery } from '../core/logs/match.js';
import { trailEventFromRecord } from '../core/logs/record.js';
import type { TrailEvent, TrailRequest, TrailResult } from '../core/trail/index.js';
import type { LogSource, MatchedRecord, ScanHooks } from './types.js';

export interface LogTrailResult extends TrailResult {
  source: { kind: LogSource['kind']; description: string; scan: LogScanStats };
}

export interface LogTrailHooks extends ScanHooks {
  onEvent?(event: TrailEvent): void;
  onPhase?(phase: 'principal' | 'derived'): void;
}

async function toEvents(matched: readonly MatchedRecord[], derived: boolean): Promise<TrailEvent[]> {
  return Promise.all(
    matched.map(async ({ record, selector }) => {
      const e = trailEventFromRecord(record, derived ? { derived: true, viaKey: selector.viaKey } : {});
      e.accessLevel = await accessLevelFor(e.eventSource, e.eventName);
      return e;
    }),
  );
}

export async function collectLogTrail(source: LogSource, request: TrailRequest, hooks: LogTrailHooks = {}, signal?: AbortSignal): Promise<LogTrailResult> {
  const started = performance.now();
  hooks.onPhase?.('principal');
  const first = await source.scan(principalQuery(request), hooks, signal);
  const principalEvents = await toEvents(first.records, false);
  let stats = first.stats;
  const warnings = [...request.warnings, ...first.warnings];
  let derivedEvents: TrailEvent[] = [];
  const creds = derivedCredentialsOf(principalEvents);
  const dq = request.follow ? derivedQuery(request, creds) : undefined;
  if (dq) {
    hooks.onPhase?.('derived');
    const second = await source.scan(dq, hooks, signal);
    derivedEvents = await toEvents(second.records, true);
    stats = addScanStats(stats, second.stats);
    warnings.push(...second.warnings);
  }
  const result = assembleLogTrail({ request, principalEvents, derivedEvents, warnings, elapsedMs: Math.round(performance.now() - started) });
  if (hooks.onEvent) for (const e of result.events) hooks.onEvent(e);
  return { ...result, source: { kind: source.kind, description: source.describe(), scan: stats } };
}
