/**
 * STS AssumeRole in the `org` scenario, through the real SDK: the trust policy (principal, ExternalId, MFA,
 * sts:SetSourceIdentity), the caller's own permission, the MFA code, the durations; the session acting only in the
 * role's account and carrying its SourceIdentity; the call recorded in both accounts' CloudTrail.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { GetUserCommand, ListAccessKeysCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, type AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { SANDBOX_CREDENTIALS, startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import { totp } from '../../../src/sandbox/mfa.js';
import { ORG } from '../../../src/sandbox/scenarios/org-facts.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import { caught, clients, destroy, type Clients } from './helpers.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const PROD = ORG.prod.accountId;
const DATA = ORG.data.accountId;
const ADMIN = ORG.administratorId;
const readArn = (acct: string): string => `arn:aws:iam::${acct}:role/${ORG.readRoleName}`;
const writeArn = (acct: string): string => `arn:aws:iam::${acct}:role/${ORG.writeRoleName}`;
const code = (): string => totp(ORG.analystMfa.totpSeed, NOW);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudTrail records, read by path in the assertions
type Rec = Record<string, any>;

function records(events: Array<{ CloudTrailEvent?: string }> | undefined): Rec[] {
  return (events ?? []).map((e) => JSON.parse(e.CloudTrailEvent ?? '{}') as Rec);
}

describe('sandbox STS AssumeRole (org scenario)', () => {
  let sb: RunningSandbox;
  let analyst: Clients;
  const open: Clients[] = [];
  let now = NOW;
  const assume = (input: Partial<AssumeRoleCommandInput>, c: Clients = analyst) =>
    c.sts.send(new AssumeRoleCommand({ RoleArn: readArn(PROD), RoleSessionName: 'ir-analyst', ...input } as AssumeRoleCommandInput));
  const as = (creds: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } | undefined, region = 'us-west-2'): Clients => {
    const c = clients(sb, { region, credentials: { accessKeyId: creds?.AccessKeyId ?? '', secretAccessKey: creds?.SecretAccessKey ?? '', sessionToken: creds?.SessionToken ?? '' } });
    open.push(c);
    return c;
  };

  beforeAll(async () => {
    sb = await startSandbox({ scenario: 'org', now: () => now, cloudTrailRateLimit: false });
    analyst = clients(sb, { credentials: SANDBOX_CREDENTIALS });
    open.push(analyst);
  });
  afterAll(async () => {
    for (const c of open) destroy(c);
    await sb.close();
  });

  it('issues ASIA credentials that act only in the member account, with the analyst as SourceIdentity', async () => {
    const out = await assume({ SourceIdentity: 'ir-analyst', DurationSeconds: 900 });
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(out.Credentials?.Expiration?.toISOString()).toBe('2026-03-10T12:15:00.000Z');
    expect(out.AssumedRoleUser).toEqual({ AssumedRoleId: `${ORG.prod.readRoleId}:ir-analyst`, Arn: `arn:aws:sts::${PROD}:assumed-role/${ORG.readRoleName}/ir-analyst` });
    expect(out.SourceIdentity).toBe('ir-analyst');
    const member = as(out.Credentials);
    const who = await member.sts.send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({ Account: PROD, Arn: `arn:aws:sts::${PROD}:assumed-role/${ORG.readRoleName}/ir-analyst`, UserId: `${ORG.prod.readRoleId}:ir-analyst` });
    // prod's ci-deployer (path /ci/), not the administrator's namesake.
    const user = (await member.iam.send(new GetUserCommand({ UserName: ORG.prod.user.userName }))).User;
    expect([user?.Arn, user?.Path]).toEqual([`arn:aws:iam::${PROD}:user/ci/ci-deployer`, '/ci/']);
    const keys = (await member.iam.send(new ListAccessKeysCommand({ UserName: ORG.prod.user.userName }))).AccessKeyMetadata ?? [];
    expect(keys.map((k) => k.AccessKeyId).sort()).toEqual([ORG.prod.user.accessKeyId, ORG.prod.user.oldAccessKeyId].sort());
  });

  it('records the call in both accounts, as the real cross-account records look', async () => {
    await assume({ RoleSessionName: 'trail-check', SourceIdentity: 'ir-analyst' });
    const adminWest = records((await analyst.ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'AssumeRole' }] }))).Events);
    const mine = adminWest.find((r) => r.requestParameters?.roleSessionName === 'trail-check');
    expect(mine).toBeDefined();
    expect(mine?.userIdentity).toMatchObject({ type: 'IAMUser', accountId: ADMIN, userName: WORKSHOP.analyst.userName });
    expect(mine?.requestParameters).toEqual({ roleArn: readArn(PROD), roleSessionName: 'trail-check', sourceIdentity: 'ir-analyst' });
    expect(mine?.responseElements.credentials.accessKeyId).toMatch(/^ASIA/);
    expect(mine?.responseElements.credentials.expiration).toBe('Mar 10, 2026, 1:00:00 PM');
    expect(mine?.responseElements.credentials).not.toHaveProperty('secretAccessKey');
    expect(mine?.responseElements.sourceIdentity).toBe('ir-analyst');
    expect(mine?.resources).toEqual([{ ARN: readArn(PROD), accountId: PROD, type: 'AWS::IAM::Role' }]);
    expect(mine?.readOnly).toBe(true);
    expect(mine?.awsRegion).toBe('us-west-2');

    const member = as((await assume({ RoleSessionName: 'reader' })).Credentials);
    const theirs = records((await member.ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'AssumeRole' }] }))).Events).find(
      (r) => r.requestParameters?.roleSessionName === 'trail-check',
    );
    expect(theirs?.userIdentity).toEqual({ type: 'AWSAccount', principalId: WORKSHOP.analyst.userId, accountId: ADMIN });
    expect(theirs?.recipientAccountId).toBe(PROD);
    expect(theirs?.sharedEventID).toBe(mine?.sharedEventID);
    expect(theirs?.eventID).not.toBe(mine?.eventID);
  });

  it('the write role needs MFA: refused without it, with a wrong code or a foreign device; the session then says mfaAuthenticated', async () => {
    const denied = await caught(() => assume({ RoleArn: writeArn(PROD) }));
    expect(denied.name).toBe('AccessDenied');
    expect(denied.message).toBe(`User: arn:aws:iam::${ADMIN}:user/ir-analyst is not authorized to perform: sts:AssumeRole on resource: ${writeArn(PROD)}`);
    const wrong = await caught(() => assume({ RoleArn: writeArn(PROD), SerialNumber: ORG.analystMfa.serialNumber, TokenCode: code() === '000000' ? '111111' : '000000' }));
    expect(wrong.message).toBe('MultiFactorAuthentication failed with invalid MFA one time pass code.');
    const half = await caught(() => assume({ RoleArn: writeArn(PROD), SerialNumber: ORG.analystMfa.serialNumber }));
    expect(half.message).toBe('MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.');
    const foreign = await caught(() => assume({ RoleArn: writeArn(PROD), SerialNumber: `arn:aws:iam::${ADMIN}:mfa/dev-alice`, TokenCode: code() }));
    expect(foreign.message).toMatch(/^MultiFactorAuthentication failed, unable to validate MFA code\./);

    const ok = await assume({ RoleArn: writeArn(PROD), SerialNumber: ORG.analystMfa.serialNumber, TokenCode: code(), SourceIdentity: 'ir-analyst' });
    const writer = as(ok.Credentials, 'us-east-1');
    await writer.iam.send(new UpdateAccessKeyCommand({ UserName: ORG.prod.user.userName, AccessKeyId: ORG.prod.user.oldAccessKeyId, Status: 'Inactive' }));
    const trail = records((await writer.ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'UpdateAccessKey' }] }))).Events);
    expect(trail[0]?.userIdentity).toMatchObject({
      type: 'AssumedRole',
      arn: `arn:aws:sts::${PROD}:assumed-role/${ORG.writeRoleName}/ir-analyst`,
      accountId: PROD,
      sessionContext: { sessionIssuer: { arn: writeArn(PROD), userName: ORG.writeRoleName }, attributes: { mfaAuthenticated: 'true' }, sourceIdentity: 'ir-analyst' },
    });
    expect(trail[0]?.recipientAccountId).toBe(PROD);
  });

  it("data's read role needs its ExternalId", async () => {
    const denied = await caught(() => assume({ RoleArn: readArn(DATA) }));
    expect(denied.name).toBe('AccessDenied');
    const wrong = await caught(() => assume({ RoleArn: readArn(DATA), ExternalId: 'not-the-id' }));
    expect(wrong.name).toBe('AccessDenied');
    const ok = await assume({ RoleArn: readArn(DATA), ExternalId: ORG.data.externalId });
    expect(ok.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${DATA}:assumed-role/${ORG.readRoleName}/ir-analyst`);
  });

  it('refuses a role that does not exist like an untrusted one, and says when the caller itself lacks the permission', async () => {
    const missing = await caught(() => assume({ RoleArn: `arn:aws:iam::${PROD}:role/gd-ir-nope` }));
    expect(missing.message).toBe(`User: arn:aws:iam::${ADMIN}:user/ir-analyst is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${PROD}:role/gd-ir-nope`);
    const alice = clients(sb, { credentials: { accessKeyId: WORKSHOP.developer.accessKeyId, secretAccessKey: WORKSHOP.developer.secretAccessKey } });
    open.push(alice);
    const e = await caught(() => assume({}, alice));
    expect(e.message).toBe(
      `User: arn:aws:iam::${ADMIN}:user/${WORKSHOP.developer.userName} is not authorized to perform: sts:AssumeRole on resource: ${readArn(PROD)} because no identity-based policy allows the sts:AssumeRole action`,
    );
  });

  it("a permissions boundary caps the caller's own permission (dev-alice's boundary allows no sts:AssumeRole)", async () => {
    const dev = sb.world.iam.users[WORKSHOP.developer.userName];
    expect(dev?.permissionsBoundaryArn).toBe(`arn:aws:iam::${ADMIN}:policy/${WORKSHOP.developer.boundaryPolicyName}`);
    const allow = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: readArn(PROD) }] });
    if (dev) dev.inlinePolicies['may-assume-read'] = allow;
    try {
      const alice = clients(sb, { credentials: { accessKeyId: WORKSHOP.developer.accessKeyId, secretAccessKey: WORKSHOP.developer.secretAccessKey } });
      open.push(alice);
      const e = await caught(() => assume({}, alice));
      expect(e.name).toBe('AccessDenied');
      expect(e.message).toBe(
        `User: arn:aws:iam::${ADMIN}:user/${WORKSHOP.developer.userName} is not authorized to perform: sts:AssumeRole on resource: ${readArn(PROD)} because no permissions boundary allows the sts:AssumeRole action`,
      );
    } finally {
      if (dev) delete dev.inlinePolicies['may-assume-read'];
    }
  });

  it('validates like STS: durations, names, the ARN', async () => {
    const long = await caught(() => assume({ DurationSeconds: 7200 }));
    expect([long.name, long.message]).toEqual(['ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.']);
    const short = await caught(() => assume({ DurationSeconds: 600 }));
    expect(short.message).toBe("1 validation error detected: Value '600' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900");
    const bad = await caught(() => assume({ RoleSessionName: 'alice smith', SourceIdentity: 'a' }));
    expect(bad.message).toBe(
      "2 validation errors detected: Value 'alice smith' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*; " +
        "Value 'a' at 'sourceIdentity' failed to satisfy constraint: Member must have length greater than or equal to 2",
    );
    const arn = await caught(() => assume({ RoleArn: `arn:aws:iam::${PROD}:user/someone` }));
    expect([arn.name, arn.message]).toEqual(['ValidationError', 'Request ARN is invalid']);
  });

  it('role chaining is limited to one hour', async () => {
    const first = as((await assume({ SourceIdentity: 'ir-analyst' })).Credentials);
    // Refused before the role is considered (prod's read role would not trust a prod session anyway).
    const chained = await caught(() => first.sts.send(new AssumeRoleCommand({ RoleArn: readArn(PROD), RoleSessionName: 'again', DurationSeconds: 7200 })));
    expect(chained.message).toBe('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  });

  it('sessions expire', async () => {
    const creds = (await assume({ DurationSeconds: 900 })).Credentials;
    now = new Date(NOW.getTime() + 16 * 60_000);
    try {
      const e = await caught(() => as(creds).sts.send(new GetCallerIdentityCommand({})));
      expect(e.name).toBe('ExpiredToken');
    } finally {
      now = NOW;
    }
  });
});

describe('sandbox AssumeRole sessions survive a restart (the journal)', () => {
  it('replays the session', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gd-ir-assume-'));
    const statePath = join(dir, 'org.state.json');
    const now = (): Date => NOW;
    try {
      const sb1 = await startSandbox({ scenario: 'org', now, statePath });
      const c1 = clients(sb1);
      const out = await c1.sts.send(new AssumeRoleCommand({ RoleArn: readArn(PROD), RoleSessionName: 'persisted' }));
      destroy(c1);
      await sb1.close();
      const sb2 = await startSandbox({ scenario: 'org', now, statePath });
      const c2 = clients(sb2, { credentials: { accessKeyId: out.Credentials?.AccessKeyId ?? '', secretAccessKey: out.Credentials?.SecretAccessKey ?? '', sessionToken: out.Credentials?.SessionToken ?? '' } });
      expect((await c2.sts.send(new GetCallerIdentityCommand({}))).Account).toBe(PROD);
      destroy(c2);
      await sb2.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
