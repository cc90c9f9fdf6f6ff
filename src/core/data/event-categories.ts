/**
 * What a CloudTrail event can mean in an incident: the one classification table (documented in
 * docs/commands/trail.md, "Classification"). Keys are the event source and the event name exactly as
 * CloudTrail records them. Events not listed here fall back to the prefix rules below, then to
 * "ordinary". The categories follow the MITRE ATT&CK cloud tactics an analyst already thinks in.
 */

export const EVENT_CATEGORIES = [
  'reconnaissance',
  'credential-access',
  'persistence',
  'privilege-escalation',
  'defense-evasion',
  'exfiltration-impact',
  'ordinary',
] as const;
export type EventCategory = (typeof EVENT_CATEGORIES)[number];

export const CATEGORY_LABELS: Record<EventCategory, string> = {
  reconnaissance: 'Reconnaissance',
  'credential-access': 'Credential access',
  persistence: 'Persistence',
  'privilege-escalation': 'Privilege escalation',
  'defense-evasion': 'Defense evasion',
  'exfiltration-impact': 'Exfiltration/impact',
  ordinary: 'Ordinary',
};

/** eventSource → eventName → category. */
export const EVENT_CATEGORY_TABLE: Readonly<Record<string, Readonly<Record<string, EventCategory>>>> = {
  'ssm.amazonaws.com': {
    GetParameter: 'credential-access',
    GetParameters: 'credential-access',
    GetParametersByPath: 'credential-access',
    GetParameterHistory: 'credential-access',
    SendCommand: 'privilege-escalation',
    StartSession: 'privilege-escalation',
    DeleteParameter: 'exfiltration-impact',
    DeleteParameters: 'exfiltration-impact',
  },
  'secretsmanager.amazonaws.com': {
    GetSecretValue: 'credential-access',
    BatchGetSecretValue: 'credential-access',
    PutResourcePolicy: 'persistence',
    DeleteSecret: 'exfiltration-impact',
  },
  'kms.amazonaws.com': {
    Decrypt: 'credential-access',
    GenerateDataKey: 'credential-access',
    PutKeyPolicy: 'persistence',
    CreateGrant: 'privilege-escalation',
    ScheduleKeyDeletion: 'exfiltration-impact',
    DisableKey: 'exfiltration-impact',
  },
  'iam.amazonaws.com': {
    CreateUser: 'persistence',
    CreateAccessKey: 'persistence',
    CreateLoginProfile: 'persistence',
    UpdateLoginProfile: 'persistence',
    CreateRole: 'persistence',
    UpdateAssumeRolePolicy: 'persistence',
    CreateServiceSpecificCredential: 'persistence',
    UploadSSHPublicKey: 'persistence',
    UploadSigningCertificate: 'persistence',
    CreateVirtualMFADevice: 'persistence',
    EnableMFADevice: 'persistence',
    CreateOpenIDConnectProvider: 'persistence',
    CreateSAMLProvider: 'persistence',
    UpdateAccessKey: 'persistence',
    AttachUserPolicy: 'privilege-escalation',
    AttachRolePolicy: 'privilege-escalation',
    AttachGroupPolicy: 'privilege-escalation',
    PutUserPolicy: 'privilege-escalation',
    PutRolePolicy: 'privilege-escalation',
    PutGroupPolicy: 'privilege-escalation',
    CreatePolicyVersion: 'privilege-escalation',
    SetDefaultPolicyVersion: 'privilege-escalation',
    AddUserToGroup: 'privilege-escalation',
    PassRole: 'privilege-escalation',
    DeleteUserPermissionsBoundary: 'privilege-escalation',
    DeleteRolePermissionsBoundary: 'privilege-escalation',
    DeleteAccountPasswordPolicy: 'defense-evasion',
    UpdateAccountPasswordPolicy: 'defense-evasion',
    DeleteUser: 'exfiltration-impact',
    DeleteRole: 'exfiltration-impact',
  },
  'sts.amazonaws.com': {
    GetCallerIdentity: 'reconnaissance',
    // Temporary credentials outlive the deactivation of the key that minted them.
    GetSessionToken: 'persistence',
    GetFederationToken: 'persistence',
    AssumeRole: 'privilege-escalation',
    AssumeRoleWithSAML: 'privilege-escalation',
    AssumeRoleWithWebIdentity: 'privilege-escalation',
  },
  'signin.amazonaws.com': {
    GetSigninToken: 'persistence',
  },
  'cloudtrail.amazonaws.com': {
    StopLogging: 'defense-evasion',
    DeleteTrail: 'defense-evasion',
    UpdateTrail: 'defense-evasion',
    PutEventSelectors: 'defense-evasion',
    PutInsightSelectors: 'defense-evasion',
    DeleteEventDataStore: 'defense-evasion',
    LookupEvents: 'reconnaissance',
  },
  'guardduty.amazonaws.com': {
    DeleteDetector: 'defense-evasion',
    UpdateDetector: 'defense-evasion',
    DisassociateFromMasterAccount: 'defense-evasion',
    DisassociateFromAdministratorAccount: 'defense-evasion',
    DeleteMembers: 'defense-evasion',
    CreateIPSet: 'defense-evasion',
    UpdateIPSet: 'defense-evasion',
    DeleteThreatIntelSet: 'defense-evasion',
    UpdateThreatIntelSet: 'defense-evasion',
    CreateFilter: 'defense-evasion',
    UpdateFilter: 'defense-evasion',
    ArchiveFindings: 'defense-evasion',
    CreatePublishingDestination: 'defense-evasion',
  },
  'config.amazonaws.com': {
    StopConfigurationRecorder: 'defense-evasion',
    DeleteConfigurationRecorder: 'defense-evasion',
    DeleteDeliveryChannel: 'defense-evasion',
  },
  'securityhub.amazonaws.com': {
    DisableSecurityHub: 'defense-evasion',
    BatchDisableStandards: 'defense-evasion',
  },
  'access-analyzer.amazonaws.com': {
    DeleteAnalyzer: 'defense-evasion',
  },
  'ec2.amazonaws.com': {
    DeleteFlowLogs: 'defense-evasion',
    ModifySnapshotAttribute: 'exfiltration-impact',
    ModifyImageAttribute: 'exfiltration-impact',
    CreateSnapshot: 'exfiltration-impact',
    CopySnapshot: 'exfiltration-impact',
    CreateImage: 'exfiltration-impact',
    RunInstances: 'exfiltration-impact',
    TerminateInstances: 'exfiltration-impact',
    DeleteSnapshot: 'exfiltration-impact',
    DeleteVolume: 'exfiltration-impact',
    AuthorizeSecurityGroupIngress: 'persistence',
    CreateKeyPair: 'persistence',
    ImportKeyPair: 'persistence',
    GetPasswordData: 'credential-access',
    ModifyInstanceAttribute: 'privilege-escalation',
    AssociateIamInstanceProfile: 'privilege-escalation',
    ReplaceIamInstanceProfileAssociation: 'privilege-escalation',
  },
  'rds.amazonaws.com': {
    ModifyDBSnapshotAttribute: 'exfiltration-impact',
    ModifyDBClusterSnapshotAttribute: 'exfiltration-impact',
    DeleteDBInstance: 'exfiltration-impact',
    DeleteDBCluster: 'exfiltration-impact',
    ModifyDBInstance: 'credential-access',
  },
  'logs.amazonaws.com': {
    DeleteLogGroup: 'defense-evasion',
    DeleteLogStream: 'defense-evasion',
    PutRetentionPolicy: 'defense-evasion',
  },
  'events.amazonaws.com': {
    DisableRule: 'defense-evasion',
    DeleteRule: 'defense-evasion',
  },
  's3.amazonaws.com': {
    GetObject: 'exfiltration-impact',
    CopyObject: 'exfiltration-impact',
    PutBucketPolicy: 'exfiltration-impact',
    PutBucketAcl: 'exfiltration-impact',
    PutObjectAcl: 'exfiltration-impact',
    DeleteBucketPublicAccessBlock: 'exfiltration-impact',
    PutBucketPublicAccessBlock: 'exfiltration-impact',
    PutBucketReplication: 'exfiltration-impact',
    DeleteBucket: 'exfiltration-impact',
    DeleteObject: 'exfiltration-impact',
    DeleteObjects: 'exfiltration-impact',
    PutBucketLifecycle: 'exfiltration-impact',
    PutBucketLogging: 'defense-evasion',
    DeleteBucketEncryption: 'defense-evasion',
  },
  // Lambda records its API version in the name (AddPermission20150331v2): keys here are the names without it,
  // matched by eventBaseName (src/core/event-classification.ts) whatever the suffix.
  'lambda.amazonaws.com': {
    CreateFunction: 'persistence',
    UpdateFunctionCode: 'persistence',
    UpdateFunctionConfiguration: 'persistence',
    AddPermission: 'persistence',
    AddLayerVersionPermission: 'persistence',
    CreateEventSourceMapping: 'persistence',
  },
  'organizations.amazonaws.com': {
    LeaveOrganization: 'defense-evasion',
  },
};

/**
 * Fallback by name prefix (first match wins): the List/Describe/Get family GuardDuty itself treats as
 * discovery ("Recon:IAMUser/…" findings), whatever the service.
 */
export const EVENT_PREFIX_RULES: ReadonlyArray<readonly [prefix: string, category: EventCategory]> = [
  ['List', 'reconnaissance'],
  ['Describe', 'reconnaissance'],
  ['Get', 'reconnaissance'],
  ['Search', 'reconnaissance'],
  ['Lookup', 'reconnaissance'],
  ['BatchGet', 'reconnaissance'],
  ['Scan', 'reconnaissance'],
];

/**
 * Events whose failure is itself a signal (they record no errorCode, src/core/trail/outcome.ts): a failed console
 * sign-in or MFA check is a credential guess (MITRE ATT&CK T1110 Brute Force, tactic Credential Access).
 */
export const FAILED_EVENT_CATEGORY_TABLE: Readonly<Record<string, Readonly<Record<string, EventCategory>>>> = {
  'signin.amazonaws.com': {
    ConsoleLogin: 'credential-access',
    CheckMfa: 'credential-access',
  },
};
