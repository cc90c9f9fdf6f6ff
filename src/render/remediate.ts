/**
 * Remediation output: the plan shown on stderr before anything changes (the resource, its state, the
 * effect, the way back), one result line per change, and the --json mapper.
 */
import type { ChalkInstance } from 'chalk';
import type { KeyFacts, PlanStep, ReconcileResult, RemediationPlan, RemediationResult, StepResult } from '../core/remediation/index.js';
import { REVOKE_POLICY_NAME } from '../core/remediation/index.js';
import { commandLine, type RunScope } from '../core/suggestion.js';
import { displayTime, humanDuration, wrapText } from './format.js';
import { sanitize } from '../core/sanitize.js';
import { renderFields } from './table.js';
import { accessJson, type AccessJson } from './access-json.js';
import { accessVia, type AccountAccess } from '../core/access.js';

export interface PlanRenderOptions {
  style: ChalkInstance;
  /** Relative times on a TTY, ISO-8601 when piped. */
  tty: boolean;
  now: Date;
  auditLog: string;
  dryRun: boolean;
  /** Terminal width to wrap long lines to (undefined: no wrapping). */
  width?: number;
  /** Where the run acted: the undo commands are printed for it. */
  scope?: RunScope;
}

function keyLine(k: KeyFacts, o: { style: ChalkInstance; tty: boolean; now: Date }, withAge: boolean): string {
  const parts = [o.style.cyan(sanitize(k.accessKeyId)), styleStatus(o.style, k.status)];
  if (withAge && k.createdAt) {
    const age = o.now.getTime() - Date.parse(k.createdAt);
    const known = Number.isFinite(age) && age >= 0;
    // The age is what matters on a terminal; pipes also get the exact date.
    if (o.tty && known) parts.push(`created ${humanDuration(age)} ago`);
    else parts.push(`created ${displayTime(k.createdAt, o)}${known ? ` (${humanDuration(age)} old)` : ''}`);
  }
  parts.push(lastUsedText(k, o));
  return parts.join(' · ');
}

function lastUsedText(k: KeyFacts, o: { tty: boolean; now: Date }): string {
  const lu = k.lastUsed;
  if (!lu?.date) return 'never used';
  const where = [lu.service, lu.region].filter((x): x is string => !!x).map((x) => sanitize(x));
  return `last used ${displayTime(lu.date, o)}${where.length ? ` (${where.join(', ')})` : ''}`;
}

export function styleStatus(style: ChalkInstance, status: string): string {
  const s = sanitize(status);
  if (status === 'Active' || status === 'present') return style.green(s);
  if (status === 'Inactive' || status === 'absent') return style.yellow(s);
  return s;
}

/** The display before the confirmation: who, what, its state, what will happen, how to undo. */
export function renderRemediationPlan(plan: RemediationPlan, o: PlanRenderOptions): string {
  const { style } = o;
  const f = plan.facts;
  const lines: string[] = [];
  const title = `${o.dryRun ? 'Dry run — remediation plan' : 'Remediation plan'} for access key ${plan.request.accessKeyId}`;
  lines.push(style.bold(title));
  const other =
    f.otherKeys.length === 0
      ? [['Other keys', 'none'] as [string, string]]
      : f.otherKeys.map((k, i) => [i === 0 ? 'Other keys' : '', keyLine(k, o, false)] as [string, string]);
  const access = plan.access;
  const member = access !== undefined && access.read.via !== 'caller';
  const who: Array<[string, string | undefined]> = member
    ? [
        ['You', access.analystArn !== undefined ? sanitize(access.analystArn) : undefined],
        ['Reads with', sanitize(accessVia(access.read))],
        ['Changes with', `${sanitize(accessVia(access.write))}${access.write.actingArn ? ` (${sanitize(access.write.actingArn)}, checked)` : ''}`],
      ]
    : [['Signed in as', `${sanitize(f.caller.arn)}${f.caller.accessKeyId ? ` (key ${sanitize(f.caller.accessKeyId)})` : ''}`]];
  const fields: Array<[string, string | undefined]> = [
    ['Account', `${sanitize(f.accountId)}${member ? ' (member account)' : ''} · region ${sanitize(f.region)}`],
    ...who,
    ['User', sanitize(f.userName)],
    [
      'Access key',
      f.key
        ? keyLine(f.key, o, true)
        : `${style.cyan(sanitize(plan.request.accessKeyId))} · temporary (session) credentials; IAM keeps no status for them`,
    ],
    ['Finding', plan.request.findingId],
  ];
  if (f.revokePolicy) {
    fields.push([
      'Revoke policy',
      f.revokePolicy.present ? `${REVOKE_POLICY_NAME} attached${f.revokePolicy.cutoff ? ` (sessions issued before ${f.revokePolicy.cutoff} denied)` : ''}` : 'none',
    ]);
  }
  lines.push(renderFields([...fields, ...other], style));

  lines.push('', style.bold('What will happen'));
  if (plan.changes.length === 0) lines.push('  Nothing: everything is already in the requested state.');
  plan.changes.forEach((step, i) => {
    const [first, ...rest] = step.effect;
    lines.push(wrapText(sanitize(first), o.width, `  ${i + 1}. `, '     '));
    for (const r of rest) lines.push(wrapText(sanitize(r), o.width, '     ', '     '));
  });
  for (const note of plan.notes) lines.push(wrapText(sanitize(note), o.width, `  ${style.yellow('note:')} `, '        '));
  if (plan.changes.length > 0) {
    lines.push('', style.bold('How to undo'));
    for (const step of plan.changes) lines.push(`  ${style.cyan(sanitize(commandLine(step.undo, o.scope)))}`);
    lines.push('', `${style.dim('Audit log')}  ${sanitize(o.auditLog)}`);
  }
  return lines.join('\n');
}

/** After the write role was assumed and checked: who will act, and where. */
export function renderActingAs(write: AccountAccess, style: ChalkInstance): string {
  return `${style.green('✔')} acting in account ${sanitize(write.account)} as ${sanitize(write.actingArn ?? accessVia(write))} (checked with GetCallerIdentity)`;
}

/** The question asked before acting; the answer must be the key ID. In a member account it names the account and the session that will act. */
export function confirmationMessage(plan: RemediationPlan): string {
  const verbs = plan.changes.map((s) => STEP_VERB[s.action]).join(' and ');
  const w = plan.access?.write;
  const where = w && w.via !== 'caller' && w.via !== 'none' ? ` in account ${sanitize(w.account)} as ${sanitize(accessVia(w))}` : '';
  return `To ${verbs}${where}, type the access key ID (${plan.confirmationToken}):`;
}

const STEP_VERB: Record<PlanStep['action'], string> = {
  deactivate: 'deactivate the key',
  reactivate: 'reactivate the key',
  'revoke-sessions': 'revoke older sessions',
  'restore-sessions': 'restore older sessions',
};

/** One line per step: ✔ changed and verified, ✖ failed, ! not verified, • nothing to do. */
export function renderStepResult(r: StepResult, style: ChalkInstance): string {
  const s = r.step;
  const user = sanitize(s.userName);
  const key = sanitize(s.target);
  if (r.error) return `${style.red('✖')} ${subject(s, key, user)}: ${sanitize(r.error)}`;
  if (!r.changed) {
    if (s.action === 'deactivate') return `${style.dim('•')} ${key} is already ${sanitize(s.before).toLowerCase()}; nothing changed`;
    if (s.action === 'reactivate') return `${style.dim('•')} ${key} is already active; nothing changed`;
    if (s.action === 'restore-sessions') return `${style.dim('•')} user ${user} has no ${REVOKE_POLICY_NAME} policy; nothing changed`;
  }
  if (!r.verified) {
    const reads = sanitize(r.observed ?? 'unknown');
    const sent = s.action === 'deactivate' || s.action === 'reactivate' ? `${key} was set to ${s.after}` : `${REVOKE_POLICY_NAME} was ${s.action === 'revoke-sessions' ? 'attached to' : 'removed from'} user ${user}`;
    return `${style.yellow('!')} ${sent} but reads ${reads} (not verified)`;
  }
  const mark = style.green('✔');
  const tail = '(verified)';
  switch (s.action) {
    case 'deactivate':
      return `${mark} ${key} is now Inactive ${tail}`;
    case 'reactivate':
      return `${mark} ${key} is now Active ${tail}`;
    case 'revoke-sessions':
      return `${mark} ${REVOKE_POLICY_NAME} attached to user ${user} ${tail}: sessions issued before ${s.cutoff ?? 'now'} are denied`;
    case 'restore-sessions':
      return `${mark} ${REVOKE_POLICY_NAME} removed from user ${user} ${tail}`;
  }
}

function subject(s: PlanStep, key: string, user: string): string {
  return s.action === 'deactivate' || s.action === 'reactivate' ? key : `${REVOKE_POLICY_NAME} on user ${user}`;
}

/** The line telling the user a dangling intent was closed against the real state. */
export function renderReconciled(r: ReconcileResult, style: ChalkInstance, o: { tty: boolean; now: Date }): string {
  const verb = r.recorded ? 'reconciled' : 'would reconcile (dry run)';
  return `${style.yellow('!')} ${verb} an unfinished ${r.action} of ${sanitize(r.accessKeyId)} from ${displayTime(r.intentTime, o)}: ${sanitize(r.note)}`;
}

export interface RemediationJson {
  schemaVersion: 1;
  action: string;
  accessKeyId: string;
  userName: string;
  accountId: string;
  region: string;
  findingId: string | null;
  previousStatus: string | null;
  status: string | null;
  changed: boolean;
  verified: boolean;
  dryRun: boolean;
  revokeSessions: {
    action: 'attach' | 'remove';
    policyName: string;
    previous: string;
    state: string | null;
    changed: boolean;
    verified: boolean;
    tokenIssuedBefore: string | null;
  } | null;
  auditLog: string;
  /** How the account was read and changed (a member account's roles); null for a plan made before these existed. */
  access: { read: AccessJson; write: AccessJson } | null;
  steps: Array<{
    action: string;
    target: string;
    before: string;
    after: string | null;
    changed: boolean;
    verified: boolean;
    operationId: string | null;
    undo: string;
    error: string | null;
  }>;
  reconciled: Array<{ operationId: string; action: string; intendedState: string | null; observed: string | null; recorded: boolean; note: string }>;
}

/** The --json contract (docs/json/remediate.md). */
export function remediationJson(result: RemediationResult, scope: RunScope = {}): RemediationJson {
  const { plan } = result;
  const byStep = new Map(result.results.map((r) => [r.step, r]));
  const keyStep = plan.steps.find((s) => s.action === 'deactivate' || s.action === 'reactivate');
  const sessionStep = plan.steps.find((s) => s.action === 'revoke-sessions' || s.action === 'restore-sessions');
  const keyResult = keyStep ? byStep.get(keyStep) : undefined;
  const sessionResult = sessionStep ? byStep.get(sessionStep) : undefined;
  const stepVerified = (s: PlanStep): boolean => {
    const r = byStep.get(s);
    if (result.dryRun) return false;
    if (s.noop) return true;
    return r?.verified ?? false;
  };
  const primary = keyStep ?? sessionStep;
  return {
    schemaVersion: 1,
    action: primary?.action ?? 'none',
    accessKeyId: plan.request.accessKeyId,
    userName: plan.facts.userName,
    accountId: plan.facts.accountId,
    region: plan.facts.region,
    findingId: plan.request.findingId ?? null,
    previousStatus: plan.facts.key?.status ?? null,
    status: plan.facts.key ? (keyResult?.observed ?? plan.facts.key.status) : null,
    changed: result.results.some((r) => r.changed),
    verified: !result.dryRun && plan.steps.every(stepVerified),
    dryRun: result.dryRun,
    revokeSessions: sessionStep
      ? {
          action: sessionStep.action === 'revoke-sessions' ? 'attach' : 'remove',
          policyName: REVOKE_POLICY_NAME,
          previous: sessionStep.before,
          state: sessionResult?.observed ?? (sessionStep.noop || result.dryRun ? sessionStep.before : null),
          changed: sessionResult?.changed ?? false,
          verified: stepVerified(sessionStep),
          tokenIssuedBefore: sessionStep.cutoff ?? null,
        }
      : null,
    auditLog: result.auditLog,
    access: plan.access ? { read: accessJson(plan.access.read), write: accessJson(plan.access.write) } : null,
    steps: plan.steps.map((s) => {
      const r = byStep.get(s);
      return {
        action: s.action,
        target: s.target,
        before: s.before,
        after: r?.observed ?? (s.noop || result.dryRun ? s.before : null),
        changed: r?.changed ?? false,
        verified: stepVerified(s),
        operationId: r?.operationId ?? null,
        undo: commandLine(s.undo, scope),
        error: r?.error ?? null,
      };
    }),
    reconciled: result.reconciled.map((r) => ({
      operationId: r.operationId,
      action: r.action,
      intendedState: r.intendedState,
      observed: r.observed,
      recorded: r.recorded,
      note: r.note,
    })),
  };
}
