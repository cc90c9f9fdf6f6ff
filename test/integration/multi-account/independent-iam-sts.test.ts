/**
 * Multi-account against an independent IAM and STS: moto's server (test/helpers/moto.ts), which keeps accounts apart
 * and acts in a role's account with the credentials AssumeRole issued for it. The analyst (moto's default account)
 * reaches member account 444455556666 through its read and write roles over AWS_ENDPOINT_URL_IAM / _STS: `policies`
 * reads the member's user there, `remediate --write-role --mfa-code` deactivates the member's key, verified and
 * audited with the role and session, and the key is Inactive in the member account (read back with the SDK). No
 * sandbox-only path is involved. Skipped when moto's server cannot be started.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, ListAccessKeysCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, runInProcess } from '../../helpers/cli.js';
import { HAS_MOTO, startMoto, type Moto } from '../../helpers/moto.js';

const SUITE = HAS_MOTO ? 'multi-account through an independent IAM and STS (moto)' : 'multi-account through an independent IAM and STS (moto) (skipped: moto[server] is not installed)';
const MEMBER = '444455556666';
/** moto's default account and identity for credentials it did not issue: the analyst here. */
const ANALYST_ACCOUNT = '123456789012';
const ANALYST = { accessKeyId: 'AKIAANALYSTTESTING01', secretAccessKey: 'testing' };
const POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 'ssm:GetParameters'], Resource: '*' }] };
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.skipIf(!HAS_MOTO)(SUITE, () => {
  let moto: Moto;
  let dir: string;
  let member: IAMClient;
  let keyId: string;

  beforeAll(async () => {
    moto = await startMoto();
    dir = mkdtempSync(join(tmpdir(), 'gd-ir-moto-iam-'));
    // The member account's state, made with credentials moto issues for a role in that account.
    const sts = new STSClient({ endpoint: moto.url, region: 'us-east-1', credentials: ANALYST });
    const setup = (await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MEMBER}:role/OrganizationAccountAccessRole`, RoleSessionName: 'setup' }))).Credentials;
    sts.destroy();
    member = new IAMClient({
      endpoint: moto.url,
      region: 'us-east-1',
      credentials: { accessKeyId: setup?.AccessKeyId as string, secretAccessKey: setup?.SecretAccessKey as string, sessionToken: setup?.SessionToken as string },
    });
    await member.send(new CreateUserCommand({ UserName: 'ci-deployer', Path: '/ci/' }));
    await member.send(new PutUserPolicyCommand({ UserName: 'ci-deployer', PolicyName: 'deploy', PolicyDocument: JSON.stringify(POLICY) }));
    keyId = (await member.send(new CreateAccessKeyCommand({ UserName: 'ci-deployer' }))).AccessKey?.AccessKeyId as string;
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ANALYST_ACCOUNT}:root` }, Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'] }] };
    for (const name of ['gd-ir-read', 'gd-ir-write']) await member.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(trust) }));
  }, 60_000);

  afterAll(() => {
    member?.destroy();
    moto?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const env = () =>
    baseEnv({
      AWS_ENDPOINT_URL_IAM: moto.url,
      AWS_ENDPOINT_URL_STS: moto.url,
      AWS_ACCESS_KEY_ID: ANALYST.accessKeyId,
      AWS_SECRET_ACCESS_KEY: ANALYST.secretAccessKey,
      AWS_REGION: 'us-east-1',
      GD_IR_AUDIT_LOG: join(dir, 'audit.jsonl'),
      XDG_CONFIG_HOME: dir,
    });

  it('policies --account --read-role: the member\'s user, read in the member account through its read role', async () => {
    const r = await runInProcess(['policies', 'ci-deployer', '--account', MEMBER, '--read-role', 'gd-ir-read', '--json'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const j = JSON.parse(r.stdout) as Json;
    expect(j.access).toMatchObject({ account: MEMBER, via: 'role', roleArn: `arn:aws:iam::${MEMBER}:role/gd-ir-read`, sessionName: 'moto', sourceIdentity: 'moto' });
    expect(j.principal.arn).toBe(`arn:aws:iam::${MEMBER}:user/ci/ci-deployer`);
    expect(JSON.stringify(j)).toContain('ssm:GetParameters');
  });

  it('remediate --account --write-role --mfa-code: the member\'s key is Inactive there, verified, audited with the role and session', async () => {
    const r = await runInProcess(
      ['remediate', '--key', keyId, '--user', 'ci-deployer', '--account', MEMBER, '--read-role', 'gd-ir-read', '--write-role', 'gd-ir-write', '--mfa-serial', `arn:aws:iam::${ANALYST_ACCOUNT}:mfa/moto`, '--mfa-code', '123456', '--yes', '--json'],
      { env: env() },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const keys = (await member.send(new ListAccessKeysCommand({ UserName: 'ci-deployer' }))).AccessKeyMetadata ?? [];
    expect(keys.find((k) => k.AccessKeyId === keyId)?.Status).toBe('Inactive');
    const audit = readFileSync(join(dir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Json);
    const outcome = audit.find((x) => x.kind === 'outcome' && x.action === 'deactivate');
    expect(outcome).toMatchObject({
      accessKeyId: keyId,
      accountId: MEMBER,
      verified: true,
      roleArn: `arn:aws:iam::${MEMBER}:role/gd-ir-write`,
      roleSessionName: 'moto',
      sourceIdentity: 'moto',
      callerArn: `arn:aws:sts::${MEMBER}:assumed-role/gd-ir-write/moto`,
      analystArn: `arn:aws:sts::${ANALYST_ACCOUNT}:user/moto`,
    });
  });
});
