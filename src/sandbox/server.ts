/**
 * The sandbox HTTP server: one port speaking GuardDuty (restJson1), CloudTrail (awsJson1_1),
 * IAM and STS (awsQuery), routed by the SigV4 credential scope. See docs/sandbox.md.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { World } from './model.js';
import type { HandlerContext, Mutations } from './context.js';
import { resolveCaller } from './auth.js';
import { prng } from './scenarios/util.js';
import { applyOverlay, deleteOverlay, emptyOverlay, loadOverlay, saveOverlay } from './state.js';
import type { Overlay } from './state.js';
import type { Caller, FaultKind, Reply, RequestRecord, RunningSandbox, SandboxKnobs, SandboxOptions } from './types.js';
import { GuardDutyCache, guardDutyError, handleGuardDuty, routeGuardDuty } from './services/guardduty.js';
import { CloudTrailCache, cloudTrailError, handleCloudTrail } from './services/cloudtrail.js';
import { IAM_NS, STS_NS, handleIam, handleSts, queryError } from './services/iam.js';
import { ServiceError, isRecord, parseCredentialScope, parseForm } from './wire.js';
import type { ServiceName } from './wire.js';

export const MAX_BODY_BYTES = 1024 * 1024;
const MAX_RECORDS = 100_000;
const TRIM_SLACK = 1_000;

export const DEFAULT_KNOBS: Readonly<SandboxKnobs> = Object.freeze({
  latencyMs: 0,
  faultRate: 0,
  faultSeed: 1,
  deny: [],
  cloudTrailRateLimit: 2,
});

const SERVICE_LABEL: Record<ServiceName, string> = { guardduty: 'GuardDuty', cloudtrail: 'CloudTrail', iam: 'IAM', sts: 'STS' };
const IAM_ACTION_PREFIX: Record<ServiceName, string> = { guardduty: 'guardduty', cloudtrail: 'cloudtrail', iam: 'iam', sts: 'sts' };

/** One parsed request, before auth. */
interface Parsed {
  service: ServiceName;
  operation: string;
  region: string;
  accessKeyId?: string;
  hasAuth: boolean;
  input: unknown;
  /** GuardDuty path label */
  detectorId?: string;
}

function errorReply(service: ServiceName, code: string, message: string, status: number, requestId: string): Reply {
  switch (service) {
    case 'guardduty':
      return guardDutyError(code, message, status);
    case 'cloudtrail':
      return cloudTrailError(code, message, status);
    case 'iam':
      return queryError(IAM_NS, code, message, status, requestId);
    case 'sts':
      return queryError(STS_NS, code, message, status, requestId);
  }
}

function matchesDeny(patterns: string[], service: ServiceName, operation: string): boolean {
  const label = SERVICE_LABEL[service].toLowerCase();
  return patterns.some((p) => {
    const i = p.indexOf(':');
    if (i < 0) return false;
    const svc = p.slice(0, i).toLowerCase();
    const op = p.slice(i + 1);
    if (svc !== label && svc !== '*') return false;
    if (op === '*') return true;
    if (!op.includes('*')) return op === operation;
    const re = new RegExp('^' + op.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
    return re.test(operation);
  });
}

function resourceFor(service: ServiceName, operation: string, world: World, region: string, caller: Caller, input: unknown): string {
  const acct = world.accountId;
  const form = isRecord(input) ? input : {};
  if (service === 'iam') {
    const userName = typeof form.UserName === 'string' ? form.UserName : caller.userName;
    if (typeof form.RoleName === 'string') return `arn:aws:iam::${acct}:role/${form.RoleName}`;
    if (typeof form.GroupName === 'string') return `arn:aws:iam::${acct}:group/${form.GroupName}`;
    if (typeof form.PolicyArn === 'string') return form.PolicyArn;
    if (userName) return world.iam.users[userName]?.arn ?? `arn:aws:iam::${acct}:user/${userName}`;
    return `arn:aws:iam::${acct}:user/`;
  }
  if (service === 'guardduty') {
    const det = world.regions[region]?.detector?.detectorId;
    return operation === 'ListDetectors' || !det ? `arn:aws:guardduty:${region}:${acct}:detector/*` : `arn:aws:guardduty:${region}:${acct}:detector/${det}`;
  }
  return '*';
}

function deniedMessage(service: ServiceName, operation: string, caller: Caller, resource: string, explicit: boolean): string {
  const action = `${IAM_ACTION_PREFIX[service]}:${operation}`;
  const why = explicit ? 'with an explicit deny in an identity-based policy' : `because no identity-based policy allows the ${action} action`;
  return `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource} ${why}`;
}

function deniedReply(service: ServiceName, message: string, requestId: string): Reply {
  if (service === 'guardduty') return guardDutyError('AccessDeniedException', message, 403);
  if (service === 'cloudtrail') return cloudTrailError('AccessDeniedException', message, 400);
  return errorReply(service, 'AccessDenied', message, 403, requestId);
}

/** Reads the request body up to the cap; resolves undefined when the cap is exceeded. */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        over = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Routes a request to a service + operation and parses its input (throws ServiceError with the service known). */
function parseRequest(req: IncomingMessage, url: URL, body: string): Parsed | { service: ServiceName | undefined; error: ServiceError; region: string; accessKeyId?: string } {
  const method = (req.method ?? 'GET').toUpperCase();
  const authorization = typeof req.headers.authorization === 'string' ? req.headers.authorization : undefined;
  const scope = parseCredentialScope(authorization, url.searchParams);
  const target = typeof req.headers['x-amz-target'] === 'string' ? req.headers['x-amz-target'] : undefined;
  const contentType = String(req.headers['content-type'] ?? '');
  const region = scope?.region || 'us-east-1';
  const base = { region, accessKeyId: scope?.accessKeyId, hasAuth: scope !== undefined };

  let service: ServiceName | undefined;
  const scoped = scope?.service;
  if (scoped === 'guardduty' || scoped === 'cloudtrail' || scoped === 'iam' || scoped === 'sts') service = scoped;
  let form: Record<string, string> | undefined;
  const isForm = contentType.includes('x-www-form-urlencoded') || (method === 'GET' && url.searchParams.has('Action'));
  if (!service) {
    if (target) service = 'cloudtrail';
    else if (url.pathname.startsWith('/detector')) service = 'guardduty';
    else if (isForm || body.includes('Action=')) {
      form = { ...parseForm(url.search.slice(1)), ...parseForm(body) };
      service = form.Action === 'GetCallerIdentity' ? 'sts' : 'iam';
    }
  }
  if (!service) {
    return { service: undefined, region, accessKeyId: scope?.accessKeyId, error: new ServiceError('UnknownOperationException', `No sandbox service handles ${method} ${url.pathname}.`, 404) };
  }
  try {
    if (service === 'guardduty') {
      const route = routeGuardDuty(method, url.pathname);
      if (!route) throw new ServiceError('UnknownOperationException', `No GuardDuty operation at ${method} ${url.pathname}.`, 404);
      let input: Record<string, unknown> = {};
      if (method === 'GET') {
        for (const [k, v] of url.searchParams) input[k] = v;
      } else if (body.trim() !== '') {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body);
        } catch {
          throw new ServiceError('BadRequestException', 'The request is rejected because the request body is not valid JSON.', 400);
        }
        if (!isRecord(parsed)) throw new ServiceError('BadRequestException', 'The request is rejected because the request body must be a JSON object.', 400);
        input = parsed;
      }
      return { ...base, service, operation: route.operation, detectorId: route.detectorId, input };
    }
    if (service === 'cloudtrail') {
      const operation = target ? (target.split('.').pop() ?? '') : '';
      if (method !== 'POST' || !operation) throw new ServiceError('UnknownOperationException', 'CloudTrail requests are POST / with an X-Amz-Target header.', 400);
      let input: unknown = {};
      if (body.trim() !== '') {
        try {
          input = JSON.parse(body);
        } catch {
          throw new ServiceError('SerializationException', 'The request body is not valid JSON.', 400);
        }
      }
      if (!isRecord(input)) throw new ServiceError('SerializationException', 'The request body must be a JSON object.', 400);
      return { ...base, service, operation, input };
    }
    form ??= { ...parseForm(url.search.slice(1)), ...parseForm(body) };
    const operation = form.Action ?? '';
    if (!operation) throw new ServiceError('MissingAction', 'Missing Action', 400);
    const input: Record<string, string> = { ...form };
    delete input.Action;
    delete input.Version;
    return { ...base, service, operation, input };
  } catch (err) {
    if (err instanceof ServiceError) return { service, region, accessKeyId: scope?.accessKeyId, error: err };
    throw err;
  }
}

interface Live {
  world: World;
  overlay: Overlay;
  gd: GuardDutyCache;
  ct: CloudTrailCache;
}

type ScenarioBuilder = (name: 'workshop' | 'large', opts: { now: Date; params?: Record<string, unknown> }) => World;

async function loadBuilder(): Promise<ScenarioBuilder> {
  const mod: unknown = await import('./scenarios/index.js');
  if (!isRecord(mod) || typeof mod.buildScenario !== 'function') throw new Error('sandbox: src/sandbox/scenarios/index.ts does not export buildScenario');
  return mod.buildScenario as ScenarioBuilder;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<RunningSandbox> {
  const now = opts.now ?? ((): Date => new Date());
  const log = opts.log;
  const knobs: SandboxKnobs = {
    latencyMs: opts.latencyMs ?? DEFAULT_KNOBS.latencyMs,
    faultRate: opts.faultRate ?? DEFAULT_KNOBS.faultRate,
    faultSeed: opts.faultSeed ?? DEFAULT_KNOBS.faultSeed,
    deny: [...(opts.deny ?? DEFAULT_KNOBS.deny)],
    cloudTrailRateLimit: opts.cloudTrailRateLimit ?? DEFAULT_KNOBS.cloudTrailRateLimit,
  };
  let random = prng(knobs.faultSeed);
  const pristine = opts.world ? structuredClone(opts.world) : undefined;
  const scenarioName = opts.world ? opts.world.scenario : (opts.scenario ?? 'workshop');

  async function buildWorld(first: boolean): Promise<World> {
    if (opts.world) return first ? opts.world : structuredClone(pristine as World);
    const build = await loadBuilder();
    const params = opts.scenarioParams;
    return build(opts.scenario ?? 'workshop', params ? { now: now(), params } : { now: now() });
  }

  const overlay = opts.statePath ? loadOverlay(opts.statePath, scenarioName, log) : emptyOverlay(scenarioName);
  const world0 = await buildWorld(true);
  applyOverlay(world0, overlay);
  const live: Live = { world: world0, overlay, gd: new GuardDutyCache(), ct: new CloudTrailCache() };

  const persist = (): void => {
    if (opts.statePath) saveOverlay(opts.statePath, live.overlay);
  };
  const mutate: Mutations = {
    keyStatus(id, status) {
      live.overlay.keyStatus[id] = status;
      persist();
    },
    userPolicy(user, name, doc) {
      (live.overlay.userPolicies[user] ??= {})[name] = doc;
      persist();
    },
    archived(region, id, archived, at) {
      (live.overlay.archived[region] ??= {})[id] = { archived, at };
      persist();
    },
  };

  const requests: RequestRecord[] = [];
  let seq = 0;
  const buckets = new Map<string, { tokens: number; last: number }>();

  function takeRateToken(key: string): boolean {
    const limit = knobs.cloudTrailRateLimit;
    if (limit === false || !(limit > 0)) return true;
    const capacity = Math.max(1, limit);
    const t = performance.now();
    const b = buckets.get(key) ?? { tokens: capacity, last: t };
    b.tokens = Math.min(capacity, b.tokens + ((t - b.last) / 1000) * limit);
    b.last = t;
    buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return true;
    }
    return false;
  }

  function record(r: RequestRecord): void {
    requests.push(r);
    // Trim in batches (amortised): between MAX_RECORDS and MAX_RECORDS + TRIM_SLACK entries are kept.
    if (requests.length > MAX_RECORDS + TRIM_SLACK) requests.splice(0, requests.length - MAX_RECORDS);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const start = performance.now();
    const mySeq = ++seq;
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://sandbox.local');
    const raw = await readBody(req);
    const bodyText = raw ? raw.toString('utf8') : '';
    const parsed = parseRequest(req, url, bodyText);
    const service: ServiceName = parsed.service ?? 'guardduty';
    let reply: Reply;
    let fault: FaultKind | undefined;
    let operation = 'error' in parsed ? 'Unknown' : parsed.operation;
    let input: unknown = 'error' in parsed ? undefined : parsed.input;
    const region = parsed.region;
    const accessKeyId = parsed.accessKeyId;
    let reset = false;

    const send = async (r: Reply): Promise<void> => {
      if (knobs.latencyMs > 0) {
        await sleep(knobs.latencyMs);
        fault ??= 'latency';
      }
      const end = performance.now();
      const errorCode = r.status >= 400 ? errorCodeOf(r) : undefined;
      const rec: RequestRecord = { seq: mySeq, service, operation, region, input, start, end, status: reset ? 0 : r.status };
      if (accessKeyId) rec.accessKeyId = accessKeyId;
      if (errorCode) rec.errorCode = errorCode;
      if (fault) rec.fault = fault;
      record(rec);
      log?.(`sandbox: #${mySeq} ${SERVICE_LABEL[service]}:${operation} ${region} -> ${reset ? 'reset' : r.status}${errorCode ? ' ' + errorCode : ''}`);
      if (reset) {
        req.socket.destroy();
        return;
      }
      const headers: Record<string, string | number> = {
        'Content-Type': r.contentType,
        'Content-Length': Buffer.byteLength(r.body),
        'x-amzn-RequestId': requestId,
        ...(r.headers ?? {}),
      };
      if (service === 'iam' || service === 'sts') headers['x-amz-request-id'] = requestId;
      res.writeHead(r.status, headers);
      res.end(req.method === 'HEAD' ? undefined : r.body);
    };

    if (raw === undefined) {
      operation = 'error' in parsed ? 'Unknown' : parsed.operation;
      input = undefined;
      return send(errorReply(service, service === 'guardduty' || service === 'cloudtrail' ? 'RequestEntityTooLargeException' : 'RequestEntityTooLarge', `Request body exceeds ${MAX_BODY_BYTES} bytes.`, 413, requestId));
    }
    if ('error' in parsed) {
      const e = parsed.error;
      return send(errorReply(service, e.code, e.message, e.status, requestId));
    }

    // Authentication (no signature check).
    if (!parsed.hasAuth || !accessKeyId) {
      const json = service === 'guardduty' || service === 'cloudtrail';
      return send(errorReply(service, json ? 'MissingAuthenticationTokenException' : 'MissingAuthenticationToken', json ? 'Missing Authentication Token' : 'Request is missing Authentication Token', 403, requestId));
    }
    const clock = now();
    const auth = resolveCaller(live.world, accessKeyId, clock);
    if (!auth.ok) {
      const json = service === 'guardduty' || service === 'cloudtrail';
      if (auth.reason === 'expired') {
        return send(errorReply(service, json ? 'ExpiredTokenException' : 'ExpiredToken', 'The security token included in the request is expired', 403, requestId));
      }
      return send(errorReply(service, json ? 'UnrecognizedClientException' : 'InvalidClientTokenId', 'The security token included in the request is invalid.', 403, requestId));
    }
    const caller = auth.caller;
    // AWS does not recognise credentials in an opt-in region the account has not enabled.
    if ((service === 'guardduty' || service === 'cloudtrail') && opts.disabledRegions?.includes(region)) {
      return send(errorReply(service, 'UnrecognizedClientException', 'The security token included in the request is invalid.', 403, requestId));
    }
    if (auth.revoked && !(service === 'sts' && operation === 'GetCallerIdentity')) {
      const msg = deniedMessage(service, operation, caller, resourceFor(service, operation, live.world, region, caller, input), true);
      return send(deniedReply(service, msg, requestId));
    }

    // Knobs: forced deny, then faults, then the CloudTrail rate limit.
    if (matchesDeny(knobs.deny, service, operation)) {
      fault = 'denied';
      const msg = deniedMessage(service, operation, caller, resourceFor(service, operation, live.world, region, caller, input), false);
      return send(deniedReply(service, msg, requestId));
    }
    const draw = random();
    const kindDraw = random();
    if (knobs.faultRate > 0 && draw < knobs.faultRate) {
      const kinds: FaultKind[] = ['error500', 'error503', 'throttle', 'reset'];
      fault = kinds[Math.min(kinds.length - 1, Math.floor(kindDraw * kinds.length))];
      if (fault === 'reset') {
        reset = true;
        return send({ status: 0, contentType: 'text/plain', body: '' });
      }
      if (fault === 'error500') {
        return send(errorReply(service, service === 'guardduty' ? 'InternalServerErrorException' : 'InternalFailure', 'We encountered an internal error. Please try again.', 500, requestId));
      }
      if (fault === 'error503') return send(errorReply(service, 'ServiceUnavailable', 'Service is unavailable. Please try again.', 503, requestId));
      if (service === 'guardduty') return send(guardDutyError('TooManyRequestsException', 'Rate exceeded', 429));
      if (service === 'cloudtrail') return send(cloudTrailError('ThrottlingException', 'Rate exceeded', 400));
      return send(errorReply(service, 'Throttling', 'Rate exceeded', 400, requestId));
    }
    if (service === 'cloudtrail' && operation === 'LookupEvents' && !takeRateToken(`${live.world.accountId}|${region}`)) {
      fault = 'ratelimit';
      return send(cloudTrailError('ThrottlingException', 'Rate exceeded', 400));
    }

    const ctx: HandlerContext = { world: live.world, region, caller, now: clock, gd: live.gd, ct: live.ct, mutate };
    try {
      switch (service) {
        case 'guardduty':
          reply = handleGuardDuty(ctx, { operation, detectorId: parsed.detectorId, input: isRecord(input) ? input : {} });
          break;
        case 'cloudtrail':
          reply = handleCloudTrail(ctx, operation, isRecord(input) ? input : {});
          break;
        case 'iam':
          reply = handleIam(ctx, operation, input as Record<string, string>, requestId);
          break;
        case 'sts':
          reply = handleSts(ctx, operation, requestId);
          break;
      }
    } catch (err) {
      if (err instanceof ServiceError) reply = errorReply(service, err.code, err.message, err.status, requestId);
      else {
        log?.(`sandbox: internal error in ${SERVICE_LABEL[service]}:${operation}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        reply = errorReply(service, service === 'guardduty' ? 'InternalServerErrorException' : 'InternalFailure', 'The sandbox failed to process the request.', 500, requestId);
      }
    }
    return send(reply);
  }

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log?.(`sandbox: request failed: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'application/json', 'x-amzn-RequestId': randomUUID() });
        res.end(JSON.stringify({ __type: 'InternalFailure', message: 'The sandbox failed to process the request.' }));
      } else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? 0);
  const endpoint = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log?.(`sandbox: listening on ${endpoint} (scenario ${scenarioName})`);

  let closed = false;
  const sandbox: RunningSandbox = {
    endpoint,
    port,
    get world(): World {
      return live.world;
    },
    requests,
    knobs,
    setKnobs(k: Partial<SandboxKnobs>): void {
      if (k.latencyMs !== undefined) knobs.latencyMs = k.latencyMs;
      if (k.faultRate !== undefined) knobs.faultRate = k.faultRate;
      if (k.deny !== undefined) knobs.deny = [...k.deny];
      if (k.cloudTrailRateLimit !== undefined) {
        knobs.cloudTrailRateLimit = k.cloudTrailRateLimit;
        buckets.clear();
      }
      if (k.faultSeed !== undefined) {
        knobs.faultSeed = k.faultSeed;
        random = prng(k.faultSeed);
      }
    },
    async reset(): Promise<void> {
      if (opts.statePath) deleteOverlay(opts.statePath);
      live.overlay = emptyOverlay(scenarioName);
      live.world = await buildWorld(false);
      live.gd.clear();
      live.ct.clear();
      buckets.clear();
      random = prng(knobs.faultSeed);
    },
    close(): Promise<void> {
      if (closed) return Promise.resolve();
      closed = true;
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
      });
    },
  };
  return sandbox;
}

function errorCodeOf(r: Reply): string | undefined {
  const h = r.headers?.['x-amzn-ErrorType'];
  if (h) return h;
  const m = /<Code>([^<]+)<\/Code>/.exec(r.body);
  return m ? m[1] : undefined;
}
