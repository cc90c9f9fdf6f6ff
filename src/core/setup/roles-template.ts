/**
 * The CloudFormation template `gd-ir setup roles` prints, to deploy as a StackSet to the member accounts: the
 * read role (CloudTrail event history, trail status and IAM reads: docs/permissions.md's read-only set without
 * GuardDuty, whose findings are read in the administrator) and the write role (what remediate and contain change:
 * keys, session revocations, what an attacker left behind, AWS's quarantine policy), both trusting only the security account, allowing
 * sts:SetSourceIdentity (gd-ir names the analyst as SourceIdentity), the write role only with MFA, either with an
 * ExternalId when one is given. Pure data; the docs (docs/multi-account.md) show the same policies.
 *
 * Template anatomy and the AWS::IAM::Role properties: CloudFormation User Guide ("Template anatomy",
 * "AWS::IAM::Role", intrinsic functions Ref, Fn::Sub, Fn::If, Fn::Equals, Fn::Not, Fn::GetAtt, pseudo parameters).
 */

export const DEFAULT_READ_ROLE_NAME = 'gd-ir-read';
export const DEFAULT_WRITE_ROLE_NAME = 'gd-ir-write';

/** The read role's permissions: what investigate, trail, policies, watch and the read-backs of remediate and contain call. */
export const READ_ROLE_ACTIONS = {
  cloudtrail: ['cloudtrail:LookupEvents', 'cloudtrail:GetTrailStatus', 'cloudtrail:GetTrail'],
  iam: [
    'iam:GetUser',
    'iam:GetRole',
    'iam:GetPolicy',
    'iam:GetPolicyVersion',
    'iam:GetUserPolicy',
    'iam:GetGroupPolicy',
    'iam:GetRolePolicy',
    'iam:ListAttachedUserPolicies',
    'iam:ListUserPolicies',
    'iam:ListGroupsForUser',
    'iam:ListAttachedGroupPolicies',
    'iam:ListGroupPolicies',
    'iam:ListAttachedRolePolicies',
    'iam:ListRolePolicies',
    'iam:ListAccessKeys',
    'iam:GetAccessKeyLastUsed',
    'iam:GetLoginProfile',
    'iam:ListPolicyVersions',
  ],
} as const;

/**
 * The write role's permissions, by the resource they act on: what remediate and contain change (they read back
 * through the read role). The inverse actions `contain --undo` needs for some steps (attaching a policy again,
 * putting an inline policy back, stopping a trail) are left out on purpose: re-granting what an attacker granted is
 * for someone with broader rights (docs/multi-account.md).
 */
export const WRITE_ROLE_ACTIONS = {
  users: ['iam:UpdateAccessKey', 'iam:PutUserPolicy', 'iam:DeleteUserPolicy', 'iam:DeleteLoginProfile', 'iam:DetachUserPolicy'],
  roles: ['iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:DetachRolePolicy', 'iam:UpdateAssumeRolePolicy'],
  groups: ['iam:DeleteGroupPolicy', 'iam:DetachGroupPolicy'],
  policies: ['iam:SetDefaultPolicyVersion'],
  trails: ['cloudtrail:StartLogging'],
  /** Only AWS's quarantine policies (contain --quarantine). */
  quarantine: ['iam:AttachUserPolicy'],
} as const;

/** The quarantine policies the write role may attach (AWSCompromisedKeyQuarantine, V2, V3…). */
export const QUARANTINE_POLICY_PATTERN = 'arn:${AWS::Partition}:iam::aws:policy/AWSCompromisedKeyQuarantine*';

export interface RolesTemplateOptions {
  /** Default of the SecurityAccountId parameter (none: it must be given when the StackSet is created). */
  securityAccountId?: string;
  readRoleName?: string;
  writeRoleName?: string;
  /** Default of the ExternalId parameter ('' = none). */
  externalId?: string;
}

type Json = Record<string, unknown>;

const principal: Json = { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${SecurityAccountId}:root' } };
const actions = ['sts:AssumeRole', 'sts:SetSourceIdentity'];

function trustPolicy(sid: string, mfa: boolean): Json {
  const statement = (withExternalId: boolean): Json => {
    const condition: Json = {};
    if (withExternalId) condition.StringEquals = { 'sts:ExternalId': { Ref: 'ExternalId' } };
    if (mfa) condition.Bool = { 'aws:MultiFactorAuthPresent': 'true' };
    return { Sid: sid, Effect: 'Allow', Principal: principal, Action: actions, ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}) };
  };
  return { Version: '2012-10-17', Statement: [{ 'Fn::If': ['HasExternalId', statement(true), statement(false)] }] };
}

export function rolesTemplate(o: RolesTemplateOptions = {}): Json {
  const arn = (resource: string): Json => ({ 'Fn::Sub': `arn:\${AWS::Partition}:${resource}` });
  const userArn = arn('iam::${AWS::AccountId}:user/*');
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'gd-ir incident-response roles for a member account: read (CloudTrail, IAM) and write (contain access keys, MFA), assumed from the security account',
    Parameters: {
      SecurityAccountId: {
        Type: 'String',
        Description: 'The security (GuardDuty administrator) account whose analysts assume these roles',
        AllowedPattern: '^\\d{12}$',
        ConstraintDescription: 'a 12-digit account ID',
        ...(o.securityAccountId !== undefined ? { Default: o.securityAccountId } : {}),
      },
      ReadRoleName: { Type: 'String', Default: o.readRoleName ?? DEFAULT_READ_ROLE_NAME, AllowedPattern: '^[\\w+=,.@-]{1,64}$', Description: 'Name of the read role' },
      WriteRoleName: { Type: 'String', Default: o.writeRoleName ?? DEFAULT_WRITE_ROLE_NAME, AllowedPattern: '^[\\w+=,.@-]{1,64}$', Description: 'Name of the write role' },
      ExternalId: {
        Type: 'String',
        Default: o.externalId ?? '',
        AllowedPattern: '^([\\w+=,.@:/-]{2,1224})?$',
        Description: 'ExternalId both roles require (empty: none)',
      },
      MaxSessionDuration: { Type: 'Number', Default: 3600, MinValue: 3600, MaxValue: 43200, Description: 'Longest role session, in seconds' },
    },
    Conditions: { HasExternalId: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'ExternalId' }, ''] }] } },
    Resources: {
      ReadRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: { Ref: 'ReadRoleName' },
          Description: 'gd-ir: read CloudTrail event history and IAM during an investigation',
          MaxSessionDuration: { Ref: 'MaxSessionDuration' },
          AssumeRolePolicyDocument: trustPolicy('GdIrReadFromSecurityAccount', false),
          Policies: [
            {
              PolicyName: 'gd-ir-read',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  // LookupEvents supports no resource-level permissions.
                  { Sid: 'CloudTrailRead', Effect: 'Allow', Action: [...READ_ROLE_ACTIONS.cloudtrail], Resource: '*' },
                  { Sid: 'IamRead', Effect: 'Allow', Action: [...READ_ROLE_ACTIONS.iam], Resource: '*' },
                ],
              },
            },
          ],
          Tags: [{ Key: 'ManagedBy', Value: 'gd-ir' }],
        },
      },
      WriteRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: { Ref: 'WriteRoleName' },
          Description: 'gd-ir: contain an incident: keys, sessions, what the attacker left (assumed with MFA)',
          MaxSessionDuration: { Ref: 'MaxSessionDuration' },
          AssumeRolePolicyDocument: trustPolicy('GdIrWriteFromSecurityAccountWithMfa', true),
          Policies: [
            {
              PolicyName: 'gd-ir-write',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  { Sid: 'ContainUsers', Effect: 'Allow', Action: [...WRITE_ROLE_ACTIONS.users], Resource: userArn },
                  { Sid: 'ContainRoles', Effect: 'Allow', Action: [...WRITE_ROLE_ACTIONS.roles], Resource: arn('iam::${AWS::AccountId}:role/*') },
                  { Sid: 'ContainGroups', Effect: 'Allow', Action: [...WRITE_ROLE_ACTIONS.groups], Resource: arn('iam::${AWS::AccountId}:group/*') },
                  { Sid: 'RestorePolicyVersions', Effect: 'Allow', Action: [...WRITE_ROLE_ACTIONS.policies], Resource: arn('iam::${AWS::AccountId}:policy/*') },
                  { Sid: 'RestartTrails', Effect: 'Allow', Action: [...WRITE_ROLE_ACTIONS.trails], Resource: arn('cloudtrail:*:${AWS::AccountId}:trail/*') },
                  {
                    Sid: 'Quarantine',
                    Effect: 'Allow',
                    Action: [...WRITE_ROLE_ACTIONS.quarantine],
                    Resource: userArn,
                    Condition: { ArnLike: { 'iam:PolicyARN': { 'Fn::Sub': QUARANTINE_POLICY_PATTERN } } },
                  },
                ],
              },
            },
          ],
          Tags: [{ Key: 'ManagedBy', Value: 'gd-ir' }],
        },
      },
    },
    Outputs: {
      ReadRoleArn: { Description: 'The read role (gd-ir --read-role)', Value: { 'Fn::GetAtt': ['ReadRole', 'Arn'] } },
      WriteRoleArn: { Description: 'The write role (gd-ir --write-role)', Value: { 'Fn::GetAtt': ['WriteRole', 'Arn'] } },
    },
  };
}

/** The policy the analysts need in the security account to assume the roles in every member. */
export function analystPolicy(readRoleName = DEFAULT_READ_ROLE_NAME, writeRoleName = DEFAULT_WRITE_ROLE_NAME): Json {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AssumeGdIrRoles',
        Effect: 'Allow',
        Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
        Resource: [`arn:aws:iam::*:role/${readRoleName}`, `arn:aws:iam::*:role/${writeRoleName}`],
      },
    ],
  };
}
