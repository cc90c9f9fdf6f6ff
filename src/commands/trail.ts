/**
 * `gd-ir trail (--key <id> | --user <name> | --finding <id>)`: everything the principal did in
 * CloudTrail's 90-day event history, read from every region at the API's 2 requests/s, summarised.
 */
import type { Context } from '../cli/context.js';
import { UsageError } from '../core/errors.js';
import { collectTrail, type TrailProgress } from '../aws/cloudtrail.js';
import { getFinding } from '../aws/guardduty.js';
import { toFindingSummary } from '../core/finding.js';
import { LOOKUP_EVENTS_RATE } from '../core/rate-limiter.js';
import {
  DEFAULT_MAX_EVENTS,
  DEFAULT_TRAIL_WINDOW_MS,
  findingTrailInput,
  normaliseEventSource,
  resolveTrailRegions,
  resolveTrailWindow,
  trailRequestForFinding,
  type TrailFilters,
  type TrailRequest,
  type TrailResult,
} from '../core/trail/index.js';
import {
  parseAccessKeyId,
  parseDetectorId,
  parseFindingId,
  parseInteger,
  parseRegionList,
  parseTimeArg,
  parseUserName,
} from '../core/validate.js';
import { sanitize } from '../core/sanitize.js';
import { renderTrail } from '../render/trail.js';
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
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);
const show = (v: string): string => `'${sanitize(v, { maxLength: 80 })}'`;

function parseRate(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 10) {
    throw new UsageError(`invalid --rate ${show(value)}: expected LookupEvents requests per second per region, a number above 0 and at most 10 (AWS allows 2)`);
  }
  return n;
}

function parseEventName(value: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_.-]{0,127}$/.test(value)) {
    throw new UsageError(`invalid --event ${show(value)}: expected a CloudTrail event name such as GetParameters or CreateUser`);
  }
  return value;
}

function parseSource(value: string): string {
  if (!/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/.test(value.trim()) || value.length > 128) {
    throw new UsageError(`invalid --source ${show(value)}: expected a service such as iam, ssm or s3.amazonaws.com`);
  }
  return normaliseEventSource(value);
}

function parseIp(value: string): string {
  const v = value.trim();
  // CloudTrail's sourceIPAddress is an IPv4/IPv6 address or an AWS service name (cloudformation.amazonaws.com).
  if (!/^[A-Za-z0-9.:-]{1,255}$/.test(v)) {
    throw new UsageError(`invalid --ip ${show(value)}: expected an IPv4 or IPv6 address (or a service name as CloudTrail records it)`);
  }
  return v;
}

/** Validate every option before any AWS call (exit 2 on bad input). */
export function parseTrailOptions(options: Record<string, unknown>, now: Date): TrailOptions {
  const key = str(options.key);
  const user = str(options.user);
  const finding = str(options.finding);
  if (!key && !user && !finding) {
    throw new UsageError('say whose trail to read: --key <accessKeyId>, --user <userName> or --finding <findingId>');
  }
  if (finding && (key || user)) {
    throw new UsageError('--finding takes the key and user from the finding: drop --key/--user, or drop --finding');
  }
  if (options.readOnly === true && options.writeOnly === true) {
    throw new UsageError('--read-only and --write-only exclude each other: pass one of them');
  }
  const since = str(options.since);
  const until = str(options.until);
  const regions = str(options.regions);
  const maxEvents = options.maxEvents === undefined ? DEFAULT_MAX_EVENTS : parseInteger(String(options.maxEvents), '--max-events', 1, 1_000_000);
  const source = str(options.source);
  const ip = str(options.ip);
  return {
    key: key === undefined ? undefined : parseAccessKeyId(key),
    user: user === undefined ? undefined : parseUserName(user),
    finding: finding === undefined ? undefined : parseFindingId(finding),
    detectorId: str(options.detectorId) === undefined ? undefined : parseDetectorId(str(options.detectorId) as string),
    since: since === undefined ? undefined : parseTimeArg(since, '--since', now),
    until: until === undefined ? undefined : parseTimeArg(until, '--until', now),
    regions: regions === undefined ? undefined : parseRegionList(regions),
    filters: {
      events: list(options.event).map(parseEventName),
      ...(source !== undefined ? { source: parseSource(source) } : {}),
      ...(ip !== undefined ? { ip: parseIp(ip) } : {}),
      errorsOnly: options.errorsOnly === true,
      ...(options.readOnly === true ? { access: 'read' as const } : options.writeOnly === true ? { access: 'write' as const } : {}),
    },
    follow: options.follow === true,
    maxEvents,
    rate: options.rate === undefined ? LOOKUP_EVENTS_RATE : parseRate(String(options.rate)),
    oldestFirst: options.oldestFirst === true,
    raw: options.raw === true,
    jsonl: options.jsonl === true,
  };
}

/** Turn validated options into a TrailRequest (reads the finding from GuardDuty with --finding). */
export async function buildTrailRequest(ctx: Context, opts: TrailOptions, now: Date = ctx.clock.now()): Promise<TrailRequest> {
  const region = await ctx.aws.region();
  if (opts.finding) {
    const { finding } = await getFinding(ctx, opts.finding, { region, detectorId: opts.detectorId });
    const request = trailRequestForFinding(findingTrailInput(toFindingSummary(finding)), now, {
      follow: opts.follow,
      maxEvents: opts.maxEvents,
      rate: opts.rate,
      filters: opts.filters,
      regions: opts.regions === undefined ? undefined : resolveTrailRegions(opts.regions, region).regions,
    });
    if (opts.since || opts.until) {
      const w = resolveTrailWindow(opts.since ?? request.window.start, opts.until ?? request.window.end, now);
      return { ...request, window: w.window, warnings: [...w.warnings, ...request.warnings.filter((x) => !x.startsWith('CloudTrail event history'))] };
    }
    return request;
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

export async function execute(ctx: Context, _args: string[], options: Record<string, unknown>): Promise<number> {
  // One "now" for the durations and the window, so `--since 7d` is exactly 7 days.
  const now = ctx.clock.now();
  const opts = parseTrailOptions(options, now);
  if (opts.jsonl && ctx.globals.json) throw new UsageError('--jsonl and --json are two output formats: pass one of them');
  const request = await buildTrailRequest(ctx, opts, now);
  for (const w of request.warnings) ctx.io.warn(w);
  const result = await runTrail(ctx, request, opts);
  for (const w of result.warnings.slice(request.warnings.length)) ctx.io.warn(w);
  if (opts.jsonl) return 0;
  if (ctx.globals.json) {
    ctx.io.printJson(trailToJson(result, { raw: opts.raw }));
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
