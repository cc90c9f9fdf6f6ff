/**
 * The fixed facts of the `persistence` scenario (docs/scenarios.md): an attacker with a CI user's key and broad
 * IAM rights leaves persistence behind. Same account, analyst and threat-list IP as the workshop, so `--sandbox`
 * runs use the same credentials. Tests, docs and the benchmarks refer to these constants. Secrets are
 * sandbox-only values, never valid anywhere else.
 */
import { WORKSHOP } from './workshop-facts.js';

export const PERSISTENCE = {
  accountId: WORKSHOP.accountId,
  homeRegion: WORKSHOP.homeRegion,
  globalRegion: WORKSHOP.globalRegion,
  detectors: WORKSHOP.detectors,
  analyst: WORKSHOP.analyst,

  /** The CI user whose key leaked: its inline policy grants IAM, CloudTrail and Lambda rights (a deploy pipeline's). */
  compromised: {
    userName: 'build-pipeline',
    userId: 'AIDAQBUILDPIPELINE001',
    accessKeyId: 'AKIAQBUILDPIPELINE01',
    secretAccessKey: 'sandbox/build-pipeline/secret/not-a-real-key/01',
    inlinePolicyName: 'build-pipeline-deploy',
    /** The session the attacker minted with GetSessionToken. */
    sessionKeyId: 'ASIAQBUILDSESSION001',
    sessionSecret: 'sandbox/build-pipeline/session/not-a-real-key/1',
  },

  /** The user the attacker created, with AdministratorAccess and a key (the backdoor). */
  backdoor: {
    userName: 'backup-svc',
    userId: 'AIDAQBACKUPSVC0000001',
    accessKeyId: 'AKIAQBACKUPSVCKEY001',
    secretAccessKey: 'sandbox/backup-svc/secret/not-a-real-key/000001',
    /** The session the backdoor key minted (followed as the second hop). */
    sessionKeyId: 'ASIAQBACKUPSESSION01',
    sessionSecret: 'sandbox/backup-svc/session/not-a-real-key/00001',
  },

  /** An existing programmatic user: the attacker gives it a console password, and the backdoor key a second key. */
  loginUser: {
    userName: 'reporting-svc',
    userId: 'AIDAQREPORTINGSVC0001',
    /** Its own key (legitimate). */
    accessKeyId: 'AKIAQREPORTINGSVC001',
    secretAccessKey: 'sandbox/reporting-svc/secret/not-a-real-key/0001',
    /** The key the backdoor key created for it (second hop). */
    attackerKeyId: 'AKIAQREPORTINGSVC002',
    attackerKeySecret: 'sandbox/reporting-svc/secret/not-a-real-key/0002',
    owner: 'data-team@example.com',
  },

  /** The role whose trust policy the attacker opened to an outside account. */
  role: {
    roleName: 'deploy-role',
    roleId: 'AROAQDEPLOYROLE000001',
    /** The attacker's account, added to the trust policy. */
    outsideAccount: '777788889999',
  },

  /** The customer managed policy the attacker gave an admin version (v3) and made default. */
  policy: {
    policyName: 'DeployPolicy',
    policyId: 'ANPAQDEPLOYPOLICY0001',
    previousDefault: 'v2',
    attackerVersion: 'v3',
  },

  trail: {
    name: 'management-events',
    bucket: 'example-corp-cloudtrail-logs',
  },

  /** The function the attacker created (recorded only: the sandbox emulates no Lambda). */
  lambdaFunction: 'backup-sync',

  threatListIp: WORKSHOP.threatListIp,
  threatListName: WORKSHOP.threatListName,
  /** Where the backdoor key is used from (not on any threat list). */
  backdoorIp: '192.0.2.57',
  corporateIp: WORKSHOP.corporateIp,
  attackerUserAgent: WORKSHOP.attackerUserAgent,
  backdoorUserAgent: 'Boto3/1.35.10 md/Botocore#1.35.10 ua/2.0 os/linux#6.8.0-41-generic md/arch#x86_64 lang/python#3.12.3 cfg/retry-mode#legacy',
  ciUserAgent: WORKSHOP.ciUserAgent,

  findings: {
    /** UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom on build-pipeline's key (the incident). */
    maliciousIp: 'b0c1d2e3f4a5061728394a5b6c7d8e9f',
    /** Stealth:IAMUser/CloudTrailLoggingDisabled (StopLogging by the same key). */
    loggingDisabled: 'c1d2e3f4a5b6071829304a5b6c7d8e90',
  },
} as const;

/** When things happen, in minutes before `now` floored to the minute. */
export const PERSISTENCE_TIMELINE = {
  reconMinutesBeforeNow: 55,
  /** The attacker's periodic calls in the prebuilt history (the live attacker takes over while the sandbox runs). */
  periodicEveryMinutes: 5,
  /** The live attacker's default interval (the `attackerIntervalMs` knob). */
  liveIntervalMs: 5_000,
} as const;
