/** The containment plan (pure): steps from the persistence scenario's changes, guards, manual steps, undo. */
import { describe, expect, it } from 'vitest';
import type { AuditOperation, AuditRecord } from '../../../src/core/audit.js';
import { groupByPlan } from '../../../src/core/audit.js';
import {
  containConfirmationMatches,
  inverseOf,
  planContainment,
  selectSteps,
  stepCommand,
  undoPlanFromAudit,
  type ContainFacts,
} from '../../../src/core/containment/index.js';
import { RemediationRefusedError } from '../../../src/core/remediation/index.js';
import { commandLine } from '../../../src/core/suggestion.js';
import { PERSISTENCE as P } from '../../../src/sandbox/scenarios/persistence-facts.js';
import { NOW, persistenceChanges, persistenceWorld } from './fixture.js';

const ANALYST = { arn: `arn:aws:iam::${P.accountId}:user/ir-analyst`, accountId: P.accountId, accessKeyId: P.analyst.accessKeyId };

function facts(over: Partial<ContainFacts> = {}, world = persistenceWorld()): ContainFacts {
  const { changes, reads } = persistenceChanges(world);
  return {
    planId: 'abcdef012345',
    findingId: P.findings.maliciousIp,
    region: 'us-west-2',
    accountId: P.accountId,
    caller: ANALYST,
    principal: { kind: 'iam-user', accessKeyId: P.compromised.accessKeyId, userName: P.compromised.userName },
    principalKeyStatus: 'Active',
    changes,
    reads,
    sessionUsers: [P.compromised.userName, P.backdoor.userName],
    force: false,
    now: NOW,
    ...over,
  };
}

describe('the plan', () => {
  it('follows the playbook: the key, its sessions, every key the attacker made, passwords, policies, trust, versions, trails', () => {
    const plan = planContainment(facts());
    expect(plan.steps.map((s) => [s.number, s.action, s.api])).toEqual([
      [1, 'deactivate', 'iam:UpdateAccessKey'],
      [2, 'revoke-sessions', 'iam:PutUserPolicy'],
      [3, 'deactivate', 'iam:UpdateAccessKey'],
      [4, 'deactivate', 'iam:UpdateAccessKey'],
      [5, 'revoke-sessions', 'iam:PutUserPolicy'],
      [6, 'delete-login-profile', 'iam:DeleteLoginProfile'],
      [7, 'detach-policy', 'iam:DetachUserPolicy'],
      [8, 'set-trust-policy', 'iam:UpdateAssumeRolePolicy'],
      [9, 'set-default-version', 'iam:SetDefaultPolicyVersion'],
      [10, 'start-logging', 'cloudtrail:StartLogging'],
    ]);
    // The attacker's keys oldest first: the backdoor (made by the principal), then the one the backdoor made.
    expect(plan.steps[2]?.params).toEqual({ action: 'deactivate', userName: P.backdoor.userName, accessKeyId: P.backdoor.accessKeyId });
    expect(plan.steps[3]?.params).toEqual({ action: 'deactivate', userName: P.loginUser.userName, accessKeyId: P.loginUser.attackerKeyId });
    const trust = plan.steps[7]?.params as { document: string; previous: string };
    expect(JSON.parse(trust.document).Statement).toEqual([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${P.accountId}:user/${P.compromised.userName}` }, Action: 'sts:AssumeRole' }]);
    expect(trust.previous).toContain(P.role.outsideAccount);
    expect(plan.steps[8]).toMatchObject({ before: 'v3', after: 'v2', reversible: true });
    expect(plan.steps[5]).toMatchObject({ reversible: false });
    expect(plan.steps[0]?.call).toBe(`iam:UpdateAccessKey UserName=${P.compromised.userName} AccessKeyId=${P.compromised.accessKeyId} Status=Inactive`);
    expect(plan.steps[4]?.undo && commandLine(plan.steps[4].undo)).toBe(`aws iam delete-user-policy --user-name ${P.backdoor.userName} --policy-name gd-ir-revoke-older-sessions`);
    // Never deleted by gd-ir: the user it created and the function; each a manual step with why.
    expect(plan.manual.map((m) => m.text)).toEqual([
      expect.stringMatching(/^created Lambda function backup-sync \(lambda, us-west-2\): check it and undo it by hand\.$/),
      expect.stringMatching(/^Delete user backup-svc once the steps above/),
    ]);
    expect(plan.manual.every((m) => m.why.length > 20)).toBe(true);
  });

  it('plans only what is still in place; --quarantine adds AWS\'s policy last; a key already inactive is a note', () => {
    const world = persistenceWorld();
    const key = world.iam.accessKeys[P.backdoor.accessKeyId];
    if (key) key.status = 'Inactive';
    const trail = world.regions['us-west-2']?.trails?.[P.trail.name];
    if (trail) trail.isLogging = true;
    const plan = planContainment(facts({ principalKeyStatus: 'Inactive', quarantineArn: 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3' }, world));
    expect(plan.steps.map((s) => s.action)).toEqual(['revoke-sessions', 'deactivate', 'revoke-sessions', 'delete-login-profile', 'detach-policy', 'set-trust-policy', 'set-default-version', 'attach-policy']);
    expect(plan.steps.at(-1)).toMatchObject({ params: { action: 'attach-policy', holder: 'user', name: P.compromised.userName, policyArn: 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3' } });
    expect(plan.notes).toContain(`${P.compromised.accessKeyId} is inactive: nothing to deactivate.`);
  });

  it('refuses to lock the caller out (its own key, or its own user\'s sessions) without --force', () => {
    const own = { ...ANALYST, accessKeyId: P.compromised.accessKeyId, arn: `arn:aws:iam::${P.accountId}:user/${P.compromised.userName}` };
    expect(() => planContainment(facts({ caller: own }))).toThrow(RemediationRefusedError);
    expect(planContainment(facts({ caller: own, force: true })).steps[0]?.action).toBe('deactivate');
    const session = { ...own, accessKeyId: 'ASIAQANALYSTSESSION1' };
    expect(() => planContainment(facts({ caller: session }))).toThrow(/revoking that user's older sessions would deny your own/);
  });

  it('a role principal: its sessions are revoked on the role (the IAM console\'s policy name)', () => {
    const plan = planContainment(facts({ principal: { kind: 'assumed-role', roleName: P.role.roleName, accessKeyId: 'ASIAQROLESESSION0001' }, principalKeyStatus: undefined, sessionUsers: [] }));
    expect(plan.steps[0]).toMatchObject({ action: 'revoke-role-sessions', params: { roleName: P.role.roleName, policyName: 'AWSRevokeOlderSessions' }, api: 'iam:PutRolePolicy' });
  });

  it('steps by number, the typed confirmation, and each step as the AWS CLI command that finishes it by hand', () => {
    const plan = planContainment(facts());
    expect(selectSteps(plan, [3, 1]).map((s) => s.number)).toEqual([1, 3]);
    expect(selectSteps(plan, 'all')).toHaveLength(10);
    expect(containConfirmationMatches(' 2 ', selectSteps(plan, [1, 2]))).toBe(true);
    expect(containConfirmationMatches('10', selectSteps(plan, [1, 2]))).toBe(false);
    const west = { defaultRegion: 'us-east-1' };
    expect(commandLine(stepCommand(plan.steps[9]!.params, NOW), west)).toBe(`aws cloudtrail start-logging --name ${P.trail.name} --region us-west-2`);
    expect(commandLine(stepCommand(plan.steps[1]!.params, NOW))).toBe(
      `aws iam put-user-policy --user-name ${P.compromised.userName} --policy-name gd-ir-revoke-older-sessions --policy-document '{"Version":"2012-10-17","Statement":[{"Sid":"GdIrRevokeOlderSessions","Effect":"Deny","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:TokenIssueTime":"${NOW.toISOString()}"}}}]}'`,
    );
  });
});

describe('undo', () => {
  function audited(plan: ReturnType<typeof planContainment>, states: Record<number, AuditOperation['state']>): AuditOperation[] {
    return plan.steps.map((s) => {
      const r: AuditRecord = {
        v: 1, kind: 'outcome', time: NOW.toISOString(), operationId: `op-${s.number}`, action: s.action, accessKeyId: s.accessKeyId, userName: '', findingId: plan.findingId,
        accountId: plan.accountId, region: plan.region, callerArn: plan.caller.arn, statusBefore: s.before, statusAfter: s.after, verified: true, error: null, gdIrVersion: 't',
        planId: plan.planId, step: s.number, steps: plan.steps.length, api: s.api, target: s.subject, params: s.params,
      };
      return { operationId: r.operationId, intent: { ...r, kind: 'intent' }, outcome: r, state: states[s.number] ?? 'complete' };
    });
  }

  it('inverts the verified, reversible steps, last first, with the documents and versions the audit log kept', () => {
    const plan = planContainment(facts());
    const ops = audited(plan, { 4: 'failed' });
    const undo = undoPlanFromAudit(plan.planId, 'fedcba987654', ops, ANALYST);
    expect(undo?.plan.undoOf).toBe(plan.planId);
    expect(undo?.plan.steps.map((s) => s.action)).toEqual(['stop-logging', 'set-default-version', 'set-trust-policy', 'attach-policy', 'restore-sessions', 'reactivate', 'restore-sessions', 'reactivate']);
    expect(undo?.plan.steps[1]?.params).toMatchObject({ versionId: 'v3', previous: 'v2' });
    expect((undo?.plan.steps[2]?.params as { document: string }).document).toContain(P.role.outsideAccount);
    expect(undo?.skipped).toEqual([
      { step: 6, subject: `the console password of user ${P.loginUser.userName}`, reason: 'a deleted console password cannot be restored: its owner sets a new one' },
      { step: 4, subject: `access key ${P.loginUser.attackerKeyId} of user ${P.loginUser.userName}`, reason: 'it failed: nothing to undo' },
    ]);
    expect(undoPlanFromAudit('000000000000', 'x', ops, ANALYST)).toBeUndefined();
    expect(inverseOf({ action: 'delete-inline-policy', holder: 'user', name: 'u', policyName: 'p' })).toBe('the deleted document was not recorded');
    expect(groupByPlan(ops)[0]?.operations.map((o) => o.operationId)).toEqual(plan.steps.map((s) => `op-${s.number}`));
  });
});
