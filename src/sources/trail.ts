/**
 * The one trail pipeline: read the principal's events from a source, then (with --follow) the events
 * of every temporary key it minted, into the one result builder (src/core/trail/builder.ts). Every
 * source (event history, a local archive, S3, Athena) gives the same result for the same records.
 */
import type { Context } from '../cli/context.js';
import { accessLevelFor } from '../core/event-classification.js';
import { derivedQuery, principalQuery } from '../core/logs/match.js';
import { TrailBuilder, type ScanPlan, type TrailEvent, type TrailProgress, type TrailRequest, type TrailResult } from '../core/trail/index.js';
import { LookupSource } from './lookup.js';
import type { ReadControl, SourceSink, TrailSource } from './types.js';

export interface TrailHooks {
  onProgress?(progress: TrailProgress): void;
  /** Each new event that passes the filters, as it arrives (for --jsonl). */
  onEvent?(event: TrailEvent): void;
  /** The files a scan will read, before it reads them. */
  onPlan?(plan: ScanPlan): void;
}

export async function collectSourceTrail(source: TrailSource, request: TrailRequest, hooks: TrailHooks = {}, signal: AbortSignal = new AbortController().signal): Promise<TrailResult> {
  const builder = new TrailBuilder(request);
  let phase: TrailProgress['phase'] = 'principal';
  const sink: SourceSink = {
    accept: async (event) => {
      if (builder.has(event.eventId)) return;
      event.accessLevel = await accessLevelFor(event.eventSource, event.eventName);
      if (builder.add(event)) hooks.onEvent?.(event);
    },
    get truncated() {
      return builder.truncated;
    },
  };
  const ctl: ReadControl = {
    signal,
    onProgress: (p) => hooks.onProgress?.({ ...p, phase, events: builder.size }),
    onPlan: (plan) => hooks.onPlan?.(plan),
  };
  const warnings = [...request.warnings];
  warnings.push(...(await source.read(principalQuery(request), sink, ctl)));
  const derivedCredentials = builder.derivedCredentials();
  const dq = request.follow && !builder.truncated ? derivedQuery(request, derivedCredentials) : undefined;
  if (dq) {
    phase = 'derived';
    warnings.push(...(await source.read(dq, sink, ctl)));
  }
  const report = source.report();
  return builder.finish({
    warnings,
    derivedCredentials,
    ...(report.stats ? { stats: report.stats } : {}),
    source: {
      kind: source.kind,
      description: source.describe(),
      ...(report.scan ? { scan: report.scan } : {}),
      ...(report.athena ? { athena: report.athena } : {}),
      suggestions: [],
    },
  });
}

/** A principal's trail from CloudTrail event history (`--logs lookup`, the default). */
export function collectTrail(ctx: Pick<Context, 'aws' | 'clock' | 'signal'>, request: TrailRequest, hooks: TrailHooks = {}): Promise<TrailResult> {
  return collectSourceTrail(new LookupSource(ctx, request.rate), request, hooks, ctx.signal);
}
