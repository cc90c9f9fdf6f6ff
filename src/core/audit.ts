/**
 * The audit trail's records and the logic that reads them back: parse a JSON Lines log (tolerating a
 * torn last line), pair each `intent` with its `outcome`, and find the intents a dead process left
 * without one. Pure: the file I/O lives in src/audit/audit-log.ts.
 */
import type { AccountAccess } from './access.js';
import type { ContainAction, StepParams } from './containment/model.js';
import { remediateSuggestion, type RemediationAction } from './remediation/index.js';
import { commandLine, gdIr, type RunScope, type Suggestion } from './suggestion.js';

export const AUDIT_RECORD_VERSION = 1;

export type AuditRecordKind = 'intent' | 'outcome' | 'reconcile';

/**
 * One line of the audit log. Never holds a secret: key IDs are identifiers, not credentials.
 * `intent` is written (and fsynced) before the API call, `outcome` after it; `reconcile` closes an
 * intent whose process died, with the state read back from AWS.
 */
export interface AuditRecord {
  v: number;
  kind: AuditRecordKind;
  time: string;
  /** Links an intent to its outcome (or reconcile). */
  operationId: string;
  /** remediate's four actions, and the writes of a containment plan's steps. */
  action: ContainAction;
  /** The key the change acts on; for a plan step that acts on no key, the incident's key. */
  accessKeyId: string;
  userName: string;
  /** The inline policy for session actions. */
  policyName?: string;
  findingId: string | null;
  accountId: string;
  region: string;
  callerArn: string;
  /** Key status ('Active'/'Inactive') or policy presence ('present'/'absent'). */
  statusBefore: string | null;
  /** Intent: the target state. Outcome/reconcile: the state read back (null when unknown). */
  statusAfter: string | null;
  verified: boolean | null;
  error: string | null;
  gdIrVersion: string;
  /** Which process wrote it (lets a later run tell a dead process from one still working). */
  pid?: number;
  host?: string;
  /** Reconcile: what gd-ir concluded. */
  note?: string;
  /**
   * In a member account (reached through a role or a named profile): the role the change was made with, its session
   * name and SourceIdentity (the analyst, as the member's CloudTrail shows it), the profile, the read role, and the
   * analyst's own identity (`callerArn` is then the role session that acted).
   */
  roleArn?: string;
  roleSessionName?: string;
  sourceIdentity?: string;
  profile?: string;
  readRoleArn?: string;
  analystArn?: string;
  /** A step of a containment plan (`gd-ir contain`): the plan it belongs to, its number, and how many were chosen. */
  planId?: string;
  step?: number;
  steps?: number;
  /** The plan this one undoes (`gd-ir contain --undo`). */
  undoOf?: string;
  /** The API the step calls (`iam:DetachUserPolicy`) and what it acts on, in words. */
  api?: string;
  target?: string;
  /** The step's exact parameters (documents and versions it replaces included): what `contain --undo` restores. */
  params?: StepParams;
}

/** The fields naming who acted and through what: the caller, or in a member account the role session and the analyst. */
export type AccessAuditFields = Pick<AuditRecord, 'callerArn' | 'roleArn' | 'roleSessionName' | 'sourceIdentity' | 'profile' | 'readRoleArn' | 'analystArn'>;

/**
 * The audit fields of a change made with `access` (remediate, contain): in the caller's own account just its ARN;
 * in a member account the role session that acted as `callerArn`, the write role (or profile), its session name and
 * SourceIdentity, the read role the read-backs went through, and the analyst behind them.
 */
export function accessAuditFields(callerArn: string, access?: { read?: AccountAccess; write: AccountAccess; analystArn?: string }): AccessAuditFields {
  const write = access?.write;
  const read = access?.read;
  if (write === undefined || write.via === 'caller' || write.via === 'none') return { callerArn };
  return {
    callerArn: write.actingArn ?? callerArn,
    ...(write.roleArn ? { roleArn: write.roleArn } : {}),
    ...(write.sessionName ? { roleSessionName: write.sessionName } : {}),
    ...(write.sourceIdentity ? { sourceIdentity: write.sourceIdentity } : {}),
    ...(write.profile ? { profile: write.profile } : {}),
    ...(read?.roleArn && read.via === 'role' ? { readRoleArn: read.roleArn } : {}),
    ...(access?.analystArn ? { analystArn: access.analystArn } : {}),
  };
}

export interface CorruptLine {
  /** 1-based line number in the file. */
  line: number;
  /** The start of the line (raw; renderers sanitise). */
  excerpt: string;
  /** The last line, without a newline: a write cut short (crash, full disk). */
  truncated: boolean;
}

export interface ParsedAuditLog {
  records: AuditRecord[];
  corrupt: CorruptLine[];
}

const KINDS = new Set<string>(['intent', 'outcome', 'reconcile']);

function isAuditRecord(value: unknown): value is AuditRecord {
  if (!value || typeof value !== 'object') return false;
  const r = value as Record<string, unknown>;
  return typeof r.kind === 'string' && KINDS.has(r.kind) && typeof r.operationId === 'string' && typeof r.time === 'string' && typeof r.accessKeyId === 'string';
}

const RECORD_START = '{"v":';

function parseRecord(text: string): AuditRecord | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return isAuditRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Parse JSON Lines; unreadable lines are reported, never fatal. A write cut short (a crash mid-write)
 * leaves a fragment without a newline, and the next record is appended right after it: the record is
 * recovered from where it starts (records always begin with `{"v":`) and only the fragment is reported.
 */
export function parseAuditLog(text: string): ParsedAuditLog {
  const records: AuditRecord[] = [];
  const corrupt: CorruptLine[] = [];
  const lines = text.split('\n');
  const endsWithNewline = text.endsWith('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const whole = parseRecord(line);
    if (whole) {
      records.push(whole);
      return;
    }
    const last = i === lines.length - 1 && !endsWithNewline;
    let start = line.indexOf(RECORD_START, 1);
    while (start > 0) {
      const rest = parseRecord(line.slice(start));
      if (rest) {
        corrupt.push({ line: i + 1, excerpt: line.slice(0, Math.min(start, 120)), truncated: true });
        records.push(rest);
        return;
      }
      start = line.indexOf(RECORD_START, start + 1);
    }
    corrupt.push({ line: i + 1, excerpt: line.slice(0, 120), truncated: last });
  });
  return { records, corrupt };
}

export type OperationState = 'complete' | 'failed' | 'unverified' | 'dangling' | 'in-progress' | 'reconciled' | 'orphan';

export interface AuditOperation {
  operationId: string;
  intent?: AuditRecord;
  outcome?: AuditRecord;
  reconcile?: AuditRecord;
  state: OperationState;
}

/**
 * Pair records by operationId, in the order the intents were written.
 * `isAlive(record)` tells whether the writer of an unanswered intent is still running (then the
 * operation is in progress, not dangling); by default every writer is assumed gone.
 */
export function pairAuditRecords(records: readonly AuditRecord[], isAlive: (intent: AuditRecord) => boolean = () => false): AuditOperation[] {
  const byId = new Map<string, AuditOperation>();
  for (const r of records) {
    let op = byId.get(r.operationId);
    if (!op) {
      op = { operationId: r.operationId, state: 'orphan' };
      byId.set(r.operationId, op);
    }
    if (r.kind === 'intent') op.intent ??= r;
    else if (r.kind === 'outcome') op.outcome ??= r;
    else op.reconcile ??= r;
  }
  for (const op of byId.values()) op.state = operationState(op, isAlive);
  return [...byId.values()];
}

function operationState(op: AuditOperation, isAlive: (intent: AuditRecord) => boolean): OperationState {
  if (!op.intent) return 'orphan';
  if (op.outcome) {
    if (op.outcome.error) return 'failed';
    return op.outcome.verified ? 'complete' : 'unverified';
  }
  if (op.reconcile) return 'reconciled';
  return isAlive(op.intent) ? 'in-progress' : 'dangling';
}

/** Intents without an outcome whose process is gone, optionally for one key. */
export function danglingIntents(operations: readonly AuditOperation[], accessKeyId?: string): AuditRecord[] {
  return operations
    .filter((op) => op.state === 'dangling' && op.intent && (accessKeyId === undefined || op.intent.accessKeyId === accessKeyId))
    .map((op) => op.intent as AuditRecord);
}

/**
 * What the real state says about an intent its process never answered: did the change happen?
 * `observed` is the key status or policy presence read just now.
 */
export function reconcileNote(intent: AuditRecord, observed: string | null): string {
  const target = intent.statusAfter;
  if (observed === null) return `the process stopped between intent and outcome; the current state could not be read`;
  if (observed === target) {
    return `the process stopped between intent and outcome; the change is in effect (${intent.statusBefore ?? '?'} → ${observed})`;
  }
  return `the process stopped between intent and outcome; the change did not take effect (still ${observed})`;
}

/**
 * The command that reconciles a dangling intent: the same request again. It reads the real state,
 * closes the intent with a `reconcile` record, and then offers (with confirmation) whatever is still
 * left to do.
 */
export function reconcileSuggestion(intent: AuditRecord): Suggestion {
  // A plan step is re-read by planning again: what is still in place shows up as a step.
  if (intent.planId) return gdIr(['contain', intent.findingId ?? '', '--dry-run'], 'reconcile', false, intent.region);
  return remediateSuggestion(intent.action as RemediationAction, intent.accessKeyId, intent.userName, 'reconcile');
}

/** The operations of each containment plan, in step order (remediate's operations belong to no plan). */
export function groupByPlan(operations: readonly AuditOperation[]): Array<{ planId: string; undoOf?: string; operations: AuditOperation[] }> {
  const plans = new Map<string, { planId: string; undoOf?: string; operations: AuditOperation[] }>();
  for (const op of operations) {
    const r = op.intent ?? op.outcome ?? op.reconcile;
    if (!r?.planId) continue;
    const p = plans.get(r.planId) ?? { planId: r.planId, ...(r.undoOf ? { undoOf: r.undoOf } : {}), operations: [] };
    p.operations.push(op);
    plans.set(r.planId, p);
  }
  for (const p of plans.values()) p.operations.sort((a, b) => ((a.intent ?? a.outcome)?.step ?? 0) - ((b.intent ?? b.outcome)?.step ?? 0));
  return [...plans.values()];
}

/** Where a recorded operation acted, for the command that reconciles it: a member account and its roles. */
export function recordScope(r: AuditRecord): RunScope {
  if (r.roleArn === undefined && r.profile === undefined) return {};
  return {
    account: r.accountId,
    ...(r.profile !== undefined ? { accountProfile: r.profile } : {}),
    ...(r.readRoleArn !== undefined ? { readRole: r.readRoleArn } : {}),
    ...(r.roleArn !== undefined && r.profile === undefined ? { writeRole: r.roleArn } : {}),
  };
}

/** The same, as the line to paste (in the record's account; otherwise unscoped). */
export function reconcileCommand(intent: AuditRecord): string {
  return commandLine(reconcileSuggestion(intent), recordScope(intent));
}
