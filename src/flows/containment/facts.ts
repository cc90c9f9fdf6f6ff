/**
 * What a containment plan is built from: the finding and its principal, who the caller is, the principal's trail
 * with every credential it minted or created, the changes read back (src/flows/changes/), the principal key's
 * status and, with --quarantine, which of AWS's quarantine policies the account has. Reads run in parallel after
 * the finding, in the finding's account: a member account's through its read role (src/access/, chosen as the
 * investigation chooses: src/flows/investigation/member-access.ts), never the write role.
 */
import { analystIdentity, NoAccountAccessError, type AccountContext } from '../../access/index.js';
import { collectTrail } from '../../sources/trail.js';
import { getFinding } from '../../aws/guardduty.js';
import { listUserAccessKeys } from '../../aws/iam-keys.js';
import { policyExists } from '../../aws/iam-state.js';
import { signingAccessKeyId } from '../../aws/iam-writes.js';
import type { Context } from '../../cli/context.js';
import { probeKey, type ChangesResult } from '../../core/changes/index.js';
import { QUARANTINE_POLICY_ARNS, type ContainFacts } from '../../core/containment/index.js';
import { UsageError } from '../../core/errors.js';
import { toFindingDetail, toFindingSummary, type FindingSummary } from '../../core/finding/index.js';
import { assessPrincipal, investigationFinding } from '../../core/investigation/index.js';
import { RemediationRefusedError, requestFromFinding } from '../../core/remediation/index.js';
import { findingTrailInput, trailRequestForFinding } from '../../core/trail/index.js';
import { sweepChanges } from '../changes/sweep.js';
import { findingReads } from '../investigation/member-access.js';

export interface ContainRequest {
  findingId: string;
  detectorId?: string;
  quarantine: boolean;
  force: boolean;
  /** --account: the account the finding must be in (a check; the finding names its account). */
  account?: string;
}

export interface GatheredContainment {
  facts: ContainFacts;
  finding: FindingSummary;
  changes: ChangesResult;
  /** The context the reads used (and the read-backs of the steps use), and how it reaches the finding's account. */
  read: AccountContext;
}

/** Refuses what containment cannot act on, with what to do instead (sample, root, service, non-IAM findings). */
function refuseNotContainable(summary: FindingSummary): void {
  if (summary.principal?.userType === 'AssumedRole') return;
  // remediate's refusals say it best for everything but roles, which a plan can contain.
  requestFromFinding(
    { id: summary.id, type: summary.type, sample: summary.sample, resourceType: summary.resourceType, instanceId: summary.instanceId, principal: summary.principal },
    { reactivate: false, revokeSessions: true, restoreSessions: false, force: false, dryRun: false },
  );
}

export async function gatherContainFacts(ctx: Context, request: ContainRequest, planId: string, onStatus?: (text: string) => void): Promise<GatheredContainment> {
  const region = await ctx.aws.region();
  onStatus?.('Reading the finding…');
  const { finding } = await getFinding(ctx, request.findingId, { region, ...(request.detectorId ? { detectorId: request.detectorId } : {}) });
  const summary = toFindingSummary(finding);
  refuseNotContainable(summary);
  const inv = investigationFinding(toFindingDetail(finding));
  const principal = assessPrincipal(inv);
  if (principal.kind !== 'iam-user' && principal.kind !== 'assumed-role') {
    throw new RemediationRefusedError(`finding ${summary.id} has no IAM principal gd-ir can contain`, 'not_actionable', `investigate it: gd-ir investigate ${summary.id}`);
  }
  if (request.account !== undefined && inv.accountId && request.account !== inv.accountId) {
    throw new UsageError(`finding ${summary.id} is in account ${inv.accountId}, not ${request.account}`, { remedy: 'drop --account: the finding names its account' });
  }
  onStatus?.('Reading who you are, the trail, what the attacker changed and what it left in place…');
  const identityP = analystIdentity(ctx);
  const settled = identityP.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  // The finding's account: its own credentials, or a member's read role when one is configured (reads wait for it).
  const reads = await findingReads(ctx, inv.accountId, settled, summary.region);
  const rctx = reads.ctx;
  const signingP = signingAccessKeyId(ctx);
  const keysP = principal.kind === 'iam-user' && principal.userName ? listUserAccessKeys(rctx, principal.userName) : Promise.resolve(undefined);
  const quarantineP = request.quarantine ? firstExisting(rctx) : Promise.resolve(undefined);
  const trailP = collectTrail(rctx, trailRequestForFinding(findingTrailInput(summary), ctx.clock.now(), { follow: true }));
  for (const p of [signingP, keysP, quarantineP, trailP]) p.catch(() => undefined);
  const identity = await identityP;
  const account = inv.accountId || identity.account;
  // Nothing configured for a member's finding: the reads were of the caller's own account, so they are dropped.
  if (reads.unchecked && account !== identity.account) throw new NoAccountAccessError(account, 'read', identity.account);
  const access = reads.access ?? { account, purpose: 'read' as const, via: 'caller' as const, actingArn: identity.arn };
  const trail = await trailP;
  const changes = await sweepChanges(rctx, trail, { accountId: account });
  const [keys, quarantineArn, signing] = await Promise.all([keysP, quarantineP, signingP]);
  const readBacks = changes.reads ?? new Map();
  // Whose sessions to revoke besides the principal's: users whose attacker-made keys minted sessions.
  const sessionUsers = [
    ...new Set([
      ...(principal.userName && principal.kind === 'iam-user' ? [principal.userName] : []),
      ...changes.followed.filter((f) => f.kind === 'session' && f.hop > 0 && f.userName).map((f) => f.userName as string),
    ]),
  ];
  const facts: ContainFacts = {
    planId,
    findingId: summary.id,
    region: summary.region,
    accountId: account,
    caller: { arn: identity.arn, accountId: identity.account, ...(signing ? { accessKeyId: signing } : {}) },
    principal: {
      kind: principal.kind,
      ...(principal.accessKeyId ? { accessKeyId: principal.accessKeyId } : {}),
      ...(principal.userName ? { userName: principal.userName } : {}),
      ...(principal.roleName ? { roleName: principal.roleName } : {}),
    },
    ...(keys && principal.accessKeyId ? { principalKeyStatus: keys.find((k) => k.accessKeyId === principal.accessKeyId)?.status ?? 'absent' } : {}),
    changes: changes.changes,
    reads: (p) => readBacks.get(probeKey(p)),
    sessionUsers,
    ...(quarantineArn ? { quarantineArn } : {}),
    force: request.force,
    now: ctx.clock.now(),
  };
  for (const w of [...trail.warnings, ...changes.warnings]) ctx.io.warn(w);
  return { facts, finding: summary, changes, read: { ctx: rctx, access } };
}

/** The newest of AWS's quarantine policies the account has (a partition may not have the newest yet). */
async function firstExisting(ctx: Context): Promise<string | undefined> {
  for (const arn of QUARANTINE_POLICY_ARNS) if (await policyExists(ctx, arn)) return arn;
  return undefined;
}
