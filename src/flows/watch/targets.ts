/**
 * What `gd-ir watch` follows: for a finding, its key (or user), the sessions it minted and every key the attacker
 * created (with their sessions), found the way `investigate` finds them (src/flows/changes/follow.ts); for a key or
 * a user, the same from its own trail. And when containment completed, from the audit log. The trail is the one of
 * the finding's account (or --account): a member account's is read through its read role (src/access/).
 */
import { accountContext } from '../../access/index.js';
import { AuditLog, isWriterAlive } from '../../audit/audit-log.js';
import { collectTrail } from '../../sources/trail.js';
import { getFinding } from '../../aws/guardduty.js';
import type { Context } from '../../cli/context.js';
import type { AccountAccess } from '../../core/access.js';
import { pairAuditRecords } from '../../core/audit.js';
import { UsageError } from '../../core/errors.js';
import { toFindingSummary } from '../../core/finding/index.js';
import { DEFAULT_TRAIL_WINDOW_MS, NO_FILTERS, findingTrailInput, resolveTrailRegions, trailRequestForFinding, type TrailRequest } from '../../core/trail/index.js';
import { containmentState, type Containment, type UndoneContainment, type WatchedCredential } from '../../core/watch.js';
import { followCreatedKeys } from '../changes/follow.js';

export interface WatchSelector {
  findingId?: string;
  key?: string;
  user?: string;
  regions?: string[] | 'all';
  detectorId?: string;
  /** --account: whose CloudTrail (default: the finding's with a finding, else the caller's). */
  account?: string;
}

export interface WatchPlan {
  credentials: WatchedCredential[];
  regions: string[];
  containment?: Containment;
  /** No containment in place, because the last one was undone (contain --undo, a reactivation): which, and by what. */
  undone?: UndoneContainment;
  /** The finding's ID, when watching a finding. */
  findingId?: string;
  userName?: string;
  warnings: string[];
}

/** What to watch, and the context that reads its account's CloudTrail (the poll loop uses it too). */
export interface ResolvedWatch {
  plan: WatchPlan;
  ctx: Context;
  /** How the account was reached, when one was named (by the finding or --account). */
  access?: AccountAccess;
}

export async function resolveWatch(ctx: Context, sel: WatchSelector, auditLogPath: string): Promise<ResolvedWatch> {
  const region = await ctx.aws.region();
  const now = ctx.clock.now();
  let request: TrailRequest;
  let findingId: string | undefined;
  let account = sel.account;
  if (sel.findingId) {
    // The finding is the administrator's to read; its account's trail is read where it lives.
    const { finding } = await getFinding(ctx, sel.findingId, { region, ...(sel.detectorId ? { detectorId: sel.detectorId } : {}) });
    const summary = toFindingSummary(finding);
    if (sel.account !== undefined && summary.accountId && summary.accountId !== sel.account) {
      throw new UsageError(`finding ${summary.id} is in account ${summary.accountId}, not ${sel.account}`, { remedy: 'drop --account: the finding names its account' });
    }
    account = summary.accountId || sel.account;
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
  // Another account's CloudTrail through its read role (nothing configured: exit 4, with the ways to name one).
  const reached = account !== undefined ? await accountContext(ctx, account, 'read') : undefined;
  const rctx = reached?.ctx ?? ctx;
  // The credentials the principal minted or created, found in its trail (the same rules as the changes sweep).
  const trail = await collectTrail(rctx, request);
  const followed = await followCreatedKeys(rctx, trail);
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
  const { containment, undone } = containmentState(pairAuditRecords(read.records, isWriterAlive), {
    ...(findingId ? { findingId } : {}),
    accessKeyIds: credentials.filter((c) => c.attribute === 'AccessKeyId').map((c) => c.value),
    ...(trail.principal.userName ?? sel.user ? { userName: (trail.principal.userName ?? sel.user) as string } : {}),
  });
  const plan: WatchPlan = {
    credentials,
    regions: request.regions,
    ...(containment ? { containment } : {}),
    ...(undone ? { undone } : {}),
    ...(findingId ? { findingId } : {}),
    ...(trail.principal.userName ? { userName: trail.principal.userName } : {}),
    warnings: [...request.warnings, ...trail.warnings, ...followed.warnings],
  };
  return { plan, ctx: rctx, ...(reached ? { access: reached.access } : {}) };
}
