/**
 * The fixed facts of the `org` scenario (docs/scenarios.md, "org"): the workshop account is the organisation's
 * GuardDuty delegated administrator (the analyst's security account) and sees the findings of two member accounts,
 * each with its own IAM, CloudTrail and keys, and the incident-response roles gd-ir assumes there.
 * Secrets and MFA seeds here are sandbox-only values, never valid anywhere else.
 */
import { WORKSHOP } from './workshop-facts.js';

export const ORG = {
  /** The administrator: the workshop account (the analyst's). */
  administratorId: WORKSHOP.accountId,
  /** The analyst's virtual MFA device and its TOTP seed (base32): codes are RFC 6238 (SHA-1, 30 s, 6 digits). */
  analystMfa: {
    serialNumber: `arn:aws:iam::${WORKSHOP.accountId}:mfa/${WORKSHOP.analyst.userName}`,
    totpSeed: 'GDIRSANDBOXANALYSTMFA234567ABCDE',
  },
  /** The roles every member has (the StackSet of `gd-ir setup roles`). */
  readRoleName: 'gd-ir-read',
  writeRoleName: 'gd-ir-write',

  /** Member 1: the production workload account; its CI user's key is being used from a threat-list IP. */
  prod: {
    accountId: '444455556666',
    readRoleId: 'AROAPRODGDIRREAD00001',
    writeRoleId: 'AROAPRODGDIRWRITE0001',
    user: {
      userName: 'ci-deployer',
      userId: 'AIDAPRODCIDEPLOYER001',
      accessKeyId: 'AKIAPRODCIDEPLOYER01',
      secretAccessKey: 'sandbox/prod/ci-deployer/not-a-real-key/000001',
      /** The user's older key, inactive since a rotation. */
      oldAccessKeyId: 'AKIAPRODCIDEPLOYOLD1',
    },
    /** UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom about ci-deployer's key (us-west-2). */
    findingId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    detectorId: '9ab1c2d3e4f5a6b7c8d9e0f1a2b3c4d5',
  },

  /** Member 2: the data platform account; its read role can only be assumed with an ExternalId. */
  data: {
    accountId: '777788889999',
    readRoleId: 'AROADATAGDIRREAD00001',
    writeRoleId: 'AROADATAGDIRWRITE0001',
    externalId: 'gd-ir-data-7f3c9a1e',
    user: {
      userName: 'etl-runner',
      userId: 'AIDADATAETLRUNNER0001',
      accessKeyId: 'AKIADATAETLRUNNER001',
      secretAccessKey: 'sandbox/data/etl-runner/not-a-real-key/0000001',
    },
    /** CredentialAccess:IAMUser/AnomalousBehavior about etl-runner (us-west-2). */
    findingId: 'b2c3d4e5f60718293a4b5c6d7e8f90a1',
    detectorId: '8bc2d3e4f5a6b7c8d9e0f1a2b3c4d5e6',
    /** The unusual network etl-runner's key was used from. */
    ip: '192.0.2.150',
  },

  /**
   * A user of the administrator account with the same name as prod's compromised user: what the administrator's
   * credentials would wrongly describe if gd-ir read IAM there for a prod finding.
   */
  adminNamesake: { userName: 'ci-deployer', userId: 'AIDAADMINCIDEPLOYER01', accessKeyId: 'AKIAADMINCIDEPLOYER1', secretAccessKey: 'sandbox/admin/ci-deployer/not-a-real-key/00001' },
} as const;
