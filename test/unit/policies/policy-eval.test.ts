import { describe, expect, it } from 'vitest';
import { actionDecision, analyzePolicies, grantedActions, isActionAllowed, type AnalyzablePolicy, type PolicyRef } from '../../../src/core/policy-eval/index.js';
import { parsePolicyDocument, readPolicyDocument } from '../../../src/core/policy-document.js';
import { catalogFromData, loadActionCatalog } from '../../../src/core/iam-catalog.js';
import { RISK_CATALOG, riskCatalogActions } from '../../../src/core/data/risk-catalog.js';

function policy(name: string, statements: Array<Record<string, unknown>>, ref: Partial<PolicyRef> = {}): AnalyzablePolicy {
  const parsed = parsePolicyDocument({ Version: '2012-10-17', Statement: statements });
  expect(parsed.errors).toEqual([]);
  return { ref: { name, source: 'direct', kind: 'inline', ...ref }, statements: parsed.statements };
}

const ALLOW = (Action: unknown, Resource: unknown = '*', extra: Record<string, unknown> = {}) => ({ Effect: 'Allow', Action, Resource, ...extra });
const DENY = (Action: unknown, Resource: unknown = '*', extra: Record<string, unknown> = {}) => ({ Effect: 'Deny', Action, Resource, ...extra });

describe('wildcards in action and service names (real catalogue)', () => {
  it('ssm:Get* includes ssm:GetParameters and not ssm:PutParameter', async () => {
    const a = await analyzePolicies([policy('p', [ALLOW('ssm:Get*')])]);
    expect(isActionAllowed(a, 'ssm:GetParameters')).toBe(true);
    expect(isActionAllowed(a, 'SSM:getparameter')).toBe(true);
    expect(isActionAllowed(a, 'ssm:PutParameter')).toBe(false);
    expect(grantedActions(a)).toContain('ssm:GetParameters');
    expect(grantedActions(a).every((k) => k.startsWith('ssm:Get'))).toBe(true);
    expect(a.grantedActionCounts.total).toBe(grantedActions(a).length);
  });

  it('? and * in the service part, matched case-insensitively', async () => {
    const a = await analyzePolicies([policy('p', [ALLOW('S3*:getobject')])]);
    expect(grantedActions(a)).toContain('s3:GetObject');
    expect(grantedActions(a)).toContain('s3-object-lambda:GetObject');
    const b = await analyzePolicies([policy('p', [ALLOW('e?2:DescribeInstances')])]);
    expect(grantedActions(b)).toEqual(['ec2:DescribeInstances']);
  });

  it('counts granted actions by access level', async () => {
    const a = await analyzePolicies([policy('p', [ALLOW(['ssm:GetParameter', 'ssm:GetParameters', 'ssm:DescribeParameters'])])]);
    expect(a.grantedActionCounts).toEqual({ List: 1, Read: 2, Write: 0, 'Permissions management': 0, Tagging: 0, total: 3 });
  });

  it('* on * is administrator-equivalent; iam:* too; ec2:* is not', async () => {
    const all = await analyzePolicies([policy('AdministratorAccess', [ALLOW('*')])]);
    expect(all.isAdmin).toBe(true);
    expect(all.admin.map((x) => x.scope)).toContain('*');
    expect(all.grantedActionCounts.total).toBeGreaterThan(15000);
    expect((await analyzePolicies([policy('p', [ALLOW('iam:*')])])).admin).toEqual([
      { scope: 'iam', policy: expect.objectContaining({ name: 'p' }), statementIndex: 0 },
    ]);
    expect((await analyzePolicies([policy('p', [ALLOW('ec2:*')])])).isAdmin).toBe(false);
    // a conditional or resource-limited iam:* is not unconditional admin
    expect((await analyzePolicies([policy('p', [ALLOW('iam:*', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })])])).isAdmin).toBe(false);
    expect((await analyzePolicies([policy('p', [ALLOW('iam:*', 'arn:aws:iam::111122223333:user/x')])])).isAdmin).toBe(false);
  });
});

describe('NotAction and NotResource', () => {
  it('NotAction grants every action except the listed ones', async () => {
    const a = await analyzePolicies([policy('p', [{ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' }])]);
    expect(isActionAllowed(a, 'ec2:RunInstances')).toBe(true);
    expect(isActionAllowed(a, 'iam:CreateUser')).toBe(false);
    expect(isActionAllowed(a, 'organizations:LeaveOrganization')).toBe(false);
    expect(a.isAdmin).toBe(true); // sts:* is still granted in full
    expect(a.admin.map((x) => x.scope)).toEqual(['sts']);
  });

  it('NotResource makes a broad grant (s3:GetObject everywhere but one bucket is still data access)', async () => {
    const a = await analyzePolicies([policy('p', [{ Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::secret/*' }])]);
    expect(a.risks.map((r) => r.id)).toEqual(['s3-read-all']);
  });

  it('a Deny with NotResource may deny (not on every resource), it does not remove the grant', async () => {
    const a = await analyzePolicies([policy('p', [ALLOW('s3:GetObject'), { Effect: 'Deny', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::public/*' }])]);
    expect(actionDecision(a, 's3:GetObject')).toBe('conditional');
    expect(a.denyStatements[0]).toMatchObject({ statementIndex: 1, removes: 0, mayRemove: 1 });
  });

  it('s3:GetObject on one bucket is not "read any bucket"', async () => {
    const a = await analyzePolicies([policy('p', [ALLOW('s3:GetObject', 'arn:aws:s3:::app-assets/*')])]);
    expect(isActionAllowed(a, 's3:GetObject')).toBe(true);
    expect(a.risks).toEqual([]);
  });
});

describe('explicit Deny overrides Allow', () => {
  it('an unconditional Deny on * removes the grant and the capability', async () => {
    const a = await analyzePolicies([policy('allow', [ALLOW('cloudtrail:*')]), policy('guard', [DENY(['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors'])])]);
    expect(actionDecision(a, 'cloudtrail:StopLogging')).toBe('denied');
    expect(a.deniedActions).toEqual(['cloudtrail:DeleteTrail', 'cloudtrail:PutEventSelectors', 'cloudtrail:StopLogging', 'cloudtrail:UpdateTrail']);
    expect(a.risks.map((r) => r.id)).not.toContain('cloudtrail-tampering');
    expect(a.blockedRisks).toEqual([{ id: 'cloudtrail-tampering', capability: expect.any(String), category: 'defense-evasion', blockedBy: 'deny' }]);
    expect(a.denyStatements).toEqual([expect.objectContaining({ policy: expect.objectContaining({ name: 'guard' }), statementIndex: 0, removes: 4, mayRemove: 0, conditional: false })]);
  });

  it('a conditional Deny only "may deny": the grant stays, flagged conditional', async () => {
    const a = await analyzePolicies([
      policy('p', [ALLOW('ssm:GetParameters'), DENY('*', '*', { Condition: { DateLessThan: { 'aws:TokenIssueTime': '2026-01-01T00:00:00Z' } } })]),
    ]);
    expect(actionDecision(a, 'ssm:GetParameters')).toBe('conditional');
    expect(a.risks[0]).toMatchObject({ id: 'ssm-parameters', conditional: true });
    expect(a.conditionalStatements).toEqual([expect.objectContaining({ statementIndex: 1, effect: 'Deny', conditionKeys: ['aws:TokenIssueTime'] })]);
  });

  it('a Deny wildcard denies actions unknown to the catalogue too', async () => {
    const a = await analyzePolicies([policy('p', [ALLOW('newsvc:*'), DENY('newsvc:Delete*')])]);
    expect(actionDecision(a, 'newsvc:DoThing')).toBe('allowed');
    expect(actionDecision(a, 'newsvc:DeleteEverything')).toBe('denied');
    expect(actionDecision(a, 'other:DoThing')).toBe('not-granted');
  });
});

describe('permissions boundary', () => {
  const identity = [policy('DevPower', [ALLOW(['ec2:*', 'lambda:*']), { Sid: 'Pass', ...ALLOW('iam:PassRole', 'arn:aws:iam::111122223333:role/app-*') }])];
  it('without a boundary, PassRole + RunInstances is privilege escalation', async () => {
    const a = await analyzePolicies(identity);
    const r = a.risks.find((x) => x.id === 'iam-pass-role-compute');
    expect(r).toMatchObject({ category: 'privilege-escalation', policy: expect.objectContaining({ name: 'DevPower' }), statementIndex: 1 });
    expect(r?.actions).toEqual(expect.arrayContaining(['iam:PassRole', 'ec2:RunInstances', 'lambda:CreateFunction']));
  });
  it('the boundary intersects: what it does not allow is removed and reported', async () => {
    const boundary = policy('DeveloperBoundary', [ALLOW(['ec2:*', 's3:*'])], { source: 'boundary', kind: 'managed-customer' });
    const a = await analyzePolicies(identity, boundary);
    expect(a.hasBoundary).toBe(true);
    expect(actionDecision(a, 'iam:PassRole')).toBe('boundary');
    expect(actionDecision(a, 'lambda:CreateFunction')).toBe('boundary');
    expect(isActionAllowed(a, 'ec2:RunInstances')).toBe(true);
    expect(a.boundaryLimited).toContain('iam:PassRole');
    expect(a.boundaryLimited).toContain('lambda:UpdateFunctionCode');
    expect(a.risks.map((r) => r.id)).not.toContain('iam-pass-role-compute');
    expect(a.blockedRisks).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'iam-pass-role-compute', blockedBy: 'boundary' })]));
    // the boundary grants nothing by itself
    expect(isActionAllowed(a, 's3:GetObject')).toBe(false);
  });
  it('a boundary does not stop * on * from being admin only if it allows all of iam', async () => {
    const admin = [policy('AdministratorAccess', [ALLOW('*')], { kind: 'managed-aws' })];
    expect((await analyzePolicies(admin, policy('b', [ALLOW('ec2:*')], { source: 'boundary' }))).isAdmin).toBe(false);
    expect((await analyzePolicies(admin, policy('b', [ALLOW('*')], { source: 'boundary' }))).isAdmin).toBe(true);
  });
});

describe('conditions are reported, not evaluated', () => {
  it('a conditional Allow grants conditionally and is listed with its keys', async () => {
    const a = await analyzePolicies([
      policy('p', [ALLOW(['s3:PutObject'], 'arn:aws:s3:::scratch/*', { Sid: 'Office', Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' }, Bool: { 'aws:SecureTransport': 'true' } } })]),
    ]);
    expect(actionDecision(a, 's3:PutObject')).toBe('conditional');
    expect(a.conditionalActionCount).toBe(1);
    expect(a.conditionalStatements).toEqual([
      { policy: expect.objectContaining({ name: 'p' }), statementIndex: 0, sid: 'Office', effect: 'Allow', conditionKeys: ['aws:SourceIp', 'aws:SecureTransport'] },
    ]);
  });
});

describe('risk findings', () => {
  it('iam:CreateAccessKey on ${aws:username} is not "on other users"; on * it is', async () => {
    const self = await analyzePolicies([policy('p', [ALLOW('iam:CreateAccessKey', 'arn:aws:iam::*:user/${aws:username}')])]);
    expect(self.risks).toEqual([]);
    const own = await analyzePolicies([policy('p', [ALLOW('iam:CreateAccessKey', 'arn:aws:iam::1:user/bob')])], undefined, { principalArn: 'arn:aws:iam::1:user/bob' });
    expect(own.risks).toEqual([]);
    const any = await analyzePolicies([policy('p', [ALLOW('iam:CreateAccessKey')])]);
    expect(any.risks.map((r) => [r.id, r.category])).toEqual([['iam-create-access-key', 'privilege-escalation']]);
  });

  it('names the granting policy and statement of each capability', async () => {
    const a = await analyzePolicies([
      policy('readonly', [ALLOW('ec2:Describe*')]),
      policy('ops', [ALLOW('guardduty:Get*'), { Sid: 'Tamper', ...ALLOW(['guardduty:UpdateDetector', 'secretsmanager:GetSecretValue', 'kms:Decrypt']) }], { source: 'group', group: 'ops' }),
    ]);
    expect(a.risks.map((r) => [r.id, r.policy.name, r.policy.group, r.statementIndex, r.grantedBy[0]?.sid])).toEqual([
      ['secretsmanager-values', 'ops', 'ops', 1, 'Tamper'],
      ['kms-decrypt', 'ops', 'ops', 1, 'Tamper'],
      ['guardduty-tampering', 'ops', 'ops', 1, 'Tamper'],
    ]);
  });

  it('every action in the risk catalogue exists in the AWS action catalogue', async () => {
    const names = riskCatalogActions();
    const catalog = await loadActionCatalog(names.map((n) => n.slice(0, n.indexOf(':'))));
    const missing = names.filter((n) => !catalog.actions(n.slice(0, n.indexOf(':')))?.some((a) => a.key.toLowerCase() === n.toLowerCase()));
    expect(missing).toEqual([]);
    expect(new Set(RISK_CATALOG.map((r) => r.id)).size).toBe(RISK_CATALOG.length);
  });
});

describe('an injected catalogue', () => {
  it('is used instead of the bundled one', async () => {
    const catalog = catalogFromData({ demo: [['ReadThing', 'Read'], ['WriteThing', 'Write'], ['TagThing', 'Tagging']] });
    const a = await analyzePolicies([policy('p', [ALLOW('demo:*Thing'), DENY('demo:Tag*')])], undefined, { catalog });
    expect(grantedActions(a)).toEqual(['demo:ReadThing', 'demo:WriteThing']);
    expect(a.grantedActionCounts).toMatchObject({ Read: 1, Write: 1, Tagging: 0, total: 2 });
  });
});

describe('malformed documents', () => {
  it('bad JSON is an error, not an exception', () => {
    expect(readPolicyDocument('{"Version": "2012-10-17", "Statement": [')).toMatchObject({ statements: [], parseError: expect.stringContaining('not valid JSON') });
  });
  it('URL-encoded and raw JSON both decode; a literal % in raw JSON falls back', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/100%' }] };
    expect(readPolicyDocument(encodeURIComponent(JSON.stringify(doc))).json).toEqual(doc);
    expect(readPolicyDocument(JSON.stringify(doc)).json).toEqual(doc);
  });
  it('bad statements are reported and skipped; good ones kept', () => {
    const r = parsePolicyDocument({
      Statement: [
        { Effect: 'Permit', Action: '*', Resource: '*' },
        { Effect: 'Allow', Action: 7, Resource: '*' },
        { Effect: 'Allow', Resource: '*' },
        { Effect: 'Allow', Action: 'a:b', NotAction: 'c:d', Resource: '*' },
        { Effect: 'Allow', Action: 'ssm:GetParameters', Resource: '*' },
      ],
    });
    expect(r.statements.map((s) => s.index)).toEqual([4]);
    expect(r.errors).toEqual([
      'statement 0: Effect must be "Allow" or "Deny"',
      'statement 1: Action must be a string or a list of strings',
      'statement 2: has neither Action nor NotAction',
      'statement 3: has both Action and NotAction',
    ]);
    expect(parsePolicyDocument([1, 2]).errors).toEqual(['the document is not a JSON object']);
    expect(parsePolicyDocument({ Version: '2012-10-17' }).errors).toEqual(['the document has no Statement']);
  });
  it('a single Statement object (not a list) is accepted', () => {
    expect(parsePolicyDocument({ Statement: { Effect: 'Deny', Action: 'iam:*', Resource: '*' } }).statements).toHaveLength(1);
  });
});
