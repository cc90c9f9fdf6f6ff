/**
 * `gd-ir trail (--key <id> | --user <name> | --finding <id>)`: everything the principal did, from
 * CloudTrail's 90-day event history (every region at the API's 2 requests/s) or, with --logs, from the
 * trail's log files (a local archive, S3, Athena), summarised. One pipeline for every source.
 */
import type { Context } from '../cli/context.js';
import { UsageError } from '../core/errors.js';
import { getFinding } from '../aws/guardduty.js';
import { runScope } from '../cli/invocation.js';
import { toFindingSummary } from '../core/finding/index.js';
import {
  DEFAULT_TRAIL_WINDOW_MS,
  findingTrailInput,
  resolveTrailRegions,
  resolveTrailWindow,
  trailRequestForFinding,
  type LogsSpec,
  type TrailFilters,
  type TrailRequest,
  type TrailResult,
} from '../core/trail/index.js';
import { commandLine } from '../core/suggestion.js';
import { chooseTrailSource, configuredSourceLine, openTrailReader, sourceLabel, type TrailReader, type TrailSourceChoice } from '../flows/trail-source.js';
import type { SourceOptions } from '../sources/open.js';
import { parseInput } from '../cli/command-spec.js';
import { trail, type TrailInput } from '../cli/commands/trail.js';
import { renderTrail } from '../render/trail.js';
import { accessJson } from '../render/access-json.js';
import { trailEventToJson, trailToJson } from '../render/trail-json.js';
import { scanPlanLine, trailProgressLine } from '../render/trail-progress.js';

export { collectTrail, type TrailHooks } from '../sources/trail.js';
export { findingTrailInput, trailRequestForFinding, type FindingTrailInput, type TrailRequest, type TrailResult } from '../core/trail/index.js';

export interface TrailOptions {
  key?: string;
  user?: string;
  finding?: string;
  detectorId?: string;
  since?: Date;
  until?: Date;
  regions?: string[] | 'all';
  filters: TrailFilters;
  follow: boolean;
  maxEvents: number;
  rate: number;
  oldestFirst: boolean;
  raw: boolean;
  jsonl: boolean;
  /** Where to read (`--logs`) and what that source needs. */
  logs: LogsSpec;
  source: SourceOptions;
  /** --account: the account whose trail to read (through --read-role when it is not the caller's). */
  account?: string;
  /** --changes: successful writes only, classified. */
  changes: boolean;
}

/** The handler's view of the validated input: selectors, window, filters and output switches. */
export function toTrailOptions({ options: o }: TrailInput, chosen?: TrailSourceChoice): TrailOptions {
  return {
    key: o.key,
    user: o.user,
    finding: o.finding,
    detectorId: o.detectorId,
    since: o.since,
    until: o.until,
    regions: o.regions,
    filters: {
      events: o.event,
      ...(o.source !== undefined ? { source: o.source } : {}),
      ...(o.ip !== undefined ? { ip: o.ip } : {}),
      errorsOnly: o.errorsOnly,
      ...(o.readOnly ? { access: 'read' as const } : o.writeOnly ? { access: 'write' as const } : {}),
    },
    follow: o.follow,
    maxEvents: o.maxEvents,
    rate: o.rate,
    oldestFirst: o.oldestFirst,
    raw: o.raw,
    jsonl: o.jsonl,
    logs: chosen?.logs ?? o.logs ?? { kind: 'lookup' },
    source: chosen
      ? { ...chosen.source, rate: o.rate }
      : {
          rate: o.rate,
          cache: o.cache,
          ...(o.athenaWorkgroup !== undefined ? { athenaWorkgroup: o.athenaWorkgroup } : {}),
          ...(o.athenaOutput !== undefined ? { athenaOutput: o.athenaOutput } : {}),
          ...(o.logsProfile !== undefined ? { logsProfile: o.logsProfile } : {}),
        },
    ...(o.account !== undefined ? { account: o.account } : {}),
    changes: o.changes,
  };
}

/** Validates commander's raw values as `gd-ir trail` does (tests; exit 2 on bad input). */
export function parseTrailOptions(raw: Record<string, unknown>, now: Date): TrailOptions {
  return toTrailOptions(parseInput(trail, [], raw, { now }));
}

/**
 * Turn validated options into a TrailRequest (reads the finding from GuardDuty with --finding) and the account whose
 * trail it is: --account, else the finding's account, else the caller's (undefined).
 */
export async function buildTrailRequest(ctx: Context, opts: TrailOptions, now: Date = ctx.clock.now()): Promise<TrailRequest & { account?: string }> {
  const region = await ctx.aws.region();
  // Trail log files have no 90-day horizon; event history does.
  const logs = opts.logs.kind !== 'lookup';
  if (opts.finding) {
    const { finding } = await getFinding(ctx, opts.finding, { region, detectorId: opts.detectorId });
    if (opts.account !== undefined && finding.accountId !== opts.account) {
      throw new UsageError(`finding ${opts.finding} is in account ${finding.accountId}, not ${opts.account}`, { remedy: 'drop --account: the finding names its account' });
    }
    const request = trailRequestForFinding(findingTrailInput(toFindingSummary(finding)), now, {
      follow: opts.follow,
      maxEvents: opts.maxEvents,
      rate: opts.rate,
      filters: opts.filters,
      regions: opts.regions === undefined ? undefined : resolveTrailRegions(opts.regions, region, undefined, 'AccessKeyId').regions,
      logs,
    });
    if (opts.since || opts.until) {
      const w = resolveTrailWindow(opts.since ?? request.window.start, opts.until ?? request.window.end, now, { horizon: !logs });
      return { ...request, window: w.window, warnings: [...w.warnings, ...request.warnings.filter((x) => !x.startsWith('CloudTrail event history'))], account: finding.accountId };
    }
    return { ...request, account: finding.accountId };
  }
  const end = opts.until ?? now;
  const start = opts.since ?? new Date(end.getTime() - DEFAULT_TRAIL_WINDOW_MS);
  const w = resolveTrailWindow(start, end, now, { horizon: !logs });
  const lookup: TrailRequest['lookup'] = opts.key ? { attribute: 'AccessKeyId', value: opts.key } : { attribute: 'Username', value: opts.user as string };
  const r = resolveTrailRegions(opts.regions, region, undefined, lookup.attribute);
  return {
    principal: { ...(opts.key ? { accessKeyId: opts.key } : {}), ...(opts.user ? { userName: opts.user } : {}) },
    lookup,
    window: w.window,
    regions: r.regions,
    follow: opts.follow,
    maxEvents: opts.maxEvents,
    rate: opts.rate,
    filters: opts.filters,
    warnings: [...w.warnings, ...r.warnings],
    ...(opts.account !== undefined ? { account: opts.account } : {}),
  };
}

/**
 * Read the trail from its source with progress on a TTY stderr, the plan of a scan said before it
 * starts (with Athena suggested past the threshold) and, with --jsonl, each event streamed as it arrives.
 */
export async function runTrail(ctx: Context, reader: TrailReader, request: TrailRequest, opts: Pick<TrailOptions, 'jsonl' | 'raw' | 'logs'>): Promise<TrailResult> {
  const showProgress = !ctx.globals.json && !(opts.jsonl && ctx.io.stdoutIsTTY);
  const label = sourceLabel(opts.logs);
  try {
    return await reader.read(request, {
      onProgress: showProgress ? (p) => ctx.io.progress(trailProgressLine(p, label)) : undefined,
      onEvent: opts.jsonl ? (e) => ctx.io.jsonLine(trailEventToJson(e, { raw: opts.raw })) : undefined,
      onPlan: (plan) => {
        ctx.io.info(scanPlanLine(plan, label, plan.derived));
        for (const s of plan.suggestions) {
          ctx.io.hint(`That is a long scan: an Athena table over the bucket reads only the window's partitions. Set it up once with \`${commandLine(s, runScope(ctx))}\`, then pass --logs athena:<database>.<table>.`);
        }
      },
    });
  } finally {
    ctx.io.clearProgress();
  }
}

export async function execute(ctx: Context, input: TrailInput): Promise<number> {
  // One "now" for the durations and the window, so `--since 7d` is exactly 7 days.
  const now = ctx.clock.now();
  const chosen = chooseTrailSource(ctx, input.options);
  const opts = toTrailOptions(input, chosen);
  if (chosen.configured) ctx.io.info(configuredSourceLine(chosen));
  if (opts.jsonl && ctx.globals.json) throw new UsageError('--jsonl and --json are two output formats: pass one of them');
  const access = opts.account !== undefined || opts.finding !== undefined ? await import('../access/index.js') : undefined;
  // Who we are decides whether the account is ours: asked while the finding is read.
  access?.analystIdentity(ctx).catch(() => undefined);
  const { account, ...request } = await buildTrailRequest(ctx, opts, now);
  for (const w of request.warnings) ctx.io.warn(w);
  // CloudTrail event history is per account: a member's is read through its read role (src/access/). Trail log files
  // (--logs) are the organisation trail's, read with the log source's own credentials.
  const reached = access && account !== undefined && opts.logs.kind === 'lookup' ? await access.accountContext(ctx, account, 'read') : undefined;
  if (access && reached && reached.access.via !== 'caller' && !ctx.globals.json && !opts.jsonl) ctx.io.info(`Reading the trail of ${access.describeAccess(reached.access)}.`);
  const rctx = reached?.ctx ?? ctx;
  // One source for the run: --changes follows the created keys through it (each S3 object fetched once).
  const reader = openTrailReader(rctx, opts.logs, opts.source);
  let result: TrailResult;
  try {
    result = await runTrail(rctx, reader, request, opts);
    for (const w of result.warnings.slice(request.warnings.length)) ctx.io.warn(w);
    if (opts.jsonl) return 0;
    if (opts.changes) {
      const { showTrailChanges } = await import('../flows/changes/trail.js');
      await showTrailChanges(rctx, result, {
        followKeys: opts.follow,
        read: reader.read,
        ...(account !== undefined ? { accountId: account } : {}),
        ...(reached ? { access: reached.access } : {}),
      });
      return 0;
    }
  } finally {
    await reader.close();
  }
  if (ctx.globals.json) {
    ctx.io.printJson({ ...trailToJson(result, { raw: opts.raw, scope: runScope(ctx, undefined, reached?.access) }), ...(reached ? { access: accessJson(reached.access) } : {}) });
    return 0;
  }
  ctx.io.out(
    renderTrail(result, {
      style: ctx.io.style,
      columns: ctx.io.columns,
      tty: ctx.io.stdoutIsTTY,
      now: ctx.clock.now(),
      oldestFirst: opts.oldestFirst,
    }),
  );
  return 0;
}
