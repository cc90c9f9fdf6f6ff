/**
 * High-risk IAM capabilities: what `gd-ir policies` flags when a principal can do it. This file is the
 * single source (docs/commands/policies.md describes it; test/unit/policies checks every action name
 * against the AWS action catalogue). Entries are chosen for incident response: what an attacker
 * holding these credentials could use to escalate, stay, steal secrets or data, or blind the defenders.
 *
 * A capability is present when, for every group in `requires`, at least one action of the group is
 * effectively granted (and, where `resource` says so, granted broadly enough). `related` actions are
 * reported alongside when granted, but never trigger the capability on their own.
 */

export type RiskCategory = 'privilege-escalation' | 'persistence' | 'credential-access' | 'data-access' | 'defense-evasion';

export const RISK_CATEGORY_LABELS: Record<RiskCategory, string> = {
  'privilege-escalation': 'privilege escalation',
  persistence: 'persistence',
  'credential-access': 'credential and secret access',
  'data-access': 'data access',
  'defense-evasion': 'defense evasion',
};

/**
 * - `any`: any resource.
 * - `broad`: the granting statement's Resource is `*` (or a service-wide ARN such as `arn:aws:s3:::*`), or it uses NotResource.
 * - `not-self`: the Resource is not limited to the principal itself (its own ARN or `${aws:username}`).
 */
export type ResourceScope = 'any' | 'broad' | 'not-self';

export interface RiskCapability {
  id: string;
  category: RiskCategory;
  /** Short label shown to the analyst. */
  capability: string;
  /** Why it matters, for the docs and `--json` consumers. */
  why: string;
  requires: ReadonlyArray<readonly string[]>;
  related?: readonly string[];
  resource: ResourceScope;
}

const COMPUTE_WITH_ROLE = [
  'ec2:RunInstances',
  'ec2:RequestSpotInstances',
  'lambda:CreateFunction',
  'ecs:RunTask',
  'ecs:StartTask',
  'ecs:CreateService',
  'cloudformation:CreateStack',
  'glue:CreateDevEndpoint',
  'glue:CreateJob',
  'sagemaker:CreateNotebookInstance',
  'sagemaker:CreateTrainingJob',
  'codebuild:CreateProject',
  'datapipeline:CreatePipeline',
] as const;

export const RISK_CATALOG: readonly RiskCapability[] = [
  // --- privilege escalation -------------------------------------------------------------------------
  {
    id: 'iam-policy-version',
    category: 'privilege-escalation',
    capability: 'rewrite managed policies (new default version)',
    why: 'a new default version of an attached customer managed policy can grant anything',
    requires: [['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion']],
    resource: 'any',
  },
  {
    id: 'iam-attach-policy',
    category: 'privilege-escalation',
    capability: 'attach managed policies to users, groups or roles',
    why: 'attaching AdministratorAccess to itself makes the principal an administrator',
    requires: [['iam:AttachUserPolicy', 'iam:AttachGroupPolicy', 'iam:AttachRolePolicy']],
    resource: 'any',
  },
  {
    id: 'iam-put-inline-policy',
    category: 'privilege-escalation',
    capability: 'write inline policies',
    why: 'an inline policy on itself or a role it can use can grant anything',
    requires: [['iam:PutUserPolicy', 'iam:PutGroupPolicy', 'iam:PutRolePolicy']],
    resource: 'any',
  },
  {
    id: 'iam-create-access-key',
    category: 'privilege-escalation',
    capability: 'create access keys for other users',
    why: 'a new key for a more privileged user is that user’s access',
    requires: [['iam:CreateAccessKey']],
    resource: 'not-self',
  },
  {
    id: 'iam-login-profile',
    category: 'privilege-escalation',
    capability: 'set console passwords',
    why: 'creating or resetting another user’s console password takes over that user',
    requires: [['iam:CreateLoginProfile', 'iam:UpdateLoginProfile']],
    resource: 'not-self',
  },
  {
    id: 'iam-add-user-to-group',
    category: 'privilege-escalation',
    capability: 'add users to groups',
    why: 'joining a privileged group inherits its policies',
    requires: [['iam:AddUserToGroup']],
    resource: 'any',
  },
  {
    id: 'iam-update-assume-role-policy',
    category: 'privilege-escalation',
    capability: 'change role trust policies',
    why: 'trusting itself in a privileged role’s trust policy lets the principal assume it',
    requires: [['iam:UpdateAssumeRolePolicy']],
    resource: 'any',
  },
  {
    id: 'iam-boundary-removal',
    category: 'privilege-escalation',
    capability: 'remove or replace permissions boundaries',
    why: 'lifting a boundary releases everything the identity policies grant',
    requires: [['iam:DeleteUserPermissionsBoundary', 'iam:DeleteRolePermissionsBoundary', 'iam:PutUserPermissionsBoundary', 'iam:PutRolePermissionsBoundary']],
    resource: 'any',
  },
  {
    id: 'iam-pass-role-compute',
    category: 'privilege-escalation',
    capability: 'pass roles to new compute (iam:PassRole with a compute service)',
    why: 'launching compute with a more privileged role yields that role’s credentials',
    requires: [['iam:PassRole'], COMPUTE_WITH_ROLE],
    resource: 'any',
  },
  {
    id: 'lambda-update-code',
    category: 'privilege-escalation',
    capability: 'replace Lambda function code',
    why: 'new code runs with the function’s execution role',
    requires: [['lambda:UpdateFunctionCode']],
    resource: 'any',
  },
  {
    id: 'sts-assume-any-role',
    category: 'privilege-escalation',
    capability: 'assume any role that trusts the account',
    why: 'sts:AssumeRole on * reaches every role whose trust policy allows the account',
    requires: [['sts:AssumeRole']],
    resource: 'broad',
  },
  // --- persistence ------------------------------------------------------------------------------------
  {
    id: 'iam-create-identities',
    category: 'persistence',
    capability: 'create IAM users or roles',
    why: 'a new identity survives the compromised key being disabled',
    requires: [['iam:CreateUser', 'iam:CreateRole']],
    resource: 'any',
  },
  {
    id: 'iam-reactivate-keys',
    category: 'persistence',
    capability: 'reactivate access keys',
    why: 'iam:UpdateAccessKey undoes the containment step (making a key Inactive)',
    requires: [['iam:UpdateAccessKey']],
    resource: 'any',
  },
  {
    id: 'iam-other-credentials',
    category: 'persistence',
    capability: 'add SSH keys or service-specific credentials',
    why: 'CodeCommit SSH keys and service credentials are long-lived and rarely reviewed',
    requires: [['iam:UploadSSHPublicKey', 'iam:CreateServiceSpecificCredential']],
    resource: 'any',
  },
  {
    id: 'iam-identity-providers',
    category: 'persistence',
    capability: 'create SAML or OIDC identity providers',
    why: 'an attacker-controlled identity provider can federate into the account',
    requires: [['iam:CreateSAMLProvider', 'iam:CreateOpenIDConnectProvider', 'iam:UpdateSAMLProvider']],
    resource: 'any',
  },
  {
    id: 'sts-federation-token',
    category: 'persistence',
    capability: 'mint federation tokens',
    why: 'tokens minted with sts:GetFederationToken stay valid after the key is disabled',
    requires: [['sts:GetFederationToken']],
    resource: 'any',
  },
  // --- credential and secret access ---------------------------------------------------------------------
  {
    id: 'ssm-parameters',
    category: 'credential-access',
    capability: 'read SSM parameters (often secrets)',
    why: 'Parameter Store commonly holds passwords, API keys and connection strings',
    requires: [['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath', 'ssm:GetParameterHistory']],
    related: ['ssm:DescribeParameters'],
    resource: 'any',
  },
  {
    id: 'secretsmanager-values',
    category: 'credential-access',
    capability: 'read Secrets Manager secret values',
    why: 'secret values are credentials by definition',
    requires: [['secretsmanager:GetSecretValue', 'secretsmanager:BatchGetSecretValue']],
    related: ['secretsmanager:ListSecrets'],
    resource: 'any',
  },
  {
    id: 'kms-decrypt',
    category: 'credential-access',
    capability: 'decrypt with KMS keys',
    why: 'kms:Decrypt opens encrypted secrets, parameters and data the key policies allow',
    requires: [['kms:Decrypt']],
    resource: 'any',
  },
  {
    id: 'lambda-configuration',
    category: 'credential-access',
    capability: 'read Lambda configuration and code',
    why: 'function environment variables and code often embed credentials',
    requires: [['lambda:GetFunction', 'lambda:GetFunctionConfiguration']],
    resource: 'any',
  },
  {
    id: 'ec2-password-data',
    category: 'credential-access',
    capability: 'retrieve Windows instance passwords',
    why: 'ec2:GetPasswordData returns the encrypted administrator password',
    requires: [['ec2:GetPasswordData']],
    resource: 'any',
  },
  {
    id: 'instance-command-execution',
    category: 'credential-access',
    capability: 'run commands on instances',
    why: 'a shell on an instance yields its role credentials and local secrets',
    requires: [['ssm:SendCommand', 'ssm:StartSession', 'ec2-instance-connect:SendSSHPublicKey']],
    resource: 'any',
  },
  // --- data access -------------------------------------------------------------------------------------
  {
    id: 's3-read-all',
    category: 'data-access',
    capability: 'read objects in any S3 bucket',
    why: 's3:GetObject on * reaches every bucket whose policy does not forbid it',
    requires: [['s3:GetObject']],
    related: ['s3:ListBucket', 's3:ListAllMyBuckets'],
    resource: 'broad',
  },
  {
    id: 'dynamodb-read-all',
    category: 'data-access',
    capability: 'read any DynamoDB table',
    why: 'Scan/Query on * dumps every table',
    requires: [['dynamodb:Scan', 'dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:BatchGetItem']],
    related: ['dynamodb:ListTables'],
    resource: 'broad',
  },
  {
    id: 'snapshot-sharing',
    category: 'data-access',
    capability: 'share snapshots and images with other accounts',
    why: 'sharing an EBS/RDS snapshot or AMI copies the data out of the account',
    requires: [['ec2:ModifySnapshotAttribute', 'ec2:ModifyImageAttribute', 'rds:ModifyDBSnapshotAttribute', 'rds:ModifyDBClusterSnapshotAttribute']],
    resource: 'any',
  },
  {
    id: 's3-bucket-exposure',
    category: 'data-access',
    capability: 'change bucket policies, ACLs or public access blocks',
    why: 'a bucket policy or ACL change can make data public or readable by another account',
    requires: [['s3:PutBucketPolicy', 's3:PutBucketAcl', 's3:PutBucketPublicAccessBlock', 's3:PutAccountPublicAccessBlock']],
    resource: 'any',
  },
  // --- defense evasion ---------------------------------------------------------------------------------
  {
    id: 'cloudtrail-tampering',
    category: 'defense-evasion',
    capability: 'stop, delete or reconfigure CloudTrail',
    why: 'without the trail, later actions leave no record',
    requires: [['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors']],
    resource: 'any',
  },
  {
    id: 'guardduty-tampering',
    category: 'defense-evasion',
    capability: 'disable or blind GuardDuty',
    why: 'deleting or suspending the detector, trusted-IP lists and auto-archive filters silence findings',
    requires: [
      [
        'guardduty:DeleteDetector',
        'guardduty:UpdateDetector',
        'guardduty:CreateIPSet',
        'guardduty:UpdateIPSet',
        'guardduty:CreateFilter',
        'guardduty:UpdateFilter',
        'guardduty:DeleteThreatIntelSet',
        'guardduty:UpdateThreatIntelSet',
        'guardduty:DisassociateFromAdministratorAccount',
        'guardduty:DisassociateFromMasterAccount',
      ],
    ],
    resource: 'any',
  },
  {
    id: 'config-tampering',
    category: 'defense-evasion',
    capability: 'stop or delete AWS Config recording',
    why: 'configuration history of the attacker’s changes disappears',
    requires: [['config:StopConfigurationRecorder', 'config:DeleteConfigurationRecorder', 'config:DeleteDeliveryChannel']],
    resource: 'any',
  },
  {
    id: 'log-deletion',
    category: 'defense-evasion',
    capability: 'delete logs and flow logs',
    why: 'deleted log groups and VPC flow logs take the evidence with them',
    requires: [['logs:DeleteLogGroup', 'logs:DeleteLogStream', 'ec2:DeleteFlowLogs']],
    resource: 'any',
  },
  {
    id: 'security-services-off',
    category: 'defense-evasion',
    capability: 'disable Security Hub or leave the organization',
    why: 'leaving the organization escapes its SCPs and central security tooling',
    requires: [['securityhub:DisableSecurityHub', 'organizations:LeaveOrganization']],
    resource: 'any',
  },
];

/** Every action name the catalogue refers to (checked against the AWS action list by a unit test). */
export function riskCatalogActions(): string[] {
  return [...new Set(RISK_CATALOG.flatMap((r) => [...r.requires.flat(), ...(r.related ?? [])]))];
}
