/**
 * The sandbox: one port speaking every service of the registry (src/sandbox/registry.ts) over a World of one or
 * more accounts. This module owns the lifecycle (start, knobs, reset, close) and the request pipeline:
 * route → gate (auth, revocation, knobs) → handler → CloudTrail recorder → journal flush → reply. See docs/sandbox.md.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { accountData } from './accounts.js';
import { resolveCaller } from './auth.js';
import type { HandlerContext } from './context.js';
import type { Effect } from './effects.js';
import { applyEffect } from './effects.js';
import { DEFAULT_KNOBS, RateLimiter, authenticate, deniedMessage, deniedReply, drawFault, faultReply, matchesDeny } from './gate.js';
import { MAX_BODY_BYTES, clientAddress, listen, readBody, writeReply } from './http.js';
import type { CloudTrailRecord, World } from './model.js';
import { TrailRecorder, buildRecord, eventRegion, serviceCallFacts, sharedCopy, userIdentityOf, withSharedEventId } from './recorder.js';
import type { Outcome } from './recorder.js';
import { SERVICES, serviceByName } from './registry.js';
import { routeRequest } from './routing.js';
import { Attacker, type AttackerAttempt } from './attacker.js';
import type { LargeParams, ScenarioName, ScenarioRuntime } from './scenarios/index.js';
import { prng } from './scenarios/util.js';
import type { Operation, ParsedCall, Service } from './service.js';
import { Journal, emptyOverlay, loadOverlay, peekAnchor } from './state.js';
import type { ApiCallInput, FaultKind, Reply, RequestRecord, RunningSandbox, SandboxKnobs, SandboxOptions } from './types.js';
import { ServiceError } from './wire.js';
import type { ServiceName } from './wire.js';

export { DEFAULT_KNOBS } from './gate.js';
export { MAX_BODY_BYTES } from './http.js';

const MAX_RECORDS = 100_000;
const TRIM_SLACK = 1_000;

/** The scenarios are loaded on first use (the workshop's data is large, and a caller-supplied world needs none). */
async function buildScenarioWorld(name: ScenarioName, now: Date, params: Record<string, unknown> | undefined): Promise<World> {
  const { buildScenario } = await import('./scenarios/index.js');
  return buildScenario(name, params ? { now, params: params as Partial<LargeParams> } : { now });
}

async function runtimeOf(opts: SandboxOptions): Promise<ScenarioRuntime> {
  if (opts.world) return {};
  const { scenarioRuntime } = await import('./scenarios/index.js');
  return scenarioRuntime(opts.scenario ?? 'workshop');
}

function initialKnobs(opts: SandboxOptions, runtime: ScenarioRuntime): SandboxKnobs {
  return {
    latencyMs: opts.latencyMs ?? DEFAULT_KNOBS.latencyMs,
    faultRate: opts.faultRate ?? DEFAULT_KNOBS.faultRate,
    faultSeed: opts.faultSeed ?? DEFAULT_KNOBS.faultSeed,
    deny: [...(opts.deny ?? DEFAULT_KNOBS.deny)],
    cloudTrailRateLimit: opts.cloudTrailRateLimit ?? DEFAULT_KNOBS.cloudTrailRateLimit,
    recordCalls: opts.recordCalls ?? DEFAULT_KNOBS.recordCalls,
    deliveryDelayMs: opts.deliveryDelayMs ?? DEFAULT_KNOBS.deliveryDelayMs,
    sourceIp: opts.sourceIp ?? DEFAULT_KNOBS.sourceIp,
    attackerIntervalMs: opts.attackerIntervalMs ?? runtime.attacker?.intervalMs ?? DEFAULT_KNOBS.attackerIntervalMs,
  };
}

function errorCodeOf(r: Reply): string | undefined {
  const h = r.headers?.['x-amzn-ErrorType'];
  if (h) return h;
  if (typeof r.body !== 'string') return undefined;
  const m = /<Code>([^<]+)<\/Code>/.exec(r.body);
  return m ? m[1] : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<RunningSandbox> {
  const now = opts.now ?? ((): Date => new Date());
  const log = opts.log;
  const runtime = await runtimeOf(opts);
  const knobs = initialKnobs(opts, runtime);
  let random = prng(knobs.faultSeed);
  const pristine = opts.world ? structuredClone(opts.world) : undefined;
  const scenarioName = opts.world ? opts.world.scenario : (opts.scenario ?? 'workshop');

  async function buildWorld(first: boolean, anchor?: string): Promise<World> {
    if (opts.world) return first ? opts.world : structuredClone(pristine as World);
    return buildScenarioWorld(opts.scenario ?? 'workshop', anchor ? new Date(anchor) : now(), opts.scenarioParams);
  }

  // The world, rebuilt relative to now() (or to its pinned anchor), with the journal replayed through the same
  // applyEffect as live writes.
  const pinned = runtime.pinsAnchor && opts.statePath ? peekAnchor(opts.statePath, scenarioName) : undefined;
  let world = await buildWorld(true, pinned);
  const loaded = opts.statePath ? loadOverlay(opts.statePath, scenarioName, world.accountId, log) : { overlay: emptyOverlay(scenarioName), migrated: false };
  for (const effect of loaded.overlay.effects) {
    try {
      applyEffect(world, effect);
    } catch (err) {
      log?.(`sandbox: skipped a state entry that does not apply (${effect.kind}): ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const journal = new Journal(loaded.overlay, opts.statePath);
  if (loaded.migrated) journal.rewrite();

  let version = 0;
  const newStates = (): Map<ServiceName, unknown> => new Map(SERVICES.map((s) => [s.name, s.createState()]));
  let states = newStates();
  const limiter = new RateLimiter(() => performance.now());
  const recorder = new TrailRecorder(() => knobs.deliveryDelayMs);
  const requests: RequestRecord[] = [];
  let seq = 0;

  /** Applies an effect to the live world and journals it (not yet written: see Journal.flush). */
  function mutate(effect: Effect): boolean {
    if (!applyEffect(world, effect)) return false;
    journal.append(effect);
    if (runtime.pinsAnchor) journal.pinAnchor(world.anchor);
    version++;
    return true;
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
    const body = await readBody(req);
    const bytes = body ?? Buffer.alloc(0);
    const raw = { method: (req.method ?? 'GET').toUpperCase(), url, headers: req.headers, body: bytes.toString('utf8'), bytes };
    const route = routeRequest(raw);
    // A request no service claims is answered in GuardDuty's JSON shape (404 UnknownOperationException).
    const service = route.service ?? serviceByName('guardduty');
    const { region, accessKeyId } = route;
    const operation = 'error' in route ? 'Unknown' : route.call.operation;
    const input: unknown = 'error' in route || body === undefined ? undefined : route.call.input;
    let fault: FaultKind | undefined;
    let reset = false;

    const send = async (r: Reply): Promise<void> => {
      if (knobs.latencyMs > 0) {
        await sleep(knobs.latencyMs);
        fault ??= 'latency';
      }
      const errorCode = r.status >= 400 ? errorCodeOf(r) : undefined;
      const rec: RequestRecord = { seq: mySeq, service: service.name, operation, region, input, start, end: performance.now(), status: reset ? 0 : r.status };
      if (accessKeyId) rec.accessKeyId = accessKeyId;
      if (errorCode) rec.errorCode = errorCode;
      if (fault) rec.fault = fault;
      record(rec);
      log?.(`sandbox: #${mySeq} ${service.label}:${operation} ${region} -> ${reset ? 'reset' : r.status}${errorCode ? ' ' + errorCode : ''}`);
      if (reset) {
        req.socket.destroy();
        return;
      }
      writeReply(req, res, r, requestId, service.responseHeaders?.(requestId));
    };

    if (body === undefined) return send(service.error(service.errors.tooLarge, `Request body exceeds ${MAX_BODY_BYTES} bytes.`, 413, requestId));
    if ('error' in route) return send(service.error(route.error.code, route.error.message, route.error.status, requestId));

    const clock = now();
    recorder.deliver(clock.getTime());
    const admission = authenticate(world, service, { ...route, requestId }, clock, opts.disabledRegions);
    if (!admission.ok) return send(admission.reply);
    const { caller, account } = admission;
    const call = route.call;
    const op: Operation<unknown> | undefined = Object.hasOwn(service.operations, call.operation) ? service.operations[call.operation] : undefined;
    const who = { caller, account, region };

    const recordCall = (outcome: Outcome, alsoIn: ReadonlySet<string> = new Set()): void => {
      if (!op || op.dataEvent || knobs.recordCalls === 'none' || (op.readOnly && knobs.recordCalls !== 'all' && !op.alwaysRecorded)) return;
      const userAgent = typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : undefined;
      const facts = serviceCallFacts(service, op, call, outcome, who, {
        region,
        time: clock,
        sourceIPAddress: knobs.sourceIp ?? clientAddress(req),
        userAgent,
        requestID: requestId,
        eventID: randomUUID(),
      });
      let record = buildRecord(facts);
      const others = [...alsoIn].map((id) => accountData(world, id)).filter((a) => a !== undefined && a !== account);
      if (others.length > 0) {
        const shared = randomUUID();
        record = withSharedEventId(record, shared);
        for (const other of others) if (other) recorder.append(other, sharedCopy(record, other.accountId, randomUUID(), shared), clock.getTime());
      }
      recorder.append(account, record, clock.getTime());
    };
    const deny = (explicit: boolean): Promise<void> => {
      const message = deniedMessage(service, call, who, explicit);
      recordCall({ ok: false, code: service.errors.accessDenied.code, message });
      return send(deniedReply(service, message, requestId));
    };

    if (admission.revoked && !op?.alwaysAllowed) return deny(true);
    // Knobs: forced deny, then faults, then the CloudTrail rate limit.
    if (matchesDeny(knobs.deny, service.label, call.operation, service.deniedResource?.(who, call))) {
      fault = 'denied';
      return deny(false);
    }
    const drawn = drawFault(knobs.faultRate, random);
    if (drawn) {
      fault = drawn;
      if (drawn === 'reset') {
        reset = true;
        return send({ status: 0, contentType: 'text/plain', body: '' });
      }
      return send(faultReply(service, drawn, requestId));
    }
    if (op?.rateLimited && !limiter.take(`${account.accountId}|${region}`, knobs.cloudTrailRateLimit)) {
      fault = 'ratelimit';
      return send(service.error(service.errors.throttle.code, 'Rate exceeded', service.errors.throttle.status, requestId));
    }
    return send(runHandler(service, op, call, { caller, account, region, clock, requestId }, recordCall));
  }

  function runHandler(
    service: Service,
    op: Operation<unknown> | undefined,
    call: ParsedCall,
    r: { caller: HandlerContext['caller']; account: HandlerContext['account']; region: string; clock: Date; requestId: string },
    recordCall: (outcome: Outcome, alsoIn?: ReadonlySet<string>) => void,
  ): Reply {
    if (!op) {
      const e = service.unknownOperation(call.operation);
      return service.error(e.code, e.message, e.status, r.requestId);
    }
    const alsoIn = new Set<string>();
    const ctx: HandlerContext = {
      world,
      account: r.account,
      region: r.region,
      caller: r.caller,
      now: r.clock,
      requestId: r.requestId,
      get version() {
        return version;
      },
      mutate(effect) {
        mutate(effect);
      },
      recordAlsoIn(accountId) {
        alsoIn.add(accountId);
      },
      denies: (label, operation) => matchesDeny(knobs.deny, label, operation),
    };
    let reply: Reply;
    try {
      const output = op.handle(ctx, call, states.get(service.name));
      reply = service.serialize(call.operation, output, r.requestId);
      recordCall({ ok: true, output }, alsoIn);
    } catch (err) {
      if (!(err instanceof ServiceError)) {
        log?.(`sandbox: internal error in ${service.label}:${call.operation}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        return service.error(service.errors.internal, 'The sandbox failed to process the request.', 500, r.requestId);
      }
      reply = service.error(err.code, err.message, err.status, r.requestId);
      recordCall({ ok: false, code: err.code, message: err.message }, alsoIn);
    }
    try {
      journal.flush();
    } catch (err) {
      log?.(`sandbox: cannot write state ${opts.statePath ?? ''}: ${err instanceof Error ? err.message : String(err)}`);
      return service.error(service.errors.internal, 'The sandbox could not persist its state.', 500, r.requestId);
    }
    return reply;
  }

  /** RunningSandbox.recordCall: a call made outside the endpoint, recorded as AWS would record it. */
  function recordExternalCall(c: ApiCallInput): CloudTrailRecord | undefined {
    const t = c.time ?? now();
    recorder.deliver(now().getTime());
    const auth = resolveCaller(world, c.accessKeyId, t);
    if (!auth.ok) return undefined;
    let error = c.error;
    let requestParameters = c.requestParameters ?? null;
    let responseElements = c.responseElements ?? null;
    if (auth.revoked !== undefined) {
      const action = `${c.eventSource.replace(/\.amazonaws\.com$/, '')}:${c.eventName}`;
      error = { code: c.accessDeniedCode ?? 'AccessDenied', message: `User: ${auth.caller.arn} is not authorized to perform: ${action} on resource: * with an explicit deny in an identity-based policy` };
      requestParameters = null;
      responseElements = null;
    }
    const rec = buildRecord({
      identity: userIdentityOf(auth.caller, auth.account),
      recipientAccountId: auth.account.accountId,
      eventSource: c.eventSource,
      eventName: c.eventName,
      awsRegion: eventRegion(c.eventSource, c.region),
      time: t,
      sourceIPAddress: c.sourceIPAddress ?? knobs.sourceIp ?? '127.0.0.1',
      ...(c.userAgent !== undefined ? { userAgent: c.userAgent } : {}),
      requestParameters,
      responseElements: error ? null : responseElements,
      readOnly: c.readOnly,
      ...(error ? { error } : {}),
      requestID: randomUUID(),
      eventID: randomUUID(),
      ...(c.resources ? { resources: c.resources } : {}),
    });
    recorder.append(auth.account, rec, t.getTime());
    return rec;
  }

  // The scenario's live attacker, on a timer (the `attackerIntervalMs` knob; 0 = only when ticked).
  const attacker = runtime.attacker ? new Attacker(runtime.attacker.script, () => world, recordExternalCall) : undefined;
  let attackerTimer: ReturnType<typeof setInterval> | undefined;
  const tickAttacker = (at?: Date): AttackerAttempt[] => {
    const attempts = attacker?.tick(at ?? now()) ?? [];
    for (const a of attempts) log?.(`sandbox: attacker ${a.label} ${a.accessKeyId} ${a.eventName} -> ${a.outcome}`);
    return attempts;
  };
  const scheduleAttacker = (): void => {
    if (attackerTimer) clearInterval(attackerTimer);
    attackerTimer = undefined;
    if (!attacker || !(knobs.attackerIntervalMs > 0)) return;
    attackerTimer = setInterval(() => tickAttacker(), knobs.attackerIntervalMs);
    attackerTimer.unref();
  };

  const shell = await listen(opts.host ?? '127.0.0.1', opts.port ?? 0, handle, log);
  log?.(`sandbox: listening on ${shell.endpoint} (scenario ${scenarioName})`);
  scheduleAttacker();

  return {
    endpoint: shell.endpoint,
    port: shell.port,
    get world(): World {
      return world;
    },
    requests,
    knobs,
    get effects() {
      return journal.effects;
    },
    setKnobs(k: Partial<SandboxKnobs>): void {
      if (k.latencyMs !== undefined) knobs.latencyMs = k.latencyMs;
      if (k.faultRate !== undefined) knobs.faultRate = k.faultRate;
      if (k.deny !== undefined) knobs.deny = [...k.deny];
      if (k.recordCalls !== undefined) knobs.recordCalls = k.recordCalls;
      if (k.deliveryDelayMs !== undefined) knobs.deliveryDelayMs = k.deliveryDelayMs;
      if ('sourceIp' in k) knobs.sourceIp = k.sourceIp;
      if (k.attackerIntervalMs !== undefined) {
        knobs.attackerIntervalMs = k.attackerIntervalMs;
        scheduleAttacker();
      }
      if (k.cloudTrailRateLimit !== undefined) {
        knobs.cloudTrailRateLimit = k.cloudTrailRateLimit;
        limiter.clear();
      }
      if (k.faultSeed !== undefined) {
        knobs.faultSeed = k.faultSeed;
        random = prng(k.faultSeed);
      }
    },
    mutate(effect: Effect): boolean {
      const applied = mutate(effect);
      journal.flush();
      return applied;
    },
    recordCall: recordExternalCall,
    tickAttacker,
    get hasAttacker(): boolean {
      return attacker !== undefined;
    },
    async reset(): Promise<void> {
      journal.reset(scenarioName);
      world = await buildWorld(false);
      states = newStates();
      limiter.clear();
      recorder.clear();
      random = prng(knobs.faultSeed);
      version++;
    },
    close: () => {
      if (attackerTimer) clearInterval(attackerTimer);
      attackerTimer = undefined;
      return shell.close();
    },
  };
}
