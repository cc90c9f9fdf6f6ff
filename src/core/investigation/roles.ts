/**
 * Role sessions in a recommendation: which roles the principal assumed, which of them IAM lets anyone
 * revoke, and the AWS CLI command that revokes a role's older sessions (what the IAM console's
 * "Revoke active sessions" attaches).
 */
import { awsCli, commandLine, type Suggestion } from '../suggestion.js';
import type { DerivedCredential } from './model.js';

/** arn:aws:sts::<account>:assumed-role/<role>/<session>, as AssumeRole's responseElements.assumedRoleUser.arn. */
const ASSUMED_ROLE_ARN = /^arn:aws[\w-]*:sts::(\d{12}):assumed-role\/([\w+=,.@-]{1,64})\//;

/** The deny-older-sessions policy the IAM console attaches for "Revoke active sessions" on a role. */
export function roleRevokeSuggestion(roleName: string, now: Date): Suggestion {
  const doc = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': now.toISOString() } } }],
  });
  return awsCli(['iam', 'put-role-policy', '--role-name', roleName, '--policy-name', 'AWSRevokeOlderSessions', '--policy-document', doc], 'contain', true);
}

/** The same, as the line to paste (unscoped). */
export function roleRevokeCommand(roleName: string, now: Date): string {
  return commandLine(roleRevokeSuggestion(roleName, now));
}

/**
 * Roles whose sessions cannot be revoked with an inline policy: IAM refuses to modify the roles IAM Identity
 * Center creates for permission sets (AWSReservedSSO_*) and service-linked roles (AWSServiceRoleFor*).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_disable-perms.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html
 */
export function unrevocableRole(roleName: string): { where: string; step: string; why: string } | undefined {
  if (roleName.startsWith('AWSReservedSSO_')) {
    return {
      where: 'IAM Identity Center',
      step: `In IAM Identity Center: revoke the user's active permission-set sessions (Users → the user → Active sessions), then remove or change the permission set behind ${roleName} if needed.`,
      why: `${roleName} was created by IAM Identity Center for a permission set: IAM does not let anyone edit it (put-role-policy fails), so its sessions are revoked in IAM Identity Center.`,
    };
  }
  if (roleName.startsWith('AWSServiceRoleFor')) {
    return {
      where: 'the AWS service that owns it',
      step: `${roleName} is a service-linked role: its sessions cannot be revoked; contain the resource or service configuration that uses it.`,
      why: 'AWS does not allow revoking the sessions of a service-linked role.',
    };
  }
  return undefined;
}

export interface AssumedRole {
  roleName: string;
  accountId: string;
  keys: string[];
}

/**
 * The roles whose sessions the principal minted with AssumeRole. A role session is governed by the role's
 * policies, not by the calling user's, so a deny attached to the user does not end it: the role's own
 * "revoke older sessions" policy does. https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_disable-perms.html
 */
export function assumedRoles(derived: readonly DerivedCredential[]): AssumedRole[] {
  const roles = new Map<string, AssumedRole>();
  for (const d of derived) {
    if (d.via !== 'AssumeRole') continue;
    const m = ASSUMED_ROLE_ARN.exec(d.assumedArn ?? '');
    if (!m) continue;
    const [, accountId = '', roleName = ''] = m;
    const id = `${accountId}/${roleName}`;
    const entry = roles.get(id) ?? { roleName, accountId, keys: [] };
    entry.keys.push(d.accessKeyId);
    roles.set(id, entry);
  }
  return [...roles.values()];
}
