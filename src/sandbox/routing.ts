/**
 * Routing: which service a request is for, and its parsed operation and input. In order:
 * 1. the SigV4 credential scope's service (`Credential=AKID/date/REGION/SERVICE/aws4_request`, also read from the
 *    `X-Amz-Credential` query parameter), which also gives the region and the caller's key;
 * 2. the `X-Amz-Target` prefix (awsJson services);
 * 3. each service's `claimsUnsigned` fallback, in registry order (such requests are then rejected as
 *    unauthenticated, in that service's error shape).
 */
import { SERVICES, serviceBySigningName, serviceByTarget } from './registry.js';
import type { ParsedCall, RawRequest, Service } from './service.js';
import { ServiceError, parseCredentialScope } from './wire.js';

interface RouteBase {
  /** From the scope; us-east-1 when there is none. */
  region: string;
  accessKeyId?: string;
  /** Whether the request carries a credential at all. */
  hasAuth: boolean;
}

export type Route = (RouteBase & { service: Service; call: ParsedCall }) | (RouteBase & { service: Service | undefined; error: ServiceError });

export function routeRequest(raw: RawRequest): Route {
  const authorization = typeof raw.headers.authorization === 'string' ? raw.headers.authorization : undefined;
  const scope = parseCredentialScope(authorization, raw.url.searchParams);
  const target = typeof raw.headers['x-amz-target'] === 'string' ? raw.headers['x-amz-target'] : undefined;
  const base: RouteBase = { region: scope?.region || 'us-east-1', hasAuth: scope !== undefined };
  if (scope?.accessKeyId) base.accessKeyId = scope.accessKeyId;
  const service = serviceBySigningName(scope?.service) ?? serviceByTarget(target) ?? SERVICES.find((s) => s.claimsUnsigned?.(raw));
  if (!service) {
    return { ...base, service: undefined, error: new ServiceError('UnknownOperationException', `No sandbox service handles ${raw.method} ${raw.url.pathname}.`, 404) };
  }
  try {
    return { ...base, service, call: service.parse(raw) };
  } catch (err) {
    if (err instanceof ServiceError) return { ...base, service, error: err };
    throw err;
  }
}
