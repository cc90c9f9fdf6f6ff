/**
 * The IAM writes remediation makes — and the reads that verify them. Every write here is announced in
 * the audit log by the caller before it is sent; this module only talks to IAM.
 */
import type { Context } from '../cli/context.js';
import { NotFoundError } from '../core/errors.js';
import { awsCall } from './call.js';
import { isNotFound } from './errors.js';

export type WritableKeyStatus = 'Active' | 'Inactive';

/** How long a write may take to read back, and the first pause between reads (doubled each time). */
export const VERIFY_TIMEOUT_MS = 10_000;
export const VERIFY_FIRST_DELAY_MS = 200;

function notFound(err: unknown): boolean {
  return isNotFound(err) || isNotFound((err as { cause?: unknown }).cause);
}

/** UpdateAccessKey. The user is always named, so the call never falls back to the caller's own user. */
export async function updateAccessKeyStatus(ctx: Context, userName: string, accessKeyId: string, status: WritableKeyStatus): Promise<void> {
  const { UpdateAccessKeyCommand } = await import('@aws-sdk/client-iam');
  const iam = await ctx.aws.iam();
  await awsCall('iam:UpdateAccessKey', () =>
    iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId, Status: status }), { abortSignal: ctx.signal }),
  ).catch((err: unknown) => {
    if (notFound(err)) throw new NotFoundError(`access key ${accessKeyId} of user ${userName} no longer exists`, { cause: err });
    throw err;
  });
}

/** The key's status as ListAccessKeys reports it now; undefined when the user has no such key. */
export async function readAccessKeyStatus(ctx: Context, userName: string, accessKeyId: string): Promise<string | undefined> {
  const { paginateListAccessKeys } = await import('@aws-sdk/client-iam');
  const iam = await ctx.aws.iam();
  return awsCall('iam:ListAccessKeys', async () => {
    for await (const page of paginateListAccessKeys({ client: iam }, { UserName: userName })) {
      const hit = page.AccessKeyMetadata?.find((k) => k.AccessKeyId === accessKeyId);
      if (hit) return hit.Status ?? 'Unknown';
    }
    return undefined;
  });
}

/** PutUserPolicy (replaces a policy of the same name). */
export async function putUserInlinePolicy(ctx: Context, userName: string, policyName: string, document: string): Promise<void> {
  const { PutUserPolicyCommand } = await import('@aws-sdk/client-iam');
  const iam = await ctx.aws.iam();
  await awsCall('iam:PutUserPolicy', () =>
    iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: policyName, PolicyDocument: document }), { abortSignal: ctx.signal }),
  );
}

/** GetUserPolicy: the decoded document, or undefined when the user has no policy of that name. */
export async function getUserInlinePolicy(ctx: Context, userName: string, policyName: string): Promise<string | undefined> {
  const { GetUserPolicyCommand } = await import('@aws-sdk/client-iam');
  const iam = await ctx.aws.iam();
  try {
    const out = await awsCall('iam:GetUserPolicy', () =>
      iam.send(new GetUserPolicyCommand({ UserName: userName, PolicyName: policyName }), { abortSignal: ctx.signal }),
    );
    return decodePolicyDocument(out.PolicyDocument ?? '');
  } catch (err) {
    if (notFound(err)) return undefined;
    throw err;
  }
}

/** DeleteUserPolicy of exactly `policyName`; false when it was not there. */
export async function deleteUserInlinePolicy(ctx: Context, userName: string, policyName: string): Promise<boolean> {
  const { DeleteUserPolicyCommand } = await import('@aws-sdk/client-iam');
  const iam = await ctx.aws.iam();
  try {
    await awsCall('iam:DeleteUserPolicy', () =>
      iam.send(new DeleteUserPolicyCommand({ UserName: userName, PolicyName: policyName }), { abortSignal: ctx.signal }),
    );
    return true;
  } catch (err) {
    if (notFound(err)) return false;
    throw err;
  }
}

/** IAM returns policy documents URL-encoded (RFC 3986); the SDK passes them through as is. */
export function decodePolicyDocument(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export interface VerifyResult<T> {
  verified: boolean;
  /** The last value read (undefined when the last read failed or found nothing). */
  observed: T | undefined;
  attempts: number;
  /** The last read error, when reads failed. */
  error?: string;
}

/**
 * Read `read()` until `accept(value)` or the deadline passes (backoff from VERIFY_FIRST_DELAY_MS,
 * doubling). IAM is eventually consistent: a write can take a moment to show in reads.
 */
export async function readBack<T>(
  ctx: Context,
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  opts: { timeoutMs?: number; firstDelayMs?: number } = {},
): Promise<VerifyResult<T>> {
  const deadline = ctx.clock.now().getTime() + (opts.timeoutMs ?? VERIFY_TIMEOUT_MS);
  let delay = opts.firstDelayMs ?? VERIFY_FIRST_DELAY_MS;
  let attempts = 0;
  let observed: T | undefined;
  let error: string | undefined;
  for (;;) {
    attempts++;
    try {
      observed = await read();
      error = undefined;
      if (accept(observed)) return { verified: true, observed, attempts };
    } catch (err) {
      if (err instanceof Error && err.name === 'AbortError') throw err;
      observed = undefined;
      error = err instanceof Error ? err.message : String(err);
    }
    const left = deadline - ctx.clock.now().getTime();
    if (left <= 0) return { verified: false, observed, attempts, error };
    await ctx.clock.sleep(Math.min(delay, left), ctx.signal);
    delay = Math.min(delay * 2, 2_000);
  }
}

/** ListAccessKeys until the key reads `want`. */
export function verifyAccessKeyStatus(ctx: Context, userName: string, accessKeyId: string, want: WritableKeyStatus, opts?: { timeoutMs?: number }) {
  return readBack(ctx, () => readAccessKeyStatus(ctx, userName, accessKeyId), (s) => s === want, opts);
}

/** GetUserPolicy until the policy reads as `document` (present) or is gone (document undefined). */
/**
 * Read the policy back until it matches: `document` (same JSON), absent (undefined), or a predicate over
 * the document read (when another writer's equivalent document is as good as ours).
 */
export function verifyUserInlinePolicy(
  ctx: Context,
  userName: string,
  policyName: string,
  document: string | undefined | ((doc: string) => boolean),
  opts?: { timeoutMs?: number },
) {
  return readBack(
    ctx,
    () => getUserInlinePolicy(ctx, userName, policyName),
    (doc) =>
      document === undefined ? doc === undefined : doc !== undefined && (typeof document === 'function' ? document(doc) : sameJson(doc, document)),
    opts,
  );
}

function sameJson(a: string, b: string): boolean {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return a === b;
  }
}

/** The access key ID the caller's requests are signed with (undefined if the credentials cannot say). */
export async function signingAccessKeyId(ctx: Context): Promise<string | undefined> {
  try {
    const iam = await ctx.aws.iam();
    const provider = iam.config.credentials as unknown as () => Promise<{ accessKeyId?: string }>;
    const creds = await provider();
    return creds.accessKeyId;
  } catch {
    return undefined;
  }
}
