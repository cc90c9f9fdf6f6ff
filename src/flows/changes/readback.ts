/**
 * The read-backs of the changes sweep: every distinct IAM and CloudTrail read the changes need, concurrently
 * (bounded), each answered as a ProbeResult. A failed read is an answer too ("could not be read"), never a
 * failure of the report.
 */
import { getTrailStatus, trailExists } from '../../aws/cloudtrail-trails.js';
import { listUserAccessKeys } from '../../aws/iam-keys.js';
import {
  getInlinePolicy,
  getLoginProfile,
  getRoleTrustPolicy,
  listAttachedPolicyArns,
  listInlinePolicyNames,
  listPolicyVersions,
  listUserGroups,
  userExists,
} from '../../aws/iam-state.js';
import type { Context } from '../../cli/context.js';
import { probeKey, type Probe, type ProbeResult } from '../../core/changes/index.js';
import { mapLimit } from '../../core/concurrency.js';
import { errorSummary, NotFoundError } from '../../core/errors.js';

/** IAM and CloudTrail calls in flight at once: every read of a workshop-sized sweep goes in one round trip. */
export const READBACK_CONCURRENCY = 16;

const missing = (): ProbeResult => ({ ok: false, notFound: true, error: 'does not exist' });
const found = (value: unknown): ProbeResult => (value === undefined ? missing() : { ok: true, value });

async function read(ctx: Context, p: Probe): Promise<ProbeResult> {
  switch (p.op) {
    case 'getUser':
      return (await userExists(ctx, p.userName)) ? { ok: true, value: true } : missing();
    case 'listAccessKeys':
      return { ok: true, value: (await listUserAccessKeys(ctx, p.userName)).map((k) => ({ accessKeyId: k.accessKeyId, status: k.status })) };
    case 'getLoginProfile':
      return found(await getLoginProfile(ctx, p.userName));
    case 'listAttachedPolicies':
      return found(await listAttachedPolicyArns(ctx, p.holder, p.name));
    case 'listInlinePolicies':
      return found(await listInlinePolicyNames(ctx, p.holder, p.name));
    case 'listGroupsForUser':
      return found(await listUserGroups(ctx, p.userName));
    case 'getInlinePolicy':
      return found(await getInlinePolicy(ctx, p.holder, p.name, p.policyName));
    case 'getRoleTrust':
      return found(await getRoleTrustPolicy(ctx, p.roleName));
    case 'listPolicyVersions':
      return found(await listPolicyVersions(ctx, p.policyArn));
    case 'getTrailStatus':
      return found(await getTrailStatus(ctx, p.trail, p.region));
    case 'getTrail':
      return (await trailExists(ctx, p.trail, p.region)) ? { ok: true, value: true } : missing();
  }
}

export async function readBack(ctx: Context, probes: readonly Probe[]): Promise<Map<string, ProbeResult>> {
  const results = new Map<string, ProbeResult>();
  await mapLimit(probes, READBACK_CONCURRENCY, async (p) => {
    let r: ProbeResult;
    try {
      r = await read(ctx, p);
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      r = err instanceof NotFoundError ? missing() : { ok: false, notFound: false, error: errorSummary(err) };
    }
    results.set(probeKey(p), r);
  });
  return results;
}
