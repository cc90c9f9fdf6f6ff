/**
 * The `workshop` scenario: the GuardDuty workshop's "Compromised IAM credentials (simulated)" (scenario 2),
 * with scenario 1 (compromised EC2 instance) and scenario 3 (instance credential exfiltration) around it.
 * Every time is relative to `now` (the anchor). See docs/scenarios.md for the story in an analyst's words.
 */
import type { CloudTrailRecord, GuardDutyFinding, IamData, IamGroup, IamRole, IamUser, ManagedPolicy, RegionData, World } from '../model.js';
import { WORKSHOP as F } from './workshop-facts.js';
import { responseElementTime } from '../recorder.js';
import type { CallSpec, Rng } from './util.js';
import { DAY, HOUR, MINUTE, ctEvent, deniedMessage, emptyRegion, finding, iso, isoSec, managedPolicy, policyDoc, prng } from './util.js';

const ACCT = F.accountId;
const WEST = F.homeRegion;
const EAST = F.globalRegion;
const SECOND = 1000;

/** Timeline constants (exported for tests and docs). */
export const WORKSHOP_TIMELINE = {
  /** Number of attacker cron runs (one a minute). */
  cronRuns: 40,
  /** The first cron run starts this many minutes before `now` floored to the minute. */
  firstRunMinutesBeforeNow: 41,
  /** The calls each cron run makes, in order, one second apart starting 2 s after the minute. */
  cronCalls: ['GetUser', 'CreateUser', 'ListTables', 'ListBuckets', 'DescribeParameters', 'GetParameters', 'ListObjects'] as const,
  /** The CI job's cadence with the compromised key (legitimate use). */
  ciEveryMinutes: 30,
  /** Legitimate use is generated from this many days before the attack. */
  ciDaysBeforeAttack: 7,
  /** GetSessionToken happens this many minutes (plus 31 s) before `now` floored to the minute. */
  getSessionTokenMinutesBeforeNow: 30,
} as const;

// ---------------------------------------------------------------------------------------------------------------
// Principals

const compromisedArn = `arn:aws:iam::${ACCT}:user/${F.compromised.userName}`;
const analystArn = `arn:aws:iam::${ACCT}:user/${F.analyst.userName}`;
const aliceArn = `arn:aws:iam::${ACCT}:user/${F.developer.userName}`;
const roleArn = `arn:aws:iam::${ACCT}:role/${F.role.roleName}`;
const roleSessionArn = `arn:aws:sts::${ACCT}:assumed-role/${F.role.roleName}/${F.role.instanceId}`;
const adminSessionArn = `arn:aws:sts::${ACCT}:assumed-role/OrganizationAccountAccessRole/admin-bob`;

function userIdentity(userName: string, userId: string, arn: string, accessKeyId: string): CloudTrailRecord['userIdentity'] {
  return { type: 'IAMUser', principalId: userId, arn, accountId: ACCT, accessKeyId, userName };
}

const compromisedIdentity = userIdentity(F.compromised.userName, F.compromised.userId, compromisedArn, F.compromised.accessKeyId);
const analystIdentity = userIdentity(F.analyst.userName, F.analyst.userId, analystArn, F.analyst.accessKeyId);
const aliceIdentity = userIdentity(F.developer.userName, F.developer.userId, aliceArn, F.developer.accessKeyId);

function derivedIdentity(issuedAt: number): CloudTrailRecord['userIdentity'] {
  return {
    ...userIdentity(F.compromised.userName, F.compromised.userId, compromisedArn, F.compromised.derivedSessionKeyId),
    sessionContext: { attributes: { creationDate: isoSec(issuedAt), mfaAuthenticated: 'false' } },
  };
}

function roleIdentity(issuedAt: number): CloudTrailRecord['userIdentity'] {
  return {
    type: 'AssumedRole',
    principalId: `${F.role.roleId}:${F.role.instanceId}`,
    arn: roleSessionArn,
    accountId: ACCT,
    accessKeyId: F.role.sessionKeyId,
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: F.role.roleId, arn: roleArn, accountId: ACCT, userName: F.role.roleName },
      attributes: { creationDate: isoSec(issuedAt), mfaAuthenticated: 'false' },
      ec2RoleDelivery: '2.0',
    },
  };
}

const adminIdentity: CloudTrailRecord['userIdentity'] = {
  type: 'AssumedRole',
  principalId: 'AROAQADMINROLE0EXAMPL:admin-bob',
  arn: adminSessionArn,
  accountId: ACCT,
  accessKeyId: 'ASIAQADMINSESSION0EX',
  sessionContext: {
    sessionIssuer: {
      type: 'Role',
      principalId: 'AROAQADMINROLE0EXAMPL',
      arn: `arn:aws:iam::${ACCT}:role/OrganizationAccountAccessRole`,
      accountId: ACCT,
      userName: 'OrganizationAccountAccessRole',
    },
    attributes: { mfaAuthenticated: 'true' },
  },
};

const rootIdentity: CloudTrailRecord['userIdentity'] = { type: 'Root', principalId: ACCT, arn: `arn:aws:iam::${ACCT}:root`, accountId: ACCT };

// ---------------------------------------------------------------------------------------------------------------
// Geo / network facts used in findings

const THREAT_IP_DETAILS = {
  ipAddressV4: F.threatListIp,
  city: { cityName: 'Amsterdam' },
  country: { countryCode: 'NL', countryName: 'Netherlands' },
  geoLocation: { lat: 52.3759, lon: 4.8975 },
  organization: { asn: '64500', asnOrg: 'EXAMPLE-HOSTING-AS', isp: 'Example Hosting B.V.', org: 'Example Hosting' },
};
const EXFIL_IP_DETAILS = {
  ipAddressV4: F.role.exfilIp,
  city: { cityName: 'Bucharest' },
  country: { countryCode: 'RO', countryName: 'Romania' },
  geoLocation: { lat: 44.4268, lon: 26.1025 },
  organization: { asn: '64501', asnOrg: 'EXAMPLE-VPS-NET', isp: 'Example VPS SRL', org: 'Example VPS' },
};
const ROOT_IP_DETAILS = {
  ipAddressV4: '203.0.113.77',
  city: { cityName: 'Seattle' },
  country: { countryCode: 'US', countryName: 'United States' },
  geoLocation: { lat: 47.6062, lon: -122.3321 },
  organization: { asn: '64496', asnOrg: 'EXAMPLE-CORP-AS', isp: 'Example Corp ISP', org: 'Example Corp' },
};
const BRUTE_IP_DETAILS = {
  ipAddressV4: '198.51.100.201',
  city: { cityName: 'Sao Paulo' },
  country: { countryCode: 'BR', countryName: 'Brazil' },
  geoLocation: { lat: -23.5505, lon: -46.6333 },
  organization: { asn: '64502', asnOrg: 'EXAMPLE-BROADBAND', isp: 'Example Broadband', org: 'Example Broadband' },
};
const SCANNER_IP_DETAILS = {
  ipAddressV4: '192.0.2.33',
  city: { cityName: 'Frankfurt am Main' },
  country: { countryCode: 'DE', countryName: 'Germany' },
  geoLocation: { lat: 50.1109, lon: 8.6821 },
  organization: { asn: '64503', asnOrg: 'EXAMPLE-SCAN-AS', isp: 'Example Scanning GmbH', org: 'Example Scanning' },
};

/** The compromised instance's public IP (legitimate role use comes from here). */
const COMPROMISED_INSTANCE_PUBLIC_IP = '54.214.10.21';
const COMPROMISED_INSTANCE_PRIVATE_IP = '10.0.1.21';

const ANALYST_USER_AGENT = 'gd-ir/0.1.0 aws-sdk-js/3.1169.0 ua/2.1 os/linux lang/js md/nodejs#20.19.0';
const ADMIN_USER_AGENT = 'AWS Internal';

// ---------------------------------------------------------------------------------------------------------------
// Builders

interface Ctx {
  rng: Rng;
  now: number;
  events: Record<string, CloudTrailRecord[]>;
}

function add(ctx: Ctx, c: CallSpec): CloudTrailRecord {
  const ev = ctEvent(ctx.rng, ACCT, c);
  (ctx.events[c.region] ??= []).push(ev);
  return ev;
}

/** Times of the attacker's cron runs (start of each minute). */
export function cronRunStarts(now: Date): number[] {
  const base = Math.floor(now.getTime() / MINUTE) * MINUTE;
  const runs: number[] = [];
  for (let i = 0; i < WORKSHOP_TIMELINE.cronRuns; i++) runs.push(base - (WORKSHOP_TIMELINE.firstRunMinutesBeforeNow - i) * MINUTE);
  return runs;
}

function attackerCron(ctx: Ctx, runs: number[]): void {
  const ua = F.attackerUserAgent;
  const ip = F.threatListIp;
  const id = compromisedIdentity;
  for (const run of runs) {
    let t = run + 2 * SECOND;
    add(ctx, {
      at: t, region: EAST, service: 'iam', name: 'GetUser', ip, userAgent: ua, identity: id, readOnly: true, request: null,
      error: { code: 'AccessDenied', message: deniedMessage(compromisedArn, 'iam:GetUser', compromisedArn) },
    });
    t += SECOND;
    const newUser = 'backdoor-admin';
    add(ctx, {
      at: t, region: EAST, service: 'iam', name: 'CreateUser', ip, userAgent: ua, identity: id, readOnly: false,
      request: { userName: newUser },
      error: { code: 'AccessDenied', message: deniedMessage(compromisedArn, 'iam:CreateUser', `arn:aws:iam::${ACCT}:user/${newUser}`) },
    });
    t += SECOND;
    add(ctx, {
      at: t, region: WEST, service: 'dynamodb', name: 'ListTables', ip, userAgent: ua, identity: id, readOnly: true, request: null,
      error: { code: 'AccessDeniedException', message: deniedMessage(compromisedArn, 'dynamodb:ListTables', `arn:aws:dynamodb:${WEST}:${ACCT}:table/*`) },
    });
    t += SECOND;
    add(ctx, {
      at: t, region: WEST, service: 's3', name: 'ListBuckets', ip, userAgent: ua, identity: id, readOnly: true,
      request: { Host: `s3.${WEST}.amazonaws.com` },
      error: { code: 'AccessDenied', message: 'Access Denied' },
    });
    t += SECOND;
    add(ctx, {
      at: t, region: WEST, service: 'ssm', name: 'DescribeParameters', ip, userAgent: ua, identity: id, readOnly: true, request: null,
    });
    t += SECOND;
    add(ctx, {
      at: t, region: WEST, service: 'ssm', name: 'GetParameters', ip, userAgent: ua, identity: id, readOnly: true,
      request: { names: ['/prod/app/db-password', '/prod/app/api-key', '/ci/deploy/db-host'], withDecryption: true },
      resources: [
        { ARN: `arn:aws:ssm:${WEST}:${ACCT}:parameter/prod/app/db-password`, accountId: ACCT },
        { ARN: `arn:aws:ssm:${WEST}:${ACCT}:parameter/prod/app/api-key`, accountId: ACCT },
        { ARN: `arn:aws:ssm:${WEST}:${ACCT}:parameter/ci/deploy/db-host`, accountId: ACCT },
      ],
    });
    t += SECOND;
    add(ctx, {
      at: t, region: WEST, service: 's3', name: 'ListObjects', ip, userAgent: ua, identity: id, readOnly: true,
      request: { bucketName: 'example-corp-prod-backups', Host: 'example-corp-prod-backups.s3.us-west-2.amazonaws.com', 'encoding-type': 'url' },
      error: { code: 'AccessDenied', message: 'Access Denied' },
      resources: [{ type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::example-corp-prod-backups' }],
    });
  }
}

/**
 * Console sign-ins in the real record shape (CloudTrail User Guide, "AWS Management Console sign-in events";
 * test/fixtures/real/cloudtrail/docs-consolelogin-*.json): eventType AwsConsoleSignIn, requestParameters null,
 * responseElements {ConsoleLogin: "Success" | "Failure"}, and for a failure an errorMessage with no errorCode.
 * Where each lands follows that page: dev-alice through the global endpoint with her alias cookie → us-east-2;
 * the password guesses (no cookie) and the root user → us-east-1.
 */
function consoleSignIns(ctx: Ctx, base: number, now: number, rootCallAt: number): void {
  const loginTo = 'https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true';
  const dev = F.developer;
  const aliceSignIn: CloudTrailRecord['userIdentity'] = { type: 'IAMUser', principalId: dev.userId, arn: aliceArn, accountId: ACCT, userName: dev.userName };
  const signIn = (at: number, region: string, ip: string, userAgent: string, identity: CloudTrailRecord['userIdentity'], ok: boolean, mfa?: string): void => {
    if (at >= now) return;
    add(ctx, {
      at, region, service: 'signin', name: 'ConsoleLogin', ip, userAgent, identity, readOnly: false, request: null,
      response: { ConsoleLogin: ok ? 'Success' : 'Failure' },
      ...(ok ? {} : { errorMessage: 'Failed authentication' }),
      additionalEventData: { LoginTo: loginTo, MobileVersion: 'No', ...(mfa ? { MFAIdentifier: mfa } : {}), MFAUsed: mfa ? 'Yes' : 'No' },
      eventType: 'AwsConsoleSignIn',
    });
  };
  // dev-alice, each working day, a few minutes before her first call.
  for (let day = 5; day >= 1; day--) signIn(base - day * DAY + (9 * 60 + 12) * MINUTE, dev.signInRegion, dev.ip, dev.consoleUserAgent, aliceSignIn, true, dev.mfaSerial);
  // Someone guessing her password: failures only, 20 s apart. A failed sign-in names the user but has no ARN and an
  // empty accessKeyId (docs-consolelogin-iamuser-failure.json).
  const guess = F.passwordGuessing;
  const failedIdentity: CloudTrailRecord['userIdentity'] = { type: 'IAMUser', principalId: dev.userId, accountId: ACCT, accessKeyId: '', userName: dev.userName };
  for (let i = 0; i < guess.attempts; i++) signIn(base - DAY - 4 * HOUR + 7 * MINUTE + i * 20 * SECOND, EAST, guess.ip, guess.userAgent, failedIdentity, false);
  // Root signs in (always recorded in us-east-1) 41 s before the console calls GetAccountSummary for it.
  const rootSignIn = { ...rootIdentity, accessKeyId: '' };
  signIn(rootCallAt - 41 * SECOND, EAST, ROOT_IP_DETAILS.ipAddressV4, 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0', rootSignIn, true);
}

/** The CI job's legitimate use of the compromised key: every 30 minutes, from the corporate IP. */
function legitimateCi(ctx: Ctx, from: number, until: number): void {
  const step = WORKSHOP_TIMELINE.ciEveryMinutes * MINUTE;
  let i = 0;
  for (let slot = Math.ceil(from / step) * step; slot + 4 * SECOND < until; slot += step, i++) {
    const single = i % 2 === 1;
    add(ctx, {
      at: slot + 4 * SECOND, region: WEST, service: 'ssm', name: single ? 'GetParameter' : 'GetParameters',
      ip: F.corporateIp, userAgent: F.ciUserAgent, identity: compromisedIdentity, readOnly: true,
      request: single ? { name: '/ci/deploy/db-host', withDecryption: false } : { names: ['/ci/deploy/db-host', '/ci/deploy/db-password'], withDecryption: true },
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// IAM

const AWS_MANAGED_CREATED = '2015-02-06T18:41:01Z';

function buildIam(now: number, t: { lastAttackerSsm: number; derivedIssuedAt: number; roleIssuedAt: number; roleLastUsed: number; aliceLastUsed: number; analystLastUsed: number }): IamData {
  const d = (days: number): string => isoSec(now - days * DAY);

  const users: Record<string, IamUser> = {
    [F.compromised.userName]: {
      userName: F.compromised.userName,
      userId: F.compromised.userId,
      path: '/',
      arn: compromisedArn,
      createDate: d(400),
      tags: [
        { Key: 'Owner', Value: 'ci-pipeline' },
        { Key: 'Project', Value: 'GuardDuty-Example' },
      ],
      inlinePolicies: {
        [F.compromised.inlinePolicyName]: policyDoc([
          { Effect: 'Allow', Action: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:DescribeParameters'], Resource: '*' },
        ]),
      },
      attachedPolicyArns: [],
      groups: [],
    },
    [F.analyst.userName]: {
      userName: F.analyst.userName,
      userId: F.analyst.userId,
      path: '/security/',
      arn: analystArn,
      createDate: d(300),
      passwordLastUsed: d(1),
      tags: [{ Key: 'Team', Value: 'incident-response' }],
      inlinePolicies: {
        'ir-analyst-containment': policyDoc([
          {
            Sid: 'Containment',
            Effect: 'Allow',
            Action: ['iam:UpdateAccessKey', 'iam:PutUserPolicy', 'iam:DeleteUserPolicy', 'guardduty:ArchiveFindings'],
            Resource: '*',
          },
        ]),
      },
      attachedPolicyArns: ['arn:aws:iam::aws:policy/SecurityAudit'],
      groups: [],
    },
    [F.developer.userName]: {
      userName: F.developer.userName,
      userId: F.developer.userId,
      path: '/',
      arn: aliceArn,
      createDate: d(250),
      passwordLastUsed: d(1),
      permissionsBoundaryArn: `arn:aws:iam::${ACCT}:policy/${F.developer.boundaryPolicyName}`,
      tags: [
        { Key: 'Department', Value: 'engineering' },
        { Key: 'CostCenter', Value: 'cc-4711' },
      ],
      inlinePolicies: {
        'alice-guardrails': policyDoc([
          {
            Sid: 'NeverTouchTheTrail',
            Effect: 'Deny',
            Action: ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'iam:CreateAccessKey'],
            Resource: '*',
          },
          {
            Sid: 'ScratchBucketFromOffice',
            Effect: 'Allow',
            Action: ['s3:PutObject', 's3:DeleteObject'],
            Resource: 'arn:aws:s3:::example-corp-alice-scratch/*',
            Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' }, Bool: { 'aws:SecureTransport': 'true' } },
          },
        ]),
      },
      attachedPolicyArns: [`arn:aws:iam::${ACCT}:policy/DeveloperPowerUser`, 'arn:aws:iam::aws:policy/ReadOnlyAccess'],
      groups: [F.developer.groupName],
    },
  };

  const groups: Record<string, IamGroup> = {
    [F.developer.groupName]: {
      groupName: F.developer.groupName,
      groupId: F.developer.groupId,
      path: '/',
      arn: `arn:aws:iam::${ACCT}:group/${F.developer.groupName}`,
      createDate: d(380),
      inlinePolicies: {
        'developers-dev-secrets': policyDoc([
          { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `arn:aws:secretsmanager:${WEST}:${ACCT}:secret:dev/*` },
        ]),
      },
      attachedPolicyArns: ['arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess'],
    },
  };

  const roles: Record<string, IamRole> = {
    [F.role.roleName]: {
      roleName: F.role.roleName,
      roleId: F.role.roleId,
      path: '/',
      arn: roleArn,
      createDate: d(180),
      description: 'Instance role of the GuardDuty example web server',
      maxSessionDuration: 3600,
      assumeRolePolicyDocument: policyDoc([
        { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ]),
      tags: [{ Key: 'Project', Value: 'GuardDuty-Example' }],
      lastUsed: { date: isoSec(t.roleLastUsed), region: WEST },
      inlinePolicies: {
        'GuardDuty-Example-EC2-Describe': policyDoc([{ Effect: 'Allow', Action: ['ec2:Describe*'], Resource: '*' }]),
      },
      attachedPolicyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'],
    },
  };

  const mp = (p: ManagedPolicy): [string, ManagedPolicy] => [p.arn, p];
  const managedPolicies: Record<string, ManagedPolicy> = Object.fromEntries([
    mp(managedPolicy({
      name: 'SecurityAudit', id: 'ANPAIX2T3QCXHR2OGGCTO', arn: 'arn:aws:iam::aws:policy/SecurityAudit',
      description: 'The security audit template grants access to read security configuration metadata.',
      createDate: AWS_MANAGED_CREATED, defaultVersionId: 'v1', attachmentCount: 1,
      versions: [{
        versionId: 'v1', createDate: AWS_MANAGED_CREATED,
        document: policyDoc([{
          Effect: 'Allow',
          Action: [
            'cloudtrail:DescribeTrails', 'cloudtrail:GetEventSelectors', 'cloudtrail:GetTrailStatus', 'cloudtrail:LookupEvents',
            'guardduty:Get*', 'guardduty:List*', 'iam:GenerateCredentialReport', 'iam:Get*', 'iam:List*', 'iam:SimulateCustomPolicy',
            'ec2:Describe*', 's3:GetBucketPolicy', 's3:GetBucketPublicAccessBlock', 's3:ListAllMyBuckets', 'sts:GetCallerIdentity',
          ],
          Resource: '*',
        }]),
      }],
    })),
    mp(managedPolicy({
      name: 'ReadOnlyAccess', id: 'ANPAILL3HVNFSB6DCOWYQ', arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      description: 'Provides read-only access to AWS services and resources.',
      createDate: AWS_MANAGED_CREATED, defaultVersionId: 'v1', attachmentCount: 1,
      versions: [{
        versionId: 'v1', createDate: AWS_MANAGED_CREATED,
        document: policyDoc([{
          Effect: 'Allow',
          Action: ['cloudwatch:Describe*', 'cloudwatch:Get*', 'cloudwatch:List*', 'ec2:Describe*', 'iam:Get*', 'iam:List*',
            'lambda:Get*', 'lambda:List*', 'logs:Describe*', 'logs:Get*', 's3:Get*', 's3:List*', 'ssm:Describe*', 'ssm:Get*', 'ssm:List*'],
          Resource: '*',
        }]),
      }],
    })),
    mp(managedPolicy({
      name: 'AmazonSSMReadOnlyAccess', id: 'ANPAJODSKQGGJTHRYZ5FC', arn: 'arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess',
      description: 'Provides read only access to Amazon SSM.',
      createDate: '2015-05-29T17:44:19Z', defaultVersionId: 'v1', attachmentCount: 1,
      versions: [{
        versionId: 'v1', createDate: '2015-05-29T17:44:19Z',
        document: policyDoc([{ Effect: 'Allow', Action: ['ssm:Describe*', 'ssm:Get*', 'ssm:List*'], Resource: '*' }]),
      }],
    })),
    mp(managedPolicy({
      name: 'AmazonS3ReadOnlyAccess', id: 'ANPAIZTJ4DXE7G6AGAE6M', arn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
      description: 'Provides read only access to all buckets via the AWS Management Console.',
      createDate: AWS_MANAGED_CREATED, defaultVersionId: 'v1', attachmentCount: 1,
      versions: [{
        versionId: 'v1', createDate: AWS_MANAGED_CREATED,
        document: policyDoc([{ Effect: 'Allow', Action: ['s3:Get*', 's3:List*', 's3-object-lambda:Get*', 's3-object-lambda:List*'], Resource: '*' }]),
      }],
    })),
    mp(managedPolicy({
      name: 'DeveloperPowerUser', id: 'ANPAQDEVPOWERUSER0EXM', arn: `arn:aws:iam::${ACCT}:policy/DeveloperPowerUser`,
      description: 'Day-to-day developer permissions',
      createDate: d(240), defaultVersionId: 'v2', attachmentCount: 1,
      versions: [
        {
          versionId: 'v1', createDate: d(240),
          document: policyDoc([{ Effect: 'Allow', Action: ['ec2:*', 's3:*'], Resource: '*' }]),
        },
        {
          versionId: 'v2', createDate: d(60),
          document: policyDoc([
            { Sid: 'Build', Effect: 'Allow', Action: ['ec2:*', 's3:*', 'lambda:*', 'ssm:Get*'], Resource: '*' },
            { Sid: 'PassAppRoles', Effect: 'Allow', Action: 'iam:PassRole', Resource: `arn:aws:iam::${ACCT}:role/app-*` },
          ]),
        },
      ],
    })),
    mp(managedPolicy({
      name: F.developer.boundaryPolicyName, id: 'ANPAQDEVBOUNDARY0EXMP', arn: `arn:aws:iam::${ACCT}:policy/${F.developer.boundaryPolicyName}`,
      description: 'Permissions boundary for developers: no IAM, no Lambda',
      createDate: d(245), defaultVersionId: 'v1', attachmentCount: 0, permissionsBoundaryUsageCount: 1,
      versions: [{
        versionId: 'v1', createDate: d(245),
        document: policyDoc([{ Effect: 'Allow', Action: ['ec2:*', 's3:*', 'ssm:*', 'logs:*', 'cloudwatch:*'], Resource: '*' }]),
      }],
    })),
  ]);

  const derivedExpires = t.derivedIssuedAt + 12 * HOUR;
  const roleExpires = t.roleIssuedAt + 6 * HOUR;
  return {
    users,
    groups,
    roles,
    managedPolicies,
    accessKeys: {
      [F.compromised.accessKeyId]: {
        accessKeyId: F.compromised.accessKeyId, secretAccessKey: F.compromised.secretAccessKey, userName: F.compromised.userName,
        status: 'Active', createDate: d(200), lastUsed: { date: isoSec(t.lastAttackerSsm), serviceName: 'ssm', region: WEST },
      },
      [F.analyst.accessKeyId]: {
        accessKeyId: F.analyst.accessKeyId, secretAccessKey: F.analyst.secretAccessKey, userName: F.analyst.userName,
        status: 'Active', createDate: d(90), lastUsed: { date: isoSec(t.analystLastUsed), serviceName: 'guardduty', region: WEST },
      },
      [F.developer.accessKeyId]: {
        accessKeyId: F.developer.accessKeyId, secretAccessKey: F.developer.secretAccessKey, userName: F.developer.userName,
        status: 'Active', createDate: d(120), lastUsed: { date: isoSec(t.aliceLastUsed), serviceName: 'ec2', region: WEST },
      },
      [F.developer.inactiveAccessKeyId]: {
        accessKeyId: F.developer.inactiveAccessKeyId, secretAccessKey: 'sandbox/dev-alice/old-secret/not-a-real-key/000', userName: F.developer.userName,
        status: 'Inactive', createDate: d(240), lastUsed: { date: d(130), serviceName: 's3', region: WEST },
      },
      [F.compromised.derivedSessionKeyId]: {
        accessKeyId: F.compromised.derivedSessionKeyId, secretAccessKey: F.compromised.derivedSessionSecret, userName: F.compromised.userName,
        status: 'Active', createDate: isoSec(t.derivedIssuedAt),
      },
      [F.role.sessionKeyId]: {
        accessKeyId: F.role.sessionKeyId, secretAccessKey: F.role.sessionSecret, userName: F.role.roleName,
        status: 'Active', createDate: isoSec(t.roleIssuedAt),
      },
    },
    sessions: {
      [F.compromised.derivedSessionKeyId]: {
        arn: compromisedArn, userId: F.compromised.userId, parentUser: F.compromised.userName,
        issuedAt: isoSec(t.derivedIssuedAt), expiresAt: isoSec(derivedExpires), secretAccessKey: F.compromised.derivedSessionSecret,
      },
      [F.role.sessionKeyId]: {
        arn: roleSessionArn, userId: `${F.role.roleId}:${F.role.instanceId}`, roleName: F.role.roleName,
        issuedAt: isoSec(t.roleIssuedAt), expiresAt: isoSec(roleExpires), secretAccessKey: F.role.sessionSecret,
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Findings helpers

function accessKeyResource(accessKeyId: string, principalId: string, userName: string, userType: string): GuardDutyFinding['resource'] {
  return { resourceType: 'AccessKey', accessKeyDetails: { accessKeyId, principalId, userName, userType } };
}

function apiCall(api: string, serviceName: string, userAgent: string, remote: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    actionType: 'AWS_API_CALL',
    awsApiCallAction: { api, serviceName, callerType: 'Remote IP', userAgent, remoteIpDetails: remote, affectedResources: {}, ...extra },
  };
}

function instanceDetails(o: {
  instanceId: string; type: string; name: string; publicIp: string; privateIp: string; launchedDaysAgo: number; now: number;
  profile?: { name: string; id: string }; extraTags?: Array<{ key: string; value: string }>;
}): Record<string, unknown> {
  const eni = `eni-0${o.instanceId.slice(3, 19)}`;
  const details: Record<string, unknown> = {
    instanceId: o.instanceId,
    instanceType: o.type,
    instanceState: 'running',
    launchTime: iso(o.now - o.launchedDaysAgo * DAY),
    availabilityZone: 'us-west-2a',
    imageId: 'ami-0c2ab3b8efb09f272',
    imageDescription: 'Amazon Linux 2 AMI 2.0.20240131.0 x86_64 HVM gp2',
    platform: null,
    productCodes: [],
    tags: [{ key: 'Name', value: o.name }, ...(o.extraTags ?? [])],
    networkInterfaces: [{
      networkInterfaceId: eni,
      privateDnsName: `ip-${o.privateIp.replaceAll('.', '-')}.us-west-2.compute.internal`,
      privateIpAddress: o.privateIp,
      privateIpAddresses: [{ privateDnsName: `ip-${o.privateIp.replaceAll('.', '-')}.us-west-2.compute.internal`, privateIpAddress: o.privateIp }],
      publicDnsName: `ec2-${o.publicIp.replaceAll('.', '-')}.us-west-2.compute.amazonaws.com`,
      publicIp: o.publicIp,
      securityGroups: [{ groupId: 'sg-0a1b2c3d4e5f60718', groupName: 'GuardDuty-Example-SG' }],
      subnetId: 'subnet-0a1b2c3d4e5f6a7b8',
      vpcId: 'vpc-0a1b2c3d4e5f6a7b8',
      ipv6Addresses: [],
    }],
  };
  if (o.profile) details.iamInstanceProfile = { arn: `arn:aws:iam::${ACCT}:instance-profile/${o.profile.name}`, id: o.profile.id };
  return details;
}

// ---------------------------------------------------------------------------------------------------------------

export function buildWorkshop(nowDate: Date): World {
  const now = nowDate.getTime();
  const base = Math.floor(now / MINUTE) * MINUTE;
  const ctx: Ctx = { rng: prng(0x6d_0b_5e_ed), now, events: { [WEST]: [], [EAST]: [] } };
  const T = WORKSHOP_TIMELINE;

  // --- scenario 2: the attacker's cron and the legitimate CI job -------------------------------------------------
  const runs = cronRunStarts(nowDate);
  const firstRun = runs[0] as number;
  const lastRun = runs[runs.length - 1] as number;
  const attackStart = firstRun + 2 * SECOND;
  const callAt = (run: number, name: (typeof T.cronCalls)[number]): number => run + (2 + T.cronCalls.indexOf(name)) * SECOND;
  const lastAttackerSsm = callAt(lastRun, 'GetParameters');

  // Older than 90 days: the user's creation by an admin, the key's creation, some early CI use.
  add(ctx, {
    at: now - 400 * DAY, region: EAST, service: 'iam', name: 'CreateUser', ip: 'cloudformation.amazonaws.com', userAgent: 'cloudformation.amazonaws.com',
    identity: adminIdentity, readOnly: false, request: { userName: F.compromised.userName, path: '/' },
    response: { user: { path: '/', userName: F.compromised.userName, userId: F.compromised.userId, arn: compromisedArn, createDate: responseElementTime(new Date(now - 400 * DAY), { comma: false }) } },
  });
  add(ctx, {
    at: now - 400 * DAY + 5 * SECOND, region: EAST, service: 'iam', name: 'PutUserPolicy', ip: 'cloudformation.amazonaws.com', userAgent: 'cloudformation.amazonaws.com',
    identity: adminIdentity, readOnly: false, request: { userName: F.compromised.userName, policyName: F.compromised.inlinePolicyName, policyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:GetParameter","ssm:GetParameters","ssm:DescribeParameters"],"Resource":"*"}]}' },
  });
  add(ctx, {
    at: now - 200 * DAY, region: EAST, service: 'iam', name: 'CreateAccessKey', ip: F.corporateIp, userAgent: ADMIN_USER_AGENT,
    identity: adminIdentity, readOnly: false, request: { userName: F.compromised.userName },
    response: { accessKey: { userName: F.compromised.userName, accessKeyId: F.compromised.accessKeyId, status: 'Active', createDate: responseElementTime(new Date(now - 200 * DAY), { comma: false }) } },
  });
  for (const daysAgo of [150, 120, 100, 95]) {
    add(ctx, {
      at: now - daysAgo * DAY + 4 * SECOND, region: WEST, service: 'ssm', name: 'GetParameters', ip: F.corporateIp, userAgent: F.ciUserAgent,
      identity: compromisedIdentity, readOnly: true, request: { names: ['/ci/deploy/db-host', '/ci/deploy/db-password'], withDecryption: true },
    });
  }

  legitimateCi(ctx, attackStart - T.ciDaysBeforeAttack * DAY, lastAttackerSsm);
  attackerCron(ctx, runs);

  // GetSessionToken by the attacker, then a few calls with the derived ASIA key.
  const derivedIssuedAt = base - T.getSessionTokenMinutesBeforeNow * MINUTE + 31 * SECOND;
  add(ctx, {
    at: derivedIssuedAt, region: EAST, service: 'sts', name: 'GetSessionToken', ip: F.threatListIp, userAgent: F.attackerUserAgent,
    identity: compromisedIdentity, readOnly: true, request: { durationSeconds: 43200 },
    response: {
      credentials: {
        accessKeyId: F.compromised.derivedSessionKeyId,
        sessionToken: 'REDACTED-sandbox-session-token-not-a-real-token',
        // CloudTrail's own text for it: "Jul 30, 2024, 9:46:15 PM", UTC without a zone (recorder.ts).
        expiration: responseElementTime(new Date(derivedIssuedAt + 12 * HOUR)),
      },
    },
  });
  const derivedId = derivedIdentity(derivedIssuedAt);
  add(ctx, {
    at: derivedIssuedAt + 9 * SECOND, region: EAST, service: 'sts', name: 'GetCallerIdentity', ip: F.threatListIp, userAgent: F.attackerUserAgent,
    identity: derivedId, readOnly: true, request: null,
  });
  const kaliTimes = [base - 28 * MINUTE + 33 * SECOND, base - 28 * MINUTE + 35 * SECOND];
  add(ctx, {
    at: kaliTimes[0] as number, region: WEST, service: 's3', name: 'ListBuckets', ip: F.threatListIp, userAgent: F.hostileUserAgent,
    identity: derivedId, readOnly: true, request: { Host: `s3.${WEST}.amazonaws.com` }, error: { code: 'AccessDenied', message: 'Access Denied' },
  });
  add(ctx, {
    at: kaliTimes[1] as number, region: WEST, service: 'ec2', name: 'DescribeInstances', ip: F.threatListIp, userAgent: F.hostileUserAgent,
    identity: derivedId, readOnly: true, request: { instancesSet: {}, filterSet: {} },
    error: { code: 'Client.UnauthorizedOperation', message: 'You are not authorized to perform this operation.' },
  });
  add(ctx, {
    at: base - 26 * MINUTE + 40 * SECOND, region: WEST, service: 'ssm', name: 'GetParameters', ip: F.threatListIp, userAgent: F.attackerUserAgent,
    identity: derivedId, readOnly: true, request: { names: ['/prod/app/db-password'], withDecryption: true },
  });
  // One attacker call with hostile requestParameters (long-term key).
  add(ctx, {
    at: base - 20 * MINUTE + 35 * SECOND, region: WEST, service: 'ssm', name: 'GetParameter', ip: F.threatListIp, userAgent: F.attackerUserAgent,
    identity: compromisedIdentity, readOnly: true, request: { name: F.hostileParameterName, withDecryption: true },
    error: { code: 'ParameterNotFound', message: 'Parameter not found.' },
  });

  // --- scenario 3: the role session, from the instance and from outside AWS --------------------------------------
  const roleIssuedAt = base - 3 * HOUR - 12 * MINUTE;
  const roleId = roleIdentity(roleIssuedAt);
  for (let i = 0; i < 6; i++) {
    add(ctx, {
      at: roleIssuedAt + (5 + i * 25) * MINUTE, region: WEST, service: 'ec2', name: 'DescribeInstances', ip: COMPROMISED_INSTANCE_PUBLIC_IP,
      userAgent: 'aws-cli/2.15.30 Python/3.11.8 Linux/6.1.72-96.166.amzn2023.x86_64 source/x86_64.amzn.2023', identity: roleId, readOnly: true,
      request: { instancesSet: { items: [{ instanceId: F.role.instanceId }] }, filterSet: {} },
    });
  }
  const exfilStart = base - 95 * MINUTE;
  const exfilCalls: Array<Omit<CallSpec, 'at' | 'ip' | 'userAgent' | 'identity'>> = [
    { region: EAST, service: 'sts', name: 'GetCallerIdentity', readOnly: true, request: null },
    { region: WEST, service: 's3', name: 'ListBuckets', readOnly: true, request: { Host: `s3.${WEST}.amazonaws.com` } },
    { region: WEST, service: 'ec2', name: 'DescribeInstances', readOnly: true, request: { instancesSet: {}, filterSet: {} } },
    {
      region: EAST, service: 'iam', name: 'ListAttachedRolePolicies', readOnly: true, request: { roleName: F.role.roleName },
      error: { code: 'AccessDenied', message: deniedMessage(roleSessionArn, 'iam:ListAttachedRolePolicies', roleArn) },
    },
    {
      region: WEST, service: 'secretsmanager', name: 'ListSecrets', readOnly: true, request: null,
      error: { code: 'AccessDeniedException', message: deniedMessage(roleSessionArn, 'secretsmanager:ListSecrets', '*') },
    },
    { region: WEST, service: 's3', name: 'ListBuckets', readOnly: true, request: { Host: `s3.${WEST}.amazonaws.com` } },
    { region: WEST, service: 's3', name: 'GetBucketAcl', readOnly: true, request: { bucketName: 'example-corp-prod-backups', Host: 'example-corp-prod-backups.s3.us-west-2.amazonaws.com', acl: '' } },
    { region: WEST, service: 'ec2', name: 'DescribeSecurityGroups', readOnly: true, request: { securityGroupSet: {}, filterSet: {} } },
    {
      region: WEST, service: 'ssm', name: 'DescribeParameters', readOnly: true, request: null,
      error: { code: 'AccessDeniedException', message: deniedMessage(roleSessionArn, 'ssm:DescribeParameters', `arn:aws:ssm:${WEST}:${ACCT}:*`) },
    },
  ];
  const exfilWest: number[] = [];
  exfilCalls.forEach((c, i) => {
    const at = exfilStart + i * 4 * MINUTE + 13 * SECOND;
    if (c.region === WEST) exfilWest.push(at);
    add(ctx, { ...c, at, ip: F.role.exfilIp, userAgent: F.role.exfilUserAgent, identity: roleId });
  });
  const roleLastUsed = Math.max(exfilStart + (exfilCalls.length - 1) * 4 * MINUTE + 13 * SECOND, roleIssuedAt + 130 * MINUTE);

  // --- dev-alice's ordinary work (a few dozen events over 5 days, both regions) ---------------------------------
  const aliceCalls: Array<Omit<CallSpec, 'at' | 'ip' | 'userAgent' | 'identity'>> = [
    { region: WEST, service: 'ec2', name: 'DescribeInstances', readOnly: true, request: { instancesSet: {}, filterSet: {} } },
    { region: WEST, service: 's3', name: 'ListBuckets', readOnly: true, request: { Host: `s3.${WEST}.amazonaws.com` } },
    { region: WEST, service: 'ssm', name: 'GetParameter', readOnly: true, request: { name: '/dev/app/feature-flags', withDecryption: false } },
    {
      region: WEST, service: 'lambda', name: 'ListFunctions20150331', readOnly: true, request: null,
      error: { code: 'AccessDeniedException', message: `User: ${aliceArn} is not authorized to perform: lambda:ListFunctions on resource: * because no permissions boundary allows the lambda:ListFunctions action` },
    },
    { region: EAST, service: 'logs', name: 'DescribeLogGroups', readOnly: true, request: { limit: 50 } },
    {
      region: EAST, service: 'iam', name: 'ListRoles', readOnly: true, request: null,
      error: { code: 'AccessDenied', message: `User: ${aliceArn} is not authorized to perform: iam:ListRoles on resource: arn:aws:iam::${ACCT}:role/ because no permissions boundary allows the iam:ListRoles action` },
    },
    { region: EAST, service: 'ec2', name: 'DescribeVpcs', readOnly: true, request: { vpcSet: {}, filterSet: {} } },
    { region: WEST, service: 'ec2', name: 'RunInstances', readOnly: false, request: { instanceType: 't3.micro', minCount: 1, maxCount: 1, imageId: 'ami-0c2ab3b8efb09f272' }, response: { reservationId: 'r-0a1b2c3d4e5f60718', ownerId: ACCT } },
    { region: WEST, service: 'cloudwatch', name: 'GetMetricData', readOnly: true, request: { startTime: '', endTime: '' } },
  ];
  let aliceLastUsed = 0;
  for (let day = 5; day >= 1; day--) {
    for (let k = 0; k < 7; k++) {
      const c = aliceCalls[(day * 7 + k) % aliceCalls.length] as Omit<CallSpec, 'at' | 'ip' | 'userAgent' | 'identity'>;
      const at = base - day * DAY + (9 * 60 + 17 + k * 53) * MINUTE + (k * 7) * SECOND;
      if (at >= now) continue;
      if (c.service === 'ec2' && c.region === WEST) aliceLastUsed = Math.max(aliceLastUsed, at);
      const spec: CallSpec = { ...c, at, ip: F.developer.ip, userAgent: F.developer.userAgent, identity: aliceIdentity };
      if (spec.name === 'GetMetricData') spec.request = { startTime: isoSec(at - HOUR), endTime: isoSec(at) };
      add(ctx, spec);
    }
  }
  // dev-alice long ago (hidden by the 90-day window).
  add(ctx, {
    at: now - 130 * DAY, region: WEST, service: 's3', name: 'ListBuckets', ip: F.developer.ip, userAgent: F.developer.userAgent,
    identity: { ...aliceIdentity, accessKeyId: F.developer.inactiveAccessKeyId }, readOnly: true, request: { Host: `s3.${WEST}.amazonaws.com` },
  });

  // --- root, two days ago -----------------------------------------------------------------------------------------
  const rootAt = base - 2 * DAY - 3 * HOUR + 12 * SECOND;
  add(ctx, {
    at: rootAt, region: EAST, service: 'iam', name: 'GetAccountSummary', ip: ROOT_IP_DETAILS.ipAddressV4,
    userAgent: 'AWS Internal', identity: rootIdentity, readOnly: true, request: null,
  });

  // --- the analyst's own recent read calls ------------------------------------------------------------------------
  const analystCalls: Array<[string, string, string]> = [
    [EAST, 'sts', 'GetCallerIdentity'],
    [WEST, 'guardduty', 'ListDetectors'],
    [WEST, 'guardduty', 'ListFindings'],
    [WEST, 'guardduty', 'GetFindings'],
    [WEST, 'cloudtrail', 'LookupEvents'],
  ];
  let analystLastUsed = 0;
  analystCalls.forEach(([region, service, name], i) => {
    const at = base - (9 - i) * MINUTE + 20 * SECOND;
    if (service === 'guardduty') analystLastUsed = at;
    add(ctx, {
      at, region, service, name, ip: F.corporateIp, userAgent: ANALYST_USER_AGENT, identity: analystIdentity, readOnly: true,
      request: service === 'guardduty' && name !== 'ListDetectors' ? { detectorId: F.detectors[WEST] } : null,
    });
  });

  // --- console sign-ins (added last: the record IDs drawn before them stay as they were) -----------------------
  consoleSignIns(ctx, base, now, rootAt);

  // --- the EC2 service mints the instance role's session (an AWSService caller) --------------------------------
  // The shape of a real record (elastic-assumerole-awsservice-ec2.json): userIdentity {type: AWSService, invokedBy},
  // sourceIPAddress and userAgent the service's name, no access key, the session token hidden, the expiration in
  // CloudTrail's own text (6 h for instance-profile credentials, as in that record and the session above).
  add(ctx, {
    at: roleIssuedAt, region: WEST, service: 'sts', name: 'AssumeRole', ip: 'ec2.amazonaws.com', userAgent: 'ec2.amazonaws.com',
    identity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' }, readOnly: true,
    request: { roleArn, roleSessionName: F.role.instanceId },
    response: {
      credentials: { accessKeyId: F.role.sessionKeyId, sessionToken: 'HIDDEN_DUE_TO_SECURITY_REASONS', expiration: responseElementTime(new Date(roleIssuedAt + 6 * HOUR)) },
      assumedRoleUser: { assumedRoleId: `${F.role.roleId}:${F.role.instanceId}`, arn: roleSessionArn },
    },
    resources: [{ accountId: ACCT, type: 'AWS::IAM::Role', ARN: roleArn }],
  });

  // --- findings -------------------------------------------------------------------------------------------------
  const west: GuardDutyFinding[] = [];
  const east: GuardDutyFinding[] = [];
  const detW = F.detectors[WEST] as string;
  const detE = F.detectors[EAST] as string;
  const common = { accountId: ACCT };
  const threatEvidence = { threatIntelligenceDetails: [{ threatListName: F.threatListName, threatNames: [] }] };
  const threatInfo = { threatListName: F.threatListName };
  const compromisedKey = accessKeyResource(F.compromised.accessKeyId, F.compromised.userId, F.compromised.userName, 'IAMUser');

  const getParamsTimes = runs.map((r) => callAt(r, 'GetParameters'));
  const describeTimes = runs.map((r) => callAt(r, 'DescribeParameters'));
  west.push(finding({
    ...common, id: F.findings.unauthorizedAccessCustom, type: 'UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom', severity: 5, region: WEST, detectorId: detW,
    title: 'API GetParameters was invoked from an IP address on a custom threat list.',
    description: `API GetParameters, commonly used to access resources in an AWS environment, was invoked from IP address ${F.threatListIp} on the custom threat list ${F.threatListName}. The credentials of IAM user ${F.compromised.userName} may be compromised.`,
    resource: compromisedKey,
    action: apiCall('GetParameters', 'ssm.amazonaws.com', F.attackerUserAgent, THREAT_IP_DETAILS),
    evidence: threatEvidence, additionalInfo: threatInfo,
    count: getParamsTimes.length, firstSeen: getParamsTimes[0] as number, lastSeen: getParamsTimes[getParamsTimes.length - 1] as number,
    createdAt: (getParamsTimes[0] as number) + 5 * MINUTE + 12_345, updatedAt: lastAttackerSsm + 31_000,
  }));
  west.push(finding({
    ...common, id: F.findings.reconCustom, type: 'Recon:IAMUser/MaliciousIPCaller.Custom', severity: 5, region: WEST, detectorId: detW,
    title: 'Reconnaissance API DescribeParameters was invoked from an IP address on a custom threat list.',
    description: `API DescribeParameters, commonly used in reconnaissance attacks, was invoked from IP address ${F.threatListIp} on the custom threat list ${F.threatListName}. Unauthorized actors perform this type of activity to gather information and discover resources like databases, S3 buckets, EC2 instances and parameters in order to further tailor the attack.`,
    resource: compromisedKey,
    action: apiCall('DescribeParameters', 'ssm.amazonaws.com', F.attackerUserAgent, THREAT_IP_DETAILS),
    evidence: threatEvidence, additionalInfo: threatInfo,
    count: describeTimes.length, firstSeen: describeTimes[0] as number, lastSeen: describeTimes[describeTimes.length - 1] as number,
    createdAt: (describeTimes[0] as number) + 5 * MINUTE + 7_891, updatedAt: (describeTimes[describeTimes.length - 1] as number) + 29_000,
  }));
  west.push(finding({
    ...common, id: F.findings.hostileKali, type: 'PenTest:IAMUser/KaliLinux', severity: 5, region: WEST, detectorId: detW,
    title: 'API DescribeInstances was invoked from a Kali Linux computer.',
    description: `API DescribeInstances was invoked from a Kali Linux computer with temporary credentials ${F.compromised.derivedSessionKeyId} of IAM user ${F.compromised.userName}. Kali Linux is a popular penetration testing tool that can be used to find weaknesses in your AWS account.`,
    resource: accessKeyResource(F.compromised.derivedSessionKeyId, F.compromised.userId, F.compromised.userName, 'IAMUser'),
    action: apiCall('DescribeInstances', 'ec2.amazonaws.com', F.hostileUserAgent, THREAT_IP_DETAILS, { errorCode: 'Client.UnauthorizedOperation' }),
    additionalInfo: { userAgent: { fullUserAgent: F.hostileUserAgent, userAgentCategory: 'Kali Linux' } },
    count: kaliTimes.length, firstSeen: kaliTimes[0] as number, lastSeen: kaliTimes[1] as number,
    createdAt: (kaliTimes[1] as number) + 6 * MINUTE, updatedAt: (kaliTimes[1] as number) + 6 * MINUTE,
  }));
  west.push(finding({
    ...common, id: F.findings.credentialExfiltration, type: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS', severity: 8, region: WEST, detectorId: detW,
    title: `Credentials for instance role ${F.role.roleName} used from external IP address.`,
    description: `Credentials created exclusively for an EC2 instance using instance role ${F.role.roleName} have been used from external IP address ${F.role.exfilIp}.`,
    resource: accessKeyResource(F.role.sessionKeyId, `${F.role.roleId}:${F.role.instanceId}`, F.role.roleName, 'AssumedRole'),
    action: apiCall('ListBuckets', 's3.amazonaws.com', F.role.exfilUserAgent, EXFIL_IP_DETAILS),
    count: exfilWest.length, firstSeen: exfilWest[0] as number, lastSeen: exfilWest[exfilWest.length - 1] as number,
    createdAt: (exfilWest[0] as number) + 7 * MINUTE, updatedAt: (exfilWest[exfilWest.length - 1] as number) + 2 * MINUTE,
  }));
  const s3ExfilAt = exfilStart + 29 * MINUTE;
  west.push(finding({
    ...common, id: F.findings.s3Exfiltration, type: 'Exfiltration:S3/MaliciousIPCaller', severity: 8, region: WEST, detectorId: detW,
    title: 'An S3 API commonly used to exfiltrate data was invoked from a known malicious IP address.',
    description: `An API GetObject, commonly used to exfiltrate data from S3 bucket example-corp-prod-backups, was invoked from the known malicious IP address ${F.role.exfilIp}.`,
    resource: {
      resourceType: 'S3Bucket',
      accessKeyDetails: { accessKeyId: F.role.sessionKeyId, principalId: `${F.role.roleId}:${F.role.instanceId}`, userName: F.role.roleName, userType: 'AssumedRole' },
      s3BucketDetails: [{
        arn: 'arn:aws:s3:::example-corp-prod-backups', name: 'example-corp-prod-backups', type: 'Destination', createdAt: iso(now - 700 * DAY),
        owner: { id: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be' }, tags: [{ key: 'DataClass', value: 'confidential' }],
        defaultServerSideEncryption: { encryptionType: 'AES256' },
        publicAccess: { effectivePermission: 'NOT_PUBLIC', permissionConfiguration: { bucketLevelPermissions: { blockPublicAccess: { ignorePublicAcls: true, restrictPublicBuckets: true, blockPublicAcls: true, blockPublicPolicy: true } } } },
      }],
    },
    action: apiCall('GetObject', 's3.amazonaws.com', F.role.exfilUserAgent, EXFIL_IP_DETAILS, { affectedResources: { 'AWS::S3::Bucket': 'example-corp-prod-backups' } }),
    evidence: { threatIntelligenceDetails: [{ threatListName: 'ProofPoint', threatNames: ['Known malicious'] }] },
    additionalInfo: { threatListName: 'ProofPoint' }, featureName: 'DataEventLogging',
    count: 23, firstSeen: s3ExfilAt, lastSeen: s3ExfilAt + 4 * MINUTE, createdAt: s3ExfilAt + 9 * MINUTE, updatedAt: s3ExfilAt + 12 * MINUTE,
  }));

  // Scenario 1 (compromised EC2 instance), about three hours ago.
  const s1 = base - 3 * HOUR - 40 * MINUTE;
  const compromisedInstance = instanceDetails({
    instanceId: F.role.instanceId, type: 't3.micro', name: 'GuardDuty-Example-Compromised-Instance', now,
    publicIp: COMPROMISED_INSTANCE_PUBLIC_IP, privateIp: COMPROMISED_INSTANCE_PRIVATE_IP, launchedDaysAgo: 2,
    profile: { name: F.role.instanceProfileName, id: 'AIPAQCOMPROMISEDPROF1' },
    extraTags: [{ key: 'Project', value: 'GuardDuty-Example' }],
  });
  west.push(finding({
    ...common, id: F.findings.ec2MaliciousIp, type: 'UnauthorizedAccess:EC2/MaliciousIPCaller.Custom', severity: 5, region: WEST, detectorId: detW,
    title: `EC2 instance ${F.role.instanceId} is communicating with an IP address on a custom threat list.`,
    description: `EC2 instance ${F.role.instanceId} is communicating outbound with IP address ${F.threatListIp} on the custom threat list ${F.threatListName}.`,
    resource: { resourceType: 'Instance', instanceDetails: compromisedInstance },
    action: {
      actionType: 'NETWORK_CONNECTION',
      networkConnectionAction: {
        connectionDirection: 'OUTBOUND', protocol: 'TCP', blocked: false,
        localPortDetails: { port: 39674, portName: 'Unknown' }, remotePortDetails: { port: 22, portName: 'SSH' },
        localIpDetails: { ipAddressV4: COMPROMISED_INSTANCE_PRIVATE_IP }, remoteIpDetails: THREAT_IP_DETAILS,
      },
    },
    evidence: threatEvidence, additionalInfo: { ...threatInfo, unusualProtocol: 'TCP' }, resourceRole: 'ACTOR',
    count: 14, firstSeen: s1, lastSeen: s1 + 26 * MINUTE, createdAt: s1 + 6 * MINUTE, updatedAt: s1 + 30 * MINUTE,
  }));
  west.push(finding({
    ...common, id: F.findings.bitcoinDns, type: 'CryptoCurrency:EC2/BitcoinTool.B!DNS', severity: 8, region: WEST, detectorId: detW,
    title: `Bitcoin-related domain name queried by EC2 instance ${F.role.instanceId}.`,
    description: `EC2 instance ${F.role.instanceId} is querying a domain name that is associated with Bitcoin-related activity.`,
    resource: { resourceType: 'Instance', instanceDetails: compromisedInstance },
    action: { actionType: 'DNS_REQUEST', dnsRequestAction: { domain: 'pool.minergate.com', protocol: 'UDP', blocked: false, domainWithSuffix: 'minergate.com' } },
    evidence: { threatIntelligenceDetails: [{ threatListName: 'ProofPoint', threatNames: ['CryptoCurrency:BitcoinTool.B'] }] },
    additionalInfo: { domain: 'pool.minergate.com' }, resourceRole: 'ACTOR',
    count: 31, firstSeen: s1 + 2 * MINUTE, lastSeen: s1 + 58 * MINUTE, createdAt: s1 + 8 * MINUTE, updatedAt: s1 + 60 * MINUTE,
  }));
  west.push(finding({
    ...common, id: F.findings.sshBruteForce, type: 'UnauthorizedAccess:EC2/SSHBruteForce', severity: 2, region: WEST, detectorId: detW,
    title: `198.51.100.201 is performing SSH brute force attacks against ${F.maliciousInstanceId}.`,
    description: `198.51.100.201 is performing SSH brute force attacks against ${F.maliciousInstanceId}. Brute force attacks are used to gain unauthorized access to your instance by guessing the SSH password.`,
    resource: {
      resourceType: 'Instance',
      instanceDetails: instanceDetails({
        instanceId: F.maliciousInstanceId, type: 't3.micro', name: 'GuardDuty-Example-Web-Server', now,
        publicIp: '54.214.10.99', privateIp: '10.0.1.99', launchedDaysAgo: 2,
        extraTags: [{ key: 'Owner', value: F.hostileTagValue }],
      }),
    },
    action: {
      actionType: 'NETWORK_CONNECTION',
      networkConnectionAction: {
        connectionDirection: 'INBOUND', protocol: 'TCP', blocked: false,
        localPortDetails: { port: 22, portName: 'SSH' }, remotePortDetails: { port: 46012, portName: 'Unknown' },
        localIpDetails: { ipAddressV4: '10.0.1.99' }, remoteIpDetails: BRUTE_IP_DETAILS,
      },
    },
    resourceRole: 'TARGET',
    count: 211, firstSeen: s1 - 20 * MINUTE, lastSeen: s1 + 45 * MINUTE, createdAt: s1 - 14 * MINUTE, updatedAt: s1 + 47 * MINUTE,
  }));

  // Root credential usage, two days ago.
  west.push(finding({
    ...common, id: F.findings.rootUsage, type: 'Policy:IAMUser/RootCredentialUsage', severity: 2, region: WEST, detectorId: detW,
    title: 'API GetAccountSummary was invoked using root credentials.',
    description: `API GetAccountSummary was invoked using root credentials from IP address ${ROOT_IP_DETAILS.ipAddressV4}.`,
    resource: accessKeyResource('ASIAQROOTCONSOLE0EXM', ACCT, 'Root', 'Root'),
    action: apiCall('GetAccountSummary', 'iam.amazonaws.com', 'AWS Internal', ROOT_IP_DETAILS),
    count: 1, firstSeen: rootAt, lastSeen: rootAt, createdAt: rootAt + 11 * MINUTE, updatedAt: rootAt + 11 * MINUTE,
  }));

  // A sample finding, as CreateSampleFindings makes them, six hours ago.
  const sampleAt = base - 6 * HOUR;
  west.push(finding({
    ...common, id: F.findings.sample, type: 'Stealth:IAMUser/CloudTrailLoggingDisabled', severity: 2, region: WEST, detectorId: detW,
    title: 'AWS CloudTrail trail GeneratedFindingCloudTrailName was disabled.',
    description: 'AWS CloudTrail trail GeneratedFindingCloudTrailName was disabled by GeneratedFindingUserName calling DeleteTrail under unusual circumstances. This can be attackers attempt to cover their tracks by eliminating any trace of activity performed while they accessed your account.',
    resource: accessKeyResource('GeneratedFindingAccessKeyId', 'GeneratedFindingPrincipalId', 'GeneratedFindingUserName', 'AWSService'),
    action: apiCall('DeleteTrail', 'GeneratedFindingAPIServiceName', 'GeneratedFindingUserAgent', {
      ipAddressV4: '198.51.100.0', city: { cityName: 'GeneratedFindingCityName' },
      country: { countryName: 'GeneratedFindingCountryName' }, geoLocation: { lat: 0, lon: 0 },
      organization: { asn: '-1', asnOrg: 'GeneratedFindingASNOrg', isp: 'GeneratedFindingISP', org: 'GeneratedFindingORG' },
    }),
    additionalInfo: { sample: true },
    count: 1, firstSeen: sampleAt, lastSeen: sampleAt, createdAt: sampleAt, updatedAt: sampleAt,
  }));

  // Kubernetes, yesterday.
  const k8sAt = base - 26 * HOUR;
  west.push(finding({
    ...common, id: F.findings.kubernetesAnonymous, type: 'Discovery:Kubernetes/SuccessfulAnonymousAccess', severity: 5, region: WEST, detectorId: detW,
    title: 'Kubernetes API invoked by unauthenticated user.',
    description: 'list secrets in the kube-system namespace was successfully invoked on EKS cluster example-eks-prod by an unauthenticated user from IP address 192.0.2.33.',
    resource: {
      resourceType: 'EKSCluster',
      eksClusterDetails: {
        name: 'example-eks-prod', arn: `arn:aws:eks:${WEST}:${ACCT}:cluster/example-eks-prod`, vpcId: 'vpc-0a1b2c3d4e5f6a7b8',
        status: 'ACTIVE', tags: [], createdAt: iso(now - 300 * DAY),
      },
      kubernetesDetails: { kubernetesUserDetails: { username: 'system:anonymous', uid: '', groups: ['system:unauthenticated'] } },
    },
    action: {
      actionType: 'KUBERNETES_API_CALL',
      kubernetesApiCallAction: {
        requestUri: '/api/v1/namespaces/kube-system/secrets', verb: 'list', sourceIps: ['192.0.2.33'], userAgent: 'kubectl/v1.29.0 (linux/amd64) kubernetes/3f7a50f',
        remoteIpDetails: SCANNER_IP_DETAILS, statusCode: 200,
      },
    },
    featureName: 'EksAuditLogs',
    count: 3, firstSeen: k8sAt, lastSeen: k8sAt + 2 * MINUTE, createdAt: k8sAt + 8 * MINUTE, updatedAt: k8sAt + 8 * MINUTE,
  }));

  // Archived, older.
  const probeAt = base - 12 * DAY;
  west.push(finding({
    ...common, id: F.findings.archivedPortProbe, type: 'Recon:EC2/PortProbeUnprotectedPort', severity: 2, region: WEST, detectorId: detW,
    title: `Unprotected port on EC2 instance ${F.maliciousInstanceId} is being probed.`,
    description: `EC2 instance has an unprotected port 80 which is being probed by a known malicious host.`,
    resource: {
      resourceType: 'Instance',
      instanceDetails: instanceDetails({
        instanceId: F.maliciousInstanceId, type: 't3.micro', name: 'GuardDuty-Example-Web-Server', now, publicIp: '54.214.10.99', privateIp: '10.0.1.99', launchedDaysAgo: 2,
      }),
    },
    action: {
      actionType: 'PORT_PROBE',
      portProbeAction: { blocked: false, portProbeDetails: [{ localPortDetails: { port: 80, portName: 'HTTP' }, localIpDetails: { ipAddressV4: '10.0.1.99' }, remoteIpDetails: SCANNER_IP_DETAILS }] },
    },
    archived: true,
    count: 57, firstSeen: probeAt, lastSeen: probeAt + 3 * DAY, createdAt: probeAt + 10 * MINUTE, updatedAt: probeAt + 3 * DAY + HOUR,
  }));
  const bpaAt = base - 21 * DAY;
  west.push(finding({
    ...common, id: F.findings.archivedBucketPolicy, type: 'Policy:S3/BucketBlockPublicAccessDisabled', severity: 2, region: WEST, detectorId: detW,
    title: 'Amazon S3 Block Public Access was disabled for S3 bucket example-corp-website.',
    description: `Amazon S3 Block Public Access was disabled for S3 bucket example-corp-website by ${F.developer.userName} calling PutBucketPublicAccessBlock. If this behavior is not expected, it may indicate a configuration mistake or that your credentials are compromised.`,
    resource: {
      resourceType: 'S3Bucket',
      accessKeyDetails: { accessKeyId: F.developer.accessKeyId, principalId: F.developer.userId, userName: F.developer.userName, userType: 'IAMUser' },
      s3BucketDetails: [{
        arn: 'arn:aws:s3:::example-corp-website', name: 'example-corp-website', type: 'Destination', createdAt: iso(now - 500 * DAY),
        owner: { id: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be' }, tags: [],
        defaultServerSideEncryption: { encryptionType: 'AES256' },
        publicAccess: { effectivePermission: 'PUBLIC', permissionConfiguration: { bucketLevelPermissions: { blockPublicAccess: { ignorePublicAcls: false, restrictPublicBuckets: false, blockPublicAcls: false, blockPublicPolicy: false } } } },
      }],
    },
    action: apiCall('PutBucketPublicAccessBlock', 's3.amazonaws.com', F.developer.userAgent, {
      ipAddressV4: F.developer.ip, city: { cityName: 'Seattle' }, country: { countryCode: 'US', countryName: 'United States' },
      geoLocation: { lat: 47.6062, lon: -122.3321 }, organization: { asn: '64496', asnOrg: 'EXAMPLE-CORP-AS', isp: 'Example Corp ISP', org: 'Example Corp' },
    }),
    archived: true,
    count: 1, firstSeen: bpaAt, lastSeen: bpaAt, createdAt: bpaAt + 9 * MINUTE, updatedAt: bpaAt + 2 * DAY,
  }));
  const scanAt = base - 33 * DAY;
  west.push(finding({
    ...common, id: F.findings.archivedPortscan, type: 'Recon:EC2/Portscan', severity: 5, region: WEST, detectorId: detW,
    title: `EC2 instance ${F.role.instanceId} is performing outbound port scans against remote host 192.0.2.33.`,
    description: `EC2 instance ${F.role.instanceId} is performing outbound port scans against remote host 192.0.2.33 (an internal vulnerability scanner test).`,
    resource: { resourceType: 'Instance', instanceDetails: compromisedInstance },
    action: {
      actionType: 'NETWORK_CONNECTION',
      networkConnectionAction: {
        connectionDirection: 'OUTBOUND', protocol: 'TCP', blocked: false,
        localPortDetails: { port: 50432, portName: 'Unknown' }, remotePortDetails: { port: 3389, portName: 'RDP' },
        localIpDetails: { ipAddressV4: COMPROMISED_INSTANCE_PRIVATE_IP }, remoteIpDetails: SCANNER_IP_DETAILS,
      },
    },
    archived: true, resourceRole: 'ACTOR',
    count: 412, firstSeen: scanAt, lastSeen: scanAt + 40 * MINUTE, createdAt: scanAt + 15 * MINUTE, updatedAt: scanAt + DAY,
  }));

  // us-east-1
  const aliceAnomalyAt = base - 2 * DAY + 9 * HOUR;
  east.push(finding({
    ...common, id: F.findings.aliceAnomalous, type: 'Discovery:IAMUser/AnomalousBehavior', severity: 2, region: EAST, detectorId: detE,
    title: `User ${F.developer.userName} is anomalously invoking APIs commonly used in Discovery tactics.`,
    description: `APIs commonly used in Discovery tactics were invoked by user IAMUser : ${F.developer.userName}, under unusual circumstances. Such activity is not typically seen from this user.`,
    resource: accessKeyResource(F.developer.accessKeyId, F.developer.userId, F.developer.userName, 'IAMUser'),
    action: apiCall('ListRoles', 'iam.amazonaws.com', F.developer.userAgent, {
      ipAddressV4: F.developer.ip, city: { cityName: 'Seattle' }, country: { countryCode: 'US', countryName: 'United States' },
      geoLocation: { lat: 47.6062, lon: -122.3321 }, organization: { asn: '64496', asnOrg: 'EXAMPLE-CORP-AS', isp: 'Example Corp ISP', org: 'Example Corp' },
    }, { errorCode: 'AccessDenied' }),
    count: 4, firstSeen: aliceAnomalyAt, lastSeen: aliceAnomalyAt + 20 * MINUTE, createdAt: aliceAnomalyAt + 30 * MINUTE, updatedAt: aliceAnomalyAt + 30 * MINUTE,
  }));
  const pwdAt = base - 8 * DAY;
  east.push(finding({
    ...common, id: F.findings.passwordPolicyChange, type: 'Stealth:IAMUser/PasswordPolicyChange', severity: 2, region: EAST, detectorId: detE,
    title: 'Password policy was weakened.',
    description: 'The account password policy was weakened by removing the requirement for symbols, via UpdateAccountPasswordPolicy called by assumed role OrganizationAccountAccessRole.',
    resource: accessKeyResource('ASIAQADMINSESSION0EX', 'AROAQADMINROLE0EXAMPL:admin-bob', 'OrganizationAccountAccessRole', 'AssumedRole'),
    action: apiCall('UpdateAccountPasswordPolicy', 'iam.amazonaws.com', 'AWS Internal', ROOT_IP_DETAILS),
    archived: false,
    count: 1, firstSeen: pwdAt, lastSeen: pwdAt, createdAt: pwdAt + 5 * MINUTE, updatedAt: pwdAt + 5 * MINUTE,
  }));

  const regions: Record<string, RegionData> = {};
  for (const r of [WEST, EAST]) {
    const detectorId = F.detectors[r] as string;
    regions[r] = {
      ...emptyRegion(),
      detector: {
        detectorId, createdAt: iso(now - 365 * DAY), updatedAt: iso(now - 30 * DAY), status: 'ENABLED',
        findingPublishingFrequency: 'FIFTEEN_MINUTES', tags: { Project: 'GuardDuty-Example' },
      },
      findings: r === WEST ? west : east,
      events: (ctx.events[r] ?? []).sort((a, b) => (a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : 0)),
    };
  }
  // Regions with events but no detector (dev-alice's console sign-ins in us-east-2).
  for (const [r, events] of Object.entries(ctx.events)) {
    if (!regions[r]) regions[r] = { ...emptyRegion(), events: events.sort((a, b) => (a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : 0)) };
  }

  return {
    scenario: 'workshop',
    anchor: iso(now),
    accountId: ACCT,
    regions,
    iam: buildIam(now, { lastAttackerSsm, derivedIssuedAt, roleIssuedAt, roleLastUsed, aliceLastUsed, analystLastUsed }),
  };
}
