/**
 * Which window and regions a trail reads: clamped to CloudTrail event history's 90 days, with a warning
 * for what it cannot see, and the regions where the principal's events are recorded.
 */
import { UsageError } from '../errors.js';
import { GUARDDUTY_REGIONS } from '../regions.js';
import { CONSOLE_SIGNIN_REGIONS, GLOBAL_EVENTS_REGION, LOOKUP_HORIZON_DAYS, type LookupAttribute, type TrailWindow } from './model.js';

const DAY_MS = 86_400_000;

export interface ResolvedWindow {
  window: TrailWindow;
  warnings: string[];
  /** False when the whole window is older than the 90-day horizon (nothing to fetch). */
  visible: boolean;
}

function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Check and clamp a window: start before end, end not after now, and (for event history, unless
 * `horizon: false`) a warning for the part older than its 90 days, which LookupEvents cannot see.
 */
export function resolveTrailWindow(start: Date, end: Date, now: Date, opts: { horizon?: boolean } = {}): ResolvedWindow {
  const warnings: string[] = [];
  const effectiveEnd = end.getTime() > now.getTime() ? now : end;
  if (start.getTime() >= effectiveEnd.getTime()) {
    throw new UsageError(`the time window is empty: --since ${iso(start)} is not before --until ${iso(effectiveEnd)}`);
  }
  // Trail log files (--logs) keep whatever the bucket or archive keeps: only event history has a horizon.
  if (opts.horizon === false) return { window: { start, end: effectiveEnd }, warnings, visible: true };
  const horizon = new Date(now.getTime() - LOOKUP_HORIZON_DAYS * DAY_MS);
  if (effectiveEnd.getTime() <= horizon.getTime()) {
    warnings.push(
      `CloudTrail event history keeps only the last ${LOOKUP_HORIZON_DAYS} days (since ${iso(horizon)}): the whole window ${iso(start)} → ${iso(effectiveEnd)} is older and cannot be seen with LookupEvents; search the trail's S3 logs or CloudTrail Lake instead`,
    );
    return { window: { start, end: effectiveEnd }, warnings, visible: false };
  }
  if (start.getTime() < horizon.getTime()) {
    const days = Math.max(1, Math.round((horizon.getTime() - start.getTime()) / DAY_MS));
    warnings.push(
      `CloudTrail event history keeps only the last ${LOOKUP_HORIZON_DAYS} days: events from ${iso(start)} to ${iso(horizon)} (${days} day${days === 1 ? '' : 's'} of the window) cannot be seen with LookupEvents; search the trail's S3 logs or CloudTrail Lake for them`,
    );
    return { window: { start: horizon, end: effectiveEnd }, warnings, visible: true };
  }
  return { window: { start, end: effectiveEnd }, warnings, visible: true };
}

/**
 * Regions to read: the list given, `all`, or by default the current region and us-east-1 (IAM, root sign-ins, STS
 * called through the global endpoint from outside AWS; model.ts cites the pages), de-duplicated in that order. A
 * lookup by user name also reads the regions where the global sign-in endpoint records an IAM user's console
 * sign-ins (us-east-2, eu-north-1, ap-southeast-2): sign-ins carry no access key, so a key lookup never finds them.
 * Warnings name what an explicit list leaves out.
 */
export function resolveTrailRegions(
  option: string[] | 'all' | undefined,
  currentRegion: string,
  allRegions: readonly string[] = GUARDDUTY_REGIONS,
  lookup: LookupAttribute = 'AccessKeyId',
): { regions: string[]; warnings: string[] } {
  const warnings: string[] = [];
  let regions: string[];
  if (option === 'all') regions = [...new Set(allRegions)];
  else if (option && option.length > 0) regions = [...new Set(option)];
  else regions = [...new Set([currentRegion, GLOBAL_EVENTS_REGION, ...(lookup === 'Username' ? CONSOLE_SIGNIN_REGIONS : [])])];
  if (!regions.includes(GLOBAL_EVENTS_REGION)) {
    warnings.push(
      `IAM calls, the root user's console sign-ins and STS calls made through the global endpoint from outside AWS are recorded in ${GLOBAL_EVENTS_REGION}, which is not among the regions read: they will be missing from this trail`,
    );
  }
  const missingSignIn = CONSOLE_SIGNIN_REGIONS.filter((r) => !regions.includes(r));
  if (lookup === 'Username' && option !== 'all' && missingSignIn.length > 0) {
    warnings.push(
      `an IAM user's console sign-ins through the global sign-in endpoint are recorded in ${GLOBAL_EVENTS_REGION}, ${CONSOLE_SIGNIN_REGIONS.join(', ')} (by latency); ${missingSignIn.join(', ')} ${missingSignIn.length === 1 ? 'is' : 'are'} not read, so sign-ins there will be missing`,
    );
  }
  return { regions, warnings };
}
