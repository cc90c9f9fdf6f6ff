/** Closes intents a dead process left in the audit log for this key, with the state read now. */
import { AuditLog, isWriterAlive } from '../../audit/audit-log.js';
import { getUserInlinePolicy, readAccessKeyStatus } from '../../aws/iam-writes.js';
import type { Context } from '../../cli/context.js';
import { danglingIntents, pairAuditRecords, reconcileNote } from '../../core/audit.js';
import { GdIrError } from '../../core/errors.js';
import { REVOKE_POLICY_NAME, type ReconcileResult, type RemediationAction, type RemediationPlan } from '../../core/remediation/index.js';

export async function reconcileDangling(ctx: Context, log: AuditLog, plan: RemediationPlan, dryRun: boolean): Promise<ReconcileResult[]> {
  const read = log.read();
  for (const c of read.corrupt) {
    ctx.io.warn(`audit log ${log.path} line ${c.line} is ${c.truncated ? 'truncated (a write was cut short)' : 'not a valid record'}; it is kept as is`);
  }
  if (read.permissionWarning) ctx.io.warn(read.permissionWarning);
  const operations = pairAuditRecords(read.records, isWriterAlive);
  const key = plan.request.accessKeyId;
  for (const op of operations) {
    if (op.state === 'in-progress' && op.intent?.accessKeyId === key && op.intent.pid !== AuditLog.writer.pid) {
      ctx.io.warn(`another gd-ir process (pid ${op.intent.pid}) started a ${op.intent.action} of ${key} at ${op.intent.time} and has not finished`);
    }
  }
  const results: ReconcileResult[] = [];
  // A containment plan's steps (which also name the incident's key) are reconciled by re-planning: gd-ir contain.
  for (const intent of danglingIntents(operations, key).filter((i) => i.planId === undefined)) {
    let observed: string | null;
    try {
      if (intent.action === 'deactivate' || intent.action === 'reactivate') {
        observed = plan.facts.key && intent.userName === plan.facts.userName ? plan.facts.key.status : ((await readAccessKeyStatus(ctx, intent.userName, key)) ?? null);
      } else if (plan.facts.revokePolicy && intent.userName === plan.facts.userName) {
        observed = plan.facts.revokePolicy.present ? 'present' : 'absent';
      } else {
        observed = (await getUserInlinePolicy(ctx, intent.userName, REVOKE_POLICY_NAME)) === undefined ? 'absent' : 'present';
      }
    } catch (err) {
      if (err instanceof GdIrError && err.exitCode !== 1) throw err;
      observed = null;
    }
    const note = reconcileNote(intent, observed);
    if (!dryRun) {
      log.append(
        {
          ...intent,
          kind: 'reconcile',
          time: ctx.clock.now().toISOString(),
          callerArn: plan.facts.caller.arn,
          statusAfter: observed,
          verified: observed !== null,
          error: null,
          gdIrVersion: ctx.version,
          pid: AuditLog.writer.pid,
          host: AuditLog.writer.host,
          note,
        },
        { durable: true },
      );
    }
    results.push({
      operationId: intent.operationId,
      action: intent.action as RemediationAction,
      accessKeyId: key,
      intendedState: intent.statusAfter,
      observed,
      note,
      recorded: !dryRun,
      intentTime: intent.time,
    });
  }
  return results;
}
