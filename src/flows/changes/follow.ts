/**
 * Following the credentials an attacker made: from the principal's trail (its own events and its sessions'), the
 * access keys it created are looked up in CloudTrail too (with their own sessions), and the keys those created
 * one hop further. Keys created at the last hop are listed, not followed. Each key is read from the source the
 * principal's trail came from (`--logs`: event history, a local archive, S3 or Athena; src/flows/trail-source.ts),
 * in the same accounts and regions, so the sweep behaves the same on every source. The default is event history
 * through the same paced `collectTrail`, sharing its per-region rate limiters.
 */
import type { TrailResult } from '../../core/trail/index.js';
import type { TrailRead } from '../trail-source.js';
import { collectTrail } from '../../sources/trail.js';
import type { Context } from '../../cli/context.js';
import { createdKeys, principalCredentials, principalStreams, type ActorEvents, type ChangesResult } from '../../core/changes/index.js';
import { errorSummary } from '../../core/errors.js';
import { NO_FILTERS, type TrailEvent, type TrailRequest } from '../../core/trail/index.js';

/** The principal's key is hop 0; keys it created hop 1; keys those created hop 2 (the last one followed). */
export const MAX_HOPS = 2;

export interface Followed {
  streams: ActorEvents[];
  followed: ChangesResult['followed'];
  notFollowed: string[];
  warnings: string[];
}

export async function followCreatedKeys(ctx: Pick<Context, 'aws' | 'clock' | 'signal'>, trail: TrailResult, read: TrailRead = (r) => collectTrail(ctx, r)): Promise<Followed> {
  const streams = principalStreams(trail);
  const followed = principalCredentials(trail);
  const warnings: string[] = [];
  const seen = new Set(followed.map((f) => f.accessKeyId));
  let frontier = createdKeys(trail.events).filter((k) => !seen.has(k.accessKeyId));
  const end = ctx.clock.now();
  for (let hop = 1; hop <= MAX_HOPS && frontier.length > 0; hop++) {
    for (const k of frontier) seen.add(k.accessKeyId);
    const results = await Promise.all(
      frontier.map(async (k) => {
        const start = new Date(Date.parse(k.createdAt));
        if (!(start.getTime() < end.getTime())) return { key: k, events: [] as TrailEvent[], trail: undefined };
        const request: TrailRequest = {
          principal: { accessKeyId: k.accessKeyId, userName: k.userName },
          lookup: { attribute: 'AccessKeyId', value: k.accessKeyId },
          window: { start, end },
          regions: trail.request.regions,
          follow: true,
          maxEvents: trail.request.maxEvents,
          ...(trail.request.rate !== undefined ? { rate: trail.request.rate } : {}),
          filters: NO_FILTERS,
          warnings: [],
          ...(trail.request.accounts ? { accounts: trail.request.accounts } : {}),
        };
        try {
          const t = await read(request);
          for (const w of t.warnings) warnings.push(`created key ${k.accessKeyId}: ${w}`);
          return { key: k, events: t.events, trail: t };
        } catch (err) {
          if (ctx.signal.aborted) throw err;
          warnings.push(`the activity of created key ${k.accessKeyId} could not be read: ${errorSummary(err)}`);
          return { key: k, events: [] as TrailEvent[], trail: undefined };
        }
      }),
    );
    const next: typeof frontier = [];
    for (const r of results) {
      followed.push({ accessKeyId: r.key.accessKeyId, kind: 'created-key', hop, userName: r.key.userName, createdAt: r.key.createdAt });
      for (const d of r.trail?.derivedCredentials ?? []) followed.push({ accessKeyId: d.accessKeyId, kind: 'session', hop, userName: r.key.userName, createdAt: d.issuedAt });
      const base = { hop, userName: r.key.userName };
      streams.push({ actor: { ...base, kind: 'created-key', accessKeyId: r.key.accessKeyId }, events: r.events.filter((e) => !e.derived) });
      streams.push({ actor: { ...base, kind: 'session' }, events: r.events.filter((e) => e.derived) });
      for (const c of createdKeys(r.events)) if (!seen.has(c.accessKeyId)) next.push(c);
    }
    frontier = next;
  }
  return { streams, followed, notFollowed: frontier.map((k) => k.accessKeyId), warnings };
}
