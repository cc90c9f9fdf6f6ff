/**
 * `gd-ir trail (--key <id> | --user <name> | --finding <id>)`: everything the principal did in
 * CloudTrail's 90-day event history, read from every region at the API's 2 requests/s, summarised.
 */
import type { Context } from '../cli/context.js';
import { UsageError } from '../core/errors.js';
import { collectTrail, type TrailProgress } from '../aws/cloudtrail.js';
import { getFinding } from '../aws/guardduty.js';
import { toFindingSummary } from '../core/finding/index.js';
import {
  DEFAULT_TRAIL_WINDOW_MS,
  findingTrailInput,
  resolveTrailRegions,
  resolveTrailWindow,
  trailRequestForFinding,
  type TrailFilters,
  type TrailRequest,
  type TrailResult,
} from '../core/trail/index.js';
import { parseInput } from '../cli/command-spec.js';
import { trail, type TrailInput } from '../cli/commands/trail.js';
import { renderTrail } from '../render/trail.js';
import { accessJson } from '../render/access-json.js';
import { trailEventToJson, trailToJson } from '../render/trail-json.js';

export { collectTrail, type TrailHooks, type TrailProgress } from '../aws/cloudtrail.js';
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
  /** --account: the account whose trail to read (through --read-role when it is not the caller's). */
  account?: string;
}

/** The handler's view of the validated input: selectors, window, filters and output switches. */
export function toTrailOptions({ options: o }: TrailInput): TrailOptions {
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
    ...(o.account !== undefined ? { account: o.account } : {}),
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
      regions: opts.regions === undefined ? undefined : resolveTrailRegions(opts.regions, region).regions,
    });
    if (opts.since || opts.until) {
      const w = resolveTrailWindow(opts.since ?? request.window.start, opts.until ?? request.window.end, now);
      return { ...request, window: w.window, warnings: [...w.warnings, ...request.warnings.filter((x) => !x.startsWith('CloudTrail event history'))], account: finding.accountId };
    }
    return { ...request, account: finding.accountId };
  }
  const end = opts.until ?? now;
  const start = opts.since ?? new Date(end.getTime() - DEFAULT_TRAIL_WINDOW_MS);
  const w = resolveTrailWindow(start, end, now);
  const r = resolveTrailRegions(opts.regions, region);
  return {
    principal: { ...(opts.key ? { accessKeyId: opts.key } : {}), ...(opts.user ? { userName: opts.user } : {}) },
    lookup: opts.key ? { attribute: 'AccessKeyId', value: opts.key } : { attribute: 'Username', value: opts.user as string },
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

function progressLine(p: TrailProgress): string {
  const parts = [
    `Reading CloudTrail${p.phase === 'derived' ? ' (derived credentials)' : ''}`,
    `${p.events.toLocaleString('en-US')} events`,
    `${p.pages} pages`,
    `regions ${p.regionsDone}/${p.regionsTotal} done`,
  ];
  if (p.throttles > 0) parts.push(`throttled ${p.throttles}× (backed off ${(p.throttleWaitMs / 1000).toFixed(1)}s)`);
  return parts.join(' · ');
}

/** Fetch the trail with progress on a TTY stderr and, with --jsonl, each event streamed as it arrives. */
export async function runTrail(ctx: Context, request: TrailRequest, opts: Pick<TrailOptions, 'jsonl' | 'raw'>): Promise<TrailResult> {
  const showProgress = !ctx.globals.json && !(opts.jsonl && ctx.io.stdoutIsTTY);
  try {
    return await collectTrail(ctx, request, {
      onProgress: showProgress ? (p) => ctx.io.progress(progressLine(p)) : undefined,
      onEvent: opts.jsonl ? (e) => ctx.io.jsonLine(trailEventToJson(e, { raw: opts.raw })) : undefined,
    });
  } finally {
    ctx.io.clearProgress();
  }
}

export async function execute(ctx: Context, input: TrailInput): Promise<number> {
  // One "now" for the durations and the window, so `--since 7d` is exactly 7 days.
  const now = ctx.clock.now();
  const opts = toTrailOptions(input);
  if (opts.jsonl && ctx.globals.json) throw new UsageError('--jsonl and --json are two output formats: pass one of them');
  const access = opts.account !== undefined || opts.finding !== undefined ? await import('../access/index.js') : undefined;
  // Who we are decides whether the account is ours: asked while the finding is read.
  access?.analystIdentity(ctx).catch(() => undefined);
  const { account, ...request } = await buildTrailRequest(ctx, opts, now);
  for (const w of request.warnings) ctx.io.warn(w);
  // CloudTrail event history is per account: a member's is read through its read role (src/access/).
  const reached = access && account !== undefined ? await access.accountContext(ctx, account, 'read') : undefined;
  if (access && reached && reached.access.via !== 'caller' && !ctx.globals.json && !opts.jsonl) ctx.io.info(`Reading the trail of ${access.describeAccess(reached.access)}.`);
  const result = await runTrail(reached?.ctx ?? ctx, request, opts);
  for (const w of result.warnings.slice(request.warnings.length)) ctx.io.warn(w);
  if (opts.jsonl) return 0;
  if (ctx.globals.json) {
    ctx.io.printJson({ ...trailToJson(result, { raw: opts.raw }), ...(reached ? { access: accessJson(reached.access) } : {}) });
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
