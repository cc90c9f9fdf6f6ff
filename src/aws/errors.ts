/**
 * Classification of AWS SDK errors into gd-ir's typed errors (exit codes in src/core/errors.ts).
 * Inspects names and metadata only, so it never loads the SDK.
 */
import { AwsError, CredentialsError, GdIrError, PermissionError, RuntimeError } from '../core/errors.js';
import { OPT_IN_REGIONS } from '../core/regions.js';
import { sanitize } from '../core/sanitize.js';

const CREDENTIAL_CODES = new Set([
  'CredentialsProviderError',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'ExpiredToken',
  'ExpiredTokenException',
  'TokenRefreshRequired',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'IncompleteSignature',
  'IncompleteSignatureException',
]);

const DENIED_CODES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError',
  'UnauthorizedAccess',
  'Forbidden',
]);

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

export interface AwsCallInfo {
  /** e.g. 'guardduty:ListFindings' — the IAM action the call needs. */
  action: string;
}

interface SdkErrorLike {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $fault?: string;
}

function asSdkError(err: unknown): SdkErrorLike | undefined {
  return err && typeof err === 'object' ? (err as SdkErrorLike) : undefined;
}

export function awsErrorCode(err: unknown): string {
  const e = asSdkError(err);
  return e?.name && e.name !== 'Error' ? e.name : (e?.code ?? 'Error');
}

export function isAccessDenied(err: unknown): boolean {
  if (err instanceof PermissionError) return true;
  const code = awsErrorCode(err);
  return DENIED_CODES.has(code) || (asSdkError(err)?.$metadata?.httpStatusCode === 403 && !CREDENTIAL_CODES.has(code));
}

export function isCredentialsError(err: unknown): boolean {
  if (err instanceof CredentialsError) return true;
  const e = asSdkError(err);
  return CREDENTIAL_CODES.has(awsErrorCode(err)) || /could not load credentials|sso session .*expired|token is expired/i.test(e?.message ?? '');
}

export function isNotFound(err: unknown): boolean {
  const code = awsErrorCode(err);
  return code === 'NoSuchEntityException' || code === 'NoSuchEntity' || code === 'ResourceNotFoundException' || code === 'NotFound';
}

/**
 * A call to an opt-in region the account has not enabled: AWS answers with a credentials error
 * (UnrecognizedClientException / InvalidClientTokenId), because the region does not know the account.
 * https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html
 */
export function isDisabledOptInRegion(err: unknown, region: string): boolean {
  return OPT_IN_REGIONS.has(region) && (isCredentialsError(err) || isCredentialsError((err as { cause?: unknown } | undefined)?.cause));
}

/**
 * The service answered with success (2xx) but the SDK could not turn the body into the modelled output: a value of
 * a type the model does not expect (text where it reads epoch seconds). The SDK throws with the raw response attached
 * as a hidden `$response` (@smithy/core schemaDeserializationMiddleware) and `$metadata.httpStatusCode` 2xx; a
 * service error never has a 2xx status.
 */
export function isDeserializationError(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { $response?: { statusCode?: number }; $metadata?: { httpStatusCode?: number } };
  const status = e.$response?.statusCode ?? e.$metadata?.httpStatusCode;
  return typeof status === 'number' && status >= 200 && status < 300;
}

/** The IAM action named in an AccessDenied message ("... is not authorized to perform: iam:GetUser on ..."). */
export function deniedAction(err: unknown): string | undefined {
  const m = /not authorized to perform:?\s*([a-z0-9-]+:[A-Za-z0-9*]+)/i.exec(asSdkError(err)?.message ?? '');
  return m?.[1];
}

/** Turn any error from an AWS call into a GdIrError (or return it unchanged if it already is one). */
export function toGdIrError(err: unknown, call?: AwsCallInfo, profile?: string): GdIrError {
  if (err instanceof GdIrError) return err;
  const e = asSdkError(err) ?? {};
  const code = awsErrorCode(err);
  const message = sanitize(e.message ?? String(err), { maxLength: 400 });
  if (isCredentialsError(err)) {
    const sso = /sso/i.test(message);
    const remedy = sso
      ? `run 'aws sso login${profile ? ` --profile ${profile}` : ''}' and try again`
      : code === 'ExpiredToken' || code === 'ExpiredTokenException'
        ? 'refresh your session credentials (aws sso login, or a new AWS_SESSION_TOKEN) and try again'
        : "configure credentials: 'aws configure', --profile/AWS_PROFILE, environment variables or SSO (see README 'Credentials')";
    // The SDK found nothing to sign with: AWS never saw a request, so "rejected" would send the analyst the wrong way.
    const what = code === 'CredentialsProviderError' ? 'no AWS credentials found' : 'AWS rejected the credentials';
    return new CredentialsError(`${what} (${code}): ${message}`, { remedy, cause: err });
  }
  if (isAccessDenied(err)) {
    const permission = deniedAction(err) ?? call?.action;
    return new PermissionError(
      `access denied${permission ? ` for ${permission}` : ''}: ${message}`,
      permission,
      {
        remedy: `grant ${permission ?? 'the permission'} to your identity (README 'Permissions' lists what gd-ir needs)`,
        cause: err,
      },
    );
  }
  if (NETWORK_CODES.has(e.code ?? '') || NETWORK_CODES.has(code)) {
    return new RuntimeError(`cannot reach AWS (${e.code ?? code}): ${message}`, {
      code: 'network',
      remedy: 'check your network, proxy and --endpoint-url / AWS_ENDPOINT_URL',
      cause: err,
    });
  }
  return new AwsError(`${call ? `${call.action} failed: ` : ''}${message} (${code})`, code, call?.action, { cause: err });
}
