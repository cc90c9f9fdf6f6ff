/**
 * Which credentials read the finding's account. A GuardDuty administrator sees its members' findings, but
 * CloudTrail event history and IAM are per account: read with the administrator's credentials they describe the
 * wrong account (a same-named user there). When a read role (or profile) is configured for the finding's account,
 * the caller's identity (fetched while the finding is read) decides: its own account is read directly, another one
 * through the role (src/access/; a refusal ends the investigation with exit 4 and the trust-policy remedy). With
 * nothing configured, the reads start at once and are discarded if the account turns out to be foreign, with a
 * warning that says how to configure a role: the common single-account case pays no added latency.
 */
import { accountContext, hasAccessRoute, type AccountAccess } from '../../access/index.js';
import type { AwsClients } from '../../aws/clients.js';
import type { Context } from '../../cli/context.js';
import { resolveTrailRegions } from '../../core/trail/index.js';

export interface FindingReads {
  /** The context the trail, IAM and key reads use. */
  ctx: Context;
  /** How the finding's account was reached (known when checked before reading). */
  access?: AccountAccess;
  /** True when the reads run before the account was checked (nothing configured): foreign results are discarded. */
  unchecked: boolean;
}

/** Makes the clients the reads use first (IAM; CloudTrail LookupEvents, paced by gd-ir, in the trail's regions). */
async function warm(clients: AwsClients, regions: readonly string[]): Promise<void> {
  try {
    await Promise.all([clients.iam(), ...regions.map((r) => clients.cloudTrail(r, { maxAttempts: 1 }))]);
  } catch {
    /* only a head start: the reads make them anyway */
  }
}

export async function findingReads(
  ctx: Context,
  accountId: string | undefined,
  identity: Promise<{ ok: true; value: { account: string; arn: string } } | { ok: false; error: unknown } | undefined>,
  trailRegion?: string,
): Promise<FindingReads> {
  // The trail of a finding reads its region and us-east-1 (core/trail: resolveTrailRegions).
  const regions = trailRegion === undefined ? [] : resolveTrailRegions(undefined, trailRegion).regions;
  if (!accountId || !hasAccessRoute(ctx, accountId, 'read')) return { ctx, unchecked: true };
  const who = await identity;
  if (who?.ok && who.value.account === accountId) return { ctx, access: { account: accountId, purpose: 'read', via: 'caller', actingArn: who.value.arn }, unchecked: false };
  // The member's IAM and CloudTrail clients are made while STS answers, so the reads start as soon as it has.
  const reached = await accountContext(ctx, accountId, 'read', { prepare: (clients) => void warm(clients, regions) });
  return { ctx: reached.ctx, access: reached.access, unchecked: false };
}

/** The warning of an unchecked read of a foreign account: what was not read and how to read it. */
export function foreignAccountAdvice(findingAccount: string, callerAccount: string): string {
  return (
    `the finding is in account ${findingAccount} and your credentials are for account ${callerAccount}: CloudTrail event history and IAM are per account; ` +
    `configure a read role there (--read-role <name>, GD_IR_READ_ROLE or the configuration file: docs/multi-account.md) to read its trail and IAM, and a write role to act`
  );
}
