/**
 * The changes sweep's pure half: which events are successful writes, what each touched (IAM and CloudTrail in
 * detail, other services from the record), and which keys a credential created (to follow them).
 */
import { changeCategory } from '../data/change-kinds.js';
import type { TrailEvent } from '../trail/model.js';
import { isSuccessfulCall } from '../trail/outcome.js';
import { obj, str } from './fields.js';
import { iamChange, type DraftContext } from './iam-changes.js';
import type { Change, ChangeActor } from './model.js';
import { cloudTrailChange, recordedChange } from './other-changes.js';

/** IAM access levels that change something (Service Authorization Reference), for records without `readOnly`. */
const WRITE_LEVELS = new Set(['Write', 'Permissions management', 'Tagging']);

/**
 * A successful write: a successful call (one rule, src/core/trail/outcome.ts: console sign-ins count only with a
 * recorded "Success") that is not read-only. Sign-in events are non-API writes.
 */
export function isSuccessfulWrite(e: TrailEvent): boolean {
  if (!isSuccessfulCall(e)) return false;
  if (e.eventSource === 'signin.amazonaws.com') return true;
  if (e.readOnly === true) return false;
  if (e.readOnly === false) return true;
  return e.accessLevel !== undefined && WRITE_LEVELS.has(e.accessLevel);
}

/** The keys this credential's successful CreateAccessKey calls made (oldest first). */
export function createdKeys(events: readonly TrailEvent[]): Array<{ accessKeyId: string; userName: string; createdAt: string; by?: string }> {
  const out = new Map<string, { accessKeyId: string; userName: string; createdAt: string; by?: string }>();
  for (const e of [...events].sort((a, b) => a.timeMs - b.timeMs)) {
    if (e.eventSource !== 'iam.amazonaws.com' || e.eventName !== 'CreateAccessKey' || !isSuccessfulWrite(e)) continue;
    const key = obj(e.responseElements, 'accessKey');
    const id = str(key, 'accessKeyId');
    const user = str(e.requestParameters, 'userName') ?? str(key, 'userName') ?? e.userName;
    if (id && user && !out.has(id)) out.set(id, { accessKeyId: id, userName: user, createdAt: e.time, ...(e.accessKeyId ? { by: e.accessKeyId } : {}) });
  }
  return [...out.values()];
}

/** One change from one successful write, its state not yet read (`unknown`, to be judged from the read-backs). */
export function changeFromEvent(e: TrailEvent, actor: ChangeActor, c: DraftContext): Change {
  const ctx: DraftContext = { ...c, ...(actor.userName ? { actorUser: actor.userName } : e.userName ? { actorUser: e.userName } : {}) };
  let draft = e.eventSource === 'iam.amazonaws.com' ? iamChange(e, ctx) : e.eventSource === 'cloudtrail.amazonaws.com' ? cloudTrailChange(e, ctx) : undefined;
  if (e.eventSource === 'signin.amazonaws.com' && e.eventName === 'ConsoleLogin') {
    const who = e.userName ?? 'unknown';
    draft = {
      target: { kind: 'recorded' },
      resource: { type: 'AWS::IAM::User', id: who, ...(e.principalArn ? { arn: e.principalArn } : {}) },
      summary: `signed in to the console as ${who}`,
      undo: { reversible: false, note: 'a sign-in is access, not a change: remove the password that allowed it (the login profile) and end console sessions by revoking older sessions' },
    };
  }
  draft ??= recordedChange(e);
  const service = e.eventSource.replace(/\.amazonaws\.com$/, '');
  const recordedOnly = draft.target.kind === 'recorded' || draft.target.kind === 'mfaDevice';
  return {
    eventId: e.eventId,
    time: e.time,
    eventName: e.eventName,
    service,
    eventSource: e.eventSource,
    region: e.region,
    actor,
    category: changeCategory(e.eventSource, e.eventName),
    resource: draft.resource,
    target: draft.target,
    summary: draft.summary,
    state: recordedOnly
      ? { status: 'unknown', detail: `not read: gd-ir does not read ${service === 'iam' ? 'MFA devices' : service} state${draft.check ? '; check it by hand' : ''}`, read: false }
      : { status: 'unknown', detail: 'not read yet', read: false },
    undo: draft.undo,
    ...(draft.check ? { check: draft.check } : {}),
  };
}
