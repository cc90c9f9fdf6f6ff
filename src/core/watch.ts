/**
 * `gd-ir watch`: does containment hold? Which credentials to follow, when containment happened (from the audit
 * log), what each new CloudTrail event means for it, and the summary. Pure: the flow (src/flows/watch/) polls
 * LookupEvents, the renderer prints.
 */
import type { AuditOperation, AuditRecord } from './audit.js';
import type { TrailEvent } from './trail/model.js';
import { isSuccessfulCall } from './trail/outcome.js';

export type WatchedKind = 'principal' | 'session' | 'created-key' | 'user';

/** One thing to look up in CloudTrail: a key (AccessKeyId) or a user (Username). */
export interface WatchedCredential {
  attribute: 'AccessKeyId' | 'Username';
  value: string;
  kind: WatchedKind;
  /** How it was found ("the finding's key", "created by AKIA… for backup-svc"). */
  label: string;
}

export interface Containment {
  /** When containment completed (the last verified step), ISO. */
  time: string;
  /** The plan, or remediate's operation, it came from. */
  planId?: string;
  what: string;
}

/** What a new event says about containment. */
export type WatchVerdict =
  /** A successful call after containment: containment failed for this credential. */
  | 'failure'
  /** Refused after containment (AccessDenied…): containment held. */
  | 'denied'
  /** Failed after containment for another reason (a missing resource…): not a success. */
  | 'error'
  /** Before containment: context, not a verdict. */
  | 'before';

const DENIED = /AccessDenied|UnauthorizedOperation|Unauthorized|Forbidden|InvalidClientTokenId|ExpiredToken/i;

/** A successful call, by the one rule (src/core/trail/outcome.ts). */
export function succeeded(e: Pick<TrailEvent, 'errorCode' | 'errorMessage' | 'responseElements' | 'eventName' | 'eventSource' | 'failed'>): boolean {
  return isSuccessfulCall(e);
}

export function verdictOf(e: TrailEvent, containedAtMs: number): WatchVerdict {
  if (e.timeMs < containedAtMs) return 'before';
  if (succeeded(e)) return 'failure';
  return e.errorCode && DENIED.test(e.errorCode) ? 'denied' : 'error';
}

/** Actions that contain (not the ones that undo containment). */
const CONTAINING = new Set<string>(['deactivate', 'revoke-sessions', 'revoke-role-sessions', 'delete-login-profile', 'detach-policy', 'delete-inline-policy', 'set-trust-policy', 'set-default-version', 'start-logging', 'attach-policy']);

/** A containment the audit log shows undone later (`contain --undo`, `remediate --undo`): no longer in place. */
export interface UndoneContainment extends Containment {
  /** When the undo completed, ISO, and what undid it (`plan 8d2f…`, `reactivate of AKIA…`). */
  undoneAt: string;
  undoneBy: string;
}

export interface ContainmentState {
  /** The containment in place: the last verified containing step not undone since. */
  containment?: Containment;
  /** With no containment in place: the last one that was, and what undid it. */
  undone?: UndoneContainment;
}

type About = { findingId?: string; accessKeyIds: readonly string[]; userName?: string };

function describeContainment(r: AuditRecord): Containment {
  return {
    time: r.time,
    ...(r.planId ? { planId: r.planId } : {}),
    what: r.planId ? `plan ${r.planId} (last verified step ${r.step ?? '?'}: ${r.target ?? r.action})` : `${r.action} of ${r.accessKeyId}`,
  };
}

/** The later, verified operation that reverses `r`, if any: an undo plan of its plan, or the inverse on its key or user. */
function undoneBy(r: AuditRecord, done: readonly AuditRecord[]): AuditRecord | undefined {
  let by: AuditRecord | undefined;
  for (const u of done) {
    if (u.time < r.time) continue;
    const reverses =
      (r.planId !== undefined && u.undoOf === r.planId) ||
      (r.action === 'deactivate' && u.action === 'reactivate' && u.accessKeyId === r.accessKeyId) ||
      (r.action === 'revoke-sessions' && u.action === 'restore-sessions' && u.userName === r.userName);
    if (reverses && (!by || u.time < by.time)) by = u;
  }
  return by;
}

/**
 * Which containment of this incident is in place, from the audit log: the last verified containing step about the
 * finding, one of its keys or its user that no later verified operation reversed (an undo plan of its plan, a
 * reactivation of its key, a restore of its user's sessions). When every one was reversed, the last of them and
 * what reversed it. Undo plans and failed or unverified steps never count as containment.
 */
export function containmentState(operations: readonly AuditOperation[], about: About): ContainmentState {
  const done = operations.filter((op) => op.state === 'complete' && op.outcome).map((op) => op.outcome as AuditRecord);
  let inPlace: AuditRecord | undefined;
  let undone: { record: AuditRecord; by: AuditRecord } | undefined;
  for (const r of done) {
    if (!CONTAINING.has(r.action) || r.undoOf) continue;
    const match = (about.findingId !== undefined && r.findingId === about.findingId) || about.accessKeyIds.includes(r.accessKeyId) || (about.userName !== undefined && r.userName === about.userName);
    if (!match) continue;
    const by = undoneBy(r, done);
    if (by) {
      if (!undone || r.time > undone.record.time) undone = { record: r, by };
    } else if (!inPlace || r.time > inPlace.time) inPlace = r;
  }
  if (inPlace) return { containment: describeContainment(inPlace) };
  if (!undone) return {};
  const { record, by } = undone;
  return { undone: { ...describeContainment(record), undoneAt: by.time, undoneBy: by.planId ? `plan ${by.planId}` : `${by.action} of ${by.accessKeyId}` } };
}

/** The containment in place (see containmentState), or undefined. */
export function containmentFromAudit(operations: readonly AuditOperation[], about: About): Containment | undefined {
  return containmentState(operations, about).containment;
}

export interface WatchSummary {
  events: number;
  failures: number;
  denied: number;
  errors: number;
  before: number;
  /** Credentials with a successful call after containment. */
  failedCredentials: string[];
}

export function summarise(verdicts: ReadonlyArray<{ verdict: WatchVerdict; accessKeyId?: string }>): WatchSummary {
  const s: WatchSummary = { events: verdicts.length, failures: 0, denied: 0, errors: 0, before: 0, failedCredentials: [] };
  const failed = new Set<string>();
  for (const v of verdicts) {
    if (v.verdict === 'failure') {
      s.failures++;
      if (v.accessKeyId) failed.add(v.accessKeyId);
    } else if (v.verdict === 'denied') s.denied++;
    else if (v.verdict === 'error') s.errors++;
    else s.before++;
  }
  s.failedCredentials = [...failed];
  return s;
}

/**
 * How long CloudTrail may take to show a call in event history: the AWS CloudTrail FAQs give an average of about
 * 5 minutes after the API call, without a guarantee. `gd-ir watch --delivery-delay` overrides it; the sandbox
 * states its own (the `deliveryDelayMs` knob).
 */
export const CLOUDTRAIL_DELIVERY_DELAY_MS = 5 * 60_000;
