/**
 * Where CloudTrail puts its log files, and which of them can hold a record of a given window.
 *
 * The key layout (CloudTrail User Guide, "Finding your CloudTrail log files" and "CloudTrail log file
 * examples"; docs/sources.md):
 *
 *   [prefix/]AWSLogs/[o-orgid/]<account>/CloudTrail/<region>/YYYY/MM/DD/
 *       <account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16 alphanumerics>.json.gz
 *
 * The folder date and the time in the name are the *delivery* time (UTC): a file holds records from
 * before it, never after. Digest files live beside it under `CloudTrail-Digest/` and Insights events under
 * `CloudTrail-Insight/`; neither holds API activity records.
 *
 * Pure: strings in, decisions out. The S3 source and the local walk both prune with it.
 */

export const DAY_MS = 86_400_000;
/** A file is delivered after its records, usually within 5–15 minutes; a day covers late deliveries. */
export const DELIVERY_SLACK_MS = DAY_MS;
/** Records are never delivered before they happen; this margin only covers clock skew between the two. */
export const RECORD_SKEW_MS = 15 * 60_000;

export type LogKind = 'log' | 'digest' | 'insight';

export interface KeyInfo {
  kind: LogKind;
  orgId?: string;
  accountId: string;
  region: string;
  /** The delivery day folder, `YYYY/MM/DD`. */
  day: string;
  /** The delivery time from the file name (ms since epoch), when the name follows the layout. */
  deliveredMs?: number;
}

const ACCOUNT = /^\d{12}$/;
/** Organisation IDs: "o-" and 10–32 lowercase letters or digits (AWS Organizations API reference). */
const ORG_ID = /^o-[a-z0-9]{10,32}$/;
const REGION = /^[a-z]{2,4}(?:-[a-z]+)+-\d{1,2}$/;
const KINDS: Record<string, LogKind> = { CloudTrail: 'log', 'CloudTrail-Digest': 'digest', 'CloudTrail-Insight': 'insight' };
const NAME = /^(\d{12})_(CloudTrail(?:-Digest|-Insight)?)_([a-z0-9-]+)_(?:.*_)?(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z(?:_[A-Za-z0-9]+)?\.json(?:\.gz)?$/;

export const isAccountId = (v: string): boolean => ACCOUNT.test(v);
export const isOrgId = (v: string): boolean => ORG_ID.test(v);
export const isRegionName = (v: string): boolean => REGION.test(v);

/** The delivery time in a log file's name (`…_20260601T1205Z_…`), or undefined. */
export function deliveryTimeOf(fileName: string): number | undefined {
  const m = NAME.exec(fileName);
  if (!m) return undefined;
  const [, , , , y, mo, d, h, mi] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Read a key or path (either separator style is accepted: `/` only) against the layout. Returns
 * undefined when it does not contain `AWSLogs/…/<account>/CloudTrail…/<region>/YYYY/MM/DD/…`.
 */
export function parseLogKey(key: string): KeyInfo | undefined {
  const parts = key.split('/');
  const at = parts.lastIndexOf('AWSLogs');
  if (at < 0) return undefined;
  let i = at + 1;
  let orgId: string | undefined;
  if (parts[i] !== undefined && ORG_ID.test(parts[i] as string)) orgId = parts[i++];
  const accountId = parts[i++];
  const kind = KINDS[parts[i++] ?? ''];
  const region = parts[i++];
  const [y, m, d] = [parts[i++], parts[i++], parts[i++]];
  if (!accountId || !ACCOUNT.test(accountId) || !kind || !region || !REGION.test(region)) return undefined;
  if (!/^\d{4}$/.test(y ?? '') || !/^\d{2}$/.test(m ?? '') || !/^\d{2}$/.test(d ?? '')) return undefined;
  const file = parts.length > i ? parts[parts.length - 1] : undefined;
  const deliveredMs = file ? deliveryTimeOf(file) : undefined;
  return { kind, ...(orgId ? { orgId } : {}), accountId, region, day: `${y}/${m}/${d}`, ...(deliveredMs !== undefined ? { deliveredMs } : {}) };
}

/** `YYYY/MM/DD` of an instant (UTC). */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replace(/-/g, '/');
}

/**
 * The delivery days that can hold a record of [start, end]: from the start's day (records are not
 * delivered before they happen) to the day of end + the delivery slack.
 */
export function deliveryDays(window: { start: Date; end: Date }): string[] {
  const first = Date.UTC(window.start.getUTCFullYear(), window.start.getUTCMonth(), window.start.getUTCDate());
  const last = window.end.getTime() + DELIVERY_SLACK_MS;
  const out: string[] = [];
  for (let t = first; t <= last; t += DAY_MS) out.push(dayOf(t));
  return out;
}

export interface PruneScope {
  window: { start: Date; end: Date };
  /** Regions to keep (undefined: every region). */
  regions?: readonly string[];
  /** Accounts to keep (undefined: every account). */
  accounts?: readonly string[];
}

/**
 * Can a file at this key hold a record of the scope? Keys outside the layout are kept (they are
 * recognised by their content instead); digest and Insights files never are.
 */
export function keyMayMatch(key: string, scope: PruneScope): boolean {
  const info = parseLogKey(key);
  if (!info) return !/(^|\/)CloudTrail-(Digest|Insight)(\/|$)|_CloudTrail-(Digest|Insight)_/.test(key);
  return infoMayMatch(info, scope);
}

export function infoMayMatch(info: KeyInfo, scope: PruneScope): boolean {
  if (info.kind !== 'log') return false;
  if (scope.regions && !scope.regions.includes(info.region)) return false;
  if (scope.accounts && !scope.accounts.includes(info.accountId)) return false;
  const days = deliveryDays(scope.window);
  if (info.day < (days[0] as string) || info.day > (days[days.length - 1] as string)) return false;
  if (info.deliveredMs !== undefined) {
    if (info.deliveredMs + RECORD_SKEW_MS < scope.window.start.getTime()) return false;
    if (info.deliveredMs > scope.window.end.getTime() + DELIVERY_SLACK_MS) return false;
  }
  return true;
}

/**
 * A path prefix under which a directory walk can still meet matching files: it stops descending into
 * `…/CloudTrail/<other region>/`, other accounts, days outside the window, digest and Insights folders.
 * `segments` are the path's components from the walk's root.
 */
export function dirMayMatch(segments: readonly string[], scope: PruneScope): boolean {
  const at = segments.lastIndexOf('AWSLogs');
  if (at < 0) return !segments.some((s) => s === 'CloudTrail-Digest' || s === 'CloudTrail-Insight');
  let i = at + 1;
  if (segments[i] !== undefined && ORG_ID.test(segments[i] as string)) i++;
  const account = segments[i++];
  if (account === undefined) return true;
  if (ACCOUNT.test(account) && scope.accounts && !scope.accounts.includes(account)) return false;
  const kind = segments[i++];
  if (kind === undefined) return true;
  if (kind === 'CloudTrail-Digest' || kind === 'CloudTrail-Insight') return false;
  if (kind !== 'CloudTrail') return true;
  const region = segments[i++];
  if (region === undefined) return true;
  if (REGION.test(region) && scope.regions && !scope.regions.includes(region)) return false;
  const ymd = segments.slice(i, i + 3);
  if (ymd.length === 0 || !ymd.every((s) => /^\d+$/.test(s))) return true;
  const days = deliveryDays(scope.window);
  const lo = (days[0] as string).split('/').slice(0, ymd.length).join('/');
  const hi = (days[days.length - 1] as string).split('/').slice(0, ymd.length).join('/');
  const here = ymd.map((s, n) => s.padStart(n === 0 ? 4 : 2, '0')).join('/');
  return here >= lo && here <= hi;
}

/**
 * The S3 prefixes to list for a scope: one per account, region and delivery day, under
 * `[prefix/]AWSLogs/[orgId/]`. Accounts and regions must be known (list them first with a delimiter).
 */
export function listPrefixes(base: string, orgId: string | undefined, accounts: readonly string[], regions: readonly string[], window: { start: Date; end: Date }): string[] {
  const root = `${base}${base === '' || base.endsWith('/') ? '' : '/'}AWSLogs/${orgId ? `${orgId}/` : ''}`;
  const days = deliveryDays(window);
  const out: string[] = [];
  for (const a of accounts) for (const r of regions) for (const d of days) out.push(`${root}${a}/CloudTrail/${r}/${d}/`);
  return out;
}
