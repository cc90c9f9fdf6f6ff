/**
 * Conformance: the official AWS CLI (botocore) calling STS AssumeRole on the `org` sandbox with every parameter gd-ir
 * uses (SourceIdentity, ExternalId, SerialNumber/TokenCode, DurationSeconds), using the session it returns, and
 * reading the errors STS sends. Skipped only when `aws` is not on PATH (CI installs it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { totp } from '../../src/sandbox/mfa.js';
import { ORG } from '../../src/sandbox/scenarios/org-facts.js';
import { WORKSHOP } from '../../src/sandbox/scenarios/workshop-facts.js';
import { aws, credentialsEnv, HAS_AWS } from '../helpers/aws-cli.js';

const SUITE = HAS_AWS ? 'AWS CLI conformance: STS AssumeRole' : 'AWS CLI conformance: STS AssumeRole (skipped: the `aws` CLI is not on PATH)';

const PROD = ORG.prod.accountId;
const DATA = ORG.data.accountId;
const role = (acct: string, name: string): string => `arn:aws:iam::${acct}:role/${name}`;

describe.skipIf(!HAS_AWS)(SUITE, () => {
  let sb: RunningSandbox;
  beforeAll(async () => {
    sb = await startSandbox({ scenario: 'org', cloudTrailRateLimit: false });
  });
  afterAll(async () => {
    await sb.close();
  });

  it('assume-role with a SourceIdentity: credentials the CLI then uses in the member account, recorded there', async () => {
    const r = await aws(sb, ['sts', 'assume-role', '--role-arn', role(PROD, ORG.readRoleName), '--role-session-name', 'ir-analyst', '--source-identity', 'ir-analyst', '--duration-seconds', '900']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const creds = r.json.Credentials as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string };
    expect(creds.AccessKeyId).toMatch(/^ASIA/);
    expect(Date.parse(creds.Expiration) - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(r.json.AssumedRoleUser).toEqual({ AssumedRoleId: `${ORG.prod.readRoleId}:ir-analyst`, Arn: `arn:aws:sts::${PROD}:assumed-role/${ORG.readRoleName}/ir-analyst` });
    expect(r.json.SourceIdentity).toBe('ir-analyst');
    const session = { accessKeyId: creds.AccessKeyId, secretAccessKey: creds.SecretAccessKey, sessionToken: creds.SessionToken };
    const who = await aws(sb, ['sts', 'get-caller-identity'], credentialsEnv(session));
    expect(who.json).toMatchObject({ Account: PROD, Arn: `arn:aws:sts::${PROD}:assumed-role/${ORG.readRoleName}/ir-analyst` });
    const user = await aws(sb, ['iam', 'get-user', '--user-name', ORG.prod.user.userName], credentialsEnv(session));
    expect((user.json.User as { Arn: string }).Arn).toBe(`arn:aws:iam::${PROD}:user/ci/${ORG.prod.user.userName}`);
    const trail = await aws(sb, ['cloudtrail', 'lookup-events', '--lookup-attributes', 'AttributeKey=EventName,AttributeValue=AssumeRole'], credentialsEnv(session));
    const records = (trail.json.Events as Array<{ CloudTrailEvent: string }>).map((e) => JSON.parse(e.CloudTrailEvent) as Record<string, Record<string, unknown>>);
    expect(records[0]?.userIdentity).toEqual({ type: 'AWSAccount', principalId: WORKSHOP.analyst.userId, accountId: ORG.administratorId });
    expect(records[0]?.requestParameters).toEqual({ roleArn: role(PROD, ORG.readRoleName), roleSessionName: 'ir-analyst', durationSeconds: 900, sourceIdentity: 'ir-analyst' });
  });

  it('assume-role with an ExternalId, and with an MFA serial number and token code', async () => {
    const ext = await aws(sb, ['sts', 'assume-role', '--role-arn', role(DATA, ORG.readRoleName), '--role-session-name', 's1', '--external-id', ORG.data.externalId]);
    expect(ext.code).toBe(0);
    const mfa = await aws(sb, [
      'sts', 'assume-role', '--role-arn', role(PROD, ORG.writeRoleName), '--role-session-name', 's2', '--source-identity', 'ir-analyst',
      '--serial-number', ORG.analystMfa.serialNumber, '--token-code', totp(ORG.analystMfa.totpSeed, new Date()),
    ]);
    expect(mfa.stderr).toBe('');
    expect((mfa.json.AssumedRoleUser as { Arn: string }).Arn).toBe(`arn:aws:sts::${PROD}:assumed-role/${ORG.writeRoleName}/s2`);
  });

  it('reads the errors STS sends: not trusted, wrong MFA code, duration, validation', async () => {
    const denied = await aws(sb, ['sts', 'assume-role', '--role-arn', role(DATA, ORG.readRoleName), '--role-session-name', 'sx']);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain(
      `An error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:aws:iam::${ORG.administratorId}:user/ir-analyst is not authorized to perform: sts:AssumeRole on resource: ${role(DATA, ORG.readRoleName)}`,
    );
    const code = totp(ORG.analystMfa.totpSeed, new Date());
    const wrong = await aws(sb, ['sts', 'assume-role', '--role-arn', role(PROD, ORG.writeRoleName), '--role-session-name', 'sx', '--serial-number', ORG.analystMfa.serialNumber, '--token-code', code === '000000' ? '111111' : '000000']);
    expect(wrong.stderr).toContain('(AccessDenied) when calling the AssumeRole operation: MultiFactorAuthentication failed with invalid MFA one time pass code.');
    const long = await aws(sb, ['sts', 'assume-role', '--role-arn', role(PROD, ORG.readRoleName), '--role-session-name', 'sx', '--duration-seconds', '7200']);
    expect(long.stderr).toContain('(ValidationError) when calling the AssumeRole operation: The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    const name = await aws(sb, ['sts', 'assume-role', '--role-arn', role(PROD, ORG.readRoleName), '--role-session-name', 'a b']);
    expect(name.stderr).toContain("(ValidationError) when calling the AssumeRole operation: 1 validation error detected: Value 'a b' at 'roleSessionName' failed to satisfy constraint");
  });
});
