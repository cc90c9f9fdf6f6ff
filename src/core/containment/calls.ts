/** A plan step's API action and its exact call, as a line (shown in the plan and recorded in the audit log). */
import { stepApi } from '../remediation/plan.js';
import type { StepParams } from './model.js';

export function api(p: StepParams): string {
  switch (p.action) {
    case 'deactivate':
    case 'reactivate':
    case 'revoke-sessions':
    case 'restore-sessions':
      return stepApi(p.action);
    case 'revoke-role-sessions':
      return 'iam:PutRolePolicy';
    case 'restore-role-sessions':
      return 'iam:DeleteRolePolicy';
    case 'delete-login-profile':
      return 'iam:DeleteLoginProfile';
    case 'detach-policy':
      return `iam:Detach${cap(p.holder)}Policy`;
    case 'attach-policy':
      return `iam:Attach${cap(p.holder)}Policy`;
    case 'delete-inline-policy':
      return `iam:Delete${cap(p.holder)}Policy`;
    case 'put-inline-policy':
      return `iam:Put${cap(p.holder)}Policy`;
    case 'set-trust-policy':
      return 'iam:UpdateAssumeRolePolicy';
    case 'set-default-version':
      return 'iam:SetDefaultPolicyVersion';
    case 'start-logging':
      return 'cloudtrail:StartLogging';
    case 'stop-logging':
      return 'cloudtrail:StopLogging';
  }
}

const cap = (h: 'user' | 'role' | 'group'): string => (h === 'user' ? 'User' : h === 'role' ? 'Role' : 'Group');

/** The exact call, as a line: `iam:UpdateAccessKey UserName=… AccessKeyId=… Status=Inactive`. */
export function callLine(p: StepParams, revokeDocument?: string): string {
  const a = api(p);
  switch (p.action) {
    case 'deactivate':
    case 'reactivate':
      return `${a} UserName=${p.userName} AccessKeyId=${p.accessKeyId} Status=${p.action === 'deactivate' ? 'Inactive' : 'Active'}`;
    case 'revoke-sessions':
      return `${a} UserName=${p.userName} PolicyName=${p.policyName} PolicyDocument=${revokeDocument ?? '<deny * when aws:TokenIssueTime is before the moment of the call>'}`;
    case 'revoke-role-sessions':
      return `${a} RoleName=${p.roleName} PolicyName=${p.policyName} PolicyDocument=${revokeDocument ?? '<deny * when aws:TokenIssueTime is before the moment of the call>'}`;
    case 'restore-sessions':
      return `${a} UserName=${p.userName} PolicyName=${p.policyName}`;
    case 'restore-role-sessions':
      return `${a} RoleName=${p.roleName} PolicyName=${p.policyName}`;
    case 'delete-login-profile':
      return `${a} UserName=${p.userName}`;
    case 'detach-policy':
    case 'attach-policy':
      return `${a} ${cap(p.holder)}Name=${p.name} PolicyArn=${p.policyArn}`;
    case 'delete-inline-policy':
      return `${a} ${cap(p.holder)}Name=${p.name} PolicyName=${p.policyName}`;
    case 'put-inline-policy':
      return `${a} ${cap(p.holder)}Name=${p.name} PolicyName=${p.policyName} PolicyDocument=${p.document}`;
    case 'set-trust-policy':
      return `${a} RoleName=${p.roleName} PolicyDocument=${p.document}`;
    case 'set-default-version':
      return `${a} PolicyArn=${p.policyArn} VersionId=${p.versionId}`;
    case 'start-logging':
    case 'stop-logging':
      return `${a} Name=${p.trail} (in ${p.region})`;
  }
}
