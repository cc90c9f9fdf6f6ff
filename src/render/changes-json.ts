/**
 * One change as JSON (`investigate --json` `changes[]`, `trail --changes --json`): exactly the documented fields
 * (docs/json/investigate.md, "changes"). Raw values, not sanitised.
 */
import type { Change } from '../core/changes/index.js';
import { commandLine, type RunScope } from '../core/suggestion.js';

export interface ChangeJson {
  time: string;
  eventName: string;
  service: string;
  region: string;
  actor: { accessKeyId: string | null; kind: Change['actor']['kind'] };
  category: Change['category'];
  resource: { type: string; id: string; arn: string | null };
  state: { status: Change['state']['status']; detail: string };
  undo: { command: string | null; reversible: boolean };
}

export function changeToJson(c: Change, scope: RunScope = {}): ChangeJson {
  return {
    time: c.time,
    eventName: c.eventName,
    service: c.service,
    region: c.region,
    actor: { accessKeyId: c.actor.accessKeyId ?? null, kind: c.actor.kind },
    category: c.category,
    resource: { type: c.resource.type, id: c.resource.id, arn: c.resource.arn ?? null },
    state: { status: c.state.status, detail: c.state.detail },
    undo: { command: c.undo.suggestion ? commandLine(c.undo.suggestion, scope) : null, reversible: c.undo.reversible },
  };
}
