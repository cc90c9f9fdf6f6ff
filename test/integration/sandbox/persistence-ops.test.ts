/**
 * The IAM and CloudTrail operations the persistence scenario and containment need, through the real SDK: wire
 * shapes (botocore model), errors, the effect journal, and the CloudTrail records (request parameters and response
 * elements as the published records have them).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTrailsCommand, GetTrailCommand, GetTrailStatusCommand, LookupEventsCommand, StartLoggingCommand, StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import type { Event } from '@aws-sdk/client-cloudtrail';
import {
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreatePolicyVersionCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeletePolicyVersionCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetLoginProfileCommand,
  GetPolicyCommand,
  GetRoleCommand,
  ListAttachedUserPoliciesCommand,
  ListPolicyVersionsCommand,
  ListUsersCommand,
  PutRolePolicyCommand,
  SetDefaultPolicyVersionCommand,
  UpdateAccessKeyCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateLoginProfileCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startSandbox } from '../../../src/sandbox/index.js';
import type { RunningSandbox } from '../../../src/sandbox/index.js';
import { PERSISTENCE as P, PERSISTENCE_TIMELINE } from '../../../src/sandbox/scenarios/persistence-facts.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import type { Clients } from './helpers.js';
import { caught, clients, destroy } from './helpers.js';

const ACCT = P.accountId;
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const QUARANTINE = 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3';
const POLICY_ARN = `arn:aws:iam::${ACCT}:policy/${P.policy.policyName}`;
/** CloudTrail's IAM date format: "Aug 1, 2024 1:33:28 PM". */
const TRAIL_DATE = /^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M$/;

let sb: RunningSandbox | undefined;
const open: Clients[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) destroy(c);
  await sb?.close();
  sb = undefined;
});

async function start(opts: Parameters<typeof startSandbox>[0] = {}): Promise<{ sb: RunningSandbox; west: Clients; east: Clients }> {
  sb = await startSandbox({ cloudTrailRateLimit: false, scenario: 'persistence', attackerIntervalMs: 0, ...opts });
  const west = clients(sb);
  const east = clients(sb, { region: 'us-east-1' });
  open.push(west, east);
  return { sb, west, east };
}

async function recorded(c: Clients, name: string): Promise<Array<Record<string, unknown>>> {
  const out = await c.ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: name }] }));
  return (out.Events ?? []).map((e: Event) => JSON.parse(e.CloudTrailEvent ?? '{}') as Record<string, unknown>);
}

/** The record of the analyst's own successful call (the scenario's history has the attacker's). */
async function mine(c: Clients, name: string): Promise<Record<string, unknown>> {
  const all = await recorded(c, name);
  const r = all.find((x) => (x.userIdentity as Record<string, unknown>).accessKeyId === P.analyst.accessKeyId && x.errorCode === undefined);
  if (!r) throw new Error(`no ${name} by the analyst`);
  return r;
}

describe('IAM users, keys and login profiles', () => {
  it('CreateUser → CreateAccessKey → the new key authenticates; both recorded with their response elements, never the secret', async () => {
    const { sb, west, east } = await start();
    const u = await west.iam.send(new CreateUserCommand({ UserName: 'new-user', Tags: [{ Key: 'Team', Value: 'x' }] }));
    expect(u.User).toMatchObject({ UserName: 'new-user', Path: '/', Arn: `arn:aws:iam::${ACCT}:user/new-user` });
    expect(u.User?.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
    const again = await caught(() => west.iam.send(new CreateUserCommand({ UserName: 'new-user' })));
    expect(again.name).toBe('EntityAlreadyExistsException');
    const k = await west.iam.send(new CreateAccessKeyCommand({ UserName: 'new-user' }));
    expect(k.AccessKey).toMatchObject({ UserName: 'new-user', Status: 'Active' });
    expect(k.AccessKey?.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(k.AccessKey?.SecretAccessKey).toHaveLength(40);

    const theirs = clients(sb, { credentials: { accessKeyId: k.AccessKey?.AccessKeyId ?? '', secretAccessKey: k.AccessKey?.SecretAccessKey ?? '' } });
    open.push(theirs);
    await expect(theirs.sts.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Arn: `arn:aws:iam::${ACCT}:user/new-user` });

    const cu = await mine(east, 'CreateUser');
    expect(cu.requestParameters).toEqual({ userName: 'new-user', tags: [{ key: 'Team', value: 'x' }] });
    const ru = (cu.responseElements as { user: Record<string, unknown> }).user;
    expect(ru).toMatchObject({ userName: 'new-user', path: '/', arn: `arn:aws:iam::${ACCT}:user/new-user`, tags: [{ key: 'Team', value: 'x' }] });
    expect(ru.createDate).toMatch(TRAIL_DATE);
    const failed = (await recorded(east, 'CreateUser')).filter((r) => r.errorCode === 'EntityAlreadyExistsException' && (r.userIdentity as Record<string, unknown>).accessKeyId === P.analyst.accessKeyId);
    expect(failed).toHaveLength(1);
    const ck = await mine(east, 'CreateAccessKey');
    expect(ck.requestParameters).toEqual({ userName: 'new-user' });
    expect(ck.responseElements).toEqual({ accessKey: { userName: 'new-user', accessKeyId: k.AccessKey?.AccessKeyId, status: 'Active', createDate: expect.stringMatching(TRAIL_DATE) } });
    expect(JSON.stringify(ck)).not.toContain(k.AccessKey?.SecretAccessKey ?? '');

    // A third key exceeds IAM's quota of two per user.
    await west.iam.send(new CreateAccessKeyCommand({ UserName: 'new-user' }));
    expect((await caught(() => west.iam.send(new CreateAccessKeyCommand({ UserName: 'new-user' })))).name).toBe('LimitExceededException');
    await west.iam.send(new DeleteAccessKeyCommand({ UserName: 'new-user', AccessKeyId: k.AccessKey?.AccessKeyId }));
    await expect(theirs.sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
    expect(sb.effects.map((e) => e.kind)).toEqual(['userCreate', 'accessKeyCreate', 'accessKeyCreate', 'accessKeyDelete']);
  });

  it('login profiles: create (recorded without the password), get, update, delete; NoSuchEntity when there is none', async () => {
    const { sb, west, east } = await start();
    const user = P.compromised.userName;
    const none = await caught(() => west.iam.send(new GetLoginProfileCommand({ UserName: user })));
    expect(none).toMatchObject({ name: 'NoSuchEntityException', message: `Login Profile for User ${user} cannot be found.` });
    const created = await west.iam.send(new CreateLoginProfileCommand({ UserName: user, Password: 'Sup3r-s3cret!pw' }));
    expect(created.LoginProfile).toMatchObject({ UserName: user, PasswordResetRequired: false });
    expect((await caught(() => west.iam.send(new CreateLoginProfileCommand({ UserName: user, Password: 'x' })))).name).toBe('EntityAlreadyExistsException');
    await west.iam.send(new UpdateLoginProfileCommand({ UserName: user, Password: 'An0ther-pw!', PasswordResetRequired: true }));
    expect((await west.iam.send(new GetLoginProfileCommand({ UserName: user }))).LoginProfile?.PasswordResetRequired).toBe(true);
    await west.iam.send(new DeleteLoginProfileCommand({ UserName: user }));
    expect((await caught(() => west.iam.send(new GetLoginProfileCommand({ UserName: user })))).name).toBe('NoSuchEntityException');

    const c = await mine(east, 'CreateLoginProfile');
    expect(c.requestParameters).toEqual({ passwordResetRequired: false, userName: user });
    expect(c.responseElements).toEqual({ loginProfile: { userName: user, createDate: expect.stringMatching(TRAIL_DATE), passwordResetRequired: false } });
    expect(JSON.stringify(c)).not.toContain('Sup3r');
    expect((await mine(east, 'UpdateLoginProfile')).requestParameters).toEqual({ userName: user, passwordResetRequired: true });
    expect((await mine(east, 'DeleteLoginProfile')).requestParameters).toEqual({ userName: user });
    expect(JSON.stringify(sb.effects)).not.toContain('Sup3r');
  });

  it('ListUsers lists the scenario and the attacker-created user, without tags', async () => {
    const { west } = await start();
    const out = await west.iam.send(new ListUsersCommand({}));
    expect(out.Users?.map((u) => u.UserName)).toEqual(['backup-svc', 'build-pipeline', 'ir-analyst', 'reporting-svc']);
    expect(out.Users?.every((u) => u.Tags === undefined)).toBe(true);
  });
});

describe('policy attachments, role trust and policy versions', () => {
  it('detaches the backdoor\'s AdministratorAccess, attaches AWS\'s quarantine policy (AWS managed: in every account)', async () => {
    const { sb, west, east } = await start();
    const listed = async (): Promise<string[]> => ((await west.iam.send(new ListAttachedUserPoliciesCommand({ UserName: P.backdoor.userName }))).AttachedPolicies ?? []).map((p) => p.PolicyArn ?? '');
    expect(await listed()).toEqual([ADMIN]);
    await west.iam.send(new DetachUserPolicyCommand({ UserName: P.backdoor.userName, PolicyArn: ADMIN }));
    expect((await caught(() => west.iam.send(new DetachUserPolicyCommand({ UserName: P.backdoor.userName, PolicyArn: ADMIN })))).name).toBe('NoSuchEntityException');
    const q = await west.iam.send(new GetPolicyCommand({ PolicyArn: QUARANTINE }));
    expect(q.Policy).toMatchObject({ PolicyName: 'AWSCompromisedKeyQuarantineV3', DefaultVersionId: 'v2', AttachmentCount: 0 });
    await west.iam.send(new AttachUserPolicyCommand({ UserName: P.compromised.userName, PolicyArn: QUARANTINE }));
    await west.iam.send(new AttachUserPolicyCommand({ UserName: P.compromised.userName, PolicyArn: QUARANTINE }));
    expect((await west.iam.send(new GetPolicyCommand({ PolicyArn: QUARANTINE }))).Policy?.AttachmentCount).toBe(1);
    expect(sb.world.iam.users[P.compromised.userName]?.attachedPolicyArns).toEqual([QUARANTINE]);
    expect((await caught(() => west.iam.send(new AttachUserPolicyCommand({ UserName: 'nobody', PolicyArn: QUARANTINE })))).name).toBe('NoSuchEntityException');
    expect((await caught(() => west.iam.send(new AttachUserPolicyCommand({ UserName: P.backdoor.userName, PolicyArn: 'arn:aws:iam::aws:policy/NoSuchPolicy' })))).name).toBe('NoSuchEntityException');
    expect((await mine(east, 'DetachUserPolicy')).requestParameters).toEqual({ userName: P.backdoor.userName, policyArn: ADMIN });
    expect((await mine(east, 'AttachUserPolicy')).responseElements).toBeNull();
  });

  it('role policies: attach/detach, put/delete inline, and the trust policy (a principal is required)', async () => {
    const { west, east } = await start();
    const role = P.role.roleName;
    await west.iam.send(new AttachRolePolicyCommand({ RoleName: role, PolicyArn: ADMIN }));
    await west.iam.send(new DetachRolePolicyCommand({ RoleName: role, PolicyArn: ADMIN }));
    const deny = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] });
    await west.iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: 'deny-all', PolicyDocument: deny }));
    await west.iam.send(new DeleteRolePolicyCommand({ RoleName: role, PolicyName: 'deny-all' }));
    expect((await caught(() => west.iam.send(new DeleteRolePolicyCommand({ RoleName: role, PolicyName: 'deny-all' })))).name).toBe('NoSuchEntityException');

    const before = decodeURIComponent((await west.iam.send(new GetRoleCommand({ RoleName: role }))).Role?.AssumeRolePolicyDocument ?? '');
    expect(before).toContain(`arn:aws:iam::${P.role.outsideAccount}:root`);
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    await west.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: role, PolicyDocument: trust }));
    expect(JSON.parse(decodeURIComponent((await west.iam.send(new GetRoleCommand({ RoleName: role }))).Role?.AssumeRolePolicyDocument ?? ''))).toEqual(JSON.parse(trust));
    const noPrincipal = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] });
    expect((await caught(() => west.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: role, PolicyDocument: noPrincipal })))).name).toBe('MalformedPolicyDocumentException');
    expect((await mine(east, 'UpdateAssumeRolePolicy')).requestParameters).toEqual({ roleName: role, policyDocument: trust });
  });

  it('policy versions: the attacker\'s v3 is default; set v2 back, delete v3; at most five; the default cannot be deleted', async () => {
    const { west, east } = await start();
    const versions = async (): Promise<Array<[string, boolean]>> =>
      ((await west.iam.send(new ListPolicyVersionsCommand({ PolicyArn: POLICY_ARN }))).Versions ?? []).map((v) => [v.VersionId ?? '', v.IsDefaultVersion ?? false]);
    expect(await versions()).toEqual([['v1', false], ['v2', false], ['v3', true]]);
    expect((await caught(() => west.iam.send(new DeletePolicyVersionCommand({ PolicyArn: POLICY_ARN, VersionId: 'v3' })))).name).toBe('DeleteConflictException');
    await west.iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: POLICY_ARN, VersionId: 'v2' }));
    await west.iam.send(new DeletePolicyVersionCommand({ PolicyArn: POLICY_ARN, VersionId: 'v3' }));
    expect(await versions()).toEqual([['v1', false], ['v2', true]]);
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
    const created = await west.iam.send(new CreatePolicyVersionCommand({ PolicyArn: POLICY_ARN, PolicyDocument: doc, SetAsDefault: true }));
    // Whether IAM reuses a deleted version's identifier is not documented; the new one is unique among those kept.
    const v = created.PolicyVersion?.VersionId ?? '';
    expect(created.PolicyVersion?.IsDefaultVersion).toBe(true);
    expect(['v1', 'v2']).not.toContain(v);
    await west.iam.send(new CreatePolicyVersionCommand({ PolicyArn: POLICY_ARN, PolicyDocument: doc }));
    await west.iam.send(new CreatePolicyVersionCommand({ PolicyArn: POLICY_ARN, PolicyDocument: doc }));
    expect((await caught(() => west.iam.send(new CreatePolicyVersionCommand({ PolicyArn: POLICY_ARN, PolicyDocument: doc })))).name).toBe('LimitExceededException');
    expect((await caught(() => west.iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: POLICY_ARN, VersionId: 'v9' })))).name).toBe('NoSuchEntityException');
    expect((await caught(() => west.iam.send(new CreatePolicyVersionCommand({ PolicyArn: ADMIN, PolicyDocument: doc })))).name).toBe('NoSuchEntityException');
    const rec = (await recorded(east, 'CreatePolicyVersion')).find((r) => (r.userIdentity as Record<string, unknown>).accessKeyId === P.analyst.accessKeyId && !r.errorCode && (r.responseElements as { policyVersion: { versionId: string } }).policyVersion.versionId === v);
    expect(rec?.requestParameters).toEqual({ policyArn: POLICY_ARN, policyDocument: doc, setAsDefault: true });
    expect(rec?.responseElements).toEqual({ policyVersion: { versionId: v, isDefaultVersion: true, createDate: expect.stringMatching(TRAIL_DATE) } });
  });
});

describe('CloudTrail trails', () => {
  it('the stopped trail: DescribeTrails (home region and shadow), GetTrail, GetTrailStatus, StartLogging in its home region only', async () => {
    const { west, east } = await start();
    const arn = `arn:aws:cloudtrail:us-west-2:${ACCT}:trail/${P.trail.name}`;
    expect((await west.ct.send(new DescribeTrailsCommand({}))).trailList?.map((t) => t.TrailARN)).toEqual([arn]);
    expect((await east.ct.send(new DescribeTrailsCommand({}))).trailList?.map((t) => [t.Name, t.HomeRegion, t.IsMultiRegionTrail])).toEqual([[P.trail.name, 'us-west-2', true]]);
    expect((await east.ct.send(new DescribeTrailsCommand({ includeShadowTrails: false }))).trailList).toEqual([]);
    expect((await west.ct.send(new GetTrailCommand({ Name: P.trail.name }))).Trail?.S3BucketName).toBe(P.trail.bucket);
    const stopped = await west.ct.send(new GetTrailStatusCommand({ Name: P.trail.name }));
    expect(stopped.IsLogging).toBe(false);
    expect(stopped.StopLoggingTime).toBeInstanceOf(Date);
    expect((await caught(() => east.ct.send(new GetTrailStatusCommand({ Name: P.trail.name })))).name).toBe('TrailNotFoundException');
    expect((await east.ct.send(new GetTrailStatusCommand({ Name: arn }))).IsLogging).toBe(false);
    expect((await caught(() => east.ct.send(new StartLoggingCommand({ Name: arn })))).name).toBe('InvalidHomeRegionException');
    await west.ct.send(new StartLoggingCommand({ Name: P.trail.name }));
    const started = await west.ct.send(new GetTrailStatusCommand({ Name: arn }));
    expect(started.IsLogging).toBe(true);
    expect(started.StartLoggingTime?.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect((await mine(west, 'StartLogging')).requestParameters).toEqual({ name: P.trail.name });
    expect((await caught(() => west.ct.send(new StopLoggingCommand({ Name: 'no-such-trail' })))).name).toBe('TrailNotFoundException');
    expect((await caught(() => west.ct.send(new StopLoggingCommand({ Name: '-bad name-' })))).name).toBe('InvalidTrailNameException');
    // Event history keeps answering whatever the trail does (LookupEvents is not a trail).
    await west.ct.send(new StopLoggingCommand({ Name: P.trail.name }));
    expect((await mine(west, 'StopLogging')).requestParameters).toEqual({ name: P.trail.name });
  });
});

describe('the deny knob with a resource', () => {
  it("'IAM:UpdateAccessKey:user/backup-svc' denies that user's keys only", async () => {
    const { west } = await start({ deny: ['IAM:UpdateAccessKey:user/backup-svc'] });
    await expect(west.iam.send(new UpdateAccessKeyCommand({ UserName: P.compromised.userName, AccessKeyId: P.compromised.accessKeyId, Status: 'Inactive' }))).resolves.toBeDefined();
    const err = await caught(() => west.iam.send(new UpdateAccessKeyCommand({ UserName: P.backdoor.userName, AccessKeyId: P.backdoor.accessKeyId, Status: 'Inactive' })));
    expect(err.name).toBe('AccessDenied');
    expect(err.message).toContain(`on resource: arn:aws:iam::${ACCT}:user/backup-svc because no identity-based policy allows`);
  });
});

describe('the live attacker', () => {
  it('each credential calls in turn; containment changes what is recorded: nothing for inactive keys, AccessDenied for revoked sessions and detached rights', async () => {
    const { sb, west } = await start();
    const at = (s: number): Date => new Date(Date.now() + s * 1000);
    const first = sb.tickAttacker(at(1));
    expect(first.map((a) => [a.label, a.eventName, a.outcome])).toEqual([
      ['compromised key', 'GetParameters', 'success'],
      ['compromised session', 'ListBuckets', 'success'],
      ['backdoor key', 'ListUsers', 'success'],
      ['backdoor session', 'ListSecrets', 'success'],
      ['second backdoor key', 'ListBuckets', 'success'],
    ]);
    expect(first[0]?.record).toMatchObject({ sourceIPAddress: P.threatListIp, userAgent: P.attackerUserAgent, awsRegion: 'us-west-2', readOnly: true });
    expect(first[2]?.record).toMatchObject({ sourceIPAddress: P.backdoorIp, awsRegion: 'us-east-1', eventSource: 'iam.amazonaws.com' });

    // Contain the original key only (what `remediate --key … --revoke-sessions` does).
    await west.iam.send(new UpdateAccessKeyCommand({ UserName: P.compromised.userName, AccessKeyId: P.compromised.accessKeyId, Status: 'Inactive' }));
    const cutoff = new Date(Date.now() + 500).toISOString();
    const revoke = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': cutoff } } }] });
    sb.mutate({ kind: 'userPolicyPut', account: ACCT, userName: P.compromised.userName, policyName: 'gd-ir-revoke-older-sessions', document: revoke });
    const second = sb.tickAttacker(at(6));
    expect(second.map((a) => [a.label, a.outcome])).toEqual([
      ['compromised key', 'rejected'],
      ['compromised session', 'denied'],
      ['backdoor key', 'success'],
      ['backdoor session', 'success'],
      ['second backdoor key', 'success'],
    ]);
    expect(second[1]?.record?.errorCode).toBe('Client.UnauthorizedOperation');

    // Without AdministratorAccess the backdoor key is still valid but no longer allowed.
    sb.mutate({ kind: 'policyDetach', account: ACCT, target: 'user', name: P.backdoor.userName, policyArn: ADMIN });
    const third = sb.tickAttacker(at(11));
    expect(third.find((a) => a.label === 'backdoor key')).toMatchObject({ eventName: 'ListBuckets', outcome: 'denied' });
    expect(third.find((a) => a.label === 'backdoor key')?.record?.errorMessage).toContain('because no identity-based policy allows the s3:ListAllMyBuckets action');
    // AWS's quarantine policy denies ListAllMyBuckets explicitly.
    sb.mutate({ kind: 'policyAttach', account: ACCT, target: 'user', name: P.loginUser.userName, policyArn: QUARANTINE });
    const fourth = sb.tickAttacker(at(16));
    expect(fourth.find((a) => a.label === 'second backdoor key')?.record?.errorMessage).toContain('with an explicit deny in an identity-based policy');
  });

  it('runs on its timer at the attackerIntervalMs knob, and stops when set to 0', async () => {
    const { sb } = await start({ attackerIntervalMs: 40 });
    const count = (): number => sb.world.regions['us-west-2']?.events.filter((e) => e.sourceIPAddress === P.backdoorIp || e.sourceIPAddress === P.threatListIp).length ?? 0;
    const before = count();
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (count() >= before + 2) {
          clearInterval(poll);
          resolve();
        }
      }, 10);
    });
    sb.setKnobs({ attackerIntervalMs: 0 });
    expect(sb.knobs.attackerIntervalMs).toBe(0);
    expect(PERSISTENCE_TIMELINE.liveIntervalMs).toBe(5000);
  });
});

describe('state: the persistence timeline is pinned once something changed', () => {
  it('a restarted sandbox rebuilds the scenario at the first change\'s anchor and replays the journal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gd-ir-pin-'));
    const statePath = join(dir, 'persistence.state.json');
    try {
      let t = new Date('2026-11-30T12:00:00Z');
      const first = await startSandbox({ scenario: 'persistence', statePath, now: () => t, attackerIntervalMs: 0 });
      const anchor = first.world.anchor;
      first.mutate({ kind: 'accessKeyStatus', account: ACCT, accessKeyId: P.backdoor.accessKeyId, status: 'Inactive' });
      await first.close();
      expect(JSON.parse(readFileSync(statePath, 'utf8'))).toMatchObject({ scenario: 'persistence', anchor });
      t = new Date('2026-11-30T15:30:00Z');
      const second = await startSandbox({ scenario: 'persistence', statePath, now: () => t, attackerIntervalMs: 0 });
      expect(second.world.anchor).toBe(anchor);
      expect(second.world.iam.accessKeys[P.backdoor.accessKeyId]?.status).toBe('Inactive');
      await second.reset();
      expect(second.world.anchor).toBe(t.toISOString());
      await second.close();
      // The workshop is re-anchored at every start, as before.
      const ws = await startSandbox({ statePath: join(dir, 'workshop.state.json'), now: () => t });
      ws.mutate({ kind: 'accessKeyStatus', account: ACCT, accessKeyId: WORKSHOP.compromised.accessKeyId, status: 'Inactive' });
      await ws.close();
      expect(JSON.parse(readFileSync(join(dir, 'workshop.state.json'), 'utf8')).anchor).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
