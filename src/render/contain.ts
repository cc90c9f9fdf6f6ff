/**
 * `gd-ir contain` output: the plan shown before anything changes (who you are, each step's exact call, what it
 * breaks, how to undo it, the manual steps), one line per executed step, what was not reached, and the --json
 * mapper (docs/json/contain.md). Every value from AWS or the trail is sanitised.
 */
import type { ChalkInstance } from 'chalk';
import { accessVia, type AccountAccess } from '../core/access.js';
import { stepCommand, type ContainAction, type ContainPlan, type ContainResult, type ContainStep, type ContainStepResult } from '../core/containment/index.js';
import { sanitize } from '../core/sanitize.js';
import { commandLine, type RunScope, type Suggestion } from '../core/suggestion.js';
import { accessJson, type AccessJson } from './access-json.js';
import { plural, wrapText } from './format.js';
import { renderFields } from './table.js';

const VERB: Record<ContainAction, string> = {
  deactivate: 'Deactivate',
  reactivate: 'Reactivate',
  'revoke-sessions': 'Revoke',
  'restore-sessions': 'Remove the session revocation of',
  'revoke-role-sessions': 'Revoke',
  'restore-role-sessions': 'Remove the session revocation of',
  'delete-login-profile': 'Delete',
  'detach-policy': 'Detach',
  'attach-policy': 'Attach',
  'delete-inline-policy': 'Delete',
  'put-inline-policy': 'Put back',
  'set-trust-policy': 'Remove the outside principals from',
  'set-default-version': 'Set back',
  'start-logging': 'Start logging on',
  'stop-logging': 'Stop logging on',
};

const policyName = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1) || arn;

/** "Deactivate access key AKIA… of user backup-svc", "Detach AdministratorAccess from user backup-svc". */
export function stepTitle(s: ContainStep): string {
  if (s.title) return s.title;
  const p = s.params;
  if (p.action === 'detach-policy') return `Detach ${policyName(p.policyArn)} from ${p.holder} ${p.name}`;
  if (p.action === 'attach-policy') return `Attach ${policyName(p.policyArn)} to ${p.holder} ${p.name}`;
  if (p.action === 'restore-sessions') return `Remove the session revocation (${p.policyName}) of user ${p.userName}`;
  if (p.action === 'restore-role-sessions') return `Remove the session revocation (${p.policyName}) of role ${p.roleName}`;
  const tail = s.action === 'set-default-version' ? ` to ${s.after}` : '';
  return `${VERB[s.action]} ${s.subject}${tail}`;
}

export interface ContainRenderOptions {
  style: ChalkInstance;
  width?: number;
  scope: RunScope;
  auditLog: string;
  dryRun: boolean;
  now: Date;
}

function field(style: ChalkInstance, label: string, text: string, width: number | undefined): string {
  return wrapText(sanitize(text), width, `     ${style.dim(label.padEnd(7))} `, ' '.repeat(13));
}

/** The plan, on stderr, before any write. */
export function renderContainPlan(plan: ContainPlan, o: ContainRenderOptions): string {
  const s = o.style;
  const lines: string[] = [];
  const what = plan.undoOf ? `Undo plan ${plan.planId} (reverses plan ${plan.undoOf})` : `Containment plan ${plan.planId} for finding ${plan.findingId}`;
  lines.push(s.bold(o.dryRun ? `Dry run — ${what}` : what));
  const who = plan.principal.roleName ? `role ${plan.principal.roleName}` : plan.principal.userName ? `user ${plan.principal.userName}` : '-';
  // In a member account: the analyst, the role every read goes through and the one every write will go through.
  const access = plan.access;
  const member = access !== undefined && access.read.via !== 'caller';
  const identity: Array<[string, string | undefined]> = member
    ? [
        ['You', access.analystArn !== undefined ? sanitize(access.analystArn) : undefined],
        ['Reads with', sanitize(accessVia(access.read))],
        ['Changes with', `${sanitize(accessVia(access.write))}${access.write.actingArn ? ` (${sanitize(access.write.actingArn)}, checked)` : ''}`],
      ]
    : [['Signed in as', `${sanitize(plan.caller.arn)}${plan.caller.accessKeyId ? ` (key ${sanitize(plan.caller.accessKeyId)})` : ''}`]];
  lines.push(
    renderFields(
      [
        ['Account', `${sanitize(plan.accountId)}${member ? ' (member account)' : ''} · region ${sanitize(plan.region)}`],
        ...identity,
        ['Incident', `${sanitize(who)}${plan.principal.accessKeyId ? ` · key ${sanitize(plan.principal.accessKeyId)}` : ''}`],
        ['Audit log', sanitize(o.auditLog)],
      ],
      s,
    ),
  );
  lines.push('', s.bold(plan.steps.length === 0 ? 'Steps: none (nothing the attacker left is still in place that gd-ir can undo)' : `Steps (${plan.steps.length})`));
  for (const st of plan.steps) {
    lines.push(wrapText(sanitize(stepTitle(st)), o.width, `  ${String(st.number).padStart(2)}. `, '      '));
    lines.push(field(s, 'why', st.why, o.width));
    lines.push(field(s, 'call', st.call, o.width));
    lines.push(field(s, 'breaks', st.breaks, o.width));
    lines.push(st.undo && st.reversible ? `     ${s.dim('undo'.padEnd(7))} ${s.cyan(sanitize(commandLine(st.undo, o.scope)))}` : field(s, 'undo', 'cannot be undone exactly (see why)', o.width));
  }
  if (plan.manual.length > 0) {
    lines.push('', s.bold('By hand (gd-ir never does these)'));
    for (const m of plan.manual) {
      lines.push(wrapText(sanitize(m.text), o.width, '  • ', '    '));
      lines.push(wrapText(sanitize(m.why), o.width, `    ${s.dim('why:')} `, '         '));
      if (m.check) lines.push(`    ${s.cyan(sanitize(commandLine(m.check, o.scope)))}`);
    }
  }
  for (const n of plan.notes) lines.push(wrapText(sanitize(n), o.width, `  ${s.yellow('note:')} `, '        '));
  return lines.join('\n');
}

/** The question before acting: the number of steps chosen; in a member account, where and as which role session. */
export function containConfirmationMessage(selected: readonly ContainStep[], write?: AccountAccess): string {
  const where = write && write.via !== 'caller' && write.via !== 'none' ? ` in account ${sanitize(write.account)} as ${sanitize(accessVia(write))}` : '';
  return `To run ${plural(selected.length, 'step')} (${selected.map((s) => s.number).join(', ')})${where}, type ${selected.length}:`;
}

/** One line per executed step: ✔ verified, ! sent but not verified, ✖ failed. */
export function renderContainStepResult(r: ContainStepResult, style: ChalkInstance): string {
  const title = `${r.step.number}. ${sanitize(stepTitle(r.step))}`;
  if (!r.changed) return `${style.red('✖')} ${title}: ${sanitize(r.error ?? 'failed')}`;
  if (!r.verified) return `${style.yellow('!')} ${title}: sent, but reads ${sanitize(r.observed ?? 'unknown')} (not verified${r.error ? `: ${sanitize(r.error)}` : ''})`;
  return `${style.green('✔')} ${title} (verified: ${sanitize(r.observed ?? r.step.after)})`;
}

/** The steps not reached, as commands to finish by hand. */
export function remainingCommands(remaining: readonly ContainStep[], now: Date): Suggestion[] {
  return remaining.map((st) => stepCommand(st.params, now));
}

export function renderRemaining(result: ContainResult, o: { style: ChalkInstance; scope: RunScope; now: Date; replan: Suggestion }): string {
  if (result.remaining.length === 0) return '';
  const s = o.style;
  const lines = [
    s.bold(`Not done (${plural(result.remaining.length, 'step')}): the plan stopped. Fix the cause, then re-plan (only what is still in place comes back):`),
    `  ${s.cyan(sanitize(commandLine(o.replan, o.scope)))}`,
    s.dim('or run the remaining steps by hand:'),
    ...result.remaining.map((st) => `  ${String(st.number).padStart(2)}. ${s.cyan(sanitize(commandLine(stepCommand(st.params, o.now), o.scope)))}`),
  ];
  return lines.join('\n');
}

export interface ContainJson {
  schemaVersion: 1;
  planId: string;
  undoOf: string | null;
  findingId: string;
  accountId: string;
  region: string;
  caller: { arn: string; accessKeyId: string | null };
  /** How the account was read and changed (the write role's session once assumed); null only for plans built before any read. */
  access: { read: AccessJson; write: AccessJson; analystArn: string | null } | null;
  dryRun: boolean;
  auditLog: string;
  steps: Array<{
    number: number;
    action: ContainAction;
    api: string;
    call: string;
    subject: string;
    why: string;
    breaks: string;
    before: string;
    after: string;
    undo: string | null;
    reversible: boolean;
    selected: boolean;
    result: { changed: boolean; verified: boolean; observed: string | null; error: string | null; operationId: string | null } | null;
  }>;
  remaining: Array<{ number: number; command: string }>;
  manual: Array<{ text: string; why: string; check: string | null }>;
  notes: string[];
  watch: string | null;
}

export function containJson(result: ContainResult, scope: RunScope, watch?: Suggestion): ContainJson {
  const { plan } = result;
  const chosen = new Set(result.selected.map((s) => s.number));
  const byNumber = new Map(result.results.map((r) => [r.step.number, r]));
  return {
    schemaVersion: 1,
    planId: plan.planId,
    undoOf: plan.undoOf ?? null,
    findingId: plan.findingId,
    accountId: plan.accountId,
    region: plan.region,
    caller: { arn: plan.caller.arn, accessKeyId: plan.caller.accessKeyId ?? null },
    access: plan.access ? { read: accessJson(plan.access.read), write: accessJson(plan.access.write), analystArn: plan.access.analystArn ?? null } : null,
    dryRun: result.dryRun,
    auditLog: result.auditLog,
    steps: plan.steps.map((st) => {
      const r = byNumber.get(st.number);
      return {
        number: st.number,
        action: st.action,
        api: st.api,
        call: st.call,
        subject: st.subject,
        why: st.why,
        breaks: st.breaks,
        before: st.before,
        after: st.after,
        undo: st.undo && st.reversible ? commandLine(st.undo, scope) : null,
        reversible: st.reversible,
        selected: chosen.has(st.number),
        result: r ? { changed: r.changed, verified: r.verified, observed: r.observed ?? null, error: r.error ?? null, operationId: r.operationId ?? null } : null,
      };
    }),
    remaining: result.remaining.map((st) => ({ number: st.number, command: commandLine(stepCommand(st.params, new Date()), scope) })),
    manual: plan.manual.map((m) => ({ text: m.text, why: m.why, check: m.check ? commandLine(m.check, scope) : null })),
    notes: [...plan.notes],
    watch: watch ? commandLine(watch, scope) : null,
  };
}
