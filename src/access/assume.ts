/**
 * Credentials of a role in another account, for the rest of the run: STS AssumeRole with the caller's credentials,
 * the analyst's name as RoleSessionName and SourceIdentity, the ExternalId, the MFA device and code, the session
 * duration. The provider keeps them in memory only (never on disk, never printed: --debug redacts the response's
 * Credentials and the request's TokenCode, src/aws/redact.ts) and assumes the role again shortly before they expire.
 * A refusal becomes one error naming the role, the account, the reason and the trust policy that would allow it
 * (exit 4).
 */
import type { CredentialProvider, StaticCredentials } from '../aws/clients.js';
import { awsErrorCode } from '../aws/errors.js';
import type { Context } from '../cli/context.js';
import { explainAssumeFailure, type AccessPurpose, type AssumeAttempt } from '../core/access.js';
import { CredentialsError, GdIrError, PermissionError, UsageError } from '../core/errors.js';

/** Assume again when less than this is left: a long trail read must not run out of credentials mid-way. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

export interface AssumeSpec {
  roleArn: string;
  account: string;
  purpose: AccessPurpose;
  sessionName: string;
  sourceIdentity: string;
  externalId?: string;
  mfaSerial?: string;
  durationSeconds: number;
  callerArn?: string;
  callerAccount?: string;
}

export interface AssumedSession {
  credentials: StaticCredentials & { expiration?: Date };
  /** arn:aws:sts::<account>:assumed-role/<role>/<session> */
  arn: string;
}

/** The one-time code: --mfa-code once, then the terminal (through the prompter), else an error naming the flag. */
export interface MfaCodes {
  next(serial: string, why: string): Promise<string>;
}

export function mfaCodes(ctx: Pick<Context, 'prompter' | 'interactive'>, given: string | undefined): MfaCodes {
  let unused = given;
  return {
    async next(serial, why) {
      if (unused !== undefined) {
        const code = unused;
        unused = undefined;
        return code;
      }
      if (!ctx.interactive) {
        throw new UsageError(`an MFA code is needed ${why}`, { remedy: `pass --mfa-code <6 digits> from the device ${serial}` });
      }
      return ctx.prompter.input({
        message: `MFA code of ${serial} (${why})`,
        validate: (v) => (/^\d{6}$/.test(v.trim()) ? true : 'six digits'),
      });
    },
  };
}

function fail(spec: AssumeSpec, err: unknown): GdIrError {
  if (err instanceof GdIrError) return err;
  const code = awsErrorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  const attempt: AssumeAttempt = {
    roleArn: spec.roleArn,
    account: spec.account,
    purpose: spec.purpose,
    ...(spec.callerArn ? { callerArn: spec.callerArn } : {}),
    ...(spec.callerAccount ? { callerAccount: spec.callerAccount } : {}),
    sent: {
      ...(spec.externalId !== undefined ? { externalId: spec.externalId } : {}),
      ...(spec.mfaSerial !== undefined ? { mfaSerial: spec.mfaSerial } : {}),
      sourceIdentity: spec.sourceIdentity,
      durationSeconds: spec.durationSeconds,
    },
  };
  const why = explainAssumeFailure(attempt, code, message);
  const full = `${why.message} (${code}: ${message})`;
  if (why.reason === 'caller-credentials') return new CredentialsError(full, { remedy: why.remedy, cause: err });
  return new PermissionError(full, 'sts:AssumeRole', { remedy: why.remedy, cause: err });
}

/** One AssumeRole call. */
export async function assumeRole(ctx: Pick<Context, 'aws' | 'signal'>, spec: AssumeSpec, mfa: MfaCodes): Promise<AssumedSession> {
  try {
    const { AssumeRoleCommand } = await import('@aws-sdk/client-sts');
    const sts = await ctx.aws.sts();
    const tokenCode = spec.mfaSerial !== undefined ? (await mfa.next(spec.mfaSerial, `to assume ${spec.roleArn}`)).trim() : undefined;
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: spec.roleArn,
        RoleSessionName: spec.sessionName,
        SourceIdentity: spec.sourceIdentity,
        DurationSeconds: spec.durationSeconds,
        ...(spec.externalId !== undefined ? { ExternalId: spec.externalId } : {}),
        ...(spec.mfaSerial !== undefined ? { SerialNumber: spec.mfaSerial, TokenCode: tokenCode } : {}),
      }),
      { abortSignal: ctx.signal },
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('STS returned no credentials');
    return {
      credentials: {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
        ...(c.Expiration ? { expiration: c.Expiration } : {}),
      },
      arn: out.AssumedRoleUser?.Arn ?? '',
    };
  } catch (err) {
    if (err instanceof Error && err.name === 'AbortError') throw err;
    throw fail(spec, err);
  }
}

/**
 * A provider over a first session (or the AssumeRole call that brings it, so clients can be made while STS
 * answers): returns it while it has more than REFRESH_MARGIN_MS left, else assumes the role again (an MFA role
 * asks for a new code, or fails naming --mfa-code).
 */
export function refreshingProvider(
  ctx: Pick<Context, 'aws' | 'signal' | 'clock'>,
  spec: AssumeSpec,
  first: AssumedSession | Promise<AssumedSession>,
  mfa: MfaCodes,
): CredentialProvider {
  let current: AssumedSession | undefined = first instanceof Promise ? undefined : first;
  let pending: Promise<AssumedSession> | undefined = first instanceof Promise ? first : undefined;
  return async () => {
    if (!current) current = await (pending as Promise<AssumedSession>);
    const exp = current.credentials.expiration?.getTime();
    if (exp !== undefined && exp - ctx.clock.now().getTime() < REFRESH_MARGIN_MS) {
      pending ??= assumeRole(ctx, spec, mfa).finally(() => {
        pending = undefined;
      });
      current = await pending;
    }
    return { ...current.credentials };
  };
}
