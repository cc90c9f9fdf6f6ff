/**
 * `gd-ir watch`'s loop: every interval, look up each watched credential in each region from the containment time
 * on (paced at LookupEvents' rate by the same limiters as `trail`), report each event once, and flag any successful
 * call after containment. Keys and sessions a watched credential mints during the watch are watched too. Runs until
 * the end time plus CloudTrail's delivery delay (late events still arrive), or Ctrl-C.
 */
import { lookupEventsPage, lookupLimiters } from '../../aws/cloudtrail-lookup.js';
import type { Context } from '../../cli/context.js';
import { createdKeys } from '../../core/changes/index.js';
import { compareNewestFirst, findDerivedCredentials, parseLookupEvent, type TrailEvent } from '../../core/trail/index.js';
import { summarise, verdictOf, type WatchedCredential, type WatchSummary, type WatchVerdict } from '../../core/watch.js';
import type { WatchPlan } from './targets.js';

export interface WatchOptions {
  /** How long to watch from now (ms). */
  forMs: number;
  intervalMs: number;
  /** Keep watching this long past the end: CloudTrail shows events late. */
  deliveryDelayMs: number;
}

export interface WatchedEvent {
  event: TrailEvent;
  credential: WatchedCredential;
  verdict: WatchVerdict;
}

export interface WatchHooks {
  onEvent?(e: WatchedEvent): void;
  /** A credential was added during the watch (minted or created by a watched one). */
  onNewCredential?(c: WatchedCredential): void;
}

export interface WatchRun {
  startedAt: Date;
  /** When containment completed (audit log), else the start of the watch. */
  containedAt: Date;
  endsAt: Date;
  deadline: Date;
  events: WatchedEvent[];
  summary: WatchSummary;
  interrupted: boolean;
  polls: number;
}

export async function runWatch(ctx: Context, plan: WatchPlan, opts: WatchOptions, hooks: WatchHooks = {}): Promise<WatchRun> {
  const startedAt = ctx.clock.now();
  const containedAt = plan.containment ? new Date(plan.containment.time) : startedAt;
  const endsAt = new Date(startedAt.getTime() + opts.forMs);
  const deadline = new Date(endsAt.getTime() + opts.deliveryDelayMs);
  const credentials = [...plan.credentials];
  const seen = new Set<string>();
  const events: WatchedEvent[] = [];
  // Per credential and region, the newest event time seen: the next lookup starts a delivery delay before it.
  const newest = new Map<string, number>();
  const limiters = lookupLimiters(ctx);
  let polls = 0;
  let interrupted = false;

  const lookup = async (cred: WatchedCredential, region: string, end: Date): Promise<TrailEvent[]> => {
    const k = `${cred.attribute}|${cred.value}|${region}`;
    const from = Math.max(containedAt.getTime(), (newest.get(k) ?? 0) - opts.deliveryDelayMs - 1000);
    if (from >= end.getTime()) return [];
    const out: TrailEvent[] = [];
    let token: string | undefined;
    do {
      const page = await lookupEventsPage(ctx, limiters.forRegion(region), { region, attribute: cred.attribute, value: cred.value, start: new Date(from), end }, token);
      for (const raw of page.events) out.push(parseLookupEvent(raw, region));
      token = page.nextToken;
    } while (token);
    for (const e of out) newest.set(k, Math.max(newest.get(k) ?? 0, e.timeMs));
    return out;
  };

  const poll = async (): Promise<void> => {
    polls++;
    const end = ctx.clock.now();
    const found: Array<{ e: TrailEvent; cred: WatchedCredential }> = [];
    await Promise.all(credentials.flatMap((cred) => plan.regions.map(async (region) => {
      for (const e of await lookup(cred, region, end)) found.push({ e, cred });
    })));
    found.sort((a, b) => -compareNewestFirst(a.e, b.e));
    for (const { e, cred } of found) {
      if (seen.has(e.eventId)) continue;
      seen.add(e.eventId);
      const w: WatchedEvent = { event: e, credential: cred, verdict: verdictOf(e, containedAt.getTime()) };
      events.push(w);
      hooks.onEvent?.(w);
    }
    // What a watched credential minted or created is watched from now on.
    const fresh = found.map((f) => f.e);
    for (const k of createdKeys(fresh)) add({ attribute: 'AccessKeyId', value: k.accessKeyId, kind: 'created-key', label: `key created for ${k.userName} during the watch` });
    for (const d of findDerivedCredentials(fresh)) add({ attribute: 'AccessKeyId', value: d.accessKeyId, kind: 'session', label: `session minted during the watch (${d.via})` });
  };
  const add = (c: WatchedCredential): void => {
    if (credentials.some((x) => x.attribute === c.attribute && x.value === c.value)) return;
    credentials.push(c);
    hooks.onNewCredential?.(c);
  };

  try {
    for (;;) {
      await poll();
      const left = deadline.getTime() - ctx.clock.now().getTime();
      if (left <= 0) break;
      await ctx.clock.sleep(Math.min(opts.intervalMs, left), ctx.signal);
    }
  } catch (err) {
    if (!ctx.signal.aborted && !(err instanceof Error && err.name === 'AbortError')) throw err;
    interrupted = true;
  }
  return {
    startedAt,
    containedAt,
    endsAt,
    deadline,
    events,
    summary: summarise(events.map((w) => ({ verdict: w.verdict, ...(w.event.accessKeyId ? { accessKeyId: w.event.accessKeyId } : {}) }))),
    interrupted,
    polls,
  };
}
