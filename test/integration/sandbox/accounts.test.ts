/**
 * Several accounts in one world: a caller acts in the account its key lives in. A GuardDuty administrator (the
 * tiny world) and one member (helpers.ts twoAccountWorld), each seen through its own keys.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { Event } from '@aws-sdk/client-cloudtrail';
import { GetFindingsCommand, ListDetectorsCommand, ListFindingsCommand } from '@aws-sdk/client-guardduty';
import { GetUserCommand, ListAccessKeysCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { accountOfKey, startSandbox } from '../../../src/sandbox/index.js';
import type { RunningSandbox } from '../../../src/sandbox/index.js';
import type { Clients } from './helpers.js';
import { MEMBER, MEMBER_CREDENTIALS, TINY, TINY_CREDENTIALS, caught, clients, destroy, twoAccountWorld } from './helpers.js';

const ADMIN = '111122223333';

async function lookup(c: Clients, attrs?: { key: 'EventName' | 'AccessKeyId' | 'Username'; value: string }): Promise<Event[]> {
  const r = await c.ct.send(new LookupEventsCommand(attrs ? { LookupAttributes: [{ AttributeKey: attrs.key, AttributeValue: attrs.value }] } : {}));
  return r.Events ?? [];
}

function recordOf(e: Event): Record<string, unknown> & { userIdentity: Record<string, unknown>; recipientAccountId?: string } {
  return JSON.parse(e.CloudTrailEvent ?? '{}') as Record<string, unknown> & { userIdentity: Record<string, unknown> };
}

describe('accounts: a member key sees its own account, the administrator key its own', () => {
  let sb: RunningSandbox;
  let admin: Clients;
  let member: Clients;
  let memberEast: Clients;
  let adminEast: Clients;
  const open: Clients[] = [];
  beforeEach(async () => {
    for (const c of open.splice(0)) destroy(c);
    await sb?.close();
    sb = await startSandbox({ world: twoAccountWorld(), cloudTrailRateLimit: false });
    admin = clients(sb, { credentials: TINY_CREDENTIALS });
    member = clients(sb, { credentials: MEMBER_CREDENTIALS });
    adminEast = clients(sb, { credentials: TINY_CREDENTIALS, region: 'us-east-1' });
    memberEast = clients(sb, { credentials: MEMBER_CREDENTIALS, region: 'us-east-1' });
    open.push(admin, member, adminEast, memberEast);
  });
  afterAll(async () => {
    for (const c of open) destroy(c);
    await sb.close();
  });

  it('finds each key in its own account', () => {
    expect(accountOfKey(sb.world, MEMBER.accessKey)?.accountId).toBe(MEMBER.accountId);
    expect(accountOfKey(sb.world, MEMBER.sessionKey)?.accountId).toBe(MEMBER.accountId);
    expect(accountOfKey(sb.world, TINY.analystKey)?.accountId).toBe(ADMIN);
    expect(accountOfKey(sb.world, 'AKIANOBODY0000000000')).toBeUndefined();
  });

  it('STS and IAM answer in the caller\'s account, and neither account sees the other\'s users', async () => {
    const who = await member.sts.send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({ Account: MEMBER.accountId, Arn: `arn:aws:iam::${MEMBER.accountId}:user/${MEMBER.userName}`, UserId: MEMBER.userId });
    expect((await admin.sts.send(new GetCallerIdentityCommand({}))).Account).toBe(ADMIN);

    expect((await member.iam.send(new GetUserCommand({}))).User).toMatchObject({ UserName: MEMBER.userName, Arn: `arn:aws:iam::${MEMBER.accountId}:user/${MEMBER.userName}` });
    const keys = await member.iam.send(new ListAccessKeysCommand({}));
    expect(keys.AccessKeyMetadata?.map((k) => k.AccessKeyId)).toEqual([MEMBER.accessKey]);
    expect((await caught(() => member.iam.send(new GetUserCommand({ UserName: TINY.userName })))).name).toBe('NoSuchEntityException');
    expect((await caught(() => admin.iam.send(new GetUserCommand({ UserName: MEMBER.userName })))).name).toBe('NoSuchEntityException');
    expect((await admin.iam.send(new GetUserCommand({ UserName: TINY.userName }))).User?.Arn).toBe(`arn:aws:iam::${ADMIN}:user/${TINY.userName}`);
  });

  it('a role session in the member account acts as the assumed role there', async () => {
    const session = clients(sb, { credentials: { accessKeyId: MEMBER.sessionKey, secretAccessKey: MEMBER.sessionSecret, sessionToken: 'token' } });
    open.push(session);
    expect(await session.sts.send(new GetCallerIdentityCommand({}))).toMatchObject({
      Account: MEMBER.accountId,
      Arn: `arn:aws:sts::${MEMBER.accountId}:assumed-role/${MEMBER.roleName}/ops-session`,
    });
    // A role session has no user: IAM wants a UserName, and finds only the member's users.
    expect((await caught(() => session.iam.send(new GetUserCommand({})))).name).toBe('ValidationError');
    expect((await session.iam.send(new GetUserCommand({ UserName: MEMBER.userName }))).User?.UserId).toBe(MEMBER.userId);
  });

  it('LookupEvents reads the caller\'s account\'s event history only', async () => {
    const memberEvents = await lookup(member);
    expect(memberEvents).toHaveLength(4);
    for (const e of memberEvents) expect(recordOf(e).userIdentity.accountId).toBe(MEMBER.accountId);
    const adminEvents = await lookup(admin);
    expect(adminEvents.length).toBeGreaterThan(4);
    expect(adminEvents.some((e) => e.AccessKeyId === MEMBER.accessKey)).toBe(false);
    expect(await lookup(admin, { key: 'AccessKeyId', value: MEMBER.accessKey })).toEqual([]);
    expect(await lookup(member, { key: 'AccessKeyId', value: 'AKIABAD' })).toEqual([]);
  });

  it('GuardDuty: the administrator\'s detector holds the member\'s finding; the member has a detector of its own', async () => {
    const adminDet = (await admin.gd.send(new ListDetectorsCommand({}))).DetectorIds ?? [];
    const memberDet = (await member.gd.send(new ListDetectorsCommand({}))).DetectorIds ?? [];
    expect(adminDet).toEqual([TINY.detectorId]);
    expect(memberDet).toEqual([MEMBER.detectorId]);
    const adminIds = (await admin.gd.send(new ListFindingsCommand({ DetectorId: TINY.detectorId, MaxResults: 50 }))).FindingIds ?? [];
    expect(adminIds).toContain(MEMBER.adminViewFindingId);
    const got = await admin.gd.send(new GetFindingsCommand({ DetectorId: TINY.detectorId, FindingIds: [MEMBER.adminViewFindingId] }));
    expect(got.Findings?.[0]?.AccountId).toBe(MEMBER.accountId);
    expect((await member.gd.send(new ListFindingsCommand({ DetectorId: MEMBER.detectorId }))).FindingIds).toEqual([MEMBER.ownFindingId]);
    // Each account's detector is not owned by the other.
    expect((await caught(() => member.gd.send(new ListFindingsCommand({ DetectorId: TINY.detectorId })))).name).toBe('BadRequestException');
    expect((await caught(() => admin.gd.send(new ListFindingsCommand({ DetectorId: MEMBER.detectorId })))).name).toBe('BadRequestException');
  });

  it('a member\'s write changes the member\'s key, is journaled for the member, and is recorded in the member\'s CloudTrail only', async () => {
    await member.iam.send(new UpdateAccessKeyCommand({ AccessKeyId: MEMBER.accessKey, Status: 'Inactive' }));
    expect(sb.world.members?.[MEMBER.accountId]?.iam.accessKeys[MEMBER.accessKey]?.status).toBe('Inactive');
    expect(sb.effects).toEqual([{ kind: 'accessKeyStatus', account: MEMBER.accountId, accessKeyId: MEMBER.accessKey, status: 'Inactive' }]);
    // The member key is now inactive: read the member's history through its role session.
    const session = clients(sb, { credentials: { accessKeyId: MEMBER.sessionKey, secretAccessKey: MEMBER.sessionSecret, sessionToken: 't' }, region: 'us-east-1' });
    open.push(session);
    const recorded = await lookup(session, { key: 'EventName', value: 'UpdateAccessKey' });
    expect(recorded).toHaveLength(1);
    expect(recordOf(recorded[0] as Event)).toMatchObject({
      recipientAccountId: MEMBER.accountId,
      awsRegion: 'us-east-1',
      userIdentity: { type: 'IAMUser', accountId: MEMBER.accountId, arn: `arn:aws:iam::${MEMBER.accountId}:user/${MEMBER.userName}`, accessKeyId: MEMBER.accessKey },
      requestParameters: { accessKeyId: MEMBER.accessKey, status: 'Inactive' },
    });
    expect(await lookup(adminEast, { key: 'EventName', value: 'UpdateAccessKey' })).toEqual([]);
    // The administrator cannot touch the member's key: it is not in the administrator's account.
    const e = await caught(() => admin.iam.send(new UpdateAccessKeyCommand({ UserName: TINY.userName, AccessKeyId: MEMBER.accessKey, Status: 'Active' })));
    expect(e.name).toBe('NoSuchEntityException');
  });

  it('the CloudTrail rate limit is per account and region', async () => {
    // Capacity 1, refill 1 per 1000 s: each account and region has exactly one call.
    sb.setKnobs({ cloudTrailRateLimit: 0.001 });
    await admin.ct.send(new LookupEventsCommand({}));
    expect((await caught(() => admin.ct.send(new LookupEventsCommand({})))).name).toBe('ThrottlingException');
    await member.ct.send(new LookupEventsCommand({}));
    await adminEast.ct.send(new LookupEventsCommand({}));
    expect((await caught(() => member.ct.send(new LookupEventsCommand({})))).name).toBe('ThrottlingException');
  });
});

describe('accounts: the journal names each effect\'s account and replays it there', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('a member\'s key status survives a restart in the member account, not in the administrator\'s', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gd-ir-accounts-'));
    dirs.push(dir);
    const statePath = join(dir, 'state.json');
    const a = await startSandbox({ world: twoAccountWorld(), statePath });
    const c = clients(a, { credentials: MEMBER_CREDENTIALS });
    await c.iam.send(new UpdateAccessKeyCommand({ AccessKeyId: MEMBER.accessKey, Status: 'Inactive' }));
    destroy(c);
    await a.close();
    const b = await startSandbox({ world: twoAccountWorld(), statePath });
    expect(b.world.members?.[MEMBER.accountId]?.iam.accessKeys[MEMBER.accessKey]?.status).toBe('Inactive');
    expect(Object.values(b.world.iam.accessKeys).map((k) => k.status)).toEqual(Object.values(twoAccountWorld().iam.accessKeys).map((k) => k.status));
    const m = clients(b, { credentials: MEMBER_CREDENTIALS });
    expect((await caught(() => m.sts.send(new GetCallerIdentityCommand({})))).name).toBe('InvalidClientTokenId');
    destroy(m);
    await b.close();
  });
});
