/** The recommendation for an assumed-role session: revoke the role's older sessions (there is no key to deactivate). */
import type { BlastRadius } from './blast-radius.js';
import type { InvestigationInput } from './model.js';
import type { PrincipalAssessment } from './principal.js';
import { watchKey, type Recommendation } from './recommend-common.js';
import { roleRevokeSuggestion, unrevocableRole } from './roles.js';

export function recommendForRole(input: InvestigationInput, principal: PrincipalAssessment, blast: BlastRadius): Recommendation {
  const key = principal.accessKeyId;
  const role = principal.roleName ?? '<role>';
  const watch = key ? [watchKey(key, input.finding.region)] : [];
  const protectedRole = unrevocableRole(role);
  if (protectedRole) {
    return {
      action: 'revoke-role-sessions',
      summary: `Revoke the active sessions of role ${role} where it is managed (${protectedRole.where}); IAM cannot attach a policy to it.`,
      commands: [],
      watch,
      manualSteps: [protectedRole.step, 'Find out how the role\'s credentials were obtained before the next session is issued.'],
      rationale: [protectedRole.why, ...blast.automationCaveats],
    };
  }
  return {
    action: 'revoke-role-sessions',
    summary: `Revoke the active sessions of role ${role} (there is no key to deactivate: ${key ?? 'the session key'} is temporary).`,
    commands: [roleRevokeSuggestion(role, input.now)],
    watch,
    manualSteps: [
      `Or in the IAM console: Roles → ${role} → Revoke sessions → Revoke active sessions (same policy).`,
      principal.sessionName?.startsWith('i-')
        ? `The session belongs to instance ${principal.sessionName}: its credentials were taken from the instance; isolate and examine it, or the attacker gets fresh ones.`
        : 'Find out how the role\'s credentials were obtained before the next session is issued.',
    ],
    rationale: [
      'gd-ir remediate acts on IAM users\' keys; a role session is contained by denying sessions issued before now (aws:TokenIssueTime).',
      ...blast.automationCaveats,
    ],
  };
}
