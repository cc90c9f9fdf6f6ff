/**
 * The sandbox's world: plain JSON data, close to the AWS wire shapes.
 * Scenarios (src/sandbox/scenarios/) build a World; services (src/sandbox/services/) read and change it.
 */

/** A GuardDuty finding exactly as GetFindings returns it on the wire (lowerCamel keys, ISO strings). */
export type GuardDutyFinding = Record<string, unknown> & {
  id: string;
  type: string;
  severity: number;
  accountId: string;
  region: string;
  createdAt: string;
  updatedAt: string;
  service: Record<string, unknown> & { archived?: boolean; count?: number; eventFirstSeen?: string; eventLastSeen?: string };
  resource: Record<string, unknown> & { resourceType: string };
};

/**
 * A CloudTrail record as it appears inside LookupEvents' `CloudTrailEvent` string (camelCase, eventTime ISO).
 * Must carry at least these keys; any other CloudTrail record fields may be present.
 */
export type CloudTrailRecord = Record<string, unknown> & {
  eventVersion: string;
  eventID: string;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent?: string;
  readOnly?: boolean;
  eventType?: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters?: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  resources?: Array<{ ARN?: string; accountId?: string; type?: string }>;
  userIdentity: Record<string, unknown> & {
    type: string;
    principalId?: string;
    arn?: string;
    accountId?: string;
    accessKeyId?: string;
    userName?: string;
  };
};

export interface Tag {
  Key: string;
  Value: string;
}

export interface AccessKey {
  accessKeyId: string;
  /** Sandbox-only secret, used by nothing but `gd-ir sandbox` env lines. Never logged. */
  secretAccessKey: string;
  userName: string;
  status: 'Active' | 'Inactive';
  createDate: string;
  lastUsed?: { date: string; serviceName: string; region: string };
}

export interface IamUser {
  userName: string;
  userId: string;
  path: string;
  arn: string;
  createDate: string;
  passwordLastUsed?: string;
  permissionsBoundaryArn?: string;
  tags: Tag[];
  /** Inline policies: name → policy document JSON text (stored decoded; URL-encoded on the wire). */
  inlinePolicies: Record<string, string>;
  attachedPolicyArns: string[];
  groups: string[];
  /** The console password's metadata (CreateLoginProfile); absent when the user cannot sign in to the console. */
  loginProfile?: LoginProfile;
}

/** What IAM keeps of a console password (GetLoginProfile); the password itself is never stored. */
export interface LoginProfile {
  createDate: string;
  passwordResetRequired: boolean;
}

export interface IamGroup {
  groupName: string;
  groupId: string;
  path: string;
  arn: string;
  createDate: string;
  inlinePolicies: Record<string, string>;
  attachedPolicyArns: string[];
}

export interface IamRole {
  roleName: string;
  roleId: string;
  path: string;
  arn: string;
  createDate: string;
  description?: string;
  maxSessionDuration: number;
  assumeRolePolicyDocument: string;
  permissionsBoundaryArn?: string;
  tags: Tag[];
  lastUsed?: { date: string; region: string };
  inlinePolicies: Record<string, string>;
  attachedPolicyArns: string[];
}

export interface ManagedPolicyVersion {
  versionId: string;
  document: string;
  isDefaultVersion: boolean;
  createDate: string;
}

export interface ManagedPolicy {
  policyName: string;
  policyId: string;
  arn: string;
  path: string;
  description?: string;
  defaultVersionId: string;
  attachmentCount: number;
  permissionsBoundaryUsageCount: number;
  isAttachable: boolean;
  createDate: string;
  updateDate: string;
  versions: ManagedPolicyVersion[];
}

export interface IamData {
  users: Record<string, IamUser>;
  groups: Record<string, IamGroup>;
  roles: Record<string, IamRole>;
  /** Keyed by ARN. */
  managedPolicies: Record<string, ManagedPolicy>;
  /** Keyed by access key ID; includes temporary (ASIA) keys the sandbox recognises as session credentials. */
  accessKeys: Record<string, AccessKey>;
  /** Temporary credentials: ASIA key → the identity they act as (for GetCallerIdentity and auth checks). */
  sessions: Record<
    string,
    {
      arn: string;
      userId: string;
      parentUser?: string;
      roleName?: string;
      issuedAt: string;
      expiresAt: string;
      secretAccessKey: string;
      /** AssumeRole's SourceIdentity: carried into every call the session makes (`sessionContext.sourceIdentity`). */
      sourceIdentity?: string;
      /** The session was issued with a valid MFA code (`sessionContext.attributes.mfaAuthenticated`). */
      mfaAuthenticated?: boolean;
      /** Sandbox-only session token (the sandbox does not check it; AWS does). Never logged. */
      sessionToken?: string;
    }
  >;
  /** Virtual MFA devices by serial number (ARN): STS checks AssumeRole's SerialNumber and TokenCode against them. */
  mfaDevices?: Record<string, MfaDevice>;
}

/** A virtual MFA device. Its one-time codes are RFC 6238 TOTP (SHA-1, 30 s, 6 digits) of `totpSeed`. */
export interface MfaDevice {
  serialNumber: string;
  userName: string;
  enableDate: string;
  /** Base32 seed (sandbox-only, documented in docs/sandbox.md). */
  totpSeed: string;
}

export interface RegionData {
  detector?: { detectorId: string; createdAt: string; updatedAt: string; status: 'ENABLED' | 'DISABLED'; findingPublishingFrequency: string; tags: Record<string, string> };
  findings: GuardDutyFinding[];
  /** Newest-first is not required; services sort. */
  events: CloudTrailRecord[];
  /**
   * Data events (S3 object reads, Lambda invokes): recorded only in trail log files, never returned by
   * LookupEvents (CloudTrail User Guide, "Logging data events"). Oldest first.
   */
  dataEvents?: CloudTrailRecord[];
  /** CloudTrail trails whose home region this is, by name (a multi-region trail shows in other regions as a shadow). */
  trails?: Record<string, Trail>;
}

/** A CloudTrail trail (DescribeTrails' Trail) and its logging status (GetTrailStatus). */
export interface Trail {
  name: string;
  arn: string;
  homeRegion: string;
  s3BucketName: string;
  s3KeyPrefix?: string;
  isMultiRegionTrail: boolean;
  includeGlobalServiceEvents: boolean;
  logFileValidationEnabled: boolean;
  isOrganizationTrail: boolean;
  hasCustomEventSelectors: boolean;
  hasInsightSelectors: boolean;
  kmsKeyId?: string;
  /** Whether the trail is delivering (StopLogging sets false, StartLogging true). Event history is not affected. */
  isLogging: boolean;
  startLoggingTime?: string;
  stopLoggingTime?: string;
}

/**
 * One AWS account: its IAM data (global) and its per-region GuardDuty and CloudTrail data. A caller acts in the
 * account its access key (long-term or session) lives in; see src/sandbox/accounts.ts.
 */
export interface AccountData {
  accountId: string;
  regions: Record<string, RegionData>;
  iam: IamData;
  /** The Athena (Glue) data catalog: databases and their external tables (src/sandbox/services/athena/). */
  athena?: { databases: Record<string, AthenaDatabase> };
}

export interface AthenaDatabase {
  name: string;
  createdAt: string;
  tables: Record<string, AthenaTable>;
}

/** An external table over CloudTrail logs, as `CREATE EXTERNAL TABLE` defined it (the columns are AWS's CloudTrail columns). */
export interface AthenaTable {
  name: string;
  createdAt: string;
  /** `s3://bucket/prefix/`. */
  location: string;
  /** Partition column names, in order. */
  partitionKeys: string[];
  /** TBLPROPERTIES (partition projection: `projection.*`, `storage.location.template`). */
  properties: Record<string, string>;
  /** The statement that created it. */
  ddl: string;
}

/**
 * The world: the primary account (the analyst's, and the GuardDuty administrator when there are members) plus any
 * member accounts. `World` is itself the primary `AccountData`, so single-account scenarios need nothing else.
 * An administrator's detector holds its members' findings (each with the member's `accountId`); a member may also
 * have a detector of its own in its own `regions`.
 */
export interface World extends AccountData {
  scenario: string;
  /** The instant the scenario's relative times are anchored to (ISO). */
  anchor: string;
  /** Member accounts by account ID (never the primary's own ID). */
  members?: Record<string, AccountData>;
}
