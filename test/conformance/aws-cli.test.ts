/**
 * Conformance: the official AWS CLI (botocore) against the sandbox, for every emulated operation.
 * Skipped only when `aws` is not on PATH (CI installs it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import type { RunningSandbox } from '../../src/sandbox/index.js';
import { WORKSHOP } from '../../src/sandbox/scenarios/workshop-facts.js';
import { HAS_AWS, aws, ok } from '../helpers/aws-cli.js';

const SUITE = HAS_AWS ? 'AWS CLI conformance' : 'AWS CLI conformance (skipped: the `aws` CLI is not on PATH)';

const DET = WORKSHOP.detectors['us-west-2'] as string;
const U = WORKSHOP.compromised.userName;
const ACCT = WORKSHOP.accountId;

describe.skipIf(!HAS_AWS)(SUITE, () => {
  let sb: RunningSandbox;
  beforeAll(async () => {
    sb = await startSandbox({ cloudTrailRateLimit: false });
  });
  afterAll(async () => {
    await sb.close();
  });

  it('runs every read operation and parses the output', async () => {
    const boundaryArn = `arn:aws:iam::${ACCT}:policy/${WORKSHOP.developer.boundaryPolicyName}`;
    const calls: Record<string, string[]> = {
      sts: ['sts', 'get-caller-identity'],
      listDetectors: ['guardduty', 'list-detectors'],
      getDetector: ['guardduty', 'get-detector', '--detector-id', DET],
      listFindings: ['guardduty', 'list-findings', '--detector-id', DET, '--finding-criteria', '{"Criterion":{"type":{"Eq":["UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom"]}}}'],
      getFindings: ['guardduty', 'get-findings', '--detector-id', DET, '--finding-ids', WORKSHOP.findings.unauthorizedAccessCustom],
      stats: ['guardduty', 'get-findings-statistics', '--detector-id', DET, '--finding-statistic-types', 'COUNT_BY_SEVERITY'],
      statsGroup: ['guardduty', 'get-findings-statistics', '--detector-id', DET, '--group-by', 'FINDING_TYPE'],
      statsTypesAsc: ['guardduty', 'get-findings-statistics', '--detector-id', DET, '--group-by', 'FINDING_TYPE', '--order-by', 'ASC', '--max-results', '3', '--finding-criteria', '{"Criterion":{"service.archived":{"Equals":["false"]}}}'],
      statsSeverity: ['guardduty', 'get-findings-statistics', '--detector-id', DET, '--group-by', 'SEVERITY', '--max-results', '100'],
      lookup: ['cloudtrail', 'lookup-events', '--lookup-attributes', `AttributeKey=AccessKeyId,AttributeValue=${WORKSHOP.compromised.accessKeyId}`, '--max-items', '5'],
      getUser: ['iam', 'get-user'],
      listAccessKeys: ['iam', 'list-access-keys', '--user-name', U],
      lastUsed: ['iam', 'get-access-key-last-used', '--access-key-id', WORKSHOP.compromised.accessKeyId],
      tags: ['iam', 'list-user-tags', '--user-name', U],
      attachedUser: ['iam', 'list-attached-user-policies', '--user-name', WORKSHOP.developer.userName],
      userPolicies: ['iam', 'list-user-policies', '--user-name', U],
      userPolicy: ['iam', 'get-user-policy', '--user-name', U, '--policy-name', WORKSHOP.compromised.inlinePolicyName],
      groups: ['iam', 'list-groups-for-user', '--user-name', WORKSHOP.developer.userName],
      attachedGroup: ['iam', 'list-attached-group-policies', '--group-name', WORKSHOP.developer.groupName],
      groupPolicies: ['iam', 'list-group-policies', '--group-name', WORKSHOP.developer.groupName],
      role: ['iam', 'get-role', '--role-name', WORKSHOP.role.roleName],
      attachedRole: ['iam', 'list-attached-role-policies', '--role-name', WORKSHOP.role.roleName],
      rolePolicies: ['iam', 'list-role-policies', '--role-name', WORKSHOP.role.roleName],
      policy: ['iam', 'get-policy', '--policy-arn', boundaryArn],
    };
    const entries = Object.entries(calls);
    const results = Object.fromEntries(await Promise.all(entries.map(async ([k, args]) => [k, ok(await aws(sb, args))] as const)));

    expect(results.sts).toMatchObject({ Account: ACCT, Arn: `arn:aws:iam::${ACCT}:user/ir-analyst` });
    expect(results.listDetectors).toEqual({ DetectorIds: [DET] });
    expect(results.getDetector).toMatchObject({ Status: 'ENABLED' });
    expect(results.listFindings).toEqual({ FindingIds: [WORKSHOP.findings.unauthorizedAccessCustom] });
    const findings = results.getFindings?.Findings as Array<{ Id: string; Resource: { AccessKeyDetails: { AccessKeyId: string } } }>;
    expect(findings[0]?.Resource.AccessKeyDetails.AccessKeyId).toBe(WORKSHOP.compromised.accessKeyId);
    // Every finding of the detector (no criteria: archived ones too) is counted under its severity.
    const bySeverity = (results.stats?.FindingStatistics as { CountBySeverity: Record<string, number> }).CountBySeverity;
    const detectorFindings = sb.world.regions['us-west-2']?.findings ?? [];
    expect(detectorFindings.length).toBeGreaterThan(5);
    expect(Object.values(bySeverity).reduce((a, b) => a + b, 0)).toBe(detectorFindings.length);
    // GroupBy (the non-deprecated shape gd-ir uses for --type prefixes and severity counts), as botocore parses it.
    type TypeStat = { FindingType: string; TotalFindings: number; LastGeneratedAt: string | number };
    const byType = (results.statsGroup?.FindingStatistics as { GroupedByFindingType: TypeStat[] }).GroupedByFindingType;
    const types = new Map<string, number>();
    for (const f of detectorFindings) types.set(f.type, (types.get(f.type) ?? 0) + 1);
    // Default MaxResults 25, most occurring first.
    expect(byType.length).toBe(Math.min(25, types.size));
    for (const g of byType) {
      expect(g.TotalFindings).toBe(types.get(g.FindingType));
      // A timestamp member: epoch seconds, or ISO text when the CLI's cli_timestamp_format asks for it.
      const t = typeof g.LastGeneratedAt === 'number' ? g.LastGeneratedAt * 1000 : Date.parse(g.LastGeneratedAt);
      expect(t).toBe(Math.max(...detectorFindings.filter((f) => f.type === g.FindingType).map((f) => Date.parse(f.updatedAt))));
    }
    expect(byType.map((g) => g.TotalFindings)).toEqual([...byType.map((g) => g.TotalFindings)].sort((a, b) => b - a));
    const asc = (results.statsTypesAsc?.FindingStatistics as { GroupedByFindingType: TypeStat[] }).GroupedByFindingType;
    expect(asc).toHaveLength(3);
    expect(asc.map((g) => g.TotalFindings)).toEqual([...asc.map((g) => g.TotalFindings)].sort((a, b) => a - b));
    const open = detectorFindings.filter((f) => !f.service.archived);
    for (const g of asc) expect(g.TotalFindings).toBe(open.filter((f) => f.type === g.FindingType).length);
    const bySev = (results.statsSeverity?.FindingStatistics as { GroupedBySeverity: Array<{ Severity: number; TotalFindings: number }> }).GroupedBySeverity;
    expect(bySev.reduce((a, g) => a + g.TotalFindings, 0)).toBe(detectorFindings.length);
    for (const g of bySev) expect(g.TotalFindings).toBe(detectorFindings.filter((f) => f.severity === g.Severity).length);
    const events = results.lookup?.Events as Array<{ AccessKeyId: string; CloudTrailEvent: string; EventTime: string }>;
    expect(events).toHaveLength(5);
    expect(events.every((e) => e.AccessKeyId === WORKSHOP.compromised.accessKeyId)).toBe(true);
    expect(typeof (JSON.parse(events[0]?.CloudTrailEvent ?? '{}') as { eventID: string }).eventID).toBe('string');
    expect(results.lookup?.NextToken).toBeTruthy();
    expect((results.getUser?.User as { UserName: string }).UserName).toBe('ir-analyst');
    expect((results.listAccessKeys?.AccessKeyMetadata as Array<{ AccessKeyId: string }>)[0]?.AccessKeyId).toBe(WORKSHOP.compromised.accessKeyId);
    expect(results.lastUsed).toMatchObject({ UserName: U });
    expect((results.tags?.Tags as unknown[]).length).toBeGreaterThan(0);
    expect((results.attachedUser?.AttachedPolicies as unknown[]).length).toBeGreaterThan(0);
    expect(results.userPolicies).toMatchObject({ PolicyNames: [WORKSHOP.compromised.inlinePolicyName] });
    // botocore decodes URL-encoded policy documents into objects
    const doc = results.userPolicy?.PolicyDocument as { Statement: Array<{ Action: string[] }> };
    expect(doc.Statement[0]?.Action).toContain('ssm:GetParameters');
    expect((results.groups?.Groups as Array<{ GroupName: string }>)[0]?.GroupName).toBe(WORKSHOP.developer.groupName);
    expect(Array.isArray(results.attachedGroup?.AttachedPolicies)).toBe(true);
    const groupPolicyNames = results.groupPolicies?.PolicyNames as string[];
    expect(groupPolicyNames.length).toBeGreaterThan(0);
    const role = results.role?.Role as { AssumeRolePolicyDocument: { Statement: unknown[] }; RoleLastUsed: { Region: string } };
    expect(role.AssumeRolePolicyDocument.Statement.length).toBeGreaterThan(0);
    expect(role.RoleLastUsed.Region).toBeTruthy();
    expect((results.attachedRole?.AttachedPolicies as unknown[]).length).toBeGreaterThan(0);
    const rolePolicyNames = results.rolePolicies?.PolicyNames as string[];
    const policy = results.policy?.Policy as { DefaultVersionId: string };

    const [groupPolicy, rolePolicy, version] = await Promise.all([
      aws(sb, ['iam', 'get-group-policy', '--group-name', WORKSHOP.developer.groupName, '--policy-name', groupPolicyNames[0] ?? '']),
      aws(sb, ['iam', 'get-role-policy', '--role-name', WORKSHOP.role.roleName, '--policy-name', rolePolicyNames[0] ?? '']),
      aws(sb, ['iam', 'get-policy-version', '--policy-arn', boundaryArn, '--version-id', policy.DefaultVersionId]),
    ]);
    expect((ok(groupPolicy).PolicyDocument as { Statement: unknown[] }).Statement.length).toBeGreaterThan(0);
    expect((ok(rolePolicy).PolicyDocument as { Statement: unknown[] }).Statement.length).toBeGreaterThan(0);
    expect((ok(version).PolicyVersion as { Document: { Statement: unknown[] }; IsDefaultVersion: boolean }).IsDefaultVersion).toBe(true);
  }, 60_000);

  it('paginates with --page-size / --max-items / --starting-token', async () => {
    const full = ok(await aws(sb, ['guardduty', 'list-findings', '--detector-id', DET])).FindingIds as string[];
    const [small, first] = await Promise.all([
      aws(sb, ['guardduty', 'list-findings', '--detector-id', DET, '--page-size', '4']),
      aws(sb, ['guardduty', 'list-findings', '--detector-id', DET, '--max-items', '5', '--page-size', '3']),
    ]);
    expect(ok(small).FindingIds).toEqual(full);
    const firstJson = ok(first);
    expect(firstJson.FindingIds).toEqual(full.slice(0, 5));
    const rest = ok(await aws(sb, ['guardduty', 'list-findings', '--detector-id', DET, '--page-size', '3', '--starting-token', String(firstJson.NextToken)]));
    expect(rest.FindingIds).toEqual(full.slice(5));
    const keys = ok(await aws(sb, ['iam', 'list-access-keys', '--user-name', WORKSHOP.developer.userName, '--page-size', '1']));
    expect((keys.AccessKeyMetadata as unknown[]).length).toBe(2);
    const events = ok(await aws(sb, ['cloudtrail', 'lookup-events', '--lookup-attributes', `AttributeKey=AccessKeyId,AttributeValue=${WORKSHOP.compromised.accessKeyId}`, '--page-size', '50']));
    // LookupEvents only sees the last 90 days
    const oldest = Date.now() - 90 * 86_400_000;
    const expected = (sb.world.regions['us-west-2']?.events ?? []).filter(
      (e) => e.userIdentity.accessKeyId === WORKSHOP.compromised.accessKeyId && Date.parse(e.eventTime) >= oldest,
    ).length;
    expect((events.Events as unknown[]).length).toBe(expected);
  }, 60_000);

  it('surfaces modeled errors on stderr with a non-zero exit code', async () => {
    const r = await aws(sb, ['iam', 'get-user', '--user-name', 'nobody']);
    expect([254, 255]).toContain(r.code);
    expect(r.stderr).toContain('NoSuchEntity');
    expect(r.stderr).toContain('The user with name nobody cannot be found.');
    const gd = await aws(sb, ['guardduty', 'list-findings', '--detector-id', 'nope']);
    expect([254, 255]).toContain(gd.code);
    expect(gd.stderr).toContain('BadRequestException');
    const ct = await aws(sb, ['cloudtrail', 'lookup-events', '--max-results', '51']);
    expect([252, 254, 255]).toContain(ct.code);
    expect(ct.stderr).toMatch(/InvalidMaxResultsException|maximum/);
  }, 60_000);

  it('runs the write operations (containment) and sees their effect', async () => {
    const w = await startSandbox();
    try {
      ok(await aws(w, ['iam', 'update-access-key', '--user-name', U, '--access-key-id', WORKSHOP.compromised.accessKeyId, '--status', 'Inactive']));
      const keys = ok(await aws(w, ['iam', 'list-access-keys', '--user-name', U]));
      expect((keys.AccessKeyMetadata as Array<{ Status: string }>)[0]?.Status).toBe('Inactive');
      const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': new Date().toISOString() } } }] });
      ok(await aws(w, ['iam', 'put-user-policy', '--user-name', U, '--policy-name', 'revoke-older-sessions', '--policy-document', doc]));
      const got = ok(await aws(w, ['iam', 'get-user-policy', '--user-name', U, '--policy-name', 'revoke-older-sessions']));
      expect(got.PolicyDocument).toEqual(JSON.parse(doc));
      const session = await aws(w, ['iam', 'get-user'], { AWS_ACCESS_KEY_ID: WORKSHOP.compromised.derivedSessionKeyId, AWS_SESSION_TOKEN: 'token' });
      expect(session.stderr).toContain('AccessDenied');
      ok(await aws(w, ['iam', 'delete-user-policy', '--user-name', U, '--policy-name', 'revoke-older-sessions']));
      const inactive = await aws(w, ['sts', 'get-caller-identity'], { AWS_ACCESS_KEY_ID: WORKSHOP.compromised.accessKeyId, AWS_SECRET_ACCESS_KEY: WORKSHOP.compromised.secretAccessKey });
      expect(inactive.stderr).toContain('InvalidClientTokenId');
      ok(await aws(w, ['guardduty', 'archive-findings', '--detector-id', DET, '--finding-ids', WORKSHOP.findings.reconCustom]));
      const archived = ok(await aws(w, ['guardduty', 'list-findings', '--detector-id', DET, '--finding-criteria', '{"Criterion":{"service.archived":{"Equals":["true"]}}}']));
      expect(archived.FindingIds).toContain(WORKSHOP.findings.reconCustom);
      ok(await aws(w, ['guardduty', 'unarchive-findings', '--detector-id', DET, '--finding-ids', WORKSHOP.findings.reconCustom]));
      const open = ok(await aws(w, ['guardduty', 'list-findings', '--detector-id', DET, '--finding-criteria', '{"Criterion":{"service.archived":{"Equals":["false"]}}}']));
      expect(open.FindingIds).toContain(WORKSHOP.findings.reconCustom);
    } finally {
      await w.close();
    }
  }, 60_000);

  it('records the CLI\'s writes in CloudTrail: lookup-events in us-east-1 shows the CLI\'s UpdateAccessKey', async () => {
    const w = await startSandbox({ cloudTrailRateLimit: false });
    try {
      ok(await aws(w, ['iam', 'update-access-key', '--user-name', U, '--access-key-id', WORKSHOP.compromised.accessKeyId, '--status', 'Inactive']));
      const found = ok(await aws(w, ['cloudtrail', 'lookup-events', '--region', 'us-east-1', '--lookup-attributes', 'AttributeKey=EventName,AttributeValue=UpdateAccessKey']));
      const events = found.Events as Array<{ Username: string; ReadOnly: string; CloudTrailEvent: string }>;
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ Username: WORKSHOP.analyst.userName, ReadOnly: 'false' });
      const record = JSON.parse(events[0]?.CloudTrailEvent ?? '{}') as { userAgent: string; requestParameters: unknown; awsRegion: string };
      expect(record.userAgent).toMatch(/^aws-cli\//);
      expect(record.awsRegion).toBe('us-east-1');
      expect(record.requestParameters).toEqual({ userName: U, accessKeyId: WORKSHOP.compromised.accessKeyId, status: 'Inactive' });
      // The CLI's own reads (lookup-events, list-access-keys) are not recorded.
      ok(await aws(w, ['iam', 'list-access-keys', '--user-name', U]));
      const all = ok(await aws(w, ['cloudtrail', 'lookup-events', '--region', 'us-east-1', '--lookup-attributes', `AttributeKey=Username,AttributeValue=${WORKSHOP.analyst.userName}`]));
      expect((all.Events as Array<{ EventName: string }>).map((e) => e.EventName)).not.toContain('ListAccessKeys');
    } finally {
      await w.close();
    }
  }, 60_000);

  it('retries CloudTrail throttling (rate limit on): rapid calls all succeed', async () => {
    const t = await startSandbox({ cloudTrailRateLimit: 2 });
    try {
      const env = { AWS_RETRY_MODE: 'standard', AWS_MAX_ATTEMPTS: '10' };
      const attr = `AttributeKey=AccessKeyId,AttributeValue=${WORKSHOP.compromised.accessKeyId}`;
      const runs = await Promise.all([
        aws(t, ['cloudtrail', 'lookup-events', '--lookup-attributes', attr, '--page-size', '5', '--max-items', '40'], env),
        ...Array.from({ length: 4 }, () => aws(t, ['cloudtrail', 'lookup-events', '--page-size', '1', '--max-items', '1'], env)),
      ]);
      for (const r of runs) ok(r);
      expect((runs[0]?.json as { Events: unknown[] }).Events).toHaveLength(40);
      expect(t.requests.some((r) => r.fault === 'ratelimit' && r.errorCode === 'ThrottlingException')).toBe(true);
    } finally {
      await t.close();
    }
  }, 60_000);
});
