/** What a remediation plan needs to know: the caller, the account and region, the key, its user and other keys. */
import { awsCall } from '../../aws/call.js';
import { listUserAccessKeys, resolveAccessKeyOwner } from '../../aws/iam-keys.js';
import { getUserInlinePolicy, signingAccessKeyId } from '../../aws/iam-writes.js';
import type { Context } from '../../cli/context.js';
import { NotFoundError } from '../../core/errors.js';
import {
  REVOKE_POLICY_NAME,
  RemediationRefusedError,
  revokePolicyCutoff,
  type KeyFacts,
  type RemediationFacts,
  type RemediationRequest,
} from '../../core/remediation/index.js';
import { sanitize } from '../../core/sanitize.js';
import { isTemporaryAccessKeyId } from '../../core/validate.js';


/** Everything the plan needs: the caller, the account and region, the key, its user and other keys. */
export async function gatherRemediationFacts(ctx: Context, request: RemediationRequest): Promise<RemediationFacts> {
  const identity = await awsCall('sts:GetCallerIdentity', () => ctx.aws.callerIdentity(ctx.signal));
  const region = await ctx.aws.region();
  const signingKey = await signingAccessKeyId(ctx);
  const keyId = request.accessKeyId;
  let userName = request.userName;
  let key: KeyFacts | undefined;
  let otherKeys: KeyFacts[];
  if (isTemporaryAccessKeyId(keyId)) {
    if (!userName) throw new RemediationRefusedError(`${keyId} is a temporary (session) access key: name its parent user with --user`, 'temporary_key');
    otherKeys = (await listUserAccessKeys(ctx, userName, { withLastUsed: true })).map(toKeyFacts);
  } else {
    if (!userName) userName = (await resolveAccessKeyOwner(ctx, keyId)).userName;
    const keys = await listUserAccessKeys(ctx, userName, { withLastUsed: true });
    const mine = keys.find((k) => k.accessKeyId === keyId);
    if (!mine) {
      throw new NotFoundError(`access key ${keyId} does not belong to IAM user ${sanitize(userName)}`, {
        remedy: request.userName ? 'check the key ID, or omit --user and gd-ir finds the owner' : 'check the key ID and the account',
      });
    }
    key = toKeyFacts(mine);
    otherKeys = keys.filter((k) => k.accessKeyId !== keyId).map(toKeyFacts);
  }
  const facts: RemediationFacts = {
    accountId: identity.account,
    region,
    caller: { arn: identity.arn, userId: identity.userId, accountId: identity.account, accessKeyId: signingKey },
    userName,
    key,
    otherKeys,
  };
  if (request.revokeSessions || request.restoreSessions) {
    const doc = await getUserInlinePolicy(ctx, userName, REVOKE_POLICY_NAME);
    facts.revokePolicy = doc === undefined ? { present: false } : { present: true, cutoff: revokePolicyCutoff(doc) };
  }
  return facts;
}

function toKeyFacts(k: { accessKeyId: string; status: string; createdAt?: string; lastUsed?: KeyFacts['lastUsed'] }): KeyFacts {
  return { accessKeyId: k.accessKeyId, status: k.status, createdAt: k.createdAt, lastUsed: k.lastUsed };
}
