/** A trail request from a GuardDuty finding: its principal, window (first seen − 24 h … last seen + 1 h) and regions. */
import { UsageError } from '../errors.js';
import type { FindingSummary } from '../finding/index.js';
import { DEFAULT_MAX_EVENTS, DEFAULT_TRAIL_WINDOW_MS, NO_FILTERS, type LookupAttribute, type TrailFilters, type TrailRequest } from './model.js';
import { resolveTrailRegions, resolveTrailWindow } from './window.js';

const HOUR_MS = 3_600_000;

/** What a trail needs from a finding (investigate builds it from its own view of the principal). */
export interface FindingTrailInput {
  id?: string;
  region: string;
  accessKeyId?: string;
  /** An IAM user name (Username lookup when no key is known); leave out for role sessions. */
  userName?: string;
  /** service.eventFirstSeen / eventLastSeen (ISO), or createdAt/updatedAt when absent. */
  firstSeen?: string;
  lastSeen?: string;
  /** The remote IP of the API call that raised the finding. */
  remoteIp?: string;
  /** The finding's account (trail log archives hold many). */
  accountId?: string;
}

/** The trail input of a finding summary (src/core/finding.ts). */
export function findingTrailInput(summary: FindingSummary): FindingTrailInput {
  const p = summary.principal;
  const isRole = /role/i.test(p?.userType ?? '');
  return {
    id: summary.id,
    region: summary.region,
    ...(p?.accessKeyId ? { accessKeyId: p.accessKeyId } : {}),
    ...(p?.userName && !isRole ? { userName: p.userName } : {}),
    firstSeen: summary.firstSeen ?? summary.createdAt,
    lastSeen: summary.lastSeen ?? summary.updatedAt,
    ...(summary.remoteIp ? { remoteIp: summary.remoteIp } : {}),
    ...(summary.accountId ? { accountId: summary.accountId } : {}),
  };
}

export interface TrailRequestOptions {
  follow?: boolean;
  maxEvents?: number;
  rate?: number;
  filters?: TrailFilters;
  /** Overrides the finding's regions. */
  regions?: string[];
  /** Read from trail log files (--logs), not event history: no 90-day horizon; the finding's account only. */
  logs?: boolean;
}

/**
 * The trail for a finding's principal: key (else user) from the finding, window from 24 h before it
 * was first seen to 1 h after it was last seen, regions = the finding's region plus us-east-1 (and, for a lookup by
 * user name, the console sign-in regions: resolveTrailRegions).
 */
export function trailRequestForFinding(finding: FindingTrailInput, now: Date, opts: TrailRequestOptions = {}): TrailRequest {
  const { accessKeyId, userName } = finding;
  const attribute: LookupAttribute | undefined = accessKeyId ? 'AccessKeyId' : userName ? 'Username' : undefined;
  const value = accessKeyId ?? userName;
  if (!attribute || !value) {
    throw new UsageError(`${finding.id ? `finding ${finding.id}` : 'the finding'} names no access key or user, so there is no principal to look up in CloudTrail`, {
      remedy: 'pass --key <accessKeyId> or --user <userName> instead',
    });
  }
  const parse = (s: string | undefined): Date | undefined => {
    if (!s) return undefined;
    const d = new Date(s);
    return Number.isNaN(d.getTime()) ? undefined : d;
  };
  const first = parse(finding.firstSeen) ?? parse(finding.lastSeen) ?? now;
  const last = parse(finding.lastSeen) ?? first;
  const resolved = resolveTrailWindow(new Date(first.getTime() - DEFAULT_TRAIL_WINDOW_MS), new Date(Math.max(last.getTime(), first.getTime()) + HOUR_MS), now, { horizon: !opts.logs });
  const regions = resolveTrailRegions(opts.regions, finding.region, undefined, attribute);
  return {
    principal: { ...(accessKeyId ? { accessKeyId } : {}), ...(userName ? { userName } : {}) },
    lookup: { attribute, value },
    window: resolved.window,
    regions: regions.regions,
    follow: opts.follow ?? false,
    maxEvents: opts.maxEvents ?? DEFAULT_MAX_EVENTS,
    rate: opts.rate,
    filters: opts.filters ?? { ...NO_FILTERS, events: [] },
    findingId: finding.id,
    findingIp: finding.remoteIp,
    warnings: [...resolved.warnings, ...regions.warnings],
    ...(opts.logs && finding.accountId ? { accounts: [finding.accountId] } : {}),
  };
}

