/**
 * What a successful write can leave behind in an account, by the kind of change (docs/commands/investigate.md,
 * "Changes"): the table the changes sweep classifies with. Keys are the event source and the event name as
 * CloudTrail records them; Lambda's versioned names (CreateFunction20150331, AddPermission20150331v2) are matched
 * on their unversioned name. The list follows the AWS incident-response playbook for compromised IAM credentials
 * (persistence: new users, keys, login profiles, MFA devices, trust; privilege: policies and versions; evasion:
 * trails, detectors, recorders; exposure: resource policies that admit others; compute: what runs and bills).
 */

export const CHANGE_CATEGORIES = ['persistence', 'privilege-escalation', 'defense-evasion', 'exposure', 'compute', 'destruction', 'other'] as const;
export type ChangeCategory = (typeof CHANGE_CATEGORIES)[number];

export const CHANGE_CATEGORY_LABELS: Record<ChangeCategory, string> = {
  persistence: 'Persistence',
  'privilege-escalation': 'Privilege escalation',
  'defense-evasion': 'Defense evasion',
  exposure: 'Exposure',
  compute: 'Compute',
  destruction: 'Destruction',
  other: 'Other',
};

const P: ChangeCategory = 'persistence';
const PE: ChangeCategory = 'privilege-escalation';
const DE: ChangeCategory = 'defense-evasion';
const EX: ChangeCategory = 'exposure';
const CO: ChangeCategory = 'compute';
const DS: ChangeCategory = 'destruction';

/** eventSource → eventName (unversioned) → category. Writes not listed here are 'other'. */
export const CHANGE_KINDS: Readonly<Record<string, Readonly<Record<string, ChangeCategory>>>> = {
  'iam.amazonaws.com': {
    CreateUser: P, CreateAccessKey: P, CreateLoginProfile: P, UpdateLoginProfile: P, CreateVirtualMFADevice: P, EnableMFADevice: P,
    ResyncMFADevice: P, UploadSSHPublicKey: P, UploadSigningCertificate: P, CreateServiceSpecificCredential: P, CreateRole: P,
    UpdateAssumeRolePolicy: P, CreateOpenIDConnectProvider: P, CreateSAMLProvider: P, UpdateSAMLProvider: P, AddClientIDToOpenIDConnectProvider: P,
    UpdateAccessKey: P, CreateInstanceProfile: P, AddRoleToInstanceProfile: P,
    AttachUserPolicy: PE, AttachRolePolicy: PE, AttachGroupPolicy: PE, PutUserPolicy: PE, PutRolePolicy: PE, PutGroupPolicy: PE,
    CreatePolicy: PE, CreatePolicyVersion: PE, SetDefaultPolicyVersion: PE, AddUserToGroup: PE, DeleteUserPermissionsBoundary: PE,
    DeleteRolePermissionsBoundary: PE, DetachUserPolicy: PE, DetachRolePolicy: PE, DetachGroupPolicy: PE, DeleteUserPolicy: PE,
    DeleteRolePolicy: PE, DeleteGroupPolicy: PE, UpdateRole: PE,
    UpdateAccountPasswordPolicy: DE, DeleteAccountPasswordPolicy: DE, DeactivateMFADevice: DE, DeleteVirtualMFADevice: DE,
    DeleteUser: DS, DeleteRole: DS, DeletePolicy: DS, DeleteAccessKey: DS, DeleteLoginProfile: DS, DeleteGroup: DS,
  },
  'sts.amazonaws.com': {},
  'signin.amazonaws.com': { ConsoleLogin: 'other', CheckMfa: 'other', PasswordRecoveryCompleted: P },
  'cloudtrail.amazonaws.com': {
    StopLogging: DE, DeleteTrail: DE, UpdateTrail: DE, PutEventSelectors: DE, PutInsightSelectors: DE, DeleteEventDataStore: DE, StopEventDataStoreIngestion: DE,
  },
  'guardduty.amazonaws.com': {
    DeleteDetector: DE, UpdateDetector: DE, DisassociateFromMasterAccount: DE, DisassociateFromAdministratorAccount: DE, DeleteMembers: DE,
    DisassociateMembers: DE, StopMonitoringMembers: DE, CreateIPSet: DE, UpdateIPSet: DE, CreateFilter: DE, UpdateFilter: DE, ArchiveFindings: DE,
    DeleteThreatIntelSet: DE, UpdateThreatIntelSet: DE, DeletePublishingDestination: DE,
  },
  'config.amazonaws.com': { StopConfigurationRecorder: DE, DeleteConfigurationRecorder: DE, DeleteDeliveryChannel: DE, DeleteConfigRule: DE },
  'securityhub.amazonaws.com': { DisableSecurityHub: DE, BatchUpdateFindings: DE },
  'logs.amazonaws.com': { DeleteLogGroup: DE, DeleteLogStream: DE, PutRetentionPolicy: DE },
  'organizations.amazonaws.com': { LeaveOrganization: DE },
  'ec2.amazonaws.com': {
    RunInstances: CO, StartInstances: CO, RequestSpotInstances: CO, RequestSpotFleet: CO, CreateFleet: CO, CreateLaunchTemplate: CO,
    CreateKeyPair: P, ImportKeyPair: P, ModifyInstanceAttribute: P,
    AuthorizeSecurityGroupIngress: EX, ModifySnapshotAttribute: EX, ModifyImageAttribute: EX, CreateVpcPeeringConnection: EX,
    DisableEbsEncryptionByDefault: DE, DeleteFlowLogs: DE,
    TerminateInstances: DS, DeleteSnapshot: DS, DeleteVolume: DS,
  },
  'lambda.amazonaws.com': {
    CreateFunction: P, UpdateFunctionCode: P, UpdateFunctionConfiguration: P, CreateEventSourceMapping: P, PublishLayerVersion: P,
    CreateFunctionUrlConfig: EX, AddPermission: EX, AddLayerVersionPermission: EX,
    DeleteFunction: DS,
  },
  's3.amazonaws.com': {
    PutBucketPolicy: EX, PutBucketAcl: EX, PutObjectAcl: EX, DeleteBucketPublicAccessBlock: EX, PutBucketPublicAccessBlock: EX,
    DeletePublicAccessBlock: EX, PutAccountPublicAccessBlock: EX, PutBucketReplication: EX, PutBucketCors: EX,
    PutBucketLogging: DE, DeleteBucketLogging: DE,
    DeleteBucket: DS, PutBucketLifecycle: DS, PutBucketLifecycleConfiguration: DS, DeleteBucketPolicy: DS,
  },
  'rds.amazonaws.com': { ModifyDBSnapshotAttribute: EX, ModifyDBClusterSnapshotAttribute: EX, ModifyDBInstance: EX, DeleteDBInstance: DS, DeleteDBCluster: DS, CreateDBInstance: CO },
  'kms.amazonaws.com': { PutKeyPolicy: EX, CreateGrant: EX, ScheduleKeyDeletion: DS, DisableKey: DS },
  'secretsmanager.amazonaws.com': { PutResourcePolicy: EX, DeleteSecret: DS },
  'ssm.amazonaws.com': { SendCommand: CO, StartSession: CO, CreateAssociation: P, DeleteParameter: DS, DeleteParameters: DS, ModifyDocumentPermission: EX },
  'ecs.amazonaws.com': { CreateCluster: CO, CreateService: CO, RunTask: CO, RegisterTaskDefinition: CO },
  'eks.amazonaws.com': { CreateCluster: CO, CreateNodegroup: CO, CreateAccessEntry: P, AssociateAccessPolicy: PE },
  'sagemaker.amazonaws.com': { CreateNotebookInstance: CO, CreateTrainingJob: CO, CreateEndpoint: CO, CreateProcessingJob: CO },
  'glue.amazonaws.com': { CreateJob: CO, CreateDevEndpoint: CO },
  'codebuild.amazonaws.com': { CreateProject: CO, StartBuild: CO },
  'bedrock.amazonaws.com': { PutFoundationModelEntitlement: CO, CreateModelInvocationJob: CO, PutUseCaseForModelAccess: CO },
  'lightsail.amazonaws.com': { CreateInstances: CO },
  'sns.amazonaws.com': { AddPermission: EX, SetTopicAttributes: EX },
  'sqs.amazonaws.com': { AddPermission: EX, SetQueueAttributes: EX },
  'ecr.amazonaws.com': { SetRepositoryPolicy: EX },
};

/** The category of a successful write. */
export function changeCategory(eventSource: string, eventName: string): ChangeCategory {
  // Own entries only: an event named `constructor` is not Object's.
  const table = Object.hasOwn(CHANGE_KINDS, eventSource) ? CHANGE_KINDS[eventSource] : undefined;
  if (!table) return 'other';
  const base = eventName.replace(/\d{8}(v\d+)?$/, '');
  if (Object.hasOwn(table, eventName)) return table[eventName] as ChangeCategory;
  return Object.hasOwn(table, base) ? (table[base] as ChangeCategory) : 'other';
}
