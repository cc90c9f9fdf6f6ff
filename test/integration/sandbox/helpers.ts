/** Shared helpers for the sandbox integration tests: SDK clients pointed at a sandbox, and a tiny World. */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import type { RunningSandbox } from '../../../src/sandbox/index.js';
import { SANDBOX_CREDENTIALS } from '../../../src/sandbox/index.js';
import type { CloudTrailRecord, GuardDutyFinding, World } from '../../../src/sandbox/model.js';

export const REGION = 'us-west-2';

export interface Clients {
  gd: GuardDutyClient;
  ct: CloudTrailClient;
  iam: IAMClient;
  sts: STSClient;
}

export function clients(
  sb: RunningSandbox,
  opts: { region?: string; maxAttempts?: number; credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } } = {},
): Clients {
  const cfg = {
    region: opts.region ?? REGION,
    endpoint: sb.endpoint,
    credentials: { ...(opts.credentials ?? SANDBOX_CREDENTIALS) },
    maxAttempts: opts.maxAttempts ?? 1,
  };
  return { gd: new GuardDutyClient(cfg), ct: new CloudTrailClient(cfg), iam: new IAMClient(cfg), sts: new STSClient(cfg) };
}

export function destroy(c: Clients): void {
  c.gd.destroy();
  c.ct.destroy();
  c.iam.destroy();
  c.sts.destroy();
}

/** Runs `fn` and returns the error it throws (fails the test if it does not throw). */
export async function caught(fn: () => Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number; attempts?: number } }> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof Error) return err;
    throw new Error(`non-Error thrown: ${String(err)}`);
  }
  throw new Error('expected the call to fail');
}

const ACCT = '111122223333';
export const TINY = {
  detectorId: 'tinydetector0000000000000000000a',
  analystKey: 'AKIATINYANALYST00001',
  analystSecret: 'tiny-secret',
  inactiveKey: 'AKIATINYINACTIVE0001',
  userName: 'tiny-user',
};

function finding(i: number, now: Date): GuardDutyFinding {
  const id = `f${String(i).padStart(3, '0')}`;
  const updated = new Date(now.getTime() - i * 60_000).toISOString();
  return {
    id,
    type: i % 2 === 0 ? 'Recon:IAMUser/MaliciousIPCaller.Custom' : 'UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom',
    severity: i % 3 === 0 ? 8 : 5,
    accountId: ACCT,
    region: REGION,
    arn: `arn:aws:guardduty:${REGION}:${ACCT}:detector/${TINY.detectorId}/finding/${id}`,
    schemaVersion: '2.0',
    partition: 'aws',
    createdAt: updated,
    updatedAt: updated,
    title: `finding ${i}`,
    resource: { resourceType: 'AccessKey', accessKeyDetails: { accessKeyId: i < 5 ? 'AKIABAD' : 'AKIAOTHER', userName: 'victim', userType: 'IAMUser', principalId: 'AIDAVICTIM' } },
    service: {
      serviceName: 'guardduty',
      detectorId: TINY.detectorId,
      archived: i >= 10,
      count: i + 1,
      additionalInfo: { value: JSON.stringify({ threatListName: i < 3 ? 'ListA' : 'ListB' }), type: 'default' },
      action: { actionType: 'AWS_API_CALL', awsApiCallAction: { api: i % 2 === 0 ? 'ListBuckets' : 'GetParameters', callerType: 'Remote IP', serviceName: 's3.amazonaws.com', remoteIpDetails: { ipAddressV4: '198.51.100.7' } } },
    },
  };
}

function event(i: number, now: Date, key: string): CloudTrailRecord {
  return {
    eventVersion: '1.11',
    eventID: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
    eventTime: new Date(now.getTime() - i * 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: i % 2 === 0 ? 'iam.amazonaws.com' : 's3.amazonaws.com',
    eventName: i % 2 === 0 ? 'GetUser' : 'ListBuckets',
    awsRegion: REGION,
    sourceIPAddress: '198.51.100.7',
    readOnly: true,
    eventType: 'AwsApiCall',
    requestParameters: i % 2 === 0 ? { userName: 'victim' } : null,
    responseElements: null,
    userIdentity: { type: 'IAMUser', principalId: 'AIDAVICTIM', arn: `arn:aws:iam::${ACCT}:user/victim`, accountId: ACCT, accessKeyId: key, userName: 'victim' },
  };
}

/** A 20-finding, 30-event world with an analyst user, a victim user and an inactive key. */
export function tinyWorld(now = new Date()): World {
  const iso = (ms: number): string => new Date(now.getTime() - ms).toISOString();
  return {
    scenario: 'tiny',
    anchor: now.toISOString(),
    accountId: ACCT,
    regions: {
      [REGION]: {
        detector: { detectorId: TINY.detectorId, createdAt: iso(86400_000 * 30), updatedAt: iso(86400_000), status: 'ENABLED', findingPublishingFrequency: 'SIX_HOURS', tags: {} },
        findings: Array.from({ length: 20 }, (_, i) => finding(i, now)),
        // 100 days of hourly events would be a lot; 30 events, one per hour, plus one 100 days old.
        events: [...Array.from({ length: 30 }, (_, i) => event(i, now, 'AKIABAD')), { ...event(2400, now, 'AKIABAD') }],
      },
    },
    iam: {
      users: {
        [TINY.userName]: {
          userName: TINY.userName,
          userId: 'AIDATINYUSER',
          path: '/',
          arn: `arn:aws:iam::${ACCT}:user/${TINY.userName}`,
          createDate: iso(86400_000 * 100),
          tags: Array.from({ length: 5 }, (_, i) => ({ Key: `k${4 - i}`, Value: `v${i}` })),
          inlinePolicies: { p1: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}' },
          attachedPolicyArns: [],
          groups: [],
        },
        victim: {
          userName: 'victim',
          userId: 'AIDAVICTIM',
          path: '/',
          arn: `arn:aws:iam::${ACCT}:user/victim`,
          createDate: iso(86400_000 * 100),
          tags: [],
          inlinePolicies: {},
          attachedPolicyArns: [],
          groups: [],
        },
      },
      groups: {},
      roles: {},
      managedPolicies: {},
      accessKeys: {
        [TINY.analystKey]: { accessKeyId: TINY.analystKey, secretAccessKey: TINY.analystSecret, userName: TINY.userName, status: 'Active', createDate: iso(86400_000) },
        [TINY.inactiveKey]: { accessKeyId: TINY.inactiveKey, secretAccessKey: 'x', userName: TINY.userName, status: 'Inactive', createDate: iso(86400_000) },
        AKIABAD: { accessKeyId: 'AKIABAD', secretAccessKey: 'y', userName: 'victim', status: 'Active', createDate: iso(86400_000) },
      },
      sessions: {},
    },
  };
}

export const TINY_CREDENTIALS = { accessKeyId: TINY.analystKey, secretAccessKey: TINY.analystSecret };

/**
 * A GuardDuty administrator (the tiny world, account 111122223333) with one member account (444455556666).
 * The member has its own IAM user and key, its own CloudTrail events and its own detector with one finding; the
 * administrator's detector also holds a finding of the member (with the member's accountId), as a delegated
 * administrator's does. The member also has a role session (ASIA key) to act as an assumed role.
 */
export const MEMBER = {
  accountId: '444455556666',
  userName: 'member-dev',
  userId: 'AIDAMEMBERDEV0000001',
  accessKey: 'AKIAMEMBERDEV0000001',
  secret: 'member-secret',
  roleName: 'member-ops',
  roleId: 'AROAMEMBEROPS0000001',
  sessionKey: 'ASIAMEMBEROPS0000001',
  sessionSecret: 'member-session-secret',
  detectorId: 'memberdetector000000000000000000b',
  ownFindingId: 'm001',
  adminViewFindingId: 'm002',
};

export function twoAccountWorld(now = new Date()): World {
  const world = tinyWorld(now);
  world.scenario = 'tiny-two-accounts';
  const iso = (ms: number): string => new Date(now.getTime() - ms).toISOString();
  const acct = MEMBER.accountId;
  const memberFinding = (id: string): GuardDutyFinding => ({
    ...finding(1, now),
    id,
    accountId: acct,
    arn: `arn:aws:guardduty:${REGION}:${acct}:detector/${MEMBER.detectorId}/finding/${id}`,
    title: `member finding ${id}`,
    resource: { resourceType: 'AccessKey', accessKeyDetails: { accessKeyId: MEMBER.accessKey, userName: MEMBER.userName, userType: 'IAMUser', principalId: MEMBER.userId } },
  });
  // The administrator's detector shows the member's finding too.
  world.regions[REGION]?.findings.push(memberFinding(MEMBER.adminViewFindingId));
  const memberEvent = (i: number): CloudTrailRecord => ({
    ...event(i, now, MEMBER.accessKey),
    eventID: `11111111-0000-0000-0000-${String(i).padStart(12, '0')}`,
    userIdentity: { type: 'IAMUser', principalId: MEMBER.userId, arn: `arn:aws:iam::${acct}:user/${MEMBER.userName}`, accountId: acct, accessKeyId: MEMBER.accessKey, userName: MEMBER.userName },
    recipientAccountId: acct,
  });
  world.members = {
    [acct]: {
      accountId: acct,
      regions: {
        [REGION]: {
          detector: { detectorId: MEMBER.detectorId, createdAt: iso(86400_000 * 30), updatedAt: iso(86400_000), status: 'ENABLED', findingPublishingFrequency: 'SIX_HOURS', tags: {} },
          findings: [memberFinding(MEMBER.ownFindingId)],
          events: Array.from({ length: 4 }, (_, i) => memberEvent(i)),
        },
      },
      iam: {
        users: {
          [MEMBER.userName]: {
            userName: MEMBER.userName,
            userId: MEMBER.userId,
            path: '/',
            arn: `arn:aws:iam::${acct}:user/${MEMBER.userName}`,
            createDate: iso(86400_000 * 50),
            tags: [],
            inlinePolicies: {},
            attachedPolicyArns: [],
            groups: [],
          },
        },
        groups: {},
        roles: {
          [MEMBER.roleName]: {
            roleName: MEMBER.roleName,
            roleId: MEMBER.roleId,
            path: '/',
            arn: `arn:aws:iam::${acct}:role/${MEMBER.roleName}`,
            createDate: iso(86400_000 * 50),
            maxSessionDuration: 3600,
            assumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}',
            tags: [],
            inlinePolicies: {},
            attachedPolicyArns: [],
          },
        },
        managedPolicies: {},
        accessKeys: {
          [MEMBER.accessKey]: { accessKeyId: MEMBER.accessKey, secretAccessKey: MEMBER.secret, userName: MEMBER.userName, status: 'Active', createDate: iso(86400_000) },
        },
        sessions: {
          [MEMBER.sessionKey]: {
            arn: `arn:aws:sts::${acct}:assumed-role/${MEMBER.roleName}/ops-session`,
            userId: `${MEMBER.roleId}:ops-session`,
            roleName: MEMBER.roleName,
            issuedAt: new Date(Math.floor(now.getTime() / 1000) * 1000 - 600_000).toISOString(),
            expiresAt: new Date(now.getTime() + 3600_000).toISOString(),
            secretAccessKey: MEMBER.sessionSecret,
          },
        },
      },
    },
  };
  return world;
}

export const MEMBER_CREDENTIALS = { accessKeyId: MEMBER.accessKey, secretAccessKey: MEMBER.secret };
