/**
 * What every request passes before its handler, in order: authentication (no signature check), the account's
 * disabled opt-in regions, session revocation, then the knobs: forced `deny`, transient faults, and the CloudTrail
 * rate limit. Each refusal is a reply in the service's own error shape. See docs/sandbox.md (Authentication, Knobs).
 */
import { resolveCaller } from './auth.js';
import type { AccountData, World } from './model.js';
import type { DenialSubject, ParsedCall, Service } from './service.js';
import type { Caller, FaultKind, Reply, SandboxKnobs } from './types.js';

export const DEFAULT_KNOBS: Readonly<SandboxKnobs> = Object.freeze({
  latencyMs: 0,
  faultRate: 0,
  faultSeed: 1,
  deny: [],
  cloudTrailRateLimit: 2,
  recordCalls: 'writes',
  deliveryDelayMs: 0,
  sourceIp: undefined,
  attackerIntervalMs: 0,
});

const INVALID_TOKEN = 'The security token included in the request is invalid.';

export type Admission = { ok: true; caller: Caller; account: AccountData; revoked?: string } | { ok: false; reply: Reply };

/** Authenticates the request's key against every account of the world. */
export function authenticate(
  world: World,
  service: Service,
  req: { accessKeyId?: string; hasAuth: boolean; region: string; requestId: string },
  now: Date,
  disabledRegions: readonly string[] | undefined,
): Admission {
  const e = service.errors;
  if (!req.hasAuth || !req.accessKeyId) return { ok: false, reply: service.error(e.missingAuth.code, e.missingAuth.message, 403, req.requestId) };
  const auth = resolveCaller(world, req.accessKeyId, now);
  if (!auth.ok) {
    if (auth.reason === 'expired') return { ok: false, reply: service.error(e.expiredToken, 'The security token included in the request is expired', 403, req.requestId) };
    return { ok: false, reply: service.error(e.invalidToken, INVALID_TOKEN, 403, req.requestId) };
  }
  // AWS does not recognise credentials in an opt-in region the account has not enabled.
  if (service.rejectsDisabledRegions && disabledRegions?.includes(req.region)) {
    return { ok: false, reply: service.error(e.invalidToken, INVALID_TOKEN, 403, req.requestId) };
  }
  return auth.revoked === undefined ? { ok: true, caller: auth.caller, account: auth.account } : { ok: true, caller: auth.caller, account: auth.account, revoked: auth.revoked };
}

/**
 * Whether a `deny` knob pattern matches: 'IAM:GetUser', 'GuardDuty:List*', '*:*', or with a third part naming the
 * resource, 'IAM:UpdateAccessKey:user/backup-svc' (matches when the resource the AccessDenied message would name
 * ends with it, as a policy with a resource ARN would deny one user's keys and not another's). Service names are
 * case-insensitive.
 */
export function matchesDeny(patterns: readonly string[], label: string, operation: string, resource = '*'): boolean {
  const svcLabel = label.toLowerCase();
  return patterns.some((p) => {
    const i = p.indexOf(':');
    if (i < 0) return false;
    const svc = p.slice(0, i).toLowerCase();
    const rest = p.slice(i + 1);
    const j = rest.indexOf(':');
    const op = j < 0 ? rest : rest.slice(0, j);
    const target = j < 0 ? undefined : rest.slice(j + 1);
    if (svc !== svcLabel && svc !== '*') return false;
    if (target !== undefined && target !== '' && resource !== target && !resource.endsWith(`:${target}`) && !resource.endsWith(`/${target}`)) return false;
    if (op === '*') return true;
    if (!op.includes('*')) return op === operation;
    const re = new RegExp('^' + op.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
    return re.test(operation);
  });
}

/** AWS's AccessDenied wording, for an explicit deny (revocation) or a missing allow (the `deny` knob). */
export function deniedMessage(service: Service, call: ParsedCall, who: DenialSubject, explicit: boolean): string {
  const action = `${service.actionPrefix}:${call.operation}`;
  const resource = service.deniedResource?.(who, call) ?? '*';
  const why = explicit ? 'with an explicit deny in an identity-based policy' : `because no identity-based policy allows the ${action} action`;
  return `User: ${who.caller.arn} is not authorized to perform: ${action} on resource: ${resource} ${why}`;
}

export function deniedReply(service: Service, message: string, requestId: string): Reply {
  const d = service.errors.accessDenied;
  return service.error(d.code, message, d.status, requestId);
}

export type TransientFault = Extract<FaultKind, 'error500' | 'error503' | 'throttle' | 'reset'>;
const FAULT_KINDS: readonly TransientFault[] = ['error500', 'error503', 'throttle', 'reset'];

/** Two draws per authenticated request (whether, and which), so a seed gives the same sequence whatever the rate. */
export function drawFault(rate: number, random: () => number): TransientFault | undefined {
  const draw = random();
  const kindDraw = random();
  if (!(rate > 0) || draw >= rate) return undefined;
  return FAULT_KINDS[Math.min(FAULT_KINDS.length - 1, Math.floor(kindDraw * FAULT_KINDS.length))];
}

/** The reply of a transient fault ('reset' has none: the socket is destroyed). */
export function faultReply(service: Service, fault: Exclude<TransientFault, 'reset'>, requestId: string): Reply {
  if (fault === 'error500') return service.error(service.errors.internal, 'We encountered an internal error. Please try again.', 500, requestId);
  if (fault === 'error503') return service.error('ServiceUnavailable', 'Service is unavailable. Please try again.', 503, requestId);
  return service.error(service.errors.throttle.code, 'Rate exceeded', service.errors.throttle.status, requestId);
}

/** Token buckets (capacity = refill rate = the limit), keyed by account and region. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; last: number }>();

  constructor(private readonly clock: () => number) {}

  take(key: string, limit: number | false): boolean {
    if (limit === false || !(limit > 0)) return true;
    const capacity = Math.max(1, limit);
    const t = this.clock();
    const b = this.buckets.get(key) ?? { tokens: capacity, last: t };
    b.tokens = Math.min(capacity, b.tokens + ((t - b.last) / 1000) * limit);
    b.last = t;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return true;
    }
    return false;
  }

  clear(): void {
    this.buckets.clear();
  }
}
