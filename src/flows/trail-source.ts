/**
 * A trail read from the source `--logs` names, for `gd-ir trail`, `gd-ir investigate` and the console:
 * open the source, run the one pipeline, keep the plan (files and bytes) and the suggestion it calls
 * for, release the source.
 *
 * A reader stays open for the run: the changes sweep (src/flows/changes/) follows the keys the
 * principal created through the same source, so an S3 object is fetched once for both reads and a
 * local archive, S3 and Athena answer the sweep as event history does.
 */
import type { Context } from '../cli/context.js';
import { scanSuggestions, type LogsSpec, type ScanPlan, type TrailRequest, type TrailResult } from '../core/trail/index.js';
import { openTrailSource, type SourceOptions } from '../sources/open.js';
import { collectSourceTrail, type TrailHooks } from '../sources/trail.js';

export interface TrailSourceHooks extends TrailHooks {
  /** Before a scan: the files it will read, and what to suggest instead past the threshold. */
  onPlan?(plan: ScanPlan & { derived: boolean; suggestions: ReturnType<typeof scanSuggestions> }): void;
}

/** One principal's trail, read from the run's source. */
export type TrailRead = (request: TrailRequest, hooks?: TrailSourceHooks) => Promise<TrailResult>;

export interface TrailReader {
  read: TrailRead;
  /** Releases the source (temporary files); reads after it are refused. */
  close(): Promise<void>;
}

export function openTrailReader(ctx: Context, spec: LogsSpec, opts: SourceOptions): TrailReader {
  const source = openTrailSource(ctx, spec, opts);
  let closed: Promise<void> | undefined;
  return {
    read: async (request, hooks = {}) => {
      if (closed) throw new Error('the trail source is closed');
      let first: ScanPlan | undefined;
      const result = await collectSourceTrail(
        source,
        request,
        {
          ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
          ...(hooks.onEvent ? { onEvent: hooks.onEvent } : {}),
          onPlan: (plan) => {
            const derived = first !== undefined;
            first ??= plan;
            hooks.onPlan?.({ ...plan, derived, suggestions: derived ? [] : scanSuggestions(spec, plan, opts.logsProfile) });
          },
        },
        ctx.signal,
      );
      if (result.source && first) result.source.suggestions = scanSuggestions(spec, first, opts.logsProfile);
      return result;
    },
    close: () => (closed ??= source.close?.() ?? Promise.resolve()),
  };
}

/** One read, the source released after it. */
export async function readTrail(ctx: Context, request: TrailRequest, spec: LogsSpec, opts: SourceOptions, hooks: TrailSourceHooks = {}): Promise<TrailResult> {
  const reader = openTrailReader(ctx, spec, opts);
  try {
    return await reader.read(request, hooks);
  } finally {
    await reader.close();
  }
}
