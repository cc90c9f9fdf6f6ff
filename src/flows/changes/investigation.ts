/**
 * The changes sweep as a part of the investigation (src/flows/investigation/gather.ts): it starts when the
 * principal's trail is in, in parallel with whatever IAM and GuardDuty reads are still running. `ctx` is the one
 * that reads the finding's account: a member account's read context when its read role reached it (the follow-ups
 * and read-backs then go through that role); with the caller's own credentials a finding of another account is
 * skipped (its IAM is not the one the credentials read). `read` is the source the principal's trail came from
 * (`--logs`), which the created keys are followed through.
 */
import type { TrailResult } from '../../core/trail/index.js';
import type { Context } from '../../cli/context.js';
import type { ChangesResult } from '../../core/changes/index.js';
import type { TrailRead } from '../trail-source.js';
import { sweepChanges } from './sweep.js';

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export async function changesForInvestigation(
  ctx: Context,
  trail: Promise<TrailResult | undefined>,
  identity: Promise<Settled<{ account: string }> | undefined>,
  findingAccountId: string | undefined,
  reached = false,
  read?: TrailRead,
): Promise<ChangesResult | undefined> {
  const [t, id] = await Promise.all([trail.catch(() => undefined), identity]);
  if (!t) return undefined;
  const account = id?.ok ? id.value.account : undefined;
  if (!reached && account && findingAccountId && account !== findingAccountId) return undefined;
  return sweepChanges(ctx, t, { accountId: findingAccountId ?? account, ...(read ? { read } : {}) });
}
