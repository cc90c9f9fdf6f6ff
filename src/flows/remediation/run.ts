/**
 * The remediation flow (`gd-ir remediate`, and the triage console's containment actions): reads, reconcile,
 * plan and guards, display, typed confirmation, act, verify, audit.
 */
import { accountContext, analystIdentity, plannedAccess } from '../../access/index.js';
import { AuditLog, resolveAuditLogPath } from '../../audit/audit-log.js';
import type { Context } from '../../cli/context.js';
import { runScope } from '../../cli/invocation.js';
import { DeclinedError, UsageError } from '../../core/errors.js';
import {
  confirmationMatches,
  planRemediation,
  preflightRemediation,
  type RemediationPlan,
  type RemediationRequest,
  type RemediationResult,
} from '../../core/remediation/index.js';
import { confirmationMessage, renderActingAs, renderReconciled, renderRemediationPlan, renderStepResult } from '../../render/remediate.js';
import { gatherRemediationFacts } from './facts.js';
import { reconcileDangling } from './reconcile.js';
import { auditBase, performStep } from './steps.js';


export interface RemediationHooks {
  /** Asks for confirmation; true = go ahead. Default: the typed-key-ID prompt (`promptForKeyId`). */
  confirm?: (plan: RemediationPlan) => Promise<boolean>;
  /** --yes: no confirmation. */
  yes?: boolean;
  /** --audit-log (else GD_IR_AUDIT_LOG, else $XDG_STATE_HOME/gd-ir/audit.jsonl). */
  auditLogPath?: string;
}

/** The default confirmation: the analyst types the access key ID; anything else declines. */
export async function promptForKeyId(ctx: Context, plan: RemediationPlan): Promise<boolean> {
  const typed = await ctx.prompter.input({ message: confirmationMessage(plan) });
  return confirmationMatches(typed, plan.confirmationToken);
}

/**
 * The whole remediation: reads, reconcile, plan and guards, display, confirmation, act, verify,
 * audit. Throws UsageError (no TTY and no --yes), RemediationRefusedError (guards), DeclinedError
 * (exit 3); AWS failures of a write are returned in `failure` after the outcome was recorded.
 */
export async function runRemediation(
  ctx: Context,
  request: RemediationRequest,
  hooks: RemediationHooks = {},
): Promise<RemediationResult & { failure?: unknown }> {
  if (!request.dryRun && !hooks.yes && !hooks.confirm && !ctx.interactive) {
    throw new UsageError('--yes required when not running interactively', { remedy: 'review the plan with --dry-run, then re-run with --yes' });
  }
  preflightRemediation(request);
  const auditLog = hooks.auditLogPath ?? resolveAuditLogPath({ env: ctx.env, stateDir: ctx.stateDir, sandbox: ctx.globals.sandbox });
  const log = new AuditLog(auditLog);
  // The account acted in (a member's, or the caller's own): read through the read role, changed through the write role.
  const read = await accountContext(ctx, request.account, 'read');
  const facts = await gatherRemediationFacts(read.ctx, request);
  // The plan is computed before reconciling so guards (own key) refuse before anything is written.
  const plan = planRemediation(request, facts, ctx.clock.now());
  const analyst = await analystIdentity(ctx);
  plan.access = {
    read: read.access,
    write: read.access.via === 'caller' ? { ...read.access, purpose: 'write' } : await plannedAccess(ctx, read.access.account, 'write'),
    analystArn: analyst.arn,
  };
  const scope = runScope(ctx, undefined, read.access);
  const tty = { tty: ctx.io.stderrIsTTY, now: ctx.clock.now() };
  const reconciled = await reconcileDangling(read.ctx, log, plan, request.dryRun);
  for (const r of reconciled) {
    if (ctx.io.json) ctx.io.warn(r.note);
    else ctx.io.err(renderReconciled(r, ctx.io.errStyle, tty));
  }
  if (!ctx.io.json) {
    ctx.io.err(renderRemediationPlan(plan, { style: ctx.io.errStyle, ...tty, auditLog, dryRun: request.dryRun, width: ctx.io.errColumns, scope }));
    ctx.io.err('');
  }
  const result: RemediationResult & { failure?: unknown } = { plan, results: [], dryRun: request.dryRun, auditLog, reconciled };
  if (plan.changes.length === 0) {
    for (const step of plan.steps) result.results.push({ step, changed: false, verified: true, observed: step.before });
    return result;
  }
  if (request.dryRun) return result;
  // Before asking: assume the write role (MFA) and check with GetCallerIdentity that it acts in this account
  // (a mismatch stops here, exit 1, nothing changed); the confirmation then names the session that will act.
  const write = await accountContext(ctx, facts.accountId, 'write');
  plan.access.write = write.access;
  if (write.access.via !== 'caller' && !ctx.io.json) ctx.io.err(renderActingAs(write.access, ctx.io.errStyle));
  if (!hooks.yes) {
    const ok = hooks.confirm ? await hooks.confirm(plan) : await promptForKeyId(ctx, plan);
    if (!ok) throw new DeclinedError(`Confirmation did not match ${request.accessKeyId}: nothing was changed.`);
  }
  const base = auditBase(ctx, plan);
  for (const step of plan.steps) {
    if (step.noop) {
      result.results.push({ step, changed: false, verified: true, observed: step.before });
      continue;
    }
    const { failure, ...r } = await performStep(write.ctx, log, base, step, request.accessKeyId, read.ctx);
    result.results.push(r);
    if (!ctx.io.json) ctx.io.out(renderStepResult(r, ctx.io.style));
    if (failure !== undefined) {
      result.failure = failure;
      break;
    }
  }
  return result;
}

/** `--revoke-sessions` on its own: attach the deny-older-sessions policy to `userName` (display, confirm, verify, audit). */
export function revokeSessions(ctx: Context, accessKeyId: string, userName: string, hooks: RemediationHooks = {}) {
  return runRemediation(
    ctx,
    { accessKeyId, userName, reactivate: false, revokeSessions: true, restoreSessions: false, force: false, dryRun: false },
    hooks,
  );
}

/** `--restore-sessions`: remove only gd-ir's deny-older-sessions policy from `userName`. */
export function restoreSessions(ctx: Context, accessKeyId: string, userName: string, hooks: RemediationHooks = {}) {
  return runRemediation(
    ctx,
    { accessKeyId, userName, reactivate: false, revokeSessions: false, restoreSessions: true, force: false, dryRun: false },
    hooks,
  );
}
