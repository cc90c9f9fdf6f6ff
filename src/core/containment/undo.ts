/**
 * `gd-ir contain --undo <planId>`: the inverse of an audited plan. Each step that was verified and can be undone
 * exactly becomes its inverse (with the parameters the audit log kept: the document or version it replaced), in
 * reverse order. What cannot be undone (a deleted console password) or was never verified is said, not guessed.
 */
import type { AuditOperation, AuditRecord } from '../audit.js';
import { gdIr } from '../suggestion.js';
import type { ContainPlan, ContainStep, StepParams } from './model.js';
import { api, callLine } from './calls.js';

export interface UndoPlanResult {
  plan: ContainPlan;
  /** Steps of the original plan that are not undone, and why. */
  skipped: Array<{ step: number; subject: string; reason: string }>;
}

const policyName = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1) || arn;

/** The inverse of one step's parameters, or the reason there is none. */
export function inverseOf(p: StepParams): StepParams | string {
  switch (p.action) {
    case 'deactivate':
      return { ...p, action: 'reactivate' };
    case 'reactivate':
      return { ...p, action: 'deactivate' };
    case 'revoke-sessions':
      return { ...p, action: 'restore-sessions' };
    case 'restore-sessions':
      return { ...p, action: 'revoke-sessions' };
    case 'revoke-role-sessions':
      return { ...p, action: 'restore-role-sessions' };
    case 'restore-role-sessions':
      return { ...p, action: 'revoke-role-sessions' };
    case 'delete-login-profile':
      return 'a deleted console password cannot be restored: its owner sets a new one';
    case 'detach-policy':
      return { ...p, action: 'attach-policy' };
    case 'attach-policy':
      return { ...p, action: 'detach-policy' };
    case 'delete-inline-policy':
      return p.document !== undefined ? { action: 'put-inline-policy', holder: p.holder, name: p.name, policyName: p.policyName, document: p.document } : 'the deleted document was not recorded';
    case 'put-inline-policy':
      return { action: 'delete-inline-policy', holder: p.holder, name: p.name, policyName: p.policyName, document: p.document };
    case 'set-trust-policy':
      return { action: 'set-trust-policy', roleName: p.roleName, document: p.previous, previous: p.document };
    case 'set-default-version':
      return { action: 'set-default-version', policyArn: p.policyArn, versionId: p.previous, previous: p.versionId };
    case 'start-logging':
      return { ...p, action: 'stop-logging' };
    case 'stop-logging':
      return { ...p, action: 'start-logging' };
  }
}

function describe(p: StepParams): { subject: string; before: string; after: string } {
  switch (p.action) {
    case 'deactivate':
    case 'reactivate':
      return { subject: `access key ${p.accessKeyId} of user ${p.userName}`, before: p.action === 'reactivate' ? 'Inactive' : 'Active', after: p.action === 'reactivate' ? 'Active' : 'Inactive' };
    case 'revoke-sessions':
    case 'restore-sessions':
      return { subject: `${p.policyName} on user ${p.userName}`, before: p.action === 'restore-sessions' ? 'present' : 'absent', after: p.action === 'restore-sessions' ? 'absent' : 'present' };
    case 'revoke-role-sessions':
    case 'restore-role-sessions':
      return { subject: `${p.policyName} on role ${p.roleName}`, before: p.action === 'restore-role-sessions' ? 'present' : 'absent', after: p.action === 'restore-role-sessions' ? 'absent' : 'present' };
    case 'delete-login-profile':
      return { subject: `the console password of user ${p.userName}`, before: 'present', after: 'absent' };
    case 'detach-policy':
    case 'attach-policy':
      return { subject: `${policyName(p.policyArn)} on ${p.holder} ${p.name}`, before: p.action === 'attach-policy' ? 'detached' : 'attached', after: p.action === 'attach-policy' ? 'attached' : 'detached' };
    case 'delete-inline-policy':
    case 'put-inline-policy':
      return { subject: `inline policy ${p.policyName} of ${p.holder} ${p.name}`, before: p.action === 'put-inline-policy' ? 'absent' : 'present', after: p.action === 'put-inline-policy' ? 'present' : 'absent' };
    case 'set-trust-policy':
      return { subject: `the trust policy of role ${p.roleName}`, before: 'as contained', after: 'as before containment' };
    case 'set-default-version':
      return { subject: `the default version of policy ${policyName(p.policyArn)}`, before: p.previous, after: p.versionId };
    case 'start-logging':
    case 'stop-logging':
      return { subject: `trail ${p.trail}`, before: p.action === 'start-logging' ? 'not logging' : 'logging', after: p.action === 'start-logging' ? 'logging' : 'not logging' };
  }
}

/** The plan that undoes `planId`: its verified, reversible steps inverted, last first. */
export function undoPlanFromAudit(planId: string, newPlanId: string, operations: readonly AuditOperation[], caller: ContainPlan['caller']): UndoPlanResult | undefined {
  const ops = operations.filter((op) => (op.intent ?? op.outcome)?.planId === planId);
  if (ops.length === 0) return undefined;
  const first = (ops[0]?.intent ?? ops[0]?.outcome) as AuditRecord;
  const skipped: UndoPlanResult['skipped'] = [];
  const steps: Array<Omit<ContainStep, 'number'>> = [];
  const ordered = [...ops].sort((a, b) => ((b.intent ?? b.outcome)?.step ?? 0) - ((a.intent ?? a.outcome)?.step ?? 0));
  for (const op of ordered) {
    const r = (op.intent ?? op.outcome) as AuditRecord;
    const subject = r.target ?? r.action;
    if (op.state !== 'complete') {
      skipped.push({ step: r.step ?? 0, subject, reason: op.state === 'failed' ? 'it failed: nothing to undo' : `it was not verified (${op.state}): check its state by hand` });
      continue;
    }
    if (!r.params) {
      skipped.push({ step: r.step ?? 0, subject, reason: 'the audit log does not hold its parameters' });
      continue;
    }
    const inverse = inverseOf(r.params);
    if (typeof inverse === 'string') {
      skipped.push({ step: r.step ?? 0, subject, reason: inverse });
      continue;
    }
    const d = describe(inverse);
    const title =
      inverse.action === 'set-trust-policy'
        ? `Restore the trust policy of role ${inverse.roleName} as it was before plan ${planId}`
        : inverse.action === 'put-inline-policy'
          ? `Put back inline policy ${inverse.policyName} of ${inverse.holder} ${inverse.name}`
          : undefined;
    steps.push({
      ...(title ? { title } : {}),
      action: inverse.action,
      params: inverse,
      api: api(inverse),
      call: callLine(inverse),
      subject: d.subject,
      why: `undoes step ${r.step ?? '?'} of plan ${planId} (${r.target ?? r.action})`,
      breaks: 'what the original step protected: the attacker\'s change is back in place',
      before: d.before,
      after: d.after,
      // This plan is audited like any other: undoing it again is `contain --undo` of the new plan.
      undo: gdIr(['contain', '--undo', newPlanId], 'undo', true),
      reversible: true,
      changes: [],
      accessKeyId: r.accessKeyId,
    });
  }
  return {
    plan: {
      planId: newPlanId,
      findingId: first.findingId ?? '',
      accountId: first.accountId,
      region: first.region,
      caller,
      principal: { accessKeyId: first.accessKeyId },
      steps: steps.map((s, i) => ({ ...s, number: i + 1 })),
      manual: [],
      notes: [],
      undoOf: planId,
    },
    skipped,
  };
}
