/**
 * A trail read from the source `--logs` names, for `gd-ir trail`, `gd-ir investigate` and the console:
 * open the source, run the one pipeline, keep the plan (files and bytes) and the suggestion it calls
 * for, release the source.
 */
import type { Context } from '../cli/context.js';
import { scanSuggestions, type LogsSpec, type ScanPlan, type TrailRequest, type TrailResult } from '../core/trail/index.js';
import { openTrailSource, type SourceOptions } from '../sources/open.js';
import { collectSourceTrail, type TrailHooks } from '../sources/trail.js';

export interface TrailSourceHooks extends TrailHooks {
  /** Before a scan: the files it will read, and what to suggest instead past the threshold. */
  onPlan?(plan: ScanPlan & { derived: boolean; suggestions: ReturnType<typeof scanSuggestions> }): void;
}

export async function readTrail(ctx: Context, request: TrailRequest, spec: LogsSpec, opts: SourceOptions, hooks: TrailSourceHooks = {}): Promise<TrailResult> {
  const source = openTrailSource(ctx, spec, opts);
  let first: ScanPlan | undefined;
  try {
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
  } finally {
    await source.close?.();
  }
}
