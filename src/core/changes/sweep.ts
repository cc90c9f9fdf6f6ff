/**
 * The sweep assembled (pure): from the events of every followed credential to the list of changes, newest first,
 * each event once; and the states judged from the read-backs.
 */
import type { TrailEvent, TrailResult } from '../trail/model.js';
import { changeFromEvent, isSuccessfulWrite } from './classify.js';
import type { Change, ChangeActor, ChangesResult } from './model.js';
import { judge, probeKey, probesFor, type Probe, type ProbeResult } from './probes.js';

export interface ActorEvents {
  actor: ChangeActor;
  events: readonly TrailEvent[];
}

/** The principal's own events and its sessions' events, as two streams (hop 0). */
export function principalStreams(trail: TrailResult): ActorEvents[] {
  const userName = trail.principal.userName ?? trail.request.principal.userName;
  const base = { hop: 0, ...(userName ? { userName } : {}) };
  const key = trail.request.principal.accessKeyId;
  return [
    { actor: { ...base, kind: 'principal', ...(key ? { accessKeyId: key } : {}) }, events: trail.events.filter((e) => !e.derived) },
    { actor: { ...base, kind: 'session' }, events: trail.events.filter((e) => e.derived) },
  ];
}

/** The principal's key and the sessions it minted, as followed credentials. */
export function principalCredentials(trail: TrailResult): ChangesResult['followed'] {
  const out: ChangesResult['followed'] = [];
  const key = trail.request.principal.accessKeyId;
  const userName = trail.principal.userName ?? trail.request.principal.userName;
  if (key) out.push({ accessKeyId: key, kind: 'principal', hop: 0, ...(userName ? { userName } : {}) });
  for (const d of trail.derivedCredentials) out.push({ accessKeyId: d.accessKeyId, kind: 'session', hop: 0, ...(userName ? { userName } : {}), createdAt: d.issuedAt });
  return out;
}

/** Every successful write of the followed credentials as a change (state not read yet), newest first. */
export function assembleChanges(streams: readonly ActorEvents[], accountId?: string): Change[] {
  const seen = new Set<string>();
  const out: Array<{ change: Change; timeMs: number }> = [];
  for (const s of streams) {
    for (const e of s.events) {
      if (seen.has(e.eventId) || !isSuccessfulWrite(e)) continue;
      seen.add(e.eventId);
      // A session's events carry the session key; the actor is who that key is.
      const actor: ChangeActor = e.accessKeyId && e.accessKeyId !== s.actor.accessKeyId ? { ...s.actor, accessKeyId: e.accessKeyId } : s.actor;
      out.push({ change: changeFromEvent(e, actor, accountId ? { accountId } : {}), timeMs: e.timeMs });
    }
  }
  return out.sort((a, b) => b.timeMs - a.timeMs || (a.change.eventId < b.change.eventId ? -1 : 1)).map((x) => x.change);
}

/** The distinct reads the changes need. */
export function readsFor(changes: readonly Change[]): Probe[] {
  const byKey = new Map<string, Probe>();
  for (const c of changes) for (const p of probesFor(c)) byKey.set(probeKey(p), p);
  return [...byKey.values()];
}

/** The changes with their state judged from the reads (by probe key). */
export function judgeChanges(changes: readonly Change[], results: ReadonlyMap<string, ProbeResult>, accountId?: string): Change[] {
  const lookup = (p: Probe): ProbeResult | undefined => results.get(probeKey(p));
  return changes.map((c) => (probesFor(c).length === 0 ? c : { ...c, state: judge(c, lookup, accountId) }));
}

/** Counts by status. */
export function changeCounts(changes: readonly Change[]): Record<Change['state']['status'], number> & { total: number } {
  const out = { present: 0, gone: 0, changed: 0, unknown: 0, total: changes.length };
  for (const c of changes) out[c.state.status]++;
  return out;
}
