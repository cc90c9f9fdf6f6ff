/**
 * The `persistence` scenario: a CI user's key (`build-pipeline`, broad IAM rights) is used from the threat-list IP
 * to leave persistence behind, then the backdoor is used from a second IP. Every time is relative to `now`; the
 * IAM and trail state is what the attacker left. The story, in an analyst's words, is in docs/scenarios.md.
 *
 * Record shapes follow the published records in test/fixtures/real/cloudtrail (Stratus Red Team: CreateUser,
 * CreateAccessKey, AttachUserPolicy, CreateLoginProfile, UpdateAssumeRolePolicy, StopLogging; Elastic:
 * CreateFunction20150331); CreatePolicyVersion/SetDefaultPolicyVersion have no published record and follow the
 * sandbox recorder's rules for IAM (docs/sandbox.md).
 */
import type { CloudTrailRecord, GuardDutyFinding, IamData, ManagedPolicy, RegionData, World } from '../model.js';
import { awsManagedPolicy } from '../aws-managed-policies.js';
import { trailDate } from '../services/iam/generate.js';
import { PERSISTENCE as F, PERSISTENCE_TIMELINE as T } from './persistence-facts.js';
import { DAY, HOUR, MINUTE, ctEvent, emptyRegion, finding, iso, isoSec, managedPolicy, policyDoc, prng } from './util.js';
import type { CallSpec, Rng } from './util.js';

const ACCT = F.accountId;
const WEST = F.homeRegion;
const EAST = F.globalRegion;
const SECOND = 1000;

const userArn = (name: string): string => `arn:aws:iam::${ACCT}:user/${name}`;
const compromisedArn = userArn(F.compromised.userName);
const backdoorArn = userArn(F.backdoor.userName);
const reportingArn = userArn(F.loginUser.userName);
const roleArn = `arn:aws:iam::${ACCT}:role/${F.role.roleName}`;
const policyArn = `arn:aws:iam::${ACCT}:policy/${F.policy.policyName}`;
const ADMIN_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const trailArn = `arn:aws:cloudtrail:${WEST}:${ACCT}:trail/${F.trail.name}`;

type Identity = CloudTrailRecord['userIdentity'];

function iamUser(userName: string, userId: string, accessKeyId: string, issuedAt?: number): Identity {
  const id: Identity = { type: 'IAMUser', principalId: userId, arn: userArn(userName), accountId: ACCT, accessKeyId, userName };
  if (issuedAt !== undefined) id.sessionContext = { attributes: { creationDate: isoSec(issuedAt), mfaAuthenticated: 'false' } };
  return id;
}

/** The trust policy before the attacker: only the pipeline may assume the role. */
const TRUST_BEFORE = policyDoc([{ Effect: 'Allow', Principal: { AWS: compromisedArn }, Action: 'sts:AssumeRole' }]);
/** After: the attacker's account too (as in the published UpdateAssumeRolePolicy record: a second statement). */
const TRUST_AFTER = policyDoc([
  { Effect: 'Allow', Principal: { AWS: compromisedArn }, Action: 'sts:AssumeRole' },
  { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${F.role.outsideAccount}:root` }, Action: 'sts:AssumeRole' },
]);
const ADMIN_VERSION = policyDoc([{ Effect: 'Allow', Action: '*', Resource: '*' }]);

interface Ctx {
  rng: Rng;
  events: Record<string, CloudTrailRecord[]>;
}

function add(ctx: Ctx, c: CallSpec): CloudTrailRecord {
  const ev = ctEvent(ctx.rng, ACCT, c);
  (ctx.events[c.region] ??= []).push(ev);
  return ev;
}

/** The times the scenario's IAM state and findings depend on. */
interface Times {
  recon: number;
  backdoorUser: number;
  loginProfile: number;
  trust: number;
  policyVersion: number;
  stopLogging: number;
  session: number;
  backdoorUse: number;
  backdoorSession: number;
  secondKey: number;
  lastThreatCall: number;
  threatCalls: number;
  ssmCalls: number[];
}

function attack(ctx: Ctx, base: number, now: number): Times {
  const ip: string = F.threatListIp;
  const ua: string = F.attackerUserAgent;
  const me = iamUser(F.compromised.userName, F.compromised.userId, F.compromised.accessKeyId);
  const recon = base - T.reconMinutesBeforeNow * MINUTE;
  let threatCalls = 0;
  const call = (at: number, spec: Omit<CallSpec, 'at' | 'ip' | 'userAgent' | 'identity'>, identity = me, from: string = ip, agent: string = ua): CloudTrailRecord => {
    if (from === ip) threatCalls++;
    return add(ctx, { at, ip: from, userAgent: agent, identity, ...spec });
  };

  // Reconnaissance.
  call(recon, { region: EAST, service: 'sts', name: 'GetCallerIdentity', readOnly: true, request: null });
  call(recon + 4 * SECOND, { region: EAST, service: 'iam', name: 'ListUsers', readOnly: true, request: null });
  call(recon + 7 * SECOND, { region: EAST, service: 'iam', name: 'ListRoles', readOnly: true, request: null });
  call(recon + 11 * SECOND, { region: EAST, service: 'iam', name: 'ListPolicies', readOnly: true, request: { scope: 'Local', onlyAttached: false } });

  // A new user with a key and AdministratorAccess.
  const backdoorUser = recon + 2 * MINUTE;
  call(backdoorUser, {
    region: EAST, service: 'iam', name: 'CreateUser', readOnly: false, request: { userName: F.backdoor.userName },
    response: { user: { path: '/', userName: F.backdoor.userName, userId: F.backdoor.userId, arn: backdoorArn, createDate: trailDate(new Date(backdoorUser)) } },
  });
  call(backdoorUser + 9 * SECOND, {
    region: EAST, service: 'iam', name: 'CreateAccessKey', readOnly: false, request: { userName: F.backdoor.userName },
    response: { accessKey: { userName: F.backdoor.userName, accessKeyId: F.backdoor.accessKeyId, status: 'Active', createDate: trailDate(new Date(backdoorUser + 9 * SECOND)) } },
  });
  call(backdoorUser + 17 * SECOND, {
    region: EAST, service: 'iam', name: 'AttachUserPolicy', readOnly: false, request: { userName: F.backdoor.userName, policyArn: ADMIN_ARN },
  });
  // A retry that failed: not a change.
  call(backdoorUser + 40 * SECOND, {
    region: EAST, service: 'iam', name: 'CreateUser', readOnly: false, request: { userName: F.backdoor.userName },
    error: { code: 'EntityAlreadyExistsException', message: `User with name ${F.backdoor.userName} already exists.` },
  });

  // A console password for an existing programmatic user.
  const loginProfile = recon + 4 * MINUTE;
  call(loginProfile, {
    region: EAST, service: 'iam', name: 'CreateLoginProfile', readOnly: false, request: { passwordResetRequired: false, userName: F.loginUser.userName },
    response: { loginProfile: { userName: F.loginUser.userName, createDate: trailDate(new Date(loginProfile)), passwordResetRequired: false } },
  });

  // The role now trusts the attacker's account.
  const trust = recon + 6 * MINUTE;
  call(trust, { region: EAST, service: 'iam', name: 'UpdateAssumeRolePolicy', readOnly: false, request: { policyDocument: TRUST_AFTER, roleName: F.role.roleName } });

  // An admin version of the role's policy, made default.
  const policyVersion = recon + 8 * MINUTE;
  call(policyVersion, {
    region: EAST, service: 'iam', name: 'CreatePolicyVersion', readOnly: false, request: { policyArn, policyDocument: ADMIN_VERSION, setAsDefault: false },
    response: { policyVersion: { versionId: F.policy.attackerVersion, isDefaultVersion: false, createDate: trailDate(new Date(policyVersion)) } },
  });
  call(policyVersion + 15 * SECOND, { region: EAST, service: 'iam', name: 'SetDefaultPolicyVersion', readOnly: false, request: { policyArn, versionId: F.policy.attackerVersion } });

  // The trail stops delivering.
  const stopLogging = recon + 10 * MINUTE;
  call(stopLogging, { region: WEST, service: 'cloudtrail', name: 'StopLogging', readOnly: false, request: { name: F.trail.name } });

  // A function running as the role (recorded only: the sandbox emulates no Lambda).
  const fn = recon + 12 * MINUTE;
  call(fn, {
    region: WEST, service: 'lambda', name: 'CreateFunction20150331', readOnly: false,
    request: { code: {}, environment: {}, functionName: F.lambdaFunction, handler: 'main.handler', publish: false, role: roleArn, runtime: 'python3.12' },
    response: {
      architectures: ['x86_64'], codeSha256: 'q1wJk0k3y6mXrT0fJ6R1cW3bdwS8u0Qp2d3nTqz8l1A=', codeSize: 2048, description: '', environment: {},
      functionArn: `arn:aws:lambda:${WEST}:${ACCT}:function:${F.lambdaFunction}`, functionName: F.lambdaFunction, handler: 'main.handler',
      lastModified: new Date(fn).toISOString().replace('Z', '+0000'), memorySize: 128, packageType: 'Zip', revisionId: '5d0f0e4a-2b7c-4a39-9d1e-6f2b8c3a7e11',
      role: roleArn, runtime: 'python3.12', state: 'Pending', stateReason: 'The function is being created.', stateReasonCode: 'Creating', timeout: 3,
      tracingConfig: { mode: 'PassThrough' }, version: '$LATEST',
    },
  });

  // A session minted from the key, then used.
  const session = recon + 14 * MINUTE;
  call(session, {
    region: EAST, service: 'sts', name: 'GetSessionToken', readOnly: true, request: { durationSeconds: 43200 },
    response: { credentials: { accessKeyId: F.compromised.sessionKeyId, sessionToken: 'REDACTED-sandbox-session-token-not-a-real-token', expiration: trailDate(new Date(session + 12 * HOUR), true) } },
  });
  const sess = iamUser(F.compromised.userName, F.compromised.userId, F.compromised.sessionKeyId, session);
  call(session + 30 * SECOND, { region: WEST, service: 's3', name: 'ListBuckets', readOnly: true, request: { Host: `s3.${WEST}.amazonaws.com` } }, sess);

  // The backdoor, from a second IP: reads, its own session, and a second key on another user.
  const bd = iamUser(F.backdoor.userName, F.backdoor.userId, F.backdoor.accessKeyId);
  const bip = F.backdoorIp;
  const bua = F.backdoorUserAgent;
  const backdoorUse = recon + 20 * MINUTE;
  call(backdoorUse, { region: EAST, service: 'sts', name: 'GetCallerIdentity', readOnly: true, request: null }, bd, bip, bua);
  call(backdoorUse + 20 * SECOND, { region: WEST, service: 'ec2', name: 'DescribeInstances', readOnly: true, request: { instancesSet: {}, filterSet: {} } }, bd, bip, bua);
  const backdoorSession = backdoorUse + MINUTE;
  call(backdoorSession, {
    region: EAST, service: 'sts', name: 'GetSessionToken', readOnly: true, request: { durationSeconds: 43200 },
    response: { credentials: { accessKeyId: F.backdoor.sessionKeyId, sessionToken: 'REDACTED-sandbox-session-token-not-a-real-token', expiration: trailDate(new Date(backdoorSession + 12 * HOUR), true) } },
  }, bd, bip, bua);
  const bsess = iamUser(F.backdoor.userName, F.backdoor.userId, F.backdoor.sessionKeyId, backdoorSession);
  call(backdoorSession + 40 * SECOND, { region: WEST, service: 'secretsmanager', name: 'ListSecrets', readOnly: true, request: null }, bsess, bip, bua);
  const secondKey = backdoorUse + 2 * MINUTE;
  call(secondKey, {
    region: EAST, service: 'iam', name: 'CreateAccessKey', readOnly: false, request: { userName: F.loginUser.userName },
    response: { accessKey: { userName: F.loginUser.userName, accessKeyId: F.loginUser.attackerKeyId, status: 'Active', createDate: trailDate(new Date(secondKey)) } },
  }, bd, bip, bua);
  const k2 = iamUser(F.loginUser.userName, F.loginUser.userId, F.loginUser.attackerKeyId);
  call(secondKey + MINUTE, { region: WEST, service: 's3', name: 'ListBuckets', readOnly: true, request: { Host: `s3.${WEST}.amazonaws.com` } }, k2, bip, bua);

  // The attacker keeps calling until now (the live attacker takes over while the sandbox runs).
  const ssmCalls: number[] = [];
  let lastThreatCall = secondKey;
  for (let t = recon + 25 * MINUTE; t < now - 30 * SECOND; t += T.periodicEveryMinutes * MINUTE) {
    call(t, {
      region: WEST, service: 'ssm', name: 'GetParameters', readOnly: true, request: { names: ['/prod/deploy/github-token'], withDecryption: true },
      resources: [{ ARN: `arn:aws:ssm:${WEST}:${ACCT}:parameter/prod/deploy/github-token`, accountId: ACCT }],
    });
    ssmCalls.push(t);
    lastThreatCall = t;
    call(t + 3 * SECOND, { region: WEST, service: 's3', name: 'ListBuckets', readOnly: true, request: { Host: `s3.${WEST}.amazonaws.com` } }, sess);
    call(t + 6 * SECOND, { region: EAST, service: 'iam', name: 'ListUsers', readOnly: true, request: null }, bd, bip, bua);
  }
  return { recon, backdoorUser, loginProfile, trust, policyVersion, stopLogging, session, backdoorUse, backdoorSession, secondKey, lastThreatCall, threatCalls, ssmCalls };
}

/** The pipeline's legitimate use of its key: a deploy every two hours from the corporate network. */
function legitimate(ctx: Ctx, base: number, until: number): void {
  const me = iamUser(F.compromised.userName, F.compromised.userId, F.compromised.accessKeyId);
  for (let t = base - 2 * DAY + 7 * MINUTE; t < until; t += 2 * HOUR) {
    add(ctx, { at: t, region: WEST, service: 'ssm', name: 'GetParameters', ip: F.corporateIp, userAgent: F.ciUserAgent, identity: me, readOnly: true, request: { names: ['/ci/deploy/github-token'], withDecryption: true } });
  }
}

function buildIam(now: number, t: Times): IamData {
  const d = (days: number): string => isoSec(now - days * DAY);
  const admin = awsManagedPolicy(ADMIN_ARN) as ManagedPolicy;
  admin.attachmentCount = 1;
  const deployPolicy = managedPolicy({
    name: F.policy.policyName, id: F.policy.policyId, arn: policyArn, description: 'What the deploy role may do',
    createDate: d(200), defaultVersionId: F.policy.attackerVersion, attachmentCount: 1,
    versions: [
      { versionId: 'v1', createDate: d(200), document: policyDoc([{ Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject'], Resource: 'arn:aws:s3:::example-corp-artifacts/*' }]) },
      { versionId: F.policy.previousDefault, createDate: d(90), document: policyDoc([{ Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject', 'lambda:UpdateFunctionCode'], Resource: '*' }]) },
      { versionId: F.policy.attackerVersion, createDate: isoSec(t.policyVersion), document: ADMIN_VERSION },
    ],
  });
  const securityAudit = managedPolicy({
    name: 'SecurityAudit', id: 'ANPAIX2T3QCXHR2OGGCTO', arn: 'arn:aws:iam::aws:policy/SecurityAudit', createDate: '2015-02-06T18:41:01Z', defaultVersionId: 'v1', attachmentCount: 1,
    description: 'The security audit template grants access to read security configuration metadata.',
    versions: [{ versionId: 'v1', createDate: '2015-02-06T18:41:01Z', document: policyDoc([{ Effect: 'Allow', Action: ['cloudtrail:Describe*', 'cloudtrail:Get*', 'cloudtrail:LookupEvents', 'guardduty:Get*', 'guardduty:List*', 'iam:Get*', 'iam:List*'], Resource: '*' }]) }],
  });
  const sessionExpires = (at: number): string => isoSec(at + 12 * HOUR);
  return {
    users: {
      [F.analyst.userName]: {
        userName: F.analyst.userName, userId: F.analyst.userId, path: '/security/', arn: userArn(F.analyst.userName),
        createDate: d(300), tags: [{ Key: 'Team', Value: 'incident-response' }], attachedPolicyArns: ['arn:aws:iam::aws:policy/SecurityAudit'], groups: [],
        inlinePolicies: {
          'ir-analyst-containment': policyDoc([{
            Sid: 'Containment', Effect: 'Allow', Resource: '*',
            Action: ['iam:UpdateAccessKey', 'iam:PutUserPolicy', 'iam:DeleteUserPolicy', 'iam:PutRolePolicy', 'iam:DeleteLoginProfile', 'iam:DetachUserPolicy',
              'iam:DetachRolePolicy', 'iam:AttachUserPolicy', 'iam:UpdateAssumeRolePolicy', 'iam:SetDefaultPolicyVersion', 'cloudtrail:StartLogging', 'guardduty:ArchiveFindings'],
          }]),
        },
      },
      [F.compromised.userName]: {
        userName: F.compromised.userName, userId: F.compromised.userId, path: '/', arn: compromisedArn, createDate: d(400), attachedPolicyArns: [], groups: [],
        tags: [{ Key: 'Owner', Value: 'platform-team' }, { Key: 'Purpose', Value: 'ci-deploy' }],
        inlinePolicies: {
          [F.compromised.inlinePolicyName]: policyDoc([
            { Sid: 'Deploy', Effect: 'Allow', Action: ['iam:*', 'cloudtrail:*', 'lambda:*', 's3:*', 'ec2:Describe*', 'sts:GetSessionToken'], Resource: '*' },
            { Sid: 'Secrets', Effect: 'Allow', Action: ['ssm:GetParameter', 'ssm:GetParameters'], Resource: `arn:aws:ssm:${WEST}:${ACCT}:parameter/*` },
          ]),
        },
      },
      [F.backdoor.userName]: {
        userName: F.backdoor.userName, userId: F.backdoor.userId, path: '/', arn: backdoorArn, createDate: isoSec(t.backdoorUser), tags: [],
        inlinePolicies: {}, attachedPolicyArns: [ADMIN_ARN], groups: [],
      },
      [F.loginUser.userName]: {
        userName: F.loginUser.userName, userId: F.loginUser.userId, path: '/', arn: reportingArn, createDate: d(300), attachedPolicyArns: [], groups: [],
        tags: [{ Key: 'Owner', Value: F.loginUser.owner }],
        inlinePolicies: { 'reporting-read': policyDoc([{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket', 's3:ListAllMyBuckets'], Resource: '*' }]) },
        loginProfile: { createDate: isoSec(t.loginProfile), passwordResetRequired: false },
      },
    },
    groups: {},
    roles: {
      [F.role.roleName]: {
        roleName: F.role.roleName, roleId: F.role.roleId, path: '/', arn: roleArn, createDate: d(200), description: 'Assumed by the pipeline to deploy',
        maxSessionDuration: 3600, assumeRolePolicyDocument: TRUST_AFTER, tags: [{ Key: 'Owner', Value: 'platform-team' }], inlinePolicies: {}, attachedPolicyArns: [policyArn],
      },
    },
    managedPolicies: { [ADMIN_ARN]: admin, [policyArn]: deployPolicy, [securityAudit.arn]: securityAudit },
    accessKeys: {
      [F.analyst.accessKeyId]: { accessKeyId: F.analyst.accessKeyId, secretAccessKey: F.analyst.secretAccessKey, userName: F.analyst.userName, status: 'Active', createDate: d(90) },
      [F.compromised.accessKeyId]: {
        accessKeyId: F.compromised.accessKeyId, secretAccessKey: F.compromised.secretAccessKey, userName: F.compromised.userName, status: 'Active', createDate: d(200),
        lastUsed: { date: isoSec(t.lastThreatCall), serviceName: 'ssm', region: WEST },
      },
      [F.compromised.sessionKeyId]: { accessKeyId: F.compromised.sessionKeyId, secretAccessKey: F.compromised.sessionSecret, userName: F.compromised.userName, status: 'Active', createDate: isoSec(t.session) },
      [F.backdoor.accessKeyId]: {
        accessKeyId: F.backdoor.accessKeyId, secretAccessKey: F.backdoor.secretAccessKey, userName: F.backdoor.userName, status: 'Active', createDate: isoSec(t.backdoorUser + 9 * SECOND),
        lastUsed: { date: isoSec(t.lastThreatCall + 6 * SECOND), serviceName: 'iam', region: EAST },
      },
      [F.backdoor.sessionKeyId]: { accessKeyId: F.backdoor.sessionKeyId, secretAccessKey: F.backdoor.sessionSecret, userName: F.backdoor.userName, status: 'Active', createDate: isoSec(t.backdoorSession) },
      [F.loginUser.accessKeyId]: {
        accessKeyId: F.loginUser.accessKeyId, secretAccessKey: F.loginUser.secretAccessKey, userName: F.loginUser.userName, status: 'Active', createDate: d(280),
        lastUsed: { date: d(1), serviceName: 's3', region: WEST },
      },
      [F.loginUser.attackerKeyId]: {
        accessKeyId: F.loginUser.attackerKeyId, secretAccessKey: F.loginUser.attackerKeySecret, userName: F.loginUser.userName, status: 'Active', createDate: isoSec(t.secondKey),
        lastUsed: { date: isoSec(t.secondKey + MINUTE), serviceName: 's3', region: WEST },
      },
    },
    sessions: {
      [F.compromised.sessionKeyId]: {
        arn: compromisedArn, userId: F.compromised.userId, parentUser: F.compromised.userName, issuedAt: isoSec(t.session), expiresAt: sessionExpires(t.session), secretAccessKey: F.compromised.sessionSecret,
      },
      [F.backdoor.sessionKeyId]: {
        arn: backdoorArn, userId: F.backdoor.userId, parentUser: F.backdoor.userName, issuedAt: isoSec(t.backdoorSession), expiresAt: sessionExpires(t.backdoorSession), secretAccessKey: F.backdoor.sessionSecret,
      },
    },
  };
}

const THREAT_IP_DETAILS = {
  ipAddressV4: F.threatListIp, city: { cityName: 'Amsterdam' }, country: { countryCode: 'NL', countryName: 'Netherlands' }, geoLocation: { lat: 52.3759, lon: 4.8975 },
  organization: { asn: '64500', asnOrg: 'EXAMPLE-HOSTING-AS', isp: 'Example Hosting B.V.', org: 'Example Hosting' },
};

function findings(t: Times): GuardDutyFinding[] {
  const det = F.detectors[WEST] as string;
  const key = { resourceType: 'AccessKey', accessKeyDetails: { accessKeyId: F.compromised.accessKeyId, principalId: F.compromised.userId, userName: F.compromised.userName, userType: 'IAMUser' } };
  const apiCall = (api: string, serviceName: string): Record<string, unknown> => ({
    actionType: 'AWS_API_CALL',
    awsApiCallAction: { api, serviceName, callerType: 'Remote IP', userAgent: F.attackerUserAgent, remoteIpDetails: THREAT_IP_DETAILS, affectedResources: {} },
  });
  const first = t.ssmCalls[0] ?? t.lastThreatCall;
  return [
    finding({
      id: F.findings.maliciousIp, type: 'UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom', severity: 5, accountId: ACCT, region: WEST, detectorId: det,
      title: 'API GetParameters was invoked from an IP address on a custom threat list.',
      description: `API GetParameters, commonly used to access resources in an AWS environment, was invoked from IP address ${F.threatListIp} on the custom threat list ${F.threatListName}. The credentials of IAM user ${F.compromised.userName} may be compromised.`,
      resource: key, action: apiCall('GetParameters', 'ssm.amazonaws.com'),
      evidence: { threatIntelligenceDetails: [{ threatListName: F.threatListName, threatNames: [] }] }, additionalInfo: { threatListName: F.threatListName },
      count: t.ssmCalls.length, firstSeen: first, lastSeen: t.lastThreatCall, createdAt: first + 5 * MINUTE + 4_321, updatedAt: t.lastThreatCall + 40 * SECOND,
    }),
    finding({
      id: F.findings.loggingDisabled, type: 'Stealth:IAMUser/CloudTrailLoggingDisabled', severity: 2, accountId: ACCT, region: WEST, detectorId: det,
      title: `AWS CloudTrail trail ${F.trail.name} was disabled.`,
      description: `AWS CloudTrail trail ${F.trail.name} was disabled by ${F.compromised.userName} calling StopLogging under unusual circumstances. This can be attackers attempt to cover their tracks by eliminating any trace of activity performed while they accessed your account.`,
      resource: key, action: apiCall('StopLogging', 'cloudtrail.amazonaws.com'),
      count: 1, firstSeen: t.stopLogging, lastSeen: t.stopLogging, createdAt: t.stopLogging + 6 * MINUTE, updatedAt: t.stopLogging + 6 * MINUTE,
    }),
  ];
}

export function buildPersistence(nowDate: Date): World {
  const now = nowDate.getTime();
  const base = Math.floor(now / MINUTE) * MINUTE;
  const ctx: Ctx = { rng: prng(0x9e_75_15_7e), events: { [WEST]: [], [EAST]: [] } };
  legitimate(ctx, base, base - T.reconMinutesBeforeNow * MINUTE);
  const t = attack(ctx, base, now);
  const regions: Record<string, RegionData> = {};
  for (const r of [WEST, EAST]) {
    regions[r] = {
      ...emptyRegion(),
      detector: {
        detectorId: F.detectors[r] as string, createdAt: iso(now - 365 * DAY), updatedAt: iso(now - 30 * DAY), status: 'ENABLED',
        findingPublishingFrequency: 'FIFTEEN_MINUTES', tags: {},
      },
      findings: r === WEST ? findings(t) : [],
      events: (ctx.events[r] ?? []).sort((a, b) => (a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : 0)),
    };
  }
  (regions[WEST] as RegionData).trails = {
    [F.trail.name]: {
      name: F.trail.name, arn: trailArn, homeRegion: WEST, s3BucketName: F.trail.bucket, isMultiRegionTrail: true, includeGlobalServiceEvents: true,
      logFileValidationEnabled: true, isOrganizationTrail: false, hasCustomEventSelectors: false, hasInsightSelectors: false,
      isLogging: false, startLoggingTime: isoSec(now - 300 * DAY), stopLoggingTime: isoSec(t.stopLogging),
    },
  };
  return { scenario: 'persistence', anchor: iso(now), accountId: ACCT, regions, iam: buildIam(now, t) };
}

/** The trust policy deploy-role had before the attack (tests compare the restored document with it). */
export const PERSISTENCE_TRUST_BEFORE = TRUST_BEFORE;
