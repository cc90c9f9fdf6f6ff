/**
 * The containment flow (`gd-ir contain`, and the triage console's "Contain everything"): gather, plan, show the
 * plan, choose the steps, confirm by typing their number, then execute them in order, each verified by reading
 * back and audited (intent and outcome); stop at the first step that fails or is not verified, and say what was not
 * done. `--undo <planId>` runs the same machinery on the inverse of an audited plan.
 *
 * In a member account (the finding's, or the audited plan's) everything is read through its read role and every
 * write goes through its write role, assumed (MFA) and checked with GetCallerIdentity after the steps are chosen and
 * before the confirmation, which names the account, the role and the session (src/access/).
 */
import { randomBytes } from 'node:crypto';
import { accountContext, analystIdentity, plannedAccess, type AccountContext } from '../../access/index.js';
import { AuditLog, isWriterAlive, resolveAuditLogPath } from '../../audit/audit-log.js';
import { signingAccessKeyId } from '../../aws/iam-writes.js';
import type { Context } from '../../cli/context.js';
import { runScope } from '../../cli/invocation.js';
import type { AccountAccess } from '../../core/access.js';
import { accessAuditFields, pairAuditRecords } from '../../core/audit.js';
import { containConfirmationMatches, planContainment, selectSteps, undoPlanFromAudit, type ContainPlan, type ContainResult, type ContainStep } from '../../core/containment/index.js';
import { DeclinedError, NotFoundError, UsageError } from '../../core/errors.js';
import { sanitize } from '../../core/sanitize.js';
import { containConfirmationMessage, renderContainPlan, renderContainStepResult, stepTitle } from '../../render/contain.js';
import { renderActingAs } from '../../render/remediate.js';
import type { AuditBase } from '../remediation/audited.js';
import { executeStep } from './execute.js';
import { gatherContainFacts, type ContainRequest } from './facts.js';

export interface ContainOptions {
  dryRun: boolean;
  /** --steps 1,3,4, or --all; undefined: ask (checkbox) on a terminal. */
  steps?: number[] | 'all';
  yes: boolean;
  /** --audit-log (else GD_IR_AUDIT_LOG, else $XDG_STATE_HOME/gd-ir/audit.jsonl). */
  auditLogPath?: string;
  /** --account with --undo: the account the plan must have acted in (a check). */
  account?: string;
}

type Resolved = ContainOptions & { auditLogPath: string };

function resolved(ctx: Context, opts: ContainOptions): Resolved {
  return { ...opts, auditLogPath: opts.auditLogPath ?? resolveAuditLogPath({ env: ctx.env, stateDir: ctx.stateDir, sandbox: ctx.globals.sandbox }) };
}

export interface ContainHooks {
  /** Replaces the typed confirmation (the console passes its own). */
  confirm?: (selected: readonly ContainStep[]) => Promise<boolean>;
}

/** A short plan ID the analyst can type back (`contain --undo 3f9c2a7d41be`). */
export function newPlanId(): string {
  return randomBytes(6).toString('hex');
}

function requireInteractiveOrFlags(ctx: Context, opts: ContainOptions): void {
  if (opts.dryRun) return;
  if (!opts.yes && !ctx.interactive) throw new UsageError('--yes required when not running interactively', { remedy: 'review the plan with --dry-run, then re-run with --yes and --all or --steps' });
  if (opts.steps === undefined && !ctx.interactive) throw new UsageError('choose the steps: --all, or --steps 1,3,4 (the numbers of the plan)', { remedy: 'see the plan first with --dry-run' });
}

async function chooseSteps(ctx: Context, plan: ContainPlan, opts: ContainOptions): Promise<ContainStep[]> {
  if (opts.steps !== undefined) {
    if (opts.steps !== 'all') {
      const unknown = opts.steps.filter((n) => !plan.steps.some((s) => s.number === n));
      if (unknown.length > 0) throw new UsageError(`--steps ${unknown.join(',')}: the plan has ${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'} (1–${plan.steps.length})`);
    }
    return selectSteps(plan, opts.steps);
  }
  if (opts.dryRun || plan.steps.length === 0) return [...plan.steps];
  const picked = await ctx.prompter.checkbox<number>({
    message: 'Steps to run (space toggles, Enter accepts)',
    choices: plan.steps.map((s) => ({ name: `${s.number}. ${sanitize(stepTitle(s))}`, value: s.number, checked: true })),
  });
  return selectSteps(plan, picked);
}

/**
 * Executes the chosen steps in order; stops at the first one that fails or is not verified. Before the confirmation
 * the write context is opened (a member account's write role: MFA, then the GetCallerIdentity check, exit 1 and
 * nothing changed on a mismatch); the writes go through it, the read-backs through `read`.
 */
async function execute(ctx: Context, plan: ContainPlan, selected: ContainStep[], opts: Resolved, hooks: ContainHooks, result: ContainResult, read: AccountContext): Promise<ContainResult> {
  if (selected.length === 0) {
    if (plan.steps.length === 0) return result;
    throw new DeclinedError('No step was chosen: nothing was changed.');
  }
  const write = await accountContext(ctx, plan.accountId, 'write');
  if (plan.access) plan.access.write = write.access;
  if (write.access.via !== 'caller' && !ctx.io.json) ctx.io.err(renderActingAs(write.access, ctx.io.errStyle));
  if (!opts.yes) {
    const ok = hooks.confirm ? await hooks.confirm(selected) : containConfirmationMatches(await ctx.prompter.input({ message: containConfirmationMessage(selected, write.access) }), selected);
    if (!ok) throw new DeclinedError(`Confirmation did not match ${selected.length}: nothing was changed.`);
  }
  const log = new AuditLog(opts.auditLogPath);
  const base: AuditBase = { accountId: plan.accountId, region: plan.region, findingId: plan.findingId || null, gdIrVersion: ctx.version, ...accessAuditFields(plan.caller.arn, plan.access) };
  for (let i = 0; i < selected.length; i++) {
    const step = selected[i] as ContainStep;
    const { failure, ...r } = await executeStep(write.ctx, log, base, plan, step, selected.length, read.ctx);
    result.results.push(r);
    if (!ctx.io.json) ctx.io.out(renderContainStepResult(r, ctx.io.style));
    if (failure !== undefined || !r.verified) {
      if (failure !== undefined) result.failure = failure;
      result.remaining = selected.slice(i + 1);
      break;
    }
  }
  return result;
}

function show(ctx: Context, plan: ContainPlan, opts: Resolved): void {
  if (ctx.io.json) return;
  const scope = runScope(ctx, undefined, plan.access?.read);
  ctx.io.err(renderContainPlan(plan, { style: ctx.io.errStyle, width: ctx.io.errColumns, scope, auditLog: opts.auditLogPath, dryRun: opts.dryRun, now: ctx.clock.now() }));
  ctx.io.err('');
}

/** How the plan's account is read (already reached) and would be changed (nothing assumed yet), and who the analyst is. */
async function planAccess(ctx: Context, read: AccountAccess): Promise<NonNullable<ContainPlan['access']>> {
  const analyst = await analystIdentity(ctx);
  const write = read.via === 'caller' ? { ...read, purpose: 'write' as const } : await plannedAccess(ctx, read.account, 'write');
  return { read, write, analystArn: analyst.arn };
}

/** `gd-ir contain <findingId>`. */
export async function runContainment(ctx: Context, request: ContainRequest, options: ContainOptions, hooks: ContainHooks = {}): Promise<ContainResult> {
  const opts = resolved(ctx, options);
  requireInteractiveOrFlags(ctx, opts);
  const spinner = ctx.io.json ? undefined : await ctx.io.spinner('Reading the finding…');
  let gathered;
  try {
    gathered = await gatherContainFacts(ctx, request, newPlanId(), (text) => spinner?.update(text));
    spinner?.stop();
  } catch (err) {
    spinner?.fail('Could not build the plan');
    throw err;
  }
  const plan = planContainment(gathered.facts);
  plan.access = await planAccess(ctx, gathered.read.access);
  if (request.quarantine && !gathered.facts.quarantineArn) plan.notes.push('--quarantine: neither AWSCompromisedKeyQuarantineV4 nor V3 exists in this account: no quarantine step.');
  if (request.quarantine && gathered.facts.principal.kind !== 'iam-user') plan.notes.push('--quarantine applies to IAM users; this finding is about a role session.');
  show(ctx, plan, opts);
  const selected = await chooseSteps(ctx, plan, opts);
  const result: ContainResult = { plan, selected, results: [], remaining: [], dryRun: opts.dryRun, auditLog: opts.auditLogPath };
  if (opts.dryRun) return result;
  return execute(ctx, plan, selected, opts, hooks, result, gathered.read);
}

/** `gd-ir contain --undo <planId>`: the verified, reversible steps of an audited plan, inverted, last first. */
export async function runUndo(ctx: Context, planId: string, options: ContainOptions, hooks: ContainHooks = {}): Promise<ContainResult & { skipped: Array<{ step: number; subject: string; reason: string }> }> {
  const opts = resolved(ctx, options);
  requireInteractiveOrFlags(ctx, { ...opts, steps: opts.steps ?? 'all' });
  const log = new AuditLog(opts.auditLogPath);
  const read = log.read();
  for (const c of read.corrupt) ctx.io.warn(`audit log ${opts.auditLogPath} line ${c.line} is ${c.truncated ? 'truncated' : 'not a valid record'}; it is kept as is`);
  const operations = pairAuditRecords(read.records, isWriterAlive);
  const identity = await analystIdentity(ctx);
  const signing = await signingAccessKeyId(ctx);
  const built = undoPlanFromAudit(planId, newPlanId(), operations, { arn: identity.arn, accountId: identity.account, ...(signing ? { accessKeyId: signing } : {}) });
  if (!built) throw new NotFoundError(`no plan ${sanitize(planId)} in the audit log ${opts.auditLogPath}`, { remedy: 'gd-ir audit lists the plans it holds (--audit-log for another log)' });
  if (opts.account !== undefined && opts.account !== built.plan.accountId) {
    throw new UsageError(`plan ${sanitize(planId)} acted on account ${built.plan.accountId}, not ${opts.account}`, { remedy: 'drop --account: the audit log names the plan\'s account' });
  }
  // The plan's account: the caller's own, or a member's through its roles (none configured: exit 4, nothing changed).
  const reached = await accountContext(ctx, built.plan.accountId, 'read');
  built.plan.access = await planAccess(ctx, reached.access);
  for (const s of built.skipped) built.plan.notes.push(`step ${s.step} (${s.subject}) is not undone: ${s.reason}`);
  show(ctx, built.plan, opts);
  const selected = await chooseSteps(ctx, built.plan, { ...opts, steps: opts.steps ?? (ctx.interactive ? undefined : 'all') });
  const result: ContainResult = { plan: built.plan, selected, results: [], remaining: [], dryRun: opts.dryRun, auditLog: opts.auditLogPath };
  if (opts.dryRun) return { ...result, skipped: built.skipped };
  return { ...(await execute(ctx, built.plan, selected, opts, hooks, result, reached)), skipped: built.skipped };
}
