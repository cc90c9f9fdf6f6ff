import { describe, expect, it } from 'vitest';
import {
  confirmationMatches,
  planRemediation,
  preflightRemediation,
  RemediationRefusedError,
  requestFromFinding,
  REVOKE_POLICY_NAME,
  revokePolicyCutoff,
  revokePolicyDocument,
  undoCommand,
  userNameFromArn,
  type FindingTarget,
  type RemediationFacts,
  type RemediationRequest,
} from '../../../src/core/remediation/index.js';
import { commandLine } from '../../../src/core/suggestion.js';

const NOW = new Date('2026-11-27T10:00:00.000Z');
const KEY = 'AKIAQCOMPROMISED0EX1';
const USER = 'GuardDuty-Example-Compromised-Simulated';

function request(over: Partial<RemediationRequest> = {}): RemediationRequest {
  return { accessKeyId: KEY, reactivate: false, revokeSessions: false, restoreSessions: false, force: false, dryRun: false, ...over };
}

function facts(over: Partial<RemediationFacts> = {}): RemediationFacts {
  return {
    accountId: '111122223333',
    region: 'us-west-2',
    caller: { arn: 'arn:aws:iam::111122223333:user/ir-analyst', userId: 'AIDA1', accountId: '111122223333', accessKeyId: 'AKIAANALYST000EXAMPLE' },
    userName: USER,
    key: { accessKeyId: KEY, status: 'Active', createdAt: '2026-05-11T10:00:00Z', lastUsed: { date: '2026-11-27T09:55:00Z', service: 'ssm', region: 'us-west-2' } },
    otherKeys: [],
    ...over,
  };
}

function refusal(fn: () => unknown): RemediationRefusedError {
  try {
    fn();
  } catch (err) {
    if (err instanceof RemediationRefusedError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('planRemediation', () => {
  it('plans a deactivation with its undo and the sessions caveat', () => {
    const plan = planRemediation(request(), facts(), NOW);
    expect(plan.changes).toHaveLength(1);
    const step = plan.changes[0]!;
    expect(step).toMatchObject({ action: 'deactivate', target: KEY, before: 'Active', after: 'Inactive', noop: false });
    expect(commandLine(step.undo)).toBe(`gd-ir remediate --key ${KEY} --reactivate`);
    expect(step.effect.join(' ')).toContain('--revoke-sessions ends them');
    expect(plan.confirmationToken).toBe(KEY);
  });

  it('refuses the key the caller is signed with unless --force', () => {
    const own = facts({ caller: { ...facts().caller, accessKeyId: KEY } });
    const err = refusal(() => planRemediation(request(), own, NOW));
    expect(err.code).toBe('own_key');
    expect(err.exitCode).toBe(1);
    expect(err.message).toContain('lock you out');
    const forced = planRemediation(request({ force: true }), own, NOW);
    expect(forced.changes).toHaveLength(1);
    expect(forced.notes.join(' ')).toContain('--force');
  });

  it('an already inactive key is a no-op', () => {
    const plan = planRemediation(request(), facts({ key: { accessKeyId: KEY, status: 'Inactive' } }), NOW);
    expect(plan.changes).toHaveLength(0);
    expect(plan.steps[0]).toMatchObject({ action: 'deactivate', noop: true, before: 'Inactive', after: 'Inactive' });
    expect(plan.notes).toEqual([`${KEY} is already inactive.`]);
  });

  it('still revokes sessions when the key is already inactive', () => {
    const plan = planRemediation(request({ revokeSessions: true }), facts({ key: { accessKeyId: KEY, status: 'Inactive' }, revokePolicy: { present: false } }), NOW);
    expect(plan.changes.map((s) => s.action)).toEqual(['revoke-sessions']);
    const step = plan.changes[0]!;
    expect(step.target).toBe(REVOKE_POLICY_NAME);
    expect(step.before).toBe('absent');
    expect(commandLine(step.undo)).toBe(`gd-ir remediate --key ${KEY} --restore-sessions`);
    expect(revokePolicyCutoff(step.policyDocument ?? '')).toBe(NOW.toISOString());
  });

  it('reactivation of an active key and restore without the policy are no-ops', () => {
    expect(planRemediation(request({ reactivate: true }), facts(), NOW).changes).toHaveLength(0);
    const plan = planRemediation(request({ restoreSessions: true }), facts({ revokePolicy: { present: false } }), NOW);
    expect(plan.steps.map((s) => [s.action, s.noop])).toEqual([['restore-sessions', true]]);
  });

  it('plans the undo of both', () => {
    const plan = planRemediation(
      request({ reactivate: true, restoreSessions: true }),
      facts({ key: { accessKeyId: KEY, status: 'Inactive' }, revokePolicy: { present: true, cutoff: '2026-11-27T09:00:00.000Z' } }),
      NOW,
    );
    expect(plan.changes.map((s) => `${s.action}:${s.before}->${s.after}`)).toEqual(['reactivate:Inactive->Active', 'restore-sessions:present->absent']);
  });

  it('refuses to revoke the sessions of the user whose session the caller uses', () => {
    const f = facts({ caller: { arn: `arn:aws:iam::111122223333:user/${USER}`, userId: 'AIDA2', accountId: '111122223333', accessKeyId: 'ASIAQSESSION00000001' }, revokePolicy: { present: false } });
    expect(refusal(() => planRemediation(request({ revokeSessions: true }), f, NOW)).code).toBe('own_session');
  });
});

describe('temporary keys', () => {
  const asia = 'ASIAQDERIVEDSESSION01';
  it('cannot be deactivated: points at --revoke-sessions on the parent user', () => {
    const err = refusal(() => preflightRemediation(request({ accessKeyId: asia, userName: USER })));
    expect(err.code).toBe('temporary_key');
    expect(err.message).toContain('IAM cannot deactivate it');
    expect(err.remedy).toBe(`revoke the sessions of its parent user: gd-ir remediate --key ${asia} --user ${USER} --revoke-sessions, then deactivate the user's long-term key it came from`);
  });
  it('need the parent user for --revoke-sessions', () => {
    expect(refusal(() => preflightRemediation(request({ accessKeyId: asia, revokeSessions: true }))).message).toContain('cannot tell which user');
  });
  it('revoke-sessions only, with the user named', () => {
    const plan = planRemediation(request({ accessKeyId: asia, userName: USER, revokeSessions: true }), facts({ key: undefined, revokePolicy: { present: false } }), NOW);
    expect(plan.changes.map((s) => s.action)).toEqual(['revoke-sessions']);
    expect(commandLine(plan.changes[0]!.undo)).toBe(`gd-ir remediate --key ${asia} --user ${USER} --restore-sessions`);
  });
});

describe('policy and confirmation helpers', () => {
  it('builds the documented revoke policy', () => {
    expect(JSON.parse(revokePolicyDocument(NOW))).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'GdIrRevokeOlderSessions', Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': '2026-11-27T10:00:00.000Z' } } },
      ],
    });
    expect(revokePolicyCutoff('{"Statement":[{"Effect":"Allow","Action":"*"}]}')).toBeUndefined();
    expect(revokePolicyCutoff('not json')).toBeUndefined();
  });
  it('accepts only the exact key ID', () => {
    expect(confirmationMatches(`  ${KEY} `, KEY)).toBe(true);
    expect(confirmationMatches(KEY.toLowerCase(), KEY)).toBe(false);
    expect(confirmationMatches('y', KEY)).toBe(false);
    expect(confirmationMatches('', KEY)).toBe(false);
  });
  it('reads user names from ARNs, paths included', () => {
    expect(userNameFromArn('arn:aws:iam::111122223333:user/ops/alice')).toBe('alice');
    expect(userNameFromArn('arn:aws:sts::111122223333:assumed-role/R/s')).toBeUndefined();
  });
  it('names the undo of every action', () => {
    expect(undoCommand('reactivate', KEY, USER)).toBe(`gd-ir remediate --key ${KEY}`);
    expect(undoCommand('restore-sessions', KEY, USER)).toBe(`gd-ir remediate --key ${KEY} --revoke-sessions`);
  });
});

describe('requestFromFinding', () => {
  const base = { reactivate: false, revokeSessions: false, restoreSessions: false, force: false, dryRun: false };
  const finding = (principal: FindingTarget['principal'], over: Partial<FindingTarget> = {}): FindingTarget => ({
    id: '0ac1e1b4c6f24d27a1c1d2e3f4a5b6c7',
    type: 'UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom',
    sample: false,
    resourceType: 'AccessKey',
    instanceId: null,
    principal,
    ...over,
  });
  it('takes key and user from an IAM user finding', () => {
    const r = requestFromFinding(finding({ userName: USER, userType: 'IAMUser', accessKeyId: KEY, principalId: 'AIDA' }), base);
    expect(r).toMatchObject({ accessKeyId: KEY, userName: USER, findingId: '0ac1e1b4c6f24d27a1c1d2e3f4a5b6c7' });
  });
  it('refuses roles with the revoke-sessions instructions', () => {
    const err = refusal(() => requestFromFinding(finding({ userName: 'EC2Role', userType: 'AssumedRole', accessKeyId: 'ASIAQROLESESSION0EX1', principalId: 'AROA:i-1' }), base));
    expect(err.code).toBe('role_principal');
    expect(err.message).toContain('role EC2Role');
    expect(err.remedy).toContain('Revoke active sessions');
    expect(err.remedy).toContain('aws:TokenIssueTime');
  });
  it('refuses root with manual steps', () => {
    const err = refusal(() => requestFromFinding(finding({ userName: 'Root', userType: 'Root', accessKeyId: 'ASIAQROOTCONSOLE0EXM', principalId: '1' }), base));
    expect(err.code).toBe('root_principal');
    expect(err.remedy).toContain('enable MFA');
  });
  it('refuses samples, services and non-key findings', () => {
    expect(refusal(() => requestFromFinding(finding({ userName: 'x', userType: 'IAMUser', accessKeyId: KEY, principalId: 'p' }, { sample: true }), base)).message).toContain('sample finding');
    expect(refusal(() => requestFromFinding(finding({ userName: 'GeneratedFindingUserName', userType: 'AWSService', accessKeyId: 'GeneratedFindingAccessKeyId', principalId: 'p' }), base)).message).toContain('type AWSService');
    expect(refusal(() => requestFromFinding(finding(null, { resourceType: 'Instance', instanceId: 'i-0abc' }), base)).message).toContain('instance i-0abc');
  });
  it('an IAM user finding on a session key needs --revoke-sessions', () => {
    const p = { userName: USER, userType: 'IAMUser', accessKeyId: 'ASIAQDERIVEDSESSION01', principalId: 'AIDA' };
    expect(refusal(() => requestFromFinding(finding(p), base)).code).toBe('temporary_key');
    expect(requestFromFinding(finding(p), { ...base, revokeSessions: true })).toMatchObject({ accessKeyId: 'ASIAQDERIVEDSESSION01', userName: USER, revokeSessions: true });
  });
});
