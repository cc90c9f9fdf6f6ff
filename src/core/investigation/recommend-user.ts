/**
 * The recommendation for an IAM user's key: deactivate it (kept, not deleted), revoke the sessions it
 * minted when there are any, revoke the sessions of roles it assumed, and coordinate with the other
 * workloads that use the key. A temporary key is contained by revoking the user's older sessions.
 */
import { REVOKE_POLICY_NAME } from '../remediation/index.js';
import { gdIr } from '../suggestion.js';
import type { BlastRadius } from './blast-radius.js';
import type { InvestigationInput } from './model.js';
import type { PrincipalAssessment } from './principal.js';
import { SAFE_KEY, watchKey, type Recommendation } from './recommend-common.js';
import { assumedRoles, roleRevokeSuggestion, unrevocableRole } from './roles.js';

export function recommendForUser(input: InvestigationInput, principal: PrincipalAssessment, blast: BlastRadius): Recommendation {
  const key = principal.accessKeyId;
  const user = principal.userName;
  if (!key || !user) {
    return {
      action: 'none', summary: 'The finding names no access key and user: nothing to contain automatically.',
      commands: [], watch: [], manualSteps: ['Identify the credentials from the trail before acting.'], rationale: [],
    };
  }
  const region = input.finding.region;
  const derived = (input.derivedCredentials ?? []).filter((d) => SAFE_KEY.test(d.accessKeyId));
  const rationale: string[] = [];
  const watch = [watchKey(key, region), ...derived.map((d) => watchKey(d.accessKeyId, region))];
  if (principal.temporaryKey) {
    const longTerm = (input.accessKeys ?? []).filter((k) => k.status === 'Active').map((k) => k.accessKeyId);
    rationale.push(`${key} is a temporary (session) key: IAM cannot deactivate it; an explicit deny on older sessions of ${user} ends it.`);
    if (longTerm.length > 0) {
      rationale.push(`The session was minted from one of ${user}'s long-term keys (${longTerm.join(', ')}): find which in the trail and deactivate it too.`);
    }
    return {
      action: 'revoke-user-sessions',
      summary: `Revoke ${user}'s sessions (ends ${key}), then deactivate the long-term key it came from.`,
      commands: [gdIr(['remediate', '--key', key, '--user', user, '--revoke-sessions'], 'contain', true)],
      watch,
      manualSteps: [],
      rationale,
    };
  }
  // GetSessionToken and GetFederationToken sessions answer to the user's policies; AssumeRole sessions to the role's.
  const userSessions = derived.filter((d) => d.via !== 'AssumeRole');
  const roles = assumedRoles(derived);
  const revoke = userSessions.length > 0;
  const command = gdIr(['remediate', '--key', key, '--user', user, ...(revoke ? ['--revoke-sessions'] : [])], 'contain', true);
  const roleCommands = roles
    .filter((r) => r.accountId === input.finding.accountId && !unrevocableRole(r.roleName))
    .map((r) => roleRevokeSuggestion(r.roleName, input.now));
  const manualSteps: string[] = [];
  rationale.push(`${key} was used from ${input.finding.remoteIp ?? 'the finding\'s IP'}${input.finding.threatListName ? `, on threat list ${input.finding.threatListName}` : ''}: deactivate it (kept, not deleted: evidence and a way back).`);
  if (revoke) {
    rationale.push(
      `It minted temporary credentials (${userSessions.map((d) => `${d.accessKeyId} via ${d.via} at ${d.issuedAt}`).join('; ')}), which stay valid after deactivation: --revoke-sessions denies sessions issued before now (${REVOKE_POLICY_NAME}).`,
    );
  }
  for (const r of roles) {
    rationale.push(
      `It assumed role ${r.roleName}${r.accountId === input.finding.accountId ? '' : ` in account ${r.accountId}`} (${r.keys.join(', ')}): a role session answers to the role's policies, not ${user}'s, so neither deactivation nor --revoke-sessions ends it; revoking the role's older sessions does, for every session of that role.`,
    );
    const protectedRole = unrevocableRole(r.roleName);
    if (protectedRole) manualSteps.push(protectedRole.step);
    else if (r.accountId !== input.finding.accountId) {
      manualSteps.push(`In account ${r.accountId}: revoke the active sessions of role ${r.roleName} (IAM console → Roles → ${r.roleName} → Revoke sessions).`);
    }
  }
  if (blast.otherCallers.length > 0) {
    rationale.push(`Coordinate with the owner of ${blast.otherCallers.map((c) => c.ip).join(', ')} first: give that workload a new key, then deactivate.`);
  }
  if (input.warnings.some((w) => w.section === 'activity')) rationale.push('The trail could not be read completely: derived credentials may exist that this report does not show; consider --revoke-sessions anyway.');
  return {
    action: 'deactivate-key',
    summary: `Deactivate ${key} of ${user}${revoke ? ' and revoke the sessions minted from it' : ''}${roles.length > 0 ? `${revoke ? ';' : ','} revoke the sessions of the role${roles.length === 1 ? '' : 's'} it assumed (${roles.map((r) => r.roleName).join(', ')})` : ''}.`,
    commands: [command, ...roleCommands],
    watch,
    manualSteps: [...manualSteps, 'Issue a new key to the legitimate workload and rotate any secret the key could read (the SSM parameters it fetched).'],
    rationale,
  };
}
