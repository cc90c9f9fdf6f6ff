/**
 * `gd-ir watch (--finding <id> | --key <id> | --user <name>)`: does containment hold? Resolves what to follow and
 * when containment happened, then polls CloudTrail until the end time plus the delivery delay.
 */
import { resolveAuditLogPath } from '../audit/audit-log.js';
import type { WatchInput } from '../cli/commands/watch.js';
import type { Context } from '../cli/context.js';
import { ExitCode } from '../core/errors.js';
import { CLOUDTRAIL_DELIVERY_DELAY_MS } from '../core/watch.js';
import { accessJson } from '../render/access-json.js';
import { trailEventToJson } from '../render/trail-json.js';
import { renderWatchedEvent, renderWatchStart, renderWatchSummary } from '../render/watch.js';
import { runWatch } from '../flows/watch/run.js';
import { resolveWatch } from '../flows/watch/targets.js';

export async function execute(ctx: Context, input: WatchInput): Promise<number> {
  const o = input.options;
  const auditLog = resolveAuditLogPath({ option: o.auditLog, env: ctx.env, stateDir: ctx.stateDir, sandbox: ctx.globals.sandbox });
  const spinner = ctx.io.json ? undefined : await ctx.io.spinner('Finding what to watch (the trail, the keys it minted or created)…');
  let resolved;
  try {
    resolved = await resolveWatch(
      ctx,
      {
        ...(o.finding ? { findingId: o.finding } : {}),
        ...(o.key ? { key: o.key } : {}),
        ...(o.user ? { user: o.user } : {}),
        ...(o.regions ? { regions: o.regions } : {}),
        ...(o.detectorId ? { detectorId: o.detectorId } : {}),
        ...(o.account !== undefined ? { account: o.account } : {}),
      },
      auditLog,
    );
    spinner?.stop();
  } catch (err) {
    spinner?.fail('Could not find what to watch');
    throw err;
  }
  const { plan, access } = resolved;
  for (const w of plan.warnings) ctx.io.warn(w);
  const sandboxDelay = ctx.sandbox?.deliveryDelayMs;
  const deliveryDelayMs = o.deliveryDelay ?? sandboxDelay ?? CLOUDTRAIL_DELIVERY_DELAY_MS;
  const delaySource = o.deliveryDelay !== undefined ? '--delivery-delay' : sandboxDelay !== undefined ? "the sandbox's delivery delay" : "CloudTrail's delivery delay: about 5 minutes on average, per the CloudTrail FAQs";
  const now = ctx.clock.now();
  const containedAt = plan.containment ? new Date(plan.containment.time) : now;
  const endsAt = new Date(now.getTime() + o.for);
  const start = {
    credentials: plan.credentials,
    regions: plan.regions,
    ...(plan.containment ? { containment: plan.containment } : {}),
    ...(plan.undone ? { undone: plan.undone } : {}),
    containedAt,
    endsAt,
    deadline: new Date(endsAt.getTime() + deliveryDelayMs),
    intervalMs: o.interval,
    deliveryDelayMs,
    delaySource,
    ...(access ? { access } : {}),
  };
  const view = { style: ctx.io.style, tty: ctx.io.stdoutIsTTY, now };
  if (ctx.io.json) {
    ctx.io.jsonLine({
      type: 'start',
      schemaVersion: 1,
      credentials: plan.credentials.map((c) => ({ attribute: c.attribute, value: c.value, kind: c.kind, label: c.label })),
      regions: plan.regions,
      containment: plan.containment ? { time: plan.containment.time, planId: plan.containment.planId ?? null, what: plan.containment.what } : null,
      undone: plan.undone ? { time: plan.undone.time, planId: plan.undone.planId ?? null, what: plan.undone.what, undoneAt: plan.undone.undoneAt, undoneBy: plan.undone.undoneBy } : null,
      access: access ? accessJson(access) : null,
      containedAt: containedAt.toISOString(),
      endsAt: endsAt.toISOString(),
      deadline: start.deadline.toISOString(),
      intervalMs: o.interval,
      deliveryDelayMs,
    });
  } else ctx.io.err(renderWatchStart(start, { ...view, tty: ctx.io.stderrIsTTY }));
  // Polls read the watched account's CloudTrail: a member's through its read role.
  const run = await runWatch(resolved.ctx, plan, { forMs: o.for, intervalMs: o.interval, deliveryDelayMs }, {
    onEvent: (w) => {
      if (ctx.io.json) ctx.io.jsonLine({ type: 'event', verdict: w.verdict, credential: w.credential.value, event: trailEventToJson(w.event) });
      else ctx.io.out(renderWatchedEvent(w, { ...view, now: ctx.clock.now() }));
    },
    onNewCredential: (c) => {
      if (ctx.io.json) ctx.io.jsonLine({ type: 'credential', attribute: c.attribute, value: c.value, kind: c.kind, label: c.label });
      else ctx.io.err(ctx.io.errStyle.yellow(`now also watching ${c.value} (${c.label})`));
    },
  });
  if (ctx.io.json) ctx.io.jsonLine({ type: 'summary', ...run.summary, interrupted: run.interrupted, polls: run.polls, containmentHeld: run.summary.failures === 0 });
  else ctx.io.err(renderWatchSummary(run.summary, { style: ctx.io.errStyle, interrupted: run.interrupted, polls: run.polls }));
  if (run.interrupted) return ExitCode.Interrupted;
  return run.summary.failures > 0 ? ExitCode.Runtime : ExitCode.Ok;
}
