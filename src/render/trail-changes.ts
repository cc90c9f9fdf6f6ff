/** `gd-ir trail --changes`: the successful writes of a trail, classified, as a table (and its --json). */
import type { ChalkInstance } from 'chalk';
import { CHANGE_CATEGORY_LABELS, type Change, type ChangesResult } from '../core/changes/index.js';
import { sanitize } from '../core/sanitize.js';
import type { RunScope } from '../core/suggestion.js';
import type { TrailResult } from '../core/trail/index.js';
import { changeToJson } from './changes-json.js';
import { displayTime, plural } from './format.js';
import { renderTable } from './table.js';
import { describePrincipal } from './trail.js';

export interface TrailChangesRenderOptions {
  style: ChalkInstance;
  columns: number | undefined;
  tty: boolean;
  now: Date;
  scope: RunScope;
}

function by(c: Change): string {
  return `${c.actor.accessKeyId ?? '?'}${c.actor.kind === 'principal' ? '' : ` (${c.actor.kind === 'session' ? 'session' : 'created key'})`}`;
}

export function renderTrailChanges(trail: TrailResult, r: ChangesResult, o: TrailChangesRenderOptions): string {
  const s = o.style;
  const window = `${displayTime(trail.request.window.start.toISOString(), o)} → ${displayTime(trail.request.window.end.toISOString(), o)}`;
  const head = s.bold(`Changes by ${describePrincipal(trail)}`) + s.dim(` · ${window} · ${trail.request.regions.join(', ')}`);
  if (r.changes.length === 0) return `${head}\n${s.dim(`No successful writes in ${plural(trail.fetchedEvents, 'event')}.`)}`;
  const table = renderTable(
    r.changes,
    [
      { header: 'Time', value: (c) => displayTime(c.time, o) },
      { header: 'Category', value: (c) => CHANGE_CATEGORY_LABELS[c.category], style: (t, c) => (c.category === 'other' ? s.dim(t) : s.red(t)) },
      { header: 'Change', value: (c) => c.summary, shrink: 3, min: 20 },
      { header: 'Event', value: (c) => `${c.service}:${c.eventName}` },
      { header: 'Region', value: (c) => c.region },
      { header: 'By', value: (c) => by(c), shrink: 1, min: 12 },
    ],
    { width: o.columns, style: s },
  );
  const lines = [head, table, s.dim(`${plural(r.changes.length, 'successful write')} of ${plural(trail.fetchedEvents, 'event')}; current state not read (gd-ir investigate reads it back).`)];
  const followedKeys = r.followed.some((f) => f.kind === 'created-key');
  if (r.notFollowed.length > 0) lines.push(s.dim(`Keys it created, not followed${followedKeys ? ' further' : ' (add --follow to read what they did)'}: ${r.notFollowed.map((k) => sanitize(k)).join(', ')}`));
  return lines.join('\n');
}

export function trailChangesJson(trail: TrailResult, r: ChangesResult, scope: RunScope): Record<string, unknown> {
  return {
    schemaVersion: 1,
    principal: { accessKeyId: trail.principal.accessKeyId ?? null, userName: trail.principal.userName ?? null, arn: trail.principal.arn ?? null },
    window: { start: trail.request.window.start.toISOString(), end: trail.request.window.end.toISOString() },
    regions: [...trail.request.regions],
    fetchedEvents: trail.fetchedEvents,
    changes: r.changes.map((c) => changeToJson(c, scope)),
    followed: r.followed.map((f) => ({ accessKeyId: f.accessKeyId, kind: f.kind, hop: f.hop, userName: f.userName ?? null, createdAt: f.createdAt ?? null })),
    notFollowed: [...r.notFollowed],
    warnings: [...trail.warnings, ...r.warnings],
  };
}
