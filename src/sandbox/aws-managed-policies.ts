/**
 * AWS managed policies exist in every account (`arn:aws:iam::aws:policy/…`): a scenario need not list them to
 * attach one. The sandbox knows the ones gd-ir's containment and the scenarios use. Metadata (policy ID, dates,
 * default version) from the AWS Managed Policy Reference pages and the public MAMIP snapshot of AWS's policy list
 * (github.com/z0ph/MAMIP, policies-list.json and policies/<name>, commit de4971a4, Feb 2025); documents as AWS
 * publishes their default version. Only the default version of each is kept.
 *
 * AWSCompromisedKeyQuarantineV4 (created 2026-11-06 per the reference) is not here: its full document was not
 * available to us, and a partial deny list would quarantine less than AWS's does. See docs/sandbox.md.
 */
import type { ManagedPolicy } from './model.js';

function doc(statement: Record<string, unknown>): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [statement] }, null, 2);
}

/** AWSCompromisedKeyQuarantineV3 v2 (2024-10-02T16:52:27Z): one Deny of these actions on `*`. */
const QUARANTINE_V3_ACTIONS = [
    'cloudtrail:LookupEvents', 'ec2:RequestSpotInstances', 'ec2:RunInstances', 'ec2:StartInstances', 'iam:AddUserToGroup', 
    'iam:AttachGroupPolicy', 'iam:AttachRolePolicy', 'iam:AttachUserPolicy', 'iam:ChangePassword', 'iam:CreateAccessKey', 
    'iam:CreateInstanceProfile', 'iam:CreateLoginProfile', 'iam:CreatePolicyVersion', 'iam:CreateRole', 'iam:CreateUser', 
    'iam:DetachUserPolicy', 'iam:PassRole', 'iam:PutGroupPolicy', 'iam:PutRolePolicy', 'iam:PutUserPermissionsBoundary', 'iam:PutUserPolicy', 
    'iam:SetDefaultPolicyVersion', 'iam:UpdateAccessKey', 'iam:UpdateAccountPasswordPolicy', 'iam:UpdateAssumeRolePolicy', 
    'iam:UpdateLoginProfile', 'iam:UpdateUser', 'lambda:AddLayerVersionPermission', 'lambda:AddPermission', 'lambda:CreateFunction', 
    'lambda:GetPolicy', 'lambda:ListTags', 'lambda:PutProvisionedConcurrencyConfig', 'lambda:TagResource', 'lambda:UntagResource', 
    'lambda:UpdateFunctionCode', 'lightsail:Create*', 'lightsail:Delete*', 'lightsail:DownloadDefaultKeyPair', 
    'lightsail:GetInstanceAccessDetails', 'lightsail:Start*', 'lightsail:Update*', 'organizations:CreateAccount', 
    'organizations:CreateOrganization', 'organizations:InviteAccountToOrganization', 's3:DeleteBucket', 's3:DeleteObject', 
    's3:DeleteObjectVersion', 's3:PutLifecycleConfiguration', 's3:PutBucketAcl', 's3:PutBucketOwnershipControls', 's3:DeleteBucketPolicy', 
    's3:ObjectOwnerOverrideToBucketOwner', 's3:PutAccountPublicAccessBlock', 's3:PutBucketPolicy', 's3:ListAllMyBuckets', 
    'ec2:PurchaseReservedInstancesOffering', 'ec2:AcceptReservedInstancesExchangeQuote', 'ec2:CreateReservedInstancesListing', 
    'savingsplans:CreateSavingsPlan', 'ecs:CreateService', 'ecs:CreateCluster', 'ecs:RegisterTaskDefinition', 'ecr:GetAuthorizationToken', 
    'bedrock:CreateModelInvocationJob', 'bedrock:InvokeModelWithResponseStream', 'bedrock:CreateFoundationModelAgreement', 
    'bedrock:PutFoundationModelEntitlement', 'bedrock:InvokeModel', 's3:CreateBucket', 's3:PutBucketCors', 's3:GetObject', 's3:ListBucket', 
    'sagemaker:CreateEndpointConfig', 'sagemaker:CreateProcessingJob', 'ses:GetSendQuota', 'ses:ListIdentities', 'sts:GetSessionToken', 
    'sts:GetFederationToken', 'amplify:CreateDeployment', 'amplify:CreateBackendEnvironment', 'codebuild:CreateProject', 'glue:CreateJob', 
    'iam:DeleteRole', 'iam:DeleteAccessKey', 'iam:ListUsers', 'lambda:GetEventSourceMapping', 'sns:GetSMSAttributes', 
    'mediapackagev2:CreateChannel'
];

const POLICIES: readonly ManagedPolicy[] = [
  {
    policyName: 'AdministratorAccess',
    policyId: 'ANPAIWMBCKSKIEE64ZLYK',
    arn: 'arn:aws:iam::aws:policy/AdministratorAccess',
    path: '/',
    description: 'Provides full access to AWS services and resources.',
    defaultVersionId: 'v1',
    attachmentCount: 0,
    permissionsBoundaryUsageCount: 0,
    isAttachable: true,
    createDate: '2015-02-06T18:39:46Z',
    updateDate: '2015-02-06T18:39:46Z',
    versions: [{ versionId: 'v1', isDefaultVersion: true, createDate: '2015-02-06T18:39:46Z', document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) }],
  },
  {
    policyName: 'AWSCompromisedKeyQuarantineV3',
    policyId: 'ANPAZKAPJZG4JAJQG37HX',
    arn: 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3',
    path: '/',
    description:
      "Denies access to certain actions, applied by AWS in the event that an IAM user's credentials have been compromised or exposed publicly. The policy aims to limit the potential damage that may be caused by fraud-related activity leading to unauthorized charges, while not impacting the existing resources. Do NOT remove this policy. Instead, please follow the instructions specified in the support case created for you regarding this event.",
    defaultVersionId: 'v2',
    attachmentCount: 0,
    permissionsBoundaryUsageCount: 0,
    isAttachable: true,
    createDate: '2024-08-21T17:36:49Z',
    updateDate: '2024-10-02T16:52:27Z',
    versions: [{ versionId: 'v2', isDefaultVersion: true, createDate: '2024-10-02T16:52:27Z', document: doc({ Effect: 'Deny', Action: QUARANTINE_V3_ACTIONS, Resource: ['*'] }) }],
  },
];

/** A fresh copy of the AWS managed policy with this ARN, or undefined when the sandbox does not know it. */
export function awsManagedPolicy(arn: string): ManagedPolicy | undefined {
  const p = POLICIES.find((x) => x.arn === arn);
  return p ? structuredClone(p) : undefined;
}

export const AWS_MANAGED_POLICY_ARNS: readonly string[] = POLICIES.map((p) => p.arn);
