import { describe, expect, it } from 'vitest';
import { runInProcess } from '../../helpers/cli.js';
import { sandboxEnv, useSandbox } from '../../helpers/sandbox.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';

interface Out {
  principal: Record<string, unknown>;
  policies: Array<Record<string, unknown>>;
  analysis: {
    isAdmin: boolean;
    grantedActionCounts: Record<string, number>;
    risks: Array<{ id: string; capability: string; category: string; actions: string[]; policy: string; statementIndex: number; conditional: boolean }>;
    blockedRisks: Array<{ id: string; blockedBy: string }>;
    deniedActions: string[];
    denyStatements: Array<Record<string, unknown>>;
    boundaryLimited: { actionCount: number; actions: string[] } | null;
    conditionalStatements: Array<Record<string, unknown>>;
  };
  warnings: string[];
}

describe('gd-ir policies against the workshop sandbox', () => {
  const sb = useSandbox();

  it('the compromised user: exactly its one inline SSM policy, flagged as credential access, not admin', async () => {
    const r = await runInProcess(['policies', WORKSHOP.compromised.userName, '--json'], { env: sb.env() });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as Out;
    expect(out.principal).toMatchObject({ type: 'user', name: WORKSHOP.compromised.userName, boundary: null, arn: `arn:aws:iam::${WORKSHOP.accountId}:user/${WORKSHOP.compromised.userName}` });
    expect(out.policies).toEqual([
      {
        source: 'direct',
        group: null,
        kind: 'inline',
        name: WORKSHOP.compromised.inlinePolicyName,
        arn: null,
        versionId: null,
        document: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:DescribeParameters'], Resource: '*' }],
        },
      },
    ]);
    expect(out.analysis.isAdmin).toBe(false);
    expect(out.analysis.risks).toEqual([
      expect.objectContaining({
        id: 'ssm-parameters',
        category: 'credential-access',
        actions: ['ssm:DescribeParameters', 'ssm:GetParameter', 'ssm:GetParameters'],
        policy: WORKSHOP.compromised.inlinePolicyName,
        statementIndex: 0,
        conditional: false,
      }),
    ]);
    expect(out.analysis.grantedActionCounts).toEqual({ List: 1, Read: 2, Write: 0, 'Permissions management': 0, Tagging: 0, total: 3 });
    expect(out.warnings).toEqual([]);
  });

  it('dev-alice: managed, inline, group-inherited policies and the boundary; the boundary and the explicit Deny are respected', async () => {
    const before = sb.get().requests.length;
    const r = await runInProcess(['policies', '--user', WORKSHOP.developer.userName, '--json'], { env: sb.env() });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Out;
    expect(out.policies.map((p) => [p.source, p.group, p.kind, p.name, p.versionId])).toEqual([
      ['direct', null, 'managed-customer', 'DeveloperPowerUser', 'v2'],
      ['direct', null, 'managed-aws', 'ReadOnlyAccess', 'v1'],
      ['direct', null, 'inline', 'alice-guardrails', null],
      ['group', WORKSHOP.developer.groupName, 'managed-aws', 'AmazonSSMReadOnlyAccess', 'v1'],
      ['group', WORKSHOP.developer.groupName, 'inline', 'developers-dev-secrets', null],
      ['boundary', null, 'managed-customer', WORKSHOP.developer.boundaryPolicyName, 'v1'],
    ]);
    expect(out.principal.boundary).toEqual({ name: WORKSHOP.developer.boundaryPolicyName, arn: `arn:aws:iam::${WORKSHOP.accountId}:policy/${WORKSHOP.developer.boundaryPolicyName}` });
    const a = out.analysis;
    expect(a.isAdmin).toBe(false);
    const ids = a.risks.map((x) => x.id);
    // DeveloperPowerUser v2 grants ssm:Get* and s3:* on *; the boundary allows ssm and s3.
    expect(ids).toEqual(expect.arrayContaining(['ssm-parameters', 's3-read-all']));
    expect(a.risks.find((x) => x.id === 's3-read-all')).toMatchObject({ policy: 'DeveloperPowerUser', statementIndex: 0 });
    // The boundary (ec2, s3, ssm, logs, cloudwatch) takes away PassRole + lambda, IAM reads and the group's secret.
    expect(ids).not.toContain('iam-pass-role-compute');
    expect(ids).not.toContain('secretsmanager-values');
    expect(a.blockedRisks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'iam-pass-role-compute', blockedBy: 'boundary' }),
        expect.objectContaining({ id: 'secretsmanager-values', blockedBy: 'boundary' }),
        expect.objectContaining({ id: 'lambda-update-code', blockedBy: 'boundary' }),
      ]),
    );
    expect(a.boundaryLimited?.actions).toEqual(expect.arrayContaining(['iam:PassRole', 'iam:GetUser', 'lambda:CreateFunction', 'secretsmanager:GetSecretValue']));
    expect(a.boundaryLimited?.actions.some((x) => x.startsWith('ec2:') || x.startsWith('s3:') || x.startsWith('ssm:'))).toBe(false);
    // The explicit Deny (NeverTouchTheTrail) is analysed: no CloudTrail tampering capability.
    expect(ids).not.toContain('cloudtrail-tampering');
    expect(a.denyStatements).toEqual([
      expect.objectContaining({ policy: 'alice-guardrails', statementIndex: 0, sid: 'NeverTouchTheTrail', actions: ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'iam:CreateAccessKey'], conditional: false }),
    ]);
    expect(a.conditionalStatements).toEqual([
      expect.objectContaining({ policy: 'alice-guardrails', statementIndex: 1, sid: 'ScratchBucketFromOffice', effect: 'Allow', conditionKeys: ['aws:SourceIp', 'aws:SecureTransport'] }),
    ]);
    expect(a.grantedActionCounts.total).toBeGreaterThan(500);
    // each of the 4 managed policies fetched once; every list read
    const ops = sb.get().requests.slice(before).filter((q) => q.service === 'iam').map((q) => q.operation);
    expect(ops.filter((o) => o === 'GetPolicy')).toHaveLength(4);
    expect(ops.filter((o) => o === 'GetPolicyVersion')).toHaveLength(4);
    expect(ops).toEqual(expect.arrayContaining(['GetUser', 'ListAttachedUserPolicies', 'ListUserPolicies', 'GetUserPolicy', 'ListGroupsForUser', 'ListAttachedGroupPolicies', 'ListGroupPolicies', 'GetGroupPolicy']));
  });

  it('human output: principal line, policy table, highlights and counts', async () => {
    const r = await runInProcess(['policies', WORKSHOP.developer.userName], { env: sb.env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`IAM user ${WORKSHOP.developer.userName}  arn:aws:iam::${WORKSHOP.accountId}:user/${WORKSHOP.developer.userName}`);
    expect(r.stdout).toMatch(/group developers\s+managed AWS\s+AmazonSSMReadOnlyAccess\s+arn:aws:iam::aws:policy\/AmazonSSMReadOnlyAccess/);
    expect(r.stdout).toMatch(/boundary\s+managed customer\s+DeveloperBoundary/);
    expect(r.stdout).toContain('Administrator-equivalent: no');
    expect(r.stdout).toMatch(/credential and secret access\s+read SSM parameters/);
    expect(r.stdout).toContain('pass roles to new compute (iam:PassRole with a compute service) (privilege escalation): blocked by the permissions boundary');
    expect(r.stdout).toContain('Explicit deny in alice-guardrails statement 0 (NeverTouchTheTrail)');
    expect(r.stdout).toMatch(/Granted actions: \d+ {2}List \d+ · Read \d+ · Write \d+ · Permissions management \d+ · Tagging \d+/);
    expect(r.stdout).not.toContain('\u001b');
  });

  it('--key resolves the owner; --documents prints the documents', async () => {
    const r = await runInProcess(['policies', '--key', WORKSHOP.compromised.accessKeyId, '--documents'], { env: sb.env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`IAM user ${WORKSHOP.compromised.userName}`);
    expect(r.stdout).toContain('"ssm:GetParameters"');
    expect(sb.get().requests.some((q) => q.operation === 'GetAccessKeyLastUsed')).toBe(true);
  });

  it('--role: the role, its trust policy and policies', async () => {
    const r = await runInProcess(['policies', '--role', WORKSHOP.role.roleName, '--json'], { env: sb.env() });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Out;
    expect(out.principal).toMatchObject({
      type: 'role',
      name: WORKSHOP.role.roleName,
      trustPolicy: { document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] } },
    });
    expect(out.policies.map((p) => p.name)).toEqual(['AmazonS3ReadOnlyAccess', 'GuardDuty-Example-EC2-Describe']);
    expect(out.analysis.risks.map((x) => x.id)).toEqual(['s3-read-all']);
    const human = await runInProcess(['policies', '--role', WORKSHOP.role.roleName], { env: sb.env() });
    expect(human.stdout).toContain('Trusted by   Service ec2.amazonaws.com: sts:AssumeRole');
  });

  it('unknown user → exit 1; bad input → exit 2 before any call', async () => {
    const r = await runInProcess(['policies', 'nobody-here'], { env: sb.env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('IAM user nobody-here not found');
    const before = sb.get().requests.length;
    for (const argv of [['policies'], ['policies', 'a', '--role', 'b'], ['policies', '--key', 'nope'], ['policies', 'bad/name'], ['policies', '--key', WORKSHOP.role.sessionKeyId]]) {
      expect((await runInProcess(argv, { env: sb.env() })).code).toBe(2);
    }
    expect(sb.get().requests.length).toBe(before);
  });
});

describe('partial access', () => {
  const sb = useSandbox({ deny: ['IAM:ListGroupsForUser'] });
  it('AccessDenied on ListGroupsForUser: the rest is shown, with a warning naming the permission; exit 0', async () => {
    const r = await runInProcess(['policies', WORKSHOP.developer.userName, '--json'], { env: sb.env() });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Out;
    expect(out.policies.map((p) => p.name)).toEqual(['DeveloperPowerUser', 'ReadOnlyAccess', 'alice-guardrails', WORKSHOP.developer.boundaryPolicyName]);
    expect(out.warnings).toEqual([expect.stringContaining('iam:ListGroupsForUser')]);
    expect(r.stderr).toContain('iam:ListGroupsForUser');
    const human = await runInProcess(['policies', WORKSHOP.developer.userName], { env: sb.env() });
    expect(human.code).toBe(0);
    expect(human.stderr).toMatch(/warning: access denied for iam:ListGroupsForUser/);
  });
});

describe('total denial', () => {
  const sb = useSandbox({ deny: ['IAM:*'] });
  it('nothing readable → exit 4 with a remedy naming the permissions', async () => {
    const r = await runInProcess(['policies', WORKSHOP.developer.userName], { env: sb.env() });
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('iam:GetUser');
    expect(r.stderr).toContain('iam:ListGroupsForUser');
  });
});

describe('--key when GetAccessKeyLastUsed is denied', () => {
  const sb = useSandbox({ deny: ['IAM:GetAccessKeyLastUsed'] });
  it('exit 4; the remedy also says IAM denies a key of another account, and how to find that account', async () => {
    const r = await runInProcess(['policies', '--key', WORKSHOP.compromised.accessKeyId], { env: sb.env() });
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('iam:GetAccessKeyLastUsed');
    expect(r.stderr).toContain(`aws sts get-access-key-info --access-key-id ${WORKSHOP.compromised.accessKeyId}`);
  });
});

describe('any IAM endpoint via AWS_ENDPOINT_URL_IAM', () => {
  const sb = useSandbox();
  it('works with only the per-service endpoint variables set', async () => {
    const env = sandboxEnv(sb.get(), { AWS_ENDPOINT_URL: undefined, AWS_ENDPOINT_URL_IAM: sb.get().endpoint, AWS_ENDPOINT_URL_STS: sb.get().endpoint });
    const r = await runInProcess(['policies', WORKSHOP.compromised.userName, '--json'], { env });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Out).analysis.risks.map((x) => x.id)).toEqual(['ssm-parameters']);
  });
});
