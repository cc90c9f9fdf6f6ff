/**
 * What `gd-ir watch` follows: for a finding, its key (or user), the sessions it minted and every key the attacker
 * created (with their sessions), found the way `investigate` finds them (src/flows/changes/follow.ts); for a key or
 * a user, the same from its own trail. And when containment completed, from the audit log.
 */
import { AuditLog, isWriterAlive } from '../../audit/audit-log.js';
import { collectTrail } from '../../sources/trail.js';
import { getFinding } from '../../aws/guardduty.js';
import type { Context } from '../../cli/context.js';
import { pairAuditRecords } from '../../core/audit.js';
import { toFindingSummary } from '../../core/finding/index.js';
import { DEFAULT_TRAIL_WINDOW_MS, NO_FILTERS, findingTrailInput, resolveTrailRegions, trailRequestForFinding, type TrailRequest } from '../../core/trail/index.js';
import { containmentFromAudit, type Containment, type WatchedCredential } from '../../core/watch.js';
import { followCreatedKeys } from '../changes/follow.js';

export interface WatchSelector {
  findingId?: string;
  key?: string;
  user?: string;
  regions?: string[] | 'all';
  detectorId?: string;
}

export interface WatchPlan {
  credentials: WatchedCredential[];
  regions: string[];
  containment?: Containment;
  /** The finding's ID, when watching a finding. */
  findingId?: string;
  userName?: string;
  warnings: string[];
}

export async function resolveWatch(ctx: Context, sel: WatchSelector, auditLogPath: string): Promise<WatchPlan> {
  const region = await ctx.aws.region();
  const now = ctx.clock.now();
  let request: TrailRequest;
  let findingId: string | undefined;
  if (sel.findingId) {
    const { finding } = await getFinding(ctx, sel.findingId, { region, ...(sel.detectorId ? { detectorId: sel.detectorId } : {}) });
    const summary = toFindingSummary(finding);
    findingId = summary.id;
    request = trailRequestForFinding(findingTrailInput(summary), now, { follow: true, ...(sel.regions ? { regions: resolveTrailRegions(sel.regions, region).regions } : {}) });
  } else {
    const r = resolveTrailRegions(sel.regions, region);
    request = {
      principal: { ...(sel.key ? { accessKeyId: sel.key } : {}), ...(sel.user ? { userName: sel.user } : {}) },
      lookup: sel.key ? { attribute: 'AccessKeyId', value: sel.key } : { attribute: 'Username', value: sel.user as string },
      window: { start: new Date(now.getTime() - DEFAULT_TRAIL_WINDOW_MS), end: now },
      regions: r.regions,
      follow: true,
      maxEvents: 10_000,
      filters: NO_FILTERS,
      warnings: r.warnings,
    };
  }
  // The credentials the principal minted or created, found in its trail (the same rules as the changes sweep).
  const trail = await collectTrail(ctx, request);
  const followed = await followCreatedKeys(ctx, trail);
  const credentials: WatchedCredential[] = [];
  const add = (c: WatchedCredential): void => {
    if (!credentials.some((x) => x.attribute === c.attribute && x.value === c.value)) credentials.push(c);
  };
  add({ attribute: request.lookup.attribute, value: request.lookup.value, kind: request.lookup.attribute === 'Username' ? 'user' : 'principal', label: request.lookup.attribute === 'Username' ? `user ${request.lookup.value}` : "the principal's key" });
  for (const f of followed.followed) {
    if (f.kind === 'principal') continue;
    add({ attribute: 'AccessKeyId', value: f.accessKeyId, kind: f.kind, label: f.kind === 'session' ? `session${f.userName ? ` of ${f.userName}` : ''}` : `key the attacker created for ${f.userName ?? '?'}` });
  }
  for (const k of followed.notFollowed) add({ attribute: 'AccessKeyId', value: k, kind: 'created-key', label: 'key created two hops away' });
  const read = new AuditLog(auditLogPath).read();
  const containment = containmentFromAudit(pairAuditRecords(read.records, isWriterAlive), {
    ...(findingId ? { findingId } : {}),
    accessKeyIds: credentials.filter((c) => c.attribute === 'AccessKeyId').map((c) => c.value),
    ...(trail.principal.userName ?? sel.user ? { userName: (trail.principal.userName ?? sel.user) as string } : {}),
  });
  return {
    credentials,
    regions: request.regions,
    ...(containment ? { containment } : {}),
    ...(findingId ? { findingId } : {}),
    ...(trail.principal.userName ? { userName: trail.principal.userName } : {}),
    warnings: [...request.warnings, ...trail.warnings, ...followed.warnings],
  };
}
