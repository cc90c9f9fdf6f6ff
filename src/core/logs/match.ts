/**
 * The one record matcher every log source shares (local files, S3 objects, and the Athena rows checked
 * again on arrival): the same principal selectors, window and regions as `gd-ir trail` over event
 * history, so a selector means the same thing whatever is read.
 *
 * - AccessKeyId: `userIdentity.accessKeyId` equals the key (LookupEvents' AccessKeyId attribute).
 * - Username: LookupEvents' Username (the IAM user name, `root`, or the role session name).
 * - The window is inclusive at both ends, as LookupEvents' StartTime/EndTime.
 * - Regions: the record's `awsRegion` (global services record theirs as us-east-1, as in event history).
 *
 * Pure. The byte needles let a scanner skip records that cannot match before parsing them.
 */
import { parseCloudTrailTime, type DerivedCredential } from '../trail/index.js';
import type { LookupAttribute, TrailRequest, TrailWindow } from '../trail/index.js';
import { accessKeyIdOf, eventTimeMs, usernameOf, type CloudTrailRecord } from './record.js';

export interface PrincipalSelector {
  attribute: LookupAttribute;
  value: string;
  /** The instant from which this selector applies (a derived key cannot act before it is minted). */
  fromMs?: number;
  /** A temporary key the principal minted (--follow); its events are marked derived. */
  derived?: boolean;
  /** For derived credentials: the principal's key that minted them. */
  viaKey?: string;
}

export interface LogQuery {
  selectors: PrincipalSelector[];
  window: TrailWindow;
  /** undefined: every region. */
  regions?: readonly string[];
  /** undefined: every account (organisation archives hold many). */
  accounts?: readonly string[];
}

/** The query of the principal's own activity for a trail request. */
export function principalQuery(request: Pick<TrailRequest, 'lookup' | 'window' | 'regions' | 'accounts'>): LogQuery {
  return {
    selectors: [{ attribute: request.lookup.attribute, value: request.lookup.value }],
    window: request.window,
    regions: request.regions,
    ...(request.accounts && request.accounts.length > 0 ? { accounts: request.accounts } : {}),
  };
}

/** The --follow query: every derived key, from the moment it was minted to the window's end. */
export function derivedQuery(request: Pick<TrailRequest, 'window' | 'regions' | 'principal' | 'accounts'>, creds: readonly DerivedCredential[]): LogQuery | undefined {
  const selectors: PrincipalSelector[] = [];
  for (const c of creds) {
    const from = Math.max(request.window.start.getTime(), parseCloudTrailTime(c.issuedAt) ?? NaN);
    if (Number.isNaN(from) || from >= request.window.end.getTime()) continue;
    const viaKey = c.parentAccessKeyId ?? request.principal.accessKeyId;
    selectors.push({ attribute: 'AccessKeyId', value: c.accessKeyId, fromMs: from, derived: true, ...(viaKey ? { viaKey } : {}) });
  }
  if (selectors.length === 0) return undefined;
  const earliest = Math.min(...selectors.map((s) => s.fromMs as number));
  const accounts = request.accounts && request.accounts.length > 0 ? { accounts: request.accounts } : {};
  return { selectors, window: { start: new Date(earliest), end: request.window.end }, regions: request.regions, ...accounts };
}

/** The selector a record matches (the first), or undefined. */
export function matchRecord(rec: CloudTrailRecord, q: LogQuery): PrincipalSelector | undefined {
  const t = eventTimeMs(rec);
  if (Number.isNaN(t) || t < q.window.start.getTime() || t > q.window.end.getTime()) return undefined;
  if (q.regions && !(typeof rec.awsRegion === 'string' && q.regions.includes(rec.awsRegion))) return undefined;
  if (q.accounts && !q.accounts.includes(recordAccount(rec) ?? '')) return undefined;
  let key: string | undefined;
  let user: string | undefined | null = null;
  for (const s of q.selectors) {
    if (s.fromMs !== undefined && t < s.fromMs) continue;
    if (s.attribute === 'AccessKeyId') {
      key ??= accessKeyIdOf(rec);
      if (key === s.value) return s;
    } else {
      if (user === null) user = usernameOf(rec);
      if (user === s.value) return s;
    }
  }
  return undefined;
}

/** The account whose trail recorded the record (`recipientAccountId`, else the identity's account). */
export function recordAccount(rec: CloudTrailRecord): string | undefined {
  if (typeof rec.recipientAccountId === 'string') return rec.recipientAccountId;
  const ui = rec.userIdentity as Record<string, unknown> | undefined;
  return ui && typeof ui.accountId === 'string' ? ui.accountId : undefined;
}

/**
 * Byte strings at least one of which occurs in the JSON text of every record the query can match
 * (a record cannot carry the key or the name without its characters). JSON escapes none of the
 * characters a validated key or IAM name may hold, so the text holds them verbatim.
 */
export function needlesOf(q: LogQuery): string[] {
  return [...new Set(q.selectors.map((s) => s.value))];
}
