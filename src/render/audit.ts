/**
 * `gd-ir audit` output: one row per remediation operation (intent paired with its outcome), then the
 * operations a dead process left unfinished, then unreadable lines; and the --json mapper.
 */
import type { ChalkInstance } from 'chalk';
import { groupByPlan, type AuditOperation, type AuditRecord, type CorruptLine, type OperationState, reconcileCommand } from '../core/audit.js';
import { displayTime } from './format.js';
import { sanitize } from '../core/sanitize.js';
import { renderTable } from './table.js';

export interface AuditView {
  path: string;
  missing: boolean;
  operations: AuditOperation[];
  records: AuditRecord[];
  corrupt: CorruptLine[];
  permissionWarning?: string;
}

const STATE_TEXT: Record<OperationState, string> = {
  complete: 'ok',
  failed: 'failed',
  unverified: 'not verified',
  dangling: 'NO OUTCOME',
  'in-progress': 'in progress',
  reconciled: 'reconciled',
  orphan: 'outcome only',
};

function styleState(style: ChalkInstance, state: OperationState, text: string): string {
  if (state === 'complete') return style.green(text);
  if (state === 'dangling' || state === 'failed') return style.red(text);
  if (state === 'unverified' || state === 'orphan') return style.yellow(text);
  return style.cyan(text);
}

function first(op: AuditOperation): AuditRecord {
  return (op.intent ?? op.outcome ?? op.reconcile) as AuditRecord;
}

function afterOf(op: AuditOperation): string {
  const end = op.outcome ?? op.reconcile;
  return end ? (end.statusAfter ?? '?') : '?';
}

/** "gd-ir-write (session alice)" for a change made through a role; the profile when one reached the account. */
function viaOf(r: AuditRecord): string {
  if (r.roleArn !== undefined) return `${r.roleArn}${r.roleSessionName !== undefined ? ` (session ${r.roleSessionName})` : ''}`;
  if (r.profile !== undefined) return `profile ${r.profile}`;
  return '-';
}

/** Whether a record was made in a member account (through a role or a named profile). */
function inMember(r: AuditRecord): boolean {
  return r.roleArn !== undefined || r.profile !== undefined;
}

/** Remediations (one row each), then each containment plan under its own heading, its steps in order. */
export function renderAuditTable(view: AuditView, o: { style: ChalkInstance; width: number | undefined; tty: boolean; now: Date }): string {
  if (view.operations.length === 0) return '';
  const single = view.operations.filter((op) => !first(op).planId);
  const out: string[] = [];
  if (single.length > 0) out.push(renderOperations(single, o));
  for (const plan of groupByPlan(view.operations)) {
    const f = first(plan.operations[0] as AuditOperation);
    const chosen = f.steps ?? plan.operations.length;
    const done = plan.operations.filter((op) => op.state === 'complete').length;
    // A plan carried out in a member account names the account, the role and its session (the analyst's own ARN too).
    const where = inMember(f) ? ` · account ${f.accountId} via ${viaOf(f)}${f.analystArn !== undefined ? ` · analyst ${f.analystArn}` : ''}` : '';
    const title = `Plan ${plan.planId}${plan.undoOf ? ` (undoes plan ${plan.undoOf})` : ''} · finding ${f.findingId ?? '-'} · ${displayTime(f.time, o)} · ${f.callerArn}${where}`;
    const status = done === chosen ? o.style.green(`${done}/${chosen} steps verified`) : o.style.red(`${done}/${chosen} steps verified: stopped`);
    if (out.length > 0) out.push('');
    out.push(`${o.style.bold(sanitize(title))} · ${status}`);
    out.push(
      renderTable(
        plan.operations,
        [
          { header: 'Step', value: (op) => String(first(op).step ?? '?'), align: 'right' },
          { header: 'Action', value: (op) => first(op).action },
          { header: 'Target', value: (op) => first(op).target ?? first(op).accessKeyId, shrink: 3, min: 16 },
          { header: 'Change', value: (op) => `${first(op).statusBefore ?? '?'} → ${afterOf(op)}` },
          { header: 'Result', value: (op) => STATE_TEXT[op.state], style: (t, op) => styleState(o.style, op.state, t) },
          { header: 'Call', value: (op) => first(op).api ?? '', shrink: 1, min: 10 },
        ],
        { width: o.width, style: o.style },
      ),
    );
  }
  return out.join('\n');
}

function renderOperations(operations: readonly AuditOperation[], o: { style: ChalkInstance; width: number | undefined; tty: boolean; now: Date }): string {
  // A log that records changes in member accounts shows the account and the role/session of each.
  const member = operations.some((op) => inMember(first(op)));
  const accounts = new Set(operations.map((op) => first(op).accountId));
  return renderTable(
    operations,
    [
      { header: 'Time', value: (op) => displayTime(first(op).time, o) },
      { header: 'Action', value: (op) => first(op).action },
      { header: 'Key', value: (op) => first(op).accessKeyId },
      { header: 'User', value: (op) => first(op).userName, shrink: 2, min: 10 },
      { header: 'Change', value: (op) => `${first(op).statusBefore ?? '?'} → ${afterOf(op)}` },
      { header: 'Result', value: (op) => STATE_TEXT[op.state], style: (t, op) => styleState(o.style, op.state, t) },
      ...(member || accounts.size > 1 ? [{ header: 'Account', value: (op: AuditOperation) => first(op).accountId }] : []),
      ...(member ? [{ header: 'Via', value: (op: AuditOperation) => viaOf(first(op)), shrink: 3, min: 12 }] : []),
      { header: 'Caller', value: (op) => first(op).callerArn, shrink: 3, min: 12 },
      { header: 'Finding', value: (op) => first(op).findingId ?? '-', shrink: 1, min: 8 },
    ],
    { width: o.width, style: o.style },
  );
}

/** Lines for stderr: unfinished operations (with the command that reconciles them), unreadable lines. */
export function renderAuditProblems(view: AuditView, o: { style: ChalkInstance; tty: boolean; now: Date }): string[] {
  const lines: string[] = [];
  for (const op of view.operations) {
    if (op.state !== 'dangling' || !op.intent) continue;
    const i = op.intent;
    lines.push(
      `${o.style.red('intent without outcome:')} the process stopped between the intent to ${i.action} ${sanitize(i.accessKeyId)} (user ${sanitize(i.userName)}, ${displayTime(i.time, o)}) and its result; run ${o.style.cyan(sanitize(reconcileCommand(i)))} to reconcile`,
    );
  }
  for (const op of view.operations) {
    if (op.state === 'in-progress' && op.intent) {
      lines.push(`${o.style.cyan('in progress:')} ${op.intent.action} of ${sanitize(op.intent.accessKeyId)} by process ${op.intent.pid ?? '?'} (still running)`);
    }
  }
  for (const c of view.corrupt) {
    lines.push(
      `${o.style.yellow('warning:')} line ${c.line} of ${sanitize(view.path)} is ${c.truncated ? 'truncated (a write was cut short)' : 'not a valid audit record'}: ${sanitize(c.excerpt, { maxLength: 60 })}`,
    );
  }
  if (view.permissionWarning) lines.push(`${o.style.yellow('warning:')} ${sanitize(view.permissionWarning)}`);
  return lines;
}

export interface AuditJson {
  schemaVersion: 1;
  auditLog: string;
  exists: boolean;
  operations: Array<{
    operationId: string;
    state: OperationState;
    action: string;
    accessKeyId: string;
    userName: string;
    policyName: string | null;
    findingId: string | null;
    accountId: string;
    region: string;
    callerArn: string;
    /** Member accounts: the role the change was made with, its session name and SourceIdentity, the profile, the analyst. */
    roleArn: string | null;
    roleSessionName: string | null;
    sourceIdentity: string | null;
    profile: string | null;
    analystArn: string | null;
    startedAt: string | null;
    finishedAt: string | null;
    statusBefore: string | null;
    statusAfter: string | null;
    verified: boolean | null;
    error: string | null;
    reconcile: { time: string; statusAfter: string | null; note: string | null } | null;
    planId: string | null;
    step: number | null;
    api: string | null;
    target: string | null;
  }>;
  dangling: Array<{ operationId: string; accessKeyId: string; action: string; time: string; reconcileCommand: string }>;
  /** Containment plans (`gd-ir contain`), their operations in step order. */
  plans: Array<{ planId: string; undoOf: string | null; findingId: string | null; steps: number; verified: number; operationIds: string[] }>;
  corruptLines: Array<{ line: number; truncated: boolean; excerpt: string }>;
  records: AuditRecord[];
}

export function auditJson(view: AuditView): AuditJson {
  return {
    schemaVersion: 1,
    auditLog: view.path,
    exists: !view.missing,
    operations: view.operations.map((op) => {
      const f = first(op);
      const end = op.outcome ?? op.reconcile;
      return {
        operationId: op.operationId,
        state: op.state,
        action: f.action,
        accessKeyId: f.accessKeyId,
        userName: f.userName,
        policyName: f.policyName ?? null,
        findingId: f.findingId ?? null,
        accountId: f.accountId,
        region: f.region,
        callerArn: f.callerArn,
        roleArn: f.roleArn ?? null,
        roleSessionName: f.roleSessionName ?? null,
        sourceIdentity: f.sourceIdentity ?? null,
        profile: f.profile ?? null,
        analystArn: f.analystArn ?? null,
        startedAt: op.intent?.time ?? null,
        finishedAt: op.outcome?.time ?? null,
        statusBefore: f.statusBefore ?? null,
        statusAfter: end ? (end.statusAfter ?? null) : null,
        verified: op.outcome ? (op.outcome.verified ?? null) : null,
        error: op.outcome?.error ?? null,
        reconcile: op.reconcile ? { time: op.reconcile.time, statusAfter: op.reconcile.statusAfter ?? null, note: op.reconcile.note ?? null } : null,
        planId: f.planId ?? null,
        step: f.step ?? null,
        api: f.api ?? null,
        target: f.target ?? null,
      };
    }),
    plans: groupByPlan(view.operations).map((p) => {
      const f = first(p.operations[0] as AuditOperation);
      return {
        planId: p.planId,
        undoOf: p.undoOf ?? null,
        findingId: f.findingId ?? null,
        steps: f.steps ?? p.operations.length,
        verified: p.operations.filter((op) => op.state === 'complete').length,
        operationIds: p.operations.map((op) => op.operationId),
      };
    }),
    dangling: view.operations
      .filter((op) => op.state === 'dangling' && op.intent)
      .map((op) => {
        const i = op.intent as AuditRecord;
        return { operationId: i.operationId, accessKeyId: i.accessKeyId, action: i.action, time: i.time, reconcileCommand: reconcileCommand(i) };
      }),
    corruptLines: view.corrupt.map((c) => ({ line: c.line, truncated: c.truncated, excerpt: c.excerpt })),
    records: view.records,
  };
}
