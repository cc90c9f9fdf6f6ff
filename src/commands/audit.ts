/**
 * `gd-ir audit`: read the remediation audit log back — every operation with its intent and outcome,
 * the intents a dead process left without an outcome, and lines that are not records.
 */
import { AuditLog, isWriterAlive, resolveAuditLogPath } from '../audit/audit-log.js';
import type { Context } from '../cli/context.js';
import { pairAuditRecords } from '../core/audit.js';
import type { AuditInput } from '../cli/commands/audit.js';
import { auditJson, renderAuditProblems, renderAuditTable, type AuditView } from '../render/audit.js';
import { sanitize } from '../core/sanitize.js';
import { plural } from '../render/format.js';

export interface AuditOptions {
  path: string;
  accessKeyId?: string;
  planId?: string;
}

export function toAuditOptions(ctx: Context, { options: o }: AuditInput): AuditOptions {
  return { path: resolveAuditLogPath({ option: o.auditLog, env: ctx.env, stateDir: ctx.stateDir, sandbox: ctx.globals.sandbox }), accessKeyId: o.key, ...(o.plan ? { planId: o.plan } : {}) };
}

export function runAudit(opts: AuditOptions): AuditView {
  const read = new AuditLog(opts.path).read();
  const records = read.records.filter((r) => (!opts.accessKeyId || r.accessKeyId === opts.accessKeyId) && (!opts.planId || r.planId === opts.planId));
  return {
    path: opts.path,
    missing: read.missing,
    operations: pairAuditRecords(records, isWriterAlive),
    records,
    corrupt: read.corrupt,
    permissionWarning: read.permissionWarning,
  };
}

export async function execute(ctx: Context, input: AuditInput): Promise<number> {
  const view = runAudit(toAuditOptions(ctx, input));
  if (ctx.io.json) {
    ctx.io.printJson(auditJson(view));
    return 0;
  }
  const now = ctx.clock.now();
  if (view.operations.length === 0) {
    ctx.io.info(view.missing ? `No audit log at ${sanitize(view.path)}: nothing has been remediated with it.` : `No remediation recorded in ${sanitize(view.path)}.`);
  } else {
    ctx.io.out(renderAuditTable(view, { style: ctx.io.style, width: ctx.io.columns, tty: ctx.io.stdoutIsTTY, now }));
  }
  for (const line of renderAuditProblems(view, { style: ctx.io.errStyle, tty: ctx.io.stderrIsTTY, now })) ctx.io.err(line);
  if (view.operations.length > 0) ctx.io.hint(`${plural(view.operations.length, 'operation')} in ${sanitize(view.path)}`);
  return 0;
}
