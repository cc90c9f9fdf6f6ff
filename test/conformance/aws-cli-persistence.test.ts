/**
 * Conformance: the official AWS CLI (botocore) against the persistence scenario, for every operation the changes
 * sweep reads and containment writes (IAM users, keys, login profiles, attachments, role trust, policy versions;
 * CloudTrail trails). Skipped only when `aws` is not on PATH.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import type { RunningSandbox } from '../../src/sandbox/index.js';
import { PERSISTENCE as P } from '../../src/sandbox/scenarios/persistence-facts.js';
import { HAS_AWS, aws, ok } from '../helpers/aws-cli.js';

const SUITE = HAS_AWS ? 'AWS CLI conformance: persistence operations' : 'AWS CLI conformance: persistence operations (skipped: the `aws` CLI is not on PATH)';
const ACCT = P.accountId;
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const QUARANTINE = 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3';
const POLICY = `arn:aws:iam::${ACCT}:policy/${P.policy.policyName}`;

describe.skipIf(!HAS_AWS)(SUITE, () => {
  let sb: RunningSandbox | undefined;
  afterEach(async () => {
    await sb?.close();
    sb = undefined;
  });
  const start = async (): Promise<RunningSandbox> => {
    sb = await startSandbox({ scenario: 'persistence', cloudTrailRateLimit: false, attackerIntervalMs: 0 });
    return sb;
  };

  it('users, access keys and login profiles', async () => {
    const s = await start();
    const users = ok(await aws(s, ['iam', 'list-users']));
    expect((users.Users as Array<{ UserName: string }>).map((u) => u.UserName)).toContain(P.backdoor.userName);
    const created = ok(await aws(s, ['iam', 'create-user', '--user-name', 'cli-user', '--tags', 'Key=Team,Value=ir']));
    expect(created.User).toMatchObject({ UserName: 'cli-user', Arn: `arn:aws:iam::${ACCT}:user/cli-user` });
    const key = ok(await aws(s, ['iam', 'create-access-key', '--user-name', 'cli-user']));
    const id = (key.AccessKey as { AccessKeyId: string; SecretAccessKey: string }).AccessKeyId;
    const secret = (key.AccessKey as { SecretAccessKey: string }).SecretAccessKey;
    const who = ok(await aws(s, ['sts', 'get-caller-identity'], { AWS_ACCESS_KEY_ID: id, AWS_SECRET_ACCESS_KEY: secret }));
    expect(who.Arn).toBe(`arn:aws:iam::${ACCT}:user/cli-user`);
    ok(await aws(s, ['iam', 'delete-access-key', '--user-name', 'cli-user', '--access-key-id', id]));
    const gone = await aws(s, ['sts', 'get-caller-identity'], { AWS_ACCESS_KEY_ID: id, AWS_SECRET_ACCESS_KEY: secret });
    expect(gone.stderr).toContain('InvalidClientTokenId');

    const profile = ok(await aws(s, ['iam', 'get-login-profile', '--user-name', P.loginUser.userName]));
    expect(profile.LoginProfile).toMatchObject({ UserName: P.loginUser.userName, PasswordResetRequired: false });
    ok(await aws(s, ['iam', 'create-login-profile', '--user-name', 'cli-user', '--password', 'Cli-pa55word!', '--password-reset-required']));
    ok(await aws(s, ['iam', 'update-login-profile', '--user-name', 'cli-user', '--no-password-reset-required']));
    expect((ok(await aws(s, ['iam', 'get-login-profile', '--user-name', 'cli-user'])).LoginProfile as { PasswordResetRequired: boolean }).PasswordResetRequired).toBe(false);
    ok(await aws(s, ['iam', 'delete-login-profile', '--user-name', P.loginUser.userName]));
    const none = await aws(s, ['iam', 'get-login-profile', '--user-name', P.loginUser.userName]);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain('NoSuchEntity');
  }, 90_000);

  it('policy attachments, role inline policies and trust, policy versions', async () => {
    const s = await start();
    ok(await aws(s, ['iam', 'detach-user-policy', '--user-name', P.backdoor.userName, '--policy-arn', ADMIN]));
    ok(await aws(s, ['iam', 'attach-user-policy', '--user-name', P.compromised.userName, '--policy-arn', QUARANTINE]));
    const attached = ok(await aws(s, ['iam', 'list-attached-user-policies', '--user-name', P.compromised.userName]));
    expect(attached.AttachedPolicies).toEqual([{ PolicyName: 'AWSCompromisedKeyQuarantineV3', PolicyArn: QUARANTINE }]);
    ok(await aws(s, ['iam', 'attach-role-policy', '--role-name', P.role.roleName, '--policy-arn', ADMIN]));
    ok(await aws(s, ['iam', 'detach-role-policy', '--role-name', P.role.roleName, '--policy-arn', ADMIN]));
    const deny = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': new Date().toISOString() } } }] });
    ok(await aws(s, ['iam', 'put-role-policy', '--role-name', P.role.roleName, '--policy-name', 'AWSRevokeOlderSessions', '--policy-document', deny]));
    ok(await aws(s, ['iam', 'delete-role-policy', '--role-name', P.role.roleName, '--policy-name', 'AWSRevokeOlderSessions']));
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCT}:user/${P.compromised.userName}` }, Action: 'sts:AssumeRole' }] });
    ok(await aws(s, ['iam', 'update-assume-role-policy', '--role-name', P.role.roleName, '--policy-document', trust]));
    const role = ok(await aws(s, ['iam', 'get-role', '--role-name', P.role.roleName]));
    expect((role.Role as { AssumeRolePolicyDocument: unknown }).AssumeRolePolicyDocument).toEqual(JSON.parse(trust));

    const versions = ok(await aws(s, ['iam', 'list-policy-versions', '--policy-arn', POLICY]));
    expect((versions.Versions as Array<{ VersionId: string; IsDefaultVersion: boolean }>).find((v) => v.IsDefaultVersion)?.VersionId).toBe(P.policy.attackerVersion);
    ok(await aws(s, ['iam', 'set-default-policy-version', '--policy-arn', POLICY, '--version-id', P.policy.previousDefault]));
    ok(await aws(s, ['iam', 'delete-policy-version', '--policy-arn', POLICY, '--version-id', P.policy.attackerVersion]));
    const created = ok(await aws(s, ['iam', 'create-policy-version', '--policy-arn', POLICY, '--policy-document', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] })]));
    expect(created.PolicyVersion).toMatchObject({ IsDefaultVersion: false });
    const conflict = await aws(s, ['iam', 'delete-policy-version', '--policy-arn', POLICY, '--version-id', P.policy.previousDefault]);
    expect(conflict.stderr).toContain('DeleteConflict');
  }, 90_000);

  it('CloudTrail trails: describe, status, start and stop logging', async () => {
    const s = await start();
    const trails = ok(await aws(s, ['cloudtrail', 'describe-trails']));
    expect((trails.trailList as Array<{ Name: string; IsMultiRegionTrail: boolean }>)[0]).toMatchObject({ Name: P.trail.name, IsMultiRegionTrail: true, S3BucketName: P.trail.bucket });
    const trail = ok(await aws(s, ['cloudtrail', 'get-trail', '--name', P.trail.name]));
    expect((trail.Trail as { HomeRegion: string }).HomeRegion).toBe('us-west-2');
    expect(ok(await aws(s, ['cloudtrail', 'get-trail-status', '--name', P.trail.name])).IsLogging).toBe(false);
    ok(await aws(s, ['cloudtrail', 'start-logging', '--name', P.trail.name]));
    const status = ok(await aws(s, ['cloudtrail', 'get-trail-status', '--name', P.trail.name]));
    expect(status.IsLogging).toBe(true);
    // AWS CLI v1 prints an awsJson timestamp as it came on the wire (epoch seconds): cli_timestamp_format 'none'.
    expect(Math.abs(Number(status.StartLoggingTime) * 1000 - Date.now())).toBeLessThan(120_000);
    const wrongRegion = await aws(s, ['cloudtrail', 'start-logging', '--region', 'us-east-1', '--name', `arn:aws:cloudtrail:us-west-2:${ACCT}:trail/${P.trail.name}`]);
    expect(wrongRegion.stderr).toContain('InvalidHomeRegionException');
    ok(await aws(s, ['cloudtrail', 'stop-logging', '--name', P.trail.name]));
    const missing = await aws(s, ['cloudtrail', 'get-trail-status', '--name', 'no-such-trail']);
    expect(missing.stderr).toContain('TrailNotFoundException');
  }, 90_000);
});
