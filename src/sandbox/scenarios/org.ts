/**
 * The `org` scenario: a delegated-administrator organisation. The workshop account (the analyst's) is the GuardDuty
 * administrator: its detectors hold its own findings (the workshop's) and those of two member accounts, `prod` and
 * `data`, each with its own IAM (users, keys, and the `gd-ir-read` / `gd-ir-write` incident-response roles that
 * trust the administrator), its own CloudTrail event history and its own detector. The analyst may assume the
 * members' roles (inline policy `gd-ir-assume-member-roles`) and has a virtual MFA device; the write roles require
 * MFA, `data`'s read role an ExternalId. See docs/scenarios.md ("org") for the story.
 */
import type { AccountData, CloudTrailRecord, GuardDutyFinding, IamData, IamRole, RegionData, World } from '../model.js';
import { ORG } from './org-facts.js';
import type { CallSpec, Rng } from './util.js';
import { DAY, HOUR, MINUTE, ctEvent, deniedMessage, emptyRegion, finding, iso, isoSec, policyDoc, prng } from './util.js';
import { buildWorkshop } from './workshop.js';
import { withWorkshopDataEvents } from './workshop-data-events.js';
import { withWorkshopTrailTable } from './workshop-trail-table.js';
import { WORKSHOP } from './workshop-facts.js';

const ADMIN = ORG.administratorId;
const WEST = WORKSHOP.homeRegion;
const EAST = WORKSHOP.globalRegion;
const SECOND = 1000;

const ATTACKER_UA = 'aws-cli/2.13.25 Python/3.11.5 Linux/6.5.0-kali3-amd64 exe/x86_64.kali.2023 prompt/off';
const CI_UA = 'aws-cli/2.15.30 Python/3.11.8 Linux/5.10 exe/x86_64.amzn.2 prompt/off command/cloudformation.deploy ci/github-actions';
const ETL_UA = 'Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/linux#5.10.215-203.850.amzn2.x86_64 md/arch#x86_64 lang/python#3.11.8 exec-env/AWS_ECS_FARGATE';
const CI_IP = '203.0.113.60';
const DATA_HOME_IP = '10.20.0.15';

/** The trust policy of a member's IR role (as `gd-ir setup roles` writes it): the administrator account, SetSourceIdentity allowed. */
export function irTrustPolicy(opts: { mfa: boolean; externalId?: string }): string {
  const condition: Record<string, Record<string, string>> = {};
  if (opts.externalId !== undefined) condition.StringEquals = { 'sts:ExternalId': opts.externalId };
  if (opts.mfa) condition.Bool = { 'aws:MultiFactorAuthPresent': 'true' };
  return policyDoc([
    {
      Sid: 'AssumeFromSecurityAccount',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ADMIN}:root` },
      Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
      ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
    },
  ]);
}

/** The read role's permissions (docs/permissions.md, read-only set without GuardDuty: findings are read in the administrator). */
const READ_POLICY = policyDoc([
  { Sid: 'CloudTrailRead', Effect: 'Allow', Action: ['cloudtrail:LookupEvents', 'cloudtrail:GetTrailStatus', 'cloudtrail:GetTrail'], Resource: '*' },
  {
    Sid: 'IamRead',
    Effect: 'Allow',
    Action: [
      'iam:GetUser', 'iam:GetRole', 'iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:GetUserPolicy', 'iam:GetGroupPolicy', 'iam:GetRolePolicy',
      'iam:ListAttachedUserPolicies', 'iam:ListUserPolicies', 'iam:ListGroupsForUser', 'iam:ListAttachedGroupPolicies', 'iam:ListGroupPolicies',
      'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies', 'iam:ListAccessKeys', 'iam:GetAccessKeyLastUsed', 'iam:GetLoginProfile', 'iam:ListPolicyVersions',
    ],
    Resource: '*',
  },
]);

/** The write role's permissions (what remediate and contain change; the template of `gd-ir setup roles`). */
function writePolicy(accountId: string): string {
  const iam = (r: string): string => `arn:aws:iam::${accountId}:${r}`;
  return policyDoc([
    { Sid: 'ContainUsers', Effect: 'Allow', Action: ['iam:UpdateAccessKey', 'iam:PutUserPolicy', 'iam:DeleteUserPolicy', 'iam:DeleteLoginProfile', 'iam:DetachUserPolicy'], Resource: iam('user/*') },
    { Sid: 'ContainRoles', Effect: 'Allow', Action: ['iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:DetachRolePolicy', 'iam:UpdateAssumeRolePolicy'], Resource: iam('role/*') },
    { Sid: 'ContainGroups', Effect: 'Allow', Action: ['iam:DeleteGroupPolicy', 'iam:DetachGroupPolicy'], Resource: iam('group/*') },
    { Sid: 'RestorePolicyVersions', Effect: 'Allow', Action: ['iam:SetDefaultPolicyVersion'], Resource: iam('policy/*') },
    { Sid: 'RestartTrails', Effect: 'Allow', Action: ['cloudtrail:StartLogging'], Resource: `arn:aws:cloudtrail:*:${accountId}:trail/*` },
    {
      Sid: 'Quarantine',
      Effect: 'Allow',
      Action: ['iam:AttachUserPolicy'],
      Resource: iam('user/*'),
      Condition: { ArnLike: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantine*' } },
    },
  ]);
}

function irRole(accountId: string, name: string, roleId: string, trust: string, permissions: string, created: string, description: string): IamRole {
  return {
    roleName: name,
    roleId,
    path: '/',
    arn: `arn:aws:iam::${accountId}:role/${name}`,
    createDate: created,
    description,
    maxSessionDuration: 3600,
    assumeRolePolicyDocument: trust,
    tags: [{ Key: 'ManagedBy', Value: 'gd-ir-stackset' }],
    inlinePolicies: { [name]: permissions },
    attachedPolicyArns: [],
  };
}

function identity(arn: string, accountId: string, userName: string, userId: string, accessKeyId: string): CloudTrailRecord['userIdentity'] {
  return { type: 'IAMUser', principalId: userId, arn, accountId, accessKeyId, userName };
}

function regions(events: CloudTrailRecord[], detector: RegionData['detector'], findings: GuardDutyFinding[]): Record<string, RegionData> {
  const by: Record<string, CloudTrailRecord[]> = {};
  for (const e of events) (by[e.awsRegion] ??= []).push(e);
  const out: Record<string, RegionData> = {};
  for (const r of [WEST, EAST]) {
    out[r] = { ...emptyRegion(), events: (by[r] ?? []).sort((a, b) => (a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : 0)) };
  }
  (out[WEST] as RegionData).detector = detector;
  (out[WEST] as RegionData).findings = findings;
  return out;
}

function memberDetector(detectorId: string, now: number): RegionData['detector'] {
  return { detectorId, createdAt: iso(now - 200 * DAY), updatedAt: iso(now - 20 * DAY), status: 'ENABLED', findingPublishingFrequency: 'FIFTEEN_MINUTES', tags: {} };
}

/** The administrator's copy of a member finding: same ID and content, the member's account, the administrator's detector. */
function adminCopy(f: GuardDutyFinding, adminDetectorId: string): GuardDutyFinding {
  return {
    ...f,
    arn: `arn:aws:guardduty:${f.region}:${f.accountId}:detector/${adminDetectorId}/finding/${f.id}`,
    service: { ...f.service, detectorId: adminDetectorId },
  };
}

const THREAT_IP_DETAILS = {
  ipAddressV4: WORKSHOP.threatListIp,
  city: { cityName: 'Amsterdam' },
  country: { countryCode: 'NL', countryName: 'Netherlands' },
  geoLocation: { lat: 52.3759, lon: 4.8975 },
  organization: { asn: '64500', asnOrg: 'EXAMPLE-HOSTING-AS', isp: 'Example Hosting B.V.', org: 'Example Hosting' },
};

// ---------------------------------------------------------------------------------------------------------------
// prod: ci-deployer's key used from the threat-list IP

function buildProd(rng: Rng, now: number): AccountData {
  const P = ORG.prod;
  const U = P.user;
  const acct = P.accountId;
  const events: CloudTrailRecord[] = [];
  const add = (c: CallSpec): void => void events.push(ctEvent(rng, acct, c));
  // An IAM ARN includes the user's path.
  const userArn = `arn:aws:iam::${acct}:user/ci/${U.userName}`;
  const id = identity(userArn, acct, U.userName, U.userId, U.accessKeyId);
  const base = Math.floor(now / MINUTE) * MINUTE;

  // A week of deployments from the CI runners, every half hour (legitimate use of the same key).
  for (let t = base - 7 * DAY; t < base - 2 * HOUR; t += 30 * MINUTE) {
    add({ at: t, region: WEST, service: 'cloudformation', name: 'DescribeStacks', ip: CI_IP, userAgent: CI_UA, identity: id, readOnly: true, request: { stackName: 'prod-web' } });
    add({ at: t + 20 * SECOND, region: WEST, service: 'cloudformation', name: 'UpdateStack', ip: CI_IP, userAgent: CI_UA, identity: id, readOnly: false, request: { stackName: 'prod-web', capabilities: ['CAPABILITY_IAM'] } });
    add({ at: t + 40 * SECOND, region: WEST, service: 'ssm', name: 'GetParameters', ip: CI_IP, userAgent: CI_UA, identity: id, readOnly: true, request: { names: ['/prod/web/image-tag'], withDecryption: false } });
  }

  // The attacker: a script run every minute for forty minutes, ending two minutes ago.
  const ip = WORKSHOP.threatListIp;
  const attackTimes: number[] = [];
  for (let i = 0; i < 40; i++) {
    const t = base - (41 - i) * MINUTE + 4 * SECOND;
    attackTimes.push(t);
    add({ at: t, region: WEST, service: 'sts', name: 'GetCallerIdentity', ip, userAgent: ATTACKER_UA, identity: id, readOnly: true, request: null });
    add({
      at: t + SECOND, region: EAST, service: 'iam', name: 'ListUsers', ip, userAgent: ATTACKER_UA, identity: id, readOnly: true, request: null,
      error: { code: 'AccessDenied', message: deniedMessage(userArn, 'iam:ListUsers', `arn:aws:iam::${acct}:user/`) },
    });
    add({
      at: t + 2 * SECOND, region: WEST, service: 'ssm', name: 'GetParameters', ip, userAgent: ATTACKER_UA, identity: id, readOnly: true,
      request: { names: ['/prod/web/db-password', '/prod/web/stripe-key'], withDecryption: true },
    });
    add({
      at: t + 3 * SECOND, region: EAST, service: 'iam', name: 'CreateAccessKey', ip, userAgent: ATTACKER_UA, identity: id, readOnly: false, request: { userName: 'ops-admin' },
      error: { code: 'AccessDenied', message: deniedMessage(userArn, 'iam:CreateAccessKey', `arn:aws:iam::${acct}:user/ops-admin`) },
    });
  }
  const first = attackTimes[0] as number;
  const last = attackTimes[attackTimes.length - 1] as number;

  const f = finding({
    id: P.findingId, type: 'UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom', severity: 5, accountId: acct, region: WEST, detectorId: P.detectorId,
    title: 'API GetParameters was invoked from an IP address on a custom threat list.',
    description: `API GetParameters, commonly used to access resources in an AWS environment, was invoked from IP address ${ip} on the custom threat list ${WORKSHOP.threatListName}. The credentials of IAM user ${U.userName} in account ${acct} may be compromised.`,
    resource: { resourceType: 'AccessKey', accessKeyDetails: { accessKeyId: U.accessKeyId, principalId: U.userId, userName: U.userName, userType: 'IAMUser' } },
    action: {
      actionType: 'AWS_API_CALL',
      awsApiCallAction: { api: 'GetParameters', serviceName: 'ssm.amazonaws.com', callerType: 'Remote IP', userAgent: ATTACKER_UA, remoteIpDetails: THREAT_IP_DETAILS, affectedResources: {} },
    },
    evidence: { threatIntelligenceDetails: [{ threatListName: WORKSHOP.threatListName, threatNames: [] }] },
    additionalInfo: { threatListName: WORKSHOP.threatListName },
    count: attackTimes.length, firstSeen: first + 2 * SECOND, lastSeen: last + 2 * SECOND, createdAt: first + 6 * MINUTE, updatedAt: last + 90 * SECOND,
  });

  const iam: IamData = {
    users: {
      [U.userName]: {
        userName: U.userName, userId: U.userId, path: '/ci/', arn: userArn, createDate: isoSec(now - 420 * DAY),
        tags: [{ Key: 'Owner', Value: 'platform-team' }, { Key: 'Pipeline', Value: 'prod-web' }],
        inlinePolicies: {
          'ci-deploy': policyDoc([
            { Effect: 'Allow', Action: ['cloudformation:DescribeStacks', 'cloudformation:UpdateStack'], Resource: `arn:aws:cloudformation:*:${acct}:stack/prod-*/*` },
            { Effect: 'Allow', Action: ['ssm:GetParameters', 'ssm:GetParameter'], Resource: `arn:aws:ssm:*:${acct}:parameter/prod/*` },
          ]),
        },
        attachedPolicyArns: [], groups: [],
      },
    },
    groups: {},
    roles: {
      [ORG.readRoleName]: irRole(acct, ORG.readRoleName, P.readRoleId, irTrustPolicy({ mfa: false }), READ_POLICY, isoSec(now - 90 * DAY), 'gd-ir incident response: read (CloudTrail, IAM)'),
      [ORG.writeRoleName]: irRole(acct, ORG.writeRoleName, P.writeRoleId, irTrustPolicy({ mfa: true }), writePolicy(acct), isoSec(now - 90 * DAY), 'gd-ir incident response: contain (MFA)'),
    },
    managedPolicies: {},
    accessKeys: {
      [U.accessKeyId]: {
        accessKeyId: U.accessKeyId, secretAccessKey: U.secretAccessKey, userName: U.userName, status: 'Active', createDate: isoSec(now - 120 * DAY),
        lastUsed: { date: isoSec(last + 2 * SECOND), serviceName: 'ssm', region: WEST },
      },
      [U.oldAccessKeyId]: {
        accessKeyId: U.oldAccessKeyId, secretAccessKey: 'sandbox/prod/ci-deployer/old/not-a-real-key/01', userName: U.userName, status: 'Inactive', createDate: isoSec(now - 410 * DAY),
        lastUsed: { date: isoSec(now - 121 * DAY), serviceName: 'cloudformation', region: WEST },
      },
    },
    sessions: {},
  };
  return { accountId: acct, regions: regions(events, memberDetector(P.detectorId, now), [f]), iam };
}

// ---------------------------------------------------------------------------------------------------------------
// data: etl-runner reading secrets from an unusual network

function buildData(rng: Rng, now: number): AccountData {
  const D = ORG.data;
  const U = D.user;
  const acct = D.accountId;
  const events: CloudTrailRecord[] = [];
  const add = (c: CallSpec): void => void events.push(ctEvent(rng, acct, c));
  const userArn = `arn:aws:iam::${acct}:user/service/${U.userName}`;
  const id = identity(userArn, acct, U.userName, U.userId, U.accessKeyId);
  const base = Math.floor(now / MINUTE) * MINUTE;

  // The nightly job, from the VPC (legitimate).
  for (let d = 6; d >= 1; d--) {
    const t = base - d * DAY - 3 * HOUR;
    add({ at: t, region: WEST, service: 'secretsmanager', name: 'GetSecretValue', ip: DATA_HOME_IP, userAgent: ETL_UA, identity: id, readOnly: true, request: { secretId: 'etl/warehouse' } });
    add({ at: t + 5 * SECOND, region: WEST, service: 's3', name: 'ListObjects', ip: DATA_HOME_IP, userAgent: ETL_UA, identity: id, readOnly: true, request: { bucketName: 'example-data-raw' } });
  }
  // Then, from outside: discovery and secret reads.
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = base - (52 - i * 7) * MINUTE;
    times.push(t);
    add({ at: t, region: WEST, service: 'secretsmanager', name: 'ListSecrets', ip: D.ip, userAgent: ATTACKER_UA, identity: id, readOnly: true, request: null });
    add({ at: t + 2 * SECOND, region: WEST, service: 'secretsmanager', name: 'GetSecretValue', ip: D.ip, userAgent: ATTACKER_UA, identity: id, readOnly: true, request: { secretId: i % 2 === 0 ? 'etl/warehouse' : 'prod/payments-api' } });
    add({
      at: t + 4 * SECOND, region: EAST, service: 'iam', name: 'ListRoles', ip: D.ip, userAgent: ATTACKER_UA, identity: id, readOnly: true, request: null,
      error: { code: 'AccessDenied', message: deniedMessage(userArn, 'iam:ListRoles', `arn:aws:iam::${acct}:role/`) },
    });
  }
  const first = times[0] as number;
  const last = times[times.length - 1] as number;
  const f = finding({
    id: D.findingId, type: 'CredentialAccess:IAMUser/AnomalousBehavior', severity: 5, accountId: acct, region: WEST, detectorId: D.detectorId,
    title: `User ${U.userName} is anomalously invoking APIs commonly used in CredentialAccess tactics.`,
    description: `APIs commonly used in CredentialAccess tactics were invoked by user IAMUser : ${U.userName}, under unusual circumstances. Such activity is not typically seen from this user.`,
    resource: { resourceType: 'AccessKey', accessKeyDetails: { accessKeyId: U.accessKeyId, principalId: U.userId, userName: U.userName, userType: 'IAMUser' } },
    action: {
      actionType: 'AWS_API_CALL',
      awsApiCallAction: {
        api: 'GetSecretValue', serviceName: 'secretsmanager.amazonaws.com', callerType: 'Remote IP', userAgent: ATTACKER_UA, affectedResources: {},
        remoteIpDetails: {
          ipAddressV4: D.ip, city: { cityName: 'Frankfurt am Main' }, country: { countryCode: 'DE', countryName: 'Germany' }, geoLocation: { lat: 50.1109, lon: 8.6821 },
          organization: { asn: '64505', asnOrg: 'EXAMPLE-CLOUD-DE', isp: 'Example Cloud GmbH', org: 'Example Cloud' },
        },
      },
    },
    count: times.length * 2, firstSeen: first, lastSeen: last + 2 * SECOND, createdAt: first + 9 * MINUTE, updatedAt: last + 4 * MINUTE,
  });

  const iam: IamData = {
    users: {
      [U.userName]: {
        userName: U.userName, userId: U.userId, path: '/service/', arn: userArn, createDate: isoSec(now - 300 * DAY),
        tags: [{ Key: 'Owner', Value: 'data-platform' }],
        inlinePolicies: {
          'etl-access': policyDoc([
            { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:ListSecrets'], Resource: '*' },
            { Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetObject'], Resource: ['arn:aws:s3:::example-data-raw', 'arn:aws:s3:::example-data-raw/*'] },
          ]),
        },
        attachedPolicyArns: [], groups: [],
      },
    },
    groups: {},
    roles: {
      [ORG.readRoleName]: irRole(
        acct, ORG.readRoleName, D.readRoleId, irTrustPolicy({ mfa: false, externalId: D.externalId }), READ_POLICY, isoSec(now - 60 * DAY),
        'gd-ir incident response: read (CloudTrail, IAM); ExternalId required',
      ),
      [ORG.writeRoleName]: irRole(acct, ORG.writeRoleName, D.writeRoleId, irTrustPolicy({ mfa: true }), writePolicy(acct), isoSec(now - 60 * DAY), 'gd-ir incident response: contain (MFA)'),
    },
    managedPolicies: {},
    accessKeys: {
      [U.accessKeyId]: {
        accessKeyId: U.accessKeyId, secretAccessKey: U.secretAccessKey, userName: U.userName, status: 'Active', createDate: isoSec(now - 200 * DAY),
        lastUsed: { date: isoSec(last + 2 * SECOND), serviceName: 'secretsmanager', region: WEST },
      },
    },
    sessions: {},
  };
  return { accountId: acct, regions: regions(events, memberDetector(D.detectorId, now), [f]), iam };
}

/** Builds the org world: the workshop as the administrator, plus the members, their findings in its detector, and the analyst's access. */
export function buildOrg(nowDate: Date): World {
  const now = nowDate.getTime();
  // The whole workshop (its S3 data events and its trail's Athena table included) is the administrator.
  const world = withWorkshopTrailTable(withWorkshopDataEvents(buildWorkshop(nowDate)));
  const rng = prng(0x0a9);
  const prod = buildProd(rng, now);
  const data = buildData(rng, now);
  world.scenario = 'org';
  world.members = { [prod.accountId]: prod, [data.accountId]: data };

  const adminDetector = WORKSHOP.detectors[WEST] as string;
  const adminWest = world.regions[WEST] as RegionData;
  for (const member of [prod, data]) {
    for (const f of member.regions[WEST]?.findings ?? []) adminWest.findings.push(adminCopy(f, adminDetector));
  }

  const analyst = world.iam.users[WORKSHOP.analyst.userName];
  if (analyst) {
    analyst.inlinePolicies['gd-ir-assume-member-roles'] = policyDoc([
      {
        Sid: 'AssumeIncidentResponseRoles',
        Effect: 'Allow',
        Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
        Resource: [`arn:aws:iam::*:role/${ORG.readRoleName}`, `arn:aws:iam::*:role/${ORG.writeRoleName}`],
      },
    ]);
  }
  world.iam.mfaDevices = {
    [ORG.analystMfa.serialNumber]: { serialNumber: ORG.analystMfa.serialNumber, userName: WORKSHOP.analyst.userName, enableDate: isoSec(now - 280 * DAY), totpSeed: ORG.analystMfa.totpSeed },
  };
  const N = ORG.adminNamesake;
  world.iam.users[N.userName] = {
    userName: N.userName, userId: N.userId, path: '/', arn: `arn:aws:iam::${ADMIN}:user/${N.userName}`, createDate: isoSec(now - 700 * DAY),
    tags: [{ Key: 'Owner', Value: 'security-tooling' }],
    inlinePolicies: { 'read-findings': policyDoc([{ Effect: 'Allow', Action: ['guardduty:ListFindings', 'guardduty:GetFindings'], Resource: '*' }]) },
    attachedPolicyArns: [], groups: [],
  };
  world.iam.accessKeys[N.accessKeyId] = {
    accessKeyId: N.accessKeyId, secretAccessKey: N.secretAccessKey, userName: N.userName, status: 'Active', createDate: isoSec(now - 30 * DAY),
    lastUsed: { date: isoSec(now - 3 * DAY), serviceName: 'guardduty', region: WEST },
  };
  return world;
}
