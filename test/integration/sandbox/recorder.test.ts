/**
 * The sandbox records write calls in the caller's CloudTrail, as AWS does (gd-ir's own containment included), in
 * the real record format; read-only calls are not recorded unless the recordCalls knob says 'all'.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { Event } from '@aws-sdk/client-cloudtrail';
import { ArchiveFindingsCommand, GetFindingsCommand, ListFindingsCommand } from '@aws-sdk/client-guardduty';
import { DeleteUserPolicyCommand, GetUserCommand, ListAccessKeysCommand, PutUserPolicyCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startSandbox } from '../../../src/sandbox/index.js';
import type { RunningSandbox } from '../../../src/sandbox/index.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import type { Clients } from './helpers.js';
import { caught, clients, destroy } from './helpers.js';

const ACCT = WORKSHOP.accountId;
const DET = WORKSHOP.detectors['us-west-2'] as string;
const C = WORKSHOP.compromised;
const A = WORKSHOP.analyst;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Rec = Record<string, unknown> & { userIdentity: Record<string, unknown> };

let sb: RunningSandbox | undefined;
const open: Clients[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) destroy(c);
  await sb?.close();
  sb = undefined;
});

async function start(opts: Parameters<typeof startSandbox>[0] = {}): Promise<{ sb: RunningSandbox; west: Clients; east: Clients }> {
  sb = await startSandbox({ cloudTrailRateLimit: false, ...opts });
  const west = clients(sb);
  const east = clients(sb, { region: 'us-east-1' });
  open.push(west, east);
  return { sb, west, east };
}

async function byName(c: Clients, name: string): Promise<Event[]> {
  return (await c.ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: name }] }))).Events ?? [];
}

const rec = (e: Event | undefined): Rec => JSON.parse(e?.CloudTrailEvent ?? '{}') as Rec;

function eventCount(s: RunningSandbox): number {
  return Object.values(s.world.regions).reduce((n, r) => n + r.events.length, 0);
}

describe('recording write calls in CloudTrail', () => {
  it('UpdateAccessKey by the analyst: a full record in us-east-1, with the request ID the caller got', async () => {
    const { west, east } = await start();
    const before = Date.now();
    const out = await west.iam.send(new UpdateAccessKeyCommand({ UserName: C.userName, AccessKeyId: C.accessKeyId, Status: 'Inactive' }));
    const events = await byName(east, 'UpdateAccessKey');
    expect(events).toHaveLength(1);
    const e = events[0] as Event;
    expect(e).toMatchObject({ EventName: 'UpdateAccessKey', ReadOnly: 'false', AccessKeyId: A.accessKeyId, Username: A.userName, EventSource: 'iam.amazonaws.com' });
    expect(e.Resources).toEqual(
      expect.arrayContaining([
        { ResourceType: 'AWS::IAM::User', ResourceName: C.userName },
        { ResourceType: 'AWS::IAM::AccessKey', ResourceName: C.accessKeyId },
      ]),
    );
    const r = rec(e);
    expect(Object.keys(r)).toEqual([
      'eventVersion', 'userIdentity', 'eventTime', 'eventSource', 'eventName', 'awsRegion', 'sourceIPAddress', 'userAgent',
      'requestParameters', 'responseElements', 'requestID', 'eventID', 'readOnly', 'eventType', 'managementEvent', 'recipientAccountId', 'eventCategory',
    ]);
    expect(r).toMatchObject({
      eventVersion: '1.11',
      userIdentity: { type: 'IAMUser', principalId: A.userId, arn: `arn:aws:iam::${ACCT}:user/${A.userName}`, accountId: ACCT, accessKeyId: A.accessKeyId, userName: A.userName },
      eventSource: 'iam.amazonaws.com',
      eventName: 'UpdateAccessKey',
      awsRegion: 'us-east-1',
      sourceIPAddress: '127.0.0.1',
      requestParameters: { userName: C.userName, accessKeyId: C.accessKeyId, status: 'Inactive' },
      responseElements: null,
      requestID: out.$metadata.requestId,
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: ACCT,
      eventCategory: 'Management',
    });
    expect(String(r.userAgent)).toMatch(/aws-sdk-js/);
    expect(String(r.eventID)).toMatch(UUID);
    expect(String(r.eventTime)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.parse(String(r.eventTime))).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    // IAM is global: nothing lands in the request's region.
    expect(await byName(west, 'UpdateAccessKey')).toEqual([]);
  });

  it('PutUserPolicy and DeleteUserPolicy carry the policy; a failed call carries CloudTrail\'s error code and message', async () => {
    const { west, east } = await start();
    const doc = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}';
    await west.iam.send(new PutUserPolicyCommand({ UserName: C.userName, PolicyName: 'quarantine', PolicyDocument: doc }));
    await west.iam.send(new DeleteUserPolicyCommand({ UserName: C.userName, PolicyName: 'quarantine' }));
    await caught(() => west.iam.send(new DeleteUserPolicyCommand({ UserName: C.userName, PolicyName: 'quarantine' })));
    expect(rec((await byName(east, 'PutUserPolicy'))[0]).requestParameters).toEqual({ userName: C.userName, policyName: 'quarantine', policyDocument: doc });
    const deletes = (await byName(east, 'DeleteUserPolicy')).map(rec);
    expect(deletes).toHaveLength(2);
    // Both calls may fall in the same second: CloudTrail orders such events arbitrarily, so tell them apart by outcome.
    const failed = deletes.find((d) => d.errorCode !== undefined) as Rec;
    const ok = deletes.find((d) => d.errorCode === undefined) as Rec;
    expect(failed).toBeDefined();
    expect(ok.errorCode).toBeUndefined();
    expect(ok.requestParameters).toEqual({ userName: C.userName, policyName: 'quarantine' });
    // botocore's NoSuchEntity shape is NoSuchEntityException: the name CloudTrail records.
    expect(failed).toMatchObject({ errorCode: 'NoSuchEntityException', errorMessage: 'The user policy with name quarantine cannot be found.', requestParameters: { userName: C.userName, policyName: 'quarantine' } });
    expect(Object.keys(failed).indexOf('errorCode')).toBe(Object.keys(failed).indexOf('userAgent') + 1);
  });

  it('ArchiveFindings is recorded in the request\'s region with the detector and the finding IDs', async () => {
    const { west, east } = await start();
    await west.gd.send(new ArchiveFindingsCommand({ DetectorId: DET, FindingIds: [WORKSHOP.findings.reconCustom] }));
    const r = rec((await byName(west, 'ArchiveFindings'))[0]);
    expect(r).toMatchObject({ eventSource: 'guardduty.amazonaws.com', awsRegion: 'us-west-2', requestParameters: { detectorId: DET, findingIds: [WORKSHOP.findings.reconCustom] }, responseElements: null });
    expect(await byName(east, 'ArchiveFindings')).toEqual([]);
  });

  it('a write refused by the deny knob is recorded as AccessDenied, without its parameters', async () => {
    const { sb: s, west, east } = await start({ deny: ['IAM:UpdateAccessKey'] });
    const err = await caught(() => west.iam.send(new UpdateAccessKeyCommand({ UserName: C.userName, AccessKeyId: C.accessKeyId, Status: 'Inactive' })));
    expect(err.name).toBe('AccessDenied');
    const r = rec((await byName(east, 'UpdateAccessKey'))[0]);
    expect(r).toMatchObject({ errorCode: 'AccessDenied', errorMessage: err.message, requestParameters: null, responseElements: null });
    expect(s.world.iam.accessKeys[C.accessKeyId]?.status).toBe('Active');
  });

  it('session callers: a GetSessionToken session is an IAMUser with sessionContext; a role session is an AssumedRole', async () => {
    const { sb: s, east } = await start();
    const derived = clients(s, { credentials: { accessKeyId: C.derivedSessionKeyId, secretAccessKey: C.derivedSessionSecret, sessionToken: 't' } });
    const role = clients(s, { credentials: { accessKeyId: WORKSHOP.role.sessionKeyId, secretAccessKey: WORKSHOP.role.sessionSecret, sessionToken: 't' } });
    open.push(derived, role);
    await derived.iam.send(new UpdateAccessKeyCommand({ AccessKeyId: WORKSHOP.developer.inactiveAccessKeyId, UserName: WORKSHOP.developer.userName, Status: 'Inactive' }));
    await role.iam.send(new PutUserPolicyCommand({ UserName: WORKSHOP.developer.userName, PolicyName: 'p', PolicyDocument: '{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}' }));
    const session = s.world.iam.sessions;
    const d = rec((await byName(east, 'UpdateAccessKey'))[0]);
    expect(d.userIdentity).toEqual({
      type: 'IAMUser',
      principalId: C.userId,
      arn: `arn:aws:iam::${ACCT}:user/${C.userName}`,
      accountId: ACCT,
      accessKeyId: C.derivedSessionKeyId,
      userName: C.userName,
      sessionContext: { attributes: { creationDate: session[C.derivedSessionKeyId]?.issuedAt, mfaAuthenticated: 'false' } },
    });
    const r = rec((await byName(east, 'PutUserPolicy'))[0]);
    expect(r.userIdentity).toEqual({
      type: 'AssumedRole',
      principalId: `${WORKSHOP.role.roleId}:${WORKSHOP.role.instanceId}`,
      arn: `arn:aws:sts::${ACCT}:assumed-role/${WORKSHOP.role.roleName}/${WORKSHOP.role.instanceId}`,
      accountId: ACCT,
      accessKeyId: WORKSHOP.role.sessionKeyId,
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: WORKSHOP.role.roleId, arn: `arn:aws:iam::${ACCT}:role/${WORKSHOP.role.roleName}`, accountId: ACCT, userName: WORKSHOP.role.roleName },
        attributes: { creationDate: session[WORKSHOP.role.sessionKeyId]?.issuedAt, mfaAuthenticated: 'false' },
      },
    });
    expect((await east.ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: WORKSHOP.role.instanceId }] }))).Events?.[0]?.EventName).toBe('PutUserPolicy');
  });

  it('read-only calls change no event history by default; recordCalls "all" records them, "none" nothing', async () => {
    const { sb: s, west, east } = await start();
    const n0 = eventCount(s);
    await west.iam.send(new GetUserCommand({}));
    await west.iam.send(new ListAccessKeysCommand({ UserName: C.userName }));
    await west.sts.send(new GetCallerIdentityCommand({}));
    await west.gd.send(new ListFindingsCommand({ DetectorId: DET }));
    await west.gd.send(new GetFindingsCommand({ DetectorId: DET, FindingIds: [WORKSHOP.findings.reconCustom] }));
    await west.ct.send(new LookupEventsCommand({}));
    await east.ct.send(new LookupEventsCommand({}));
    expect(eventCount(s)).toBe(n0);

    s.setKnobs({ recordCalls: 'all' });
    await west.sts.send(new GetCallerIdentityCommand({}));
    await west.iam.send(new GetUserCommand({}));
    expect(eventCount(s)).toBe(n0 + 2);
    expect(rec((await byName(west, 'GetCallerIdentity'))[0])).toMatchObject({ eventSource: 'sts.amazonaws.com', awsRegion: 'us-west-2', readOnly: true, requestParameters: null });
    expect(rec((await byName(east, 'GetUser'))[0]).readOnly).toBe(true);

    s.setKnobs({ recordCalls: 'none' });
    const n1 = eventCount(s);
    await west.iam.send(new UpdateAccessKeyCommand({ UserName: C.userName, AccessKeyId: C.accessKeyId, Status: 'Inactive' }));
    expect(eventCount(s)).toBe(n1);
  });

  it('deliveryDelayMs: a recorded event reaches LookupEvents only once the delay has passed', async () => {
    let t = new Date('2026-06-01T12:00:00Z');
    const { sb: s, west, east } = await start({ now: () => t, deliveryDelayMs: 5 * 60_000 });
    await west.iam.send(new UpdateAccessKeyCommand({ UserName: C.userName, AccessKeyId: C.accessKeyId, Status: 'Inactive' }));
    expect(s.world.iam.accessKeys[C.accessKeyId]?.status).toBe('Inactive');
    expect(await byName(east, 'UpdateAccessKey')).toEqual([]);
    t = new Date(t.getTime() + 4 * 60_000);
    expect(await byName(east, 'UpdateAccessKey')).toEqual([]);
    t = new Date(t.getTime() + 60_000);
    const events = await byName(east, 'UpdateAccessKey');
    expect(events).toHaveLength(1);
    // The event time is the call's, not the delivery's.
    expect(rec(events[0]).eventTime).toBe('2026-06-01T12:00:00Z');
  });

  it('the sourceIp knob sets sourceIPAddress', async () => {
    const { west, east } = await start({ sourceIp: '198.51.100.9' });
    await west.iam.send(new UpdateAccessKeyCommand({ UserName: C.userName, AccessKeyId: C.accessKeyId, Status: 'Inactive' }));
    expect(rec((await byName(east, 'UpdateAccessKey'))[0]).sourceIPAddress).toBe('198.51.100.9');
  });
});

describe('recordCall: calls made outside the endpoint', () => {
  it('records in the key\'s account as AWS would: nothing once the key is inactive, AccessDenied once its session is revoked', async () => {
    const { sb: s, west } = await start();
    const call = {
      accessKeyId: C.accessKeyId,
      eventSource: 's3.amazonaws.com',
      eventName: 'ListBuckets',
      region: 'us-west-2',
      readOnly: true,
      sourceIPAddress: WORKSHOP.threatListIp,
      userAgent: WORKSHOP.attackerUserAgent,
      requestParameters: { Host: 's3.us-west-2.amazonaws.com' },
    };
    const r = s.recordCall(call);
    expect(r).toMatchObject({ eventSource: 's3.amazonaws.com', awsRegion: 'us-west-2', sourceIPAddress: WORKSHOP.threatListIp, recipientAccountId: ACCT });
    expect(r?.userIdentity).toMatchObject({ type: 'IAMUser', userName: C.userName, accessKeyId: C.accessKeyId });
    expect((await byName(west, 'ListBuckets')).some((e) => e.EventId === r?.eventID)).toBe(true);
    // IAM events go to us-east-1 whatever region is named.
    expect(s.recordCall({ ...call, eventSource: 'iam.amazonaws.com', eventName: 'ListUsers' })?.awsRegion).toBe('us-east-1');

    // Revoke the user's older sessions: the derived session's calls are now denied, and recorded as such.
    const revoke = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': new Date().toISOString() } } }] });
    await west.iam.send(new PutUserPolicyCommand({ UserName: C.userName, PolicyName: 'revoke', PolicyDocument: revoke }));
    const denied = s.recordCall({ ...call, accessKeyId: C.derivedSessionKeyId });
    expect(denied).toMatchObject({ errorCode: 'AccessDenied', requestParameters: null });
    expect(String(denied?.errorMessage)).toContain('s3:ListBuckets');

    await west.iam.send(new UpdateAccessKeyCommand({ UserName: C.userName, AccessKeyId: C.accessKeyId, Status: 'Inactive' }));
    expect(s.recordCall(call)).toBeUndefined();
    expect(s.recordCall({ ...call, accessKeyId: 'AKIANOBODY0000000000' })).toBeUndefined();
  });
});
