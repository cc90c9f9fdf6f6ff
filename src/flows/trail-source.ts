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
import { checkTrailSourceOptions } from '../cli/shared-options.js';
import { runConfig } from '../config/index.js';
import { logsDefaults, type LogsDefaults } from '../config/logs.js';
import { sanitize } from '../core/sanitize.js';
import { scanSuggestions, type LogsSpec, type ScanPlan, type TrailRequest, type TrailResult } from '../core/trail/index.js';
import { openTrailSource, type SourceOptions } from '../sources/open.js';
import { collectSourceTrail, type TrailHooks } from '../sources/trail.js';
import type { SourceReport } from '../sources/types.js';

export interface TrailSourceHooks extends TrailHooks {
  /** Before a scan: the files it will read, and what to suggest instead past the threshold. */
  onPlan?(plan: ScanPlan & { derived: boolean; suggestions: ReturnType<typeof scanSuggestions> }): void;
}

/** One principal's trail, read from the run's source. */
export type TrailRead = (request: TrailRequest, hooks?: TrailSourceHooks) => Promise<TrailResult>;

export interface TrailReader {
  read: TrailRead;
  /** What the source read over all the run's reads (Athena: every query and its cost, the sweep's included). */
  report(): SourceReport;
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
    report: () => source.report(),
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

/** The log-source options as given on the command line (`--logs` absent: undefined). */
export interface GivenTrailSource {
  logs?: LogsSpec | undefined;
  athenaWorkgroup?: string | undefined;
  athenaOutput?: string | undefined;
  cache: boolean;
  logsProfile?: string | undefined;
}

export interface TrailSourceChoice {
  logs: LogsSpec;
  source: SourceOptions;
  /** `file:line` of the configuration file when the source is its `[logs]` default. */
  configured?: string;
}

/**
 * The source a run reads: `--logs`, else the configuration file's `[logs] source`, else event history; each of the
 * source's settings from its option, else from `[logs]` when it applies to that source (src/config/logs.ts). With
 * --sandbox the file's `[logs]` is not used: the sandbox serves its own logs. The options given are then checked
 * against the source chosen (exit 2).
 */
export function chooseTrailSource(ctx: Pick<Context, 'env' | 'globals'>, given: GivenTrailSource): TrailSourceChoice {
  const d: LogsDefaults = ctx.globals.sandbox ? { origin: {} } : logsDefaults(runConfig(ctx.env));
  const logs = given.logs ?? d.source ?? { kind: 'lookup' };
  checkTrailSourceOptions({ ...given, logs });
  const remote = logs.kind === 's3' || logs.kind === 'athena';
  const athena = logs.kind === 'athena';
  const logsProfile = given.logsProfile ?? (remote ? d.profile : undefined);
  const athenaWorkgroup = given.athenaWorkgroup ?? (athena ? d.athenaWorkgroup : undefined);
  const athenaOutput = given.athenaOutput ?? (athena ? d.athenaOutput : undefined);
  return {
    logs,
    source: {
      cache: given.cache,
      ...(logsProfile !== undefined ? { logsProfile } : {}),
      ...(athenaWorkgroup !== undefined ? { athenaWorkgroup } : {}),
      ...(athenaOutput !== undefined ? { athenaOutput } : {}),
    },
    ...(given.logs === undefined && d.source && d.origin.source ? { configured: d.origin.source } : {}),
  };
}

/** The line that says a run reads the configured source (stderr), and how to read event history instead. */
export function configuredSourceLine(choice: TrailSourceChoice): string {
  return `Reading CloudTrail from ${sourceLabel(choice.logs)}, the [logs] source of ${choice.configured ?? 'the configuration file'} (--logs lookup reads event history instead).`;
}

/** A source as the user named it, sanitised for the terminal: `CloudTrail`, a path, `s3://…`, `athena:db.table`. */
export function sourceLabel(l: LogsSpec): string {
  return sanitize(
    l.kind === 'lookup' ? 'CloudTrail' : l.kind === 'athena' ? `athena:${l.database}.${l.table}` : l.kind === 's3' ? `s3://${l.bucket}${l.prefix ? `/${l.prefix}` : ''}` : l.paths.length === 1 ? (l.paths[0] as string) : `${l.paths.length} paths`,
    { maxLength: 120 },
  );
}
