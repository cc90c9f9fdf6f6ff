/**
 * IAM access-key reads shared by policies, investigate and remediate: who owns a key, the user's keys,
 * and when each was last used. Writes (UpdateAccessKey, inline deny policies) live in iam-writes.ts.
 */
import type { Context } from '../cli/context.js';
import { NotFoundError, PermissionError } from '../core/errors.js';
import { sanitize } from '../core/sanitize.js';
import { awsCall } from './call.js';
import { isNotFound } from './errors.js';

export interface AccessKeyLastUsed {
  /** ISO time, absent when the key was never used (or use is not tracked). */
  date?: string;
  service?: string;
  region?: string;
}

export interface AccessKeyInfo {
  accessKeyId: string;
  userName: string;
  status: 'Active' | 'Inactive' | 'Expired' | string;
  createdAt?: string;
  lastUsed?: AccessKeyLastUsed;
}

function lastUsedFrom(raw: { LastUsedDate?: Date; ServiceName?: string; Region?: string } | undefined): AccessKeyLastUsed | undefined {
  if (!raw) return undefined;
  const out: AccessKeyLastUsed = {};
  if (raw.LastUsedDate) out.date = raw.LastUsedDate.toISOString();
  if (raw.ServiceName && raw.ServiceName !== 'N/A') out.service = raw.ServiceName;
  if (raw.Region && raw.Region !== 'N/A') out.region = raw.Region;
  return out;
}

/**
 * The user that owns an access key (GetAccessKeyLastUsed → UserName) and its last use.
 * A key unknown to this account → NotFoundError (exit 1).
 */
export async function resolveAccessKeyOwner(ctx: Context, accessKeyId: string): Promise<{ userName: string; lastUsed?: AccessKeyLastUsed }> {
  const { GetAccessKeyLastUsedCommand } = await import('@aws-sdk/client-iam');
  const iam = await ctx.aws.iam();
  try {
    const out = await awsCall('iam:GetAccessKeyLastUsed', () =>
      iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId }), { abortSignal: ctx.signal }),
    );
    if (!out.UserName) throw new NotFoundError(`access key ${accessKeyId} does not belong to an IAM user in this account`);
    return { userName: out.UserName, lastUsed: lastUsedFrom(out.AccessKeyLastUsed) };
  } catch (err) {
    if (isNotFound(err) || isNotFound((err as { cause?: unknown }).cause)) {
      throw new NotFoundError(`access key ${accessKeyId} does not belong to an IAM user in this account`, {
        remedy: 'check the key ID and that your credentials are for the account in the finding',
      });
    }
    // The IAM model lists no NoSuchEntity for GetAccessKeyLastUsed: IAM answers AccessDenied for a key that is
    // not in the caller's account (unknown, or another account's), so "grant the permission" alone can mislead.
    if (err instanceof PermissionError) {
      throw new PermissionError(err.message, err.permission, {
        remedy: `grant ${err.permission ?? 'iam:GetAccessKeyLastUsed'} to your identity; if you have it, the key is not in this account: 'aws sts get-access-key-info --access-key-id ${accessKeyId}' names the account it belongs to`,
        cause: err,
      });
    }
    throw err;
  }
}

/** All access keys of a user (every page) with status, creation date and last use. */
export async function listUserAccessKeys(ctx: Context, userName: string, opts: { withLastUsed?: boolean } = {}): Promise<AccessKeyInfo[]> {
  const { paginateListAccessKeys, GetAccessKeyLastUsedCommand } = await import('@aws-sdk/client-iam');
  const iam = await ctx.aws.iam();
  const keys: AccessKeyInfo[] = [];
  await awsCall('iam:ListAccessKeys', async () => {
    for await (const page of paginateListAccessKeys({ client: iam }, { UserName: userName })) {
      for (const k of page.AccessKeyMetadata ?? []) {
        keys.push({
          accessKeyId: k.AccessKeyId ?? '',
          userName: k.UserName ?? userName,
          status: k.Status ?? 'Unknown',
          createdAt: k.CreateDate?.toISOString(),
        });
      }
    }
  }).catch((err: unknown) => {
    if (isNotFound((err as { cause?: unknown }).cause)) throw new NotFoundError(`IAM user ${sanitize(userName)} not found`);
    throw err;
  });
  if (opts.withLastUsed) {
    await Promise.all(
      keys.map(async (k) => {
        const out = await awsCall('iam:GetAccessKeyLastUsed', () =>
          iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: k.accessKeyId }), { abortSignal: ctx.signal }),
        );
        k.lastUsed = lastUsedFrom(out.AccessKeyLastUsed);
      }),
    );
  }
  return keys;
}
