/**
 * `gd-ir contain <findingId>` / `gd-ir contain --undo <planId>`: the whole incident as one plan — explain, choose,
 * confirm, act, verify, record — and then the command that watches that containment holds.
 */
import { resolveAuditLogPath } from '../audit/audit-log.js';
import type { ContainInput } from '../cli/commands/contain.js';
import type { Context } from '../cli/context.js';
import { runScope } from '../cli/invocation.js';
import { errorSummary, RuntimeError } from '../core/errors.js';
import { sanitize } from '../core/sanitize.js';
import { commandLine, gdIr } from '../core/suggestion.js';
import { runContainment, runUndo } from '../flows/containment/run.js';
import { containJson, renderRemaining, stepTitle } from '../render/contain.js';

export async function execute(ctx: Context, input: ContainInput): Promise<number> {
  const o = input.options;
  const auditLogPath = resolveAuditLogPath({ option: o.auditLog, env: ctx.env, stateDir: ctx.stateDir, sandbox: ctx.globals.sandbox });
  const opts = { dryRun: o.dryRun, yes: o.yes, auditLogPath, ...(o.all ? { steps: 'all' as const } : o.steps !== undefined ? { steps: o.steps } : {}), ...(o.account !== undefined ? { account: o.account } : {}) };
  const findingId = input.args.findingId;
  const result =
    o.undo !== undefined
      ? await runUndo(ctx, o.undo, opts)
      : await runContainment(ctx, { findingId: findingId as string, quarantine: o.quarantine, force: o.force, ...(o.detectorId ? { detectorId: o.detectorId } : {}), ...(o.account !== undefined ? { account: o.account } : {}) }, opts);
  // Suggested commands act where the plan did: a member account's carry --account and the roles typed.
  const scope = runScope(ctx, undefined, result.plan.access?.read);
  const plan = result.plan;
  const watch = plan.findingId ? gdIr(['watch', '--finding', plan.findingId], 'watch', false, plan.region) : undefined;
  if (ctx.io.json) ctx.io.printJson(containJson(result, scope, watch));
  else if (result.dryRun) ctx.io.info(ctx.io.errStyle.bold('Dry run: nothing was changed.'));
  const stopped = result.results.find((r) => !r.verified);
  if (stopped) {
    if (!ctx.io.json) {
      const replan = gdIr(['contain', plan.findingId], 'contain', true, plan.region);
      ctx.io.err(renderRemaining(result, { style: ctx.io.errStyle, scope, now: ctx.clock.now(), replan }));
    }
    const done = result.results.filter((r) => r.verified).map((r) => r.step.number);
    const cause = result.failure !== undefined ? errorSummary(result.failure) : `it reads ${stopped.observed ?? 'unknown'}, not ${stopped.step.after}`;
    throw new RuntimeError(
      `the plan stopped at step ${stopped.step.number} (${stepTitle(stopped.step)}): ${cause}; ${done.length > 0 ? `step${done.length === 1 ? '' : 's'} ${done.join(', ')} ${done.length === 1 ? 'is' : 'are'} done and verified` : 'nothing was changed before it'}, ${result.remaining.length} not run`,
      { code: 'plan_stopped', remedy: `the audit log ${sanitize(result.auditLog)} records every step; fix the cause and re-plan: ${commandLine(gdIr(['contain', plan.findingId], 'contain', true, plan.region), scope)}` },
    );
  }
  if (!ctx.io.json && !result.dryRun && result.results.length > 0) {
    ctx.io.info(`Plan ${plan.planId}: ${result.results.length} step${result.results.length === 1 ? '' : 's'} done and verified; undo with ${commandLine(gdIr(['contain', '--undo', plan.planId], 'undo', true), scope)}`);
  }
  if (watch && !ctx.io.json && !plan.undoOf) ctx.io.info(`Next, see that containment holds: ${commandLine(watch, scope)}`);
  return 0;
}
