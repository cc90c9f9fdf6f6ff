/**
 * The remediation plan: from what was read (the key, its user, the caller) and what was asked, decide
 * what will change, what is refused and why, and how each change is undone. Pure: no I/O, so every
 * guard is tested without AWS and the triage console shows exactly the same plan.
 */
import { commandLine, gdIr, type Suggestion, type SuggestionPurpose } from '../suggestion.js';
import { isTemporaryAccessKeyId } from '../validate.js';
import {
  REVOKE_POLICY_NAME,
  RemediationRefusedError,
  type FindingTarget,
  type PlanStep,
  type RemediationAction,
  type RemediationFacts,
  type RemediationPlan,
  type RemediationRequest,
} from './model.js';
import { revokePolicyDocument, revokeRolePolicyJson } from './revoke-policy.js';

export function confirmationMatches(typed: string, token: string): boolean {
  return typed.trim() === token;
}

/** `user/NAME` from an IAM user ARN (paths allowed), or undefined for roles, root, federated users. */
export function userNameFromArn(arn: string): string | undefined {
  const m = /^arn:aws[\w-]*:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m?.[1];
}

/** `gd-ir remediate` doing `action` on the key (a temporary key names its user). */
export function remediateSuggestion(action: RemediationAction, accessKeyId: string, userName: string, purpose: SuggestionPurpose): Suggestion {
  const user = isTemporaryAccessKeyId(accessKeyId) ? ['--user', userName] : [];
  const flag = { deactivate: [], reactivate: ['--reactivate'], 'revoke-sessions': ['--revoke-sessions'], 'restore-sessions': ['--restore-sessions'] }[action];
  return gdIr(['remediate', '--key', accessKeyId, ...(action === 'deactivate' || action === 'reactivate' ? [] : user), ...flag], purpose, true);
}

const INVERSE: Record<RemediationAction, RemediationAction> = {
  deactivate: 'reactivate',
  reactivate: 'deactivate',
  'revoke-sessions': 'restore-sessions',
  'restore-sessions': 'revoke-sessions',
};

/** The command that undoes `action`. */
export function undoSuggestion(action: RemediationAction, accessKeyId: string, userName: string): Suggestion {
  return remediateSuggestion(INVERSE[action], accessKeyId, userName, 'undo');
}

/** The same, as the line to paste (unscoped). */
export function undoCommand(action: RemediationAction, accessKeyId: string, userName: string): string {
  return commandLine(undoSuggestion(action, accessKeyId, userName));
}

/**
 * Checks that need no AWS call: combinations that make no sense, and temporary keys asked to do what
 * only long-term keys can. Throws UsageError (exit 2) or RemediationRefusedError (exit 1).
 */
export function preflightRemediation(request: RemediationRequest): void {
  const key = request.accessKeyId;
  if (isTemporaryAccessKeyId(key)) {
    const user = request.userName ?? '<parent user>';
    if (request.reactivate) {
      throw new RemediationRefusedError(
        `${key} is a temporary (session) access key: it has no Active/Inactive status to restore.`,
        'temporary_key',
        `to lift a session revocation: gd-ir remediate --key ${key} --user ${user} --restore-sessions`,
      );
    }
    if (!request.revokeSessions && !request.restoreSessions) {
      throw new RemediationRefusedError(
        `${key} is a temporary (session) access key (ASIA…): IAM cannot deactivate it; it stays valid until it expires (up to 36 hours for GetSessionToken) unless an explicit deny ends it.`,
        'temporary_key',
        `revoke the sessions of its parent user: gd-ir remediate --key ${key} --user ${user} --revoke-sessions` +
          (request.userName ? '' : " (the parent user is the finding's userName)") +
          ', then deactivate the user\'s long-term key it came from',
      );
    }
    if (!request.userName) {
      throw new RemediationRefusedError(
        `${key} is a temporary (session) access key: IAM cannot tell which user it belongs to.`,
        'temporary_key',
        `name its parent user: gd-ir remediate --key ${key} --user <parent user> ${request.revokeSessions ? '--revoke-sessions' : '--restore-sessions'} (the finding's userName), or use --finding <id>`,
      );
    }
  }
}

/**
 * Decides the steps and applies the guards that need the facts. Throws RemediationRefusedError for
 * the caller's own key (unless --force) and for revoking the sessions the caller is signed with.
 */
export function planRemediation(request: RemediationRequest, facts: RemediationFacts, now: Date): RemediationPlan {
  preflightRemediation(request);
  const key = request.accessKeyId;
  const user = facts.userName;
  const steps: PlanStep[] = [];
  const notes: string[] = [];
  const callerUser = userNameFromArn(facts.caller.arn);
  const ownKey = facts.caller.accessKeyId === key;
  const callerIsSessionOfUser = callerUser === user && (facts.caller.accessKeyId?.startsWith('ASIA') ?? false);

  if (facts.key) {
    const status = facts.key.status;
    if (request.reactivate) {
      const noop = status === 'Active';
      steps.push({
        action: 'reactivate',
        target: key,
        userName: user,
        before: status,
        after: 'Active',
        noop,
        effect: noop
          ? [`${key} is already Active: nothing to do.`]
          : [`Reactivate ${key} (UpdateAccessKey → Active): requests signed with it work again.`],
        undo: undoSuggestion('reactivate', key, user),
      });
      if (noop) notes.push(`${key} is already active.`);
    } else if (!request.restoreSessions || request.revokeSessions) {
      if (ownKey && !request.force) {
        throw new RemediationRefusedError(
          `${key} is the access key you are signed in with (${facts.caller.arn}): deactivating it would lock you out mid-response.`,
          'own_key',
          'run gd-ir with other credentials (another user or a role), or pass --force if this is really what you want',
        );
      }
      const noop = status !== 'Active';
      steps.push({
        action: 'deactivate',
        target: key,
        userName: user,
        before: status,
        after: noop ? status : 'Inactive',
        noop,
        effect: noop
          ? [`${key} is already ${status.toLowerCase()}: nothing to do.`]
          : [
              `Deactivate ${key} (UpdateAccessKey → Inactive): every request signed with it is rejected. The key is kept, not deleted (evidence, and a way back).`,
              ...(request.revokeSessions
                ? []
                : ['Temporary credentials already minted from it (GetSessionToken, GetFederationToken) stay valid until they expire; --revoke-sessions ends them.']),
            ],
        undo: undoSuggestion('deactivate', key, user),
      });
      if (noop) notes.push(`${key} is already ${status.toLowerCase()}.`);
      if (ownKey && request.force) notes.push(`--force: ${key} is the key you are signed in with; gd-ir will not be able to verify or undo the change with it.`);
    }
  }

  if (request.revokeSessions) {
    if (callerIsSessionOfUser && !request.force) {
      throw new RemediationRefusedError(
        `you are signed in with temporary credentials of ${user} (${facts.caller.arn}): revoking the user's older sessions would deny your own session.`,
        'own_session',
        'run gd-ir with other credentials, or pass --force',
      );
    }
    const cutoff = now.toISOString();
    const before = facts.revokePolicy?.present ? 'present' : 'absent';
    const replacing = facts.revokePolicy?.present
      ? [`It replaces the ${REVOKE_POLICY_NAME} policy already there${facts.revokePolicy.cutoff ? ` (cutoff ${facts.revokePolicy.cutoff})` : ''}.`]
      : [];
    steps.push({
      action: 'revoke-sessions',
      target: REVOKE_POLICY_NAME,
      userName: user,
      before,
      after: 'present',
      noop: false,
      effect: [
        `Attach the inline policy ${REVOKE_POLICY_NAME} to user ${user} (PutUserPolicy): deny every action to the user's temporary credentials issued before the moment of the change (aws:TokenIssueTime), so sessions already minted from the key stop working.`,
        'Long-term keys and sessions issued after that time are not affected; role sessions assumed with the key are not covered (revoke them on the role).',
        ...replacing,
      ],
      undo: undoSuggestion('revoke-sessions', key, user),
      policyDocument: revokePolicyDocument(now),
      cutoff,
    });
  } else if (request.restoreSessions) {
    const present = facts.revokePolicy?.present ?? false;
    steps.push({
      action: 'restore-sessions',
      target: REVOKE_POLICY_NAME,
      userName: user,
      before: present ? 'present' : 'absent',
      after: 'absent',
      noop: !present,
      effect: present
        ? [`Remove the inline policy ${REVOKE_POLICY_NAME} from user ${user} (DeleteUserPolicy; no other policy is touched): sessions issued before ${facts.revokePolicy?.cutoff ?? 'its cutoff'} work again until they expire.`]
        : [`User ${user} has no ${REVOKE_POLICY_NAME} policy: nothing to do.`],
      undo: undoSuggestion('restore-sessions', key, user),
    });
    if (!present) notes.push(`user ${user} has no ${REVOKE_POLICY_NAME} policy.`);
  }

  return {
    request,
    facts,
    steps,
    changes: steps.filter((s) => !s.noop),
    notes,
    confirmationToken: key,
    ownKey,
  };
}

/** Operations the remediation will call, for docs and the dry-run summary: e.g. ['iam:UpdateAccessKey']. */
export function stepApi(action: RemediationAction): string {
  switch (action) {
    case 'deactivate':
    case 'reactivate':
      return 'iam:UpdateAccessKey';
    case 'revoke-sessions':
      return 'iam:PutUserPolicy';
    case 'restore-sessions':
      return 'iam:DeleteUserPolicy';
  }
}


/**
 * The key and user a finding points at, or a refusal saying what to do instead: roles (revoke the
 * role's sessions), root (manual steps), AWS services and sample findings (nothing to contain).
 */
export function requestFromFinding(finding: FindingTarget, base: Omit<RemediationRequest, 'accessKeyId' | 'userName' | 'findingId'>): RemediationRequest {
  const id = finding.id;
  if (finding.sample) {
    throw new RemediationRefusedError(
      `finding ${id} is a sample finding (GuardDuty CreateSampleFindings): its principal and key are placeholders, not credentials in your account; there is nothing to contain.`,
      'not_actionable',
      'archive it (in the gd-ir triage console, or aws guardduty archive-findings) and pick a real finding',
    );
  }
  const p = finding.principal;
  if (!p) {
    const what = finding.instanceId ? `instance ${finding.instanceId}` : `a ${finding.resourceType ?? 'non-IAM'} resource`;
    throw new RemediationRefusedError(
      `finding ${id} (${finding.type}) is about ${what}, not an IAM access key: gd-ir remediate contains access keys only.`,
      'not_actionable',
      finding.instanceId
        ? `isolate the instance (a security group without rules), snapshot its volumes, and check its role's credentials with: gd-ir investigate ${id}`
        : `investigate it with: gd-ir investigate ${id}`,
    );
  }
  const userType = p.userType ?? '';
  const name = p.userName ?? '';
  if (userType === 'Root') {
    throw new RemediationRefusedError(
      `finding ${id} is about the account's root user: gd-ir does not change root credentials.`,
      'root_principal',
      'sign in as root: delete any root access keys (Security credentials), change the root password, enable MFA on root, then review the root activity in CloudTrail',
    );
  }
  if (userType === 'AssumedRole' || userType === 'Role' || userType === 'FederatedUser') {
    const role = name || 'the role';
    throw new RemediationRefusedError(
      `finding ${id} is about ${userType === 'FederatedUser' ? 'federated user' : 'role'} ${role}${p.accessKeyId ? ` (temporary key ${p.accessKeyId})` : ''}: there is no long-term key to deactivate; the containment is revoking the role's active sessions.`,
      'role_principal',
      `IAM console → Roles → ${role} → "Revoke active sessions", or: aws iam put-role-policy --role-name ${role} --policy-name AWSRevokeOlderSessions --policy-document '${revokeRolePolicyJson()}'` +
        ' — then find how the credentials left (instance profile, CI secret)',
    );
  }
  if (userType !== 'IAMUser') {
    throw new RemediationRefusedError(
      `finding ${id} is about a principal of type ${userType || 'unknown'}${name ? ` (${name})` : ''}, not an IAM user's key: there is nothing gd-ir can deactivate.`,
      'not_actionable',
      `investigate it with: gd-ir investigate ${id}`,
    );
  }
  if (!p.accessKeyId || !/^(AKIA|ASIA)[A-Z0-9]{12,124}$/.test(p.accessKeyId)) {
    throw new RemediationRefusedError(`finding ${id} names no access key of user ${name}.`, 'not_actionable', `look up the user's keys: gd-ir investigate ${id}`);
  }
  const request: RemediationRequest = { ...base, accessKeyId: p.accessKeyId, userName: name || undefined, findingId: id };
  preflightRemediation(request);
  return request;
}
