/**
 * The changes sweep as a part of the investigation (src/flows/investigation/gather.ts): it starts when the
 * principal's trail is in, in parallel with whatever IAM and GuardDuty reads are still running, and is skipped for
 * a finding of another account (its IAM is not the one the credentials read).
 */
import type { TrailResult } from '../../core/trail/index.js';
import type { Context } from '../../cli/context.js';
import type { ChangesResult } from '../../core/changes/index.js';
import { sweepChanges } from './sweep.js';

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export async function changesForInvestigation(
  ctx: Context,
  trail: Promise<TrailResult | undefined>,
  identity: Promise<Settled<{ account: string }> | undefined>,
  findingAccountId: string | undefined,
): Promise<ChangesResult | undefined> {
  const [t, id] = await Promise.all([trail.catch(() => undefined), identity]);
  if (!t) return undefined;
  const account = id?.ok ? id.value.account : undefined;
  if (account && findingAccountId && account !== findingAccountId) return undefined;
  return sweepChanges(ctx, t, { accountId: findingAccountId ?? account });
}
