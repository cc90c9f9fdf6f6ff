/**
 * The services the sandbox emulates. Adding a service = writing its `ServiceSpec` (src/sandbox/services/) and
 * listing it here; routing, authentication, knobs and CloudTrail recording pick it up from this table.
 */
import type { Service } from './service.js';
import { ATHENA } from './services/athena/index.js';
import { CLOUDTRAIL } from './services/cloudtrail/index.js';
import { GUARDDUTY } from './services/guardduty/index.js';
import { IAM } from './services/iam/index.js';
import { S3 } from './services/s3/index.js';
import { STS } from './services/sts.js';
import type { ServiceName } from './wire.js';

/** In the order unsigned requests are offered to `claimsUnsigned` (IAM, which claims any `Action=`, last). */
export const SERVICES: readonly Service[] = [GUARDDUTY, CLOUDTRAIL, STS, S3, ATHENA, IAM];

const BY_SIGNING_NAME = new Map(SERVICES.map((s) => [s.signingName, s]));
const BY_NAME = new Map(SERVICES.map((s) => [s.name, s]));
const BY_TARGET_PREFIX = new Map(SERVICES.flatMap((s) => (s.targetPrefixes ?? []).map((p) => [p, s] as const)));

/** The service a SigV4 credential scope names (`…/us-west-2/guardduty/aws4_request`). */
export function serviceBySigningName(name: string | undefined): Service | undefined {
  return name === undefined ? undefined : BY_SIGNING_NAME.get(name);
}

/** The awsJson service an `X-Amz-Target: Prefix.Operation` header addresses. */
export function serviceByTarget(target: string | undefined): Service | undefined {
  if (!target) return undefined;
  const dot = target.lastIndexOf('.');
  return dot > 0 ? BY_TARGET_PREFIX.get(target.slice(0, dot)) : undefined;
}

export function serviceByName(name: ServiceName): Service {
  const s = BY_NAME.get(name);
  if (!s) throw new Error(`sandbox: no service ${name} in the registry`);
  return s;
}
