/**
 * The recommendation: what to do now, as suggested commands (data, scoped to the run by whoever prints
 * them), manual steps, and why. One builder per principal kind; this module picks it and refuses to
 * build commands from values that are not safe IAM identifiers.
 */
import type { BlastRadius } from './blast-radius.js';
import type { InvestigationInput } from './model.js';
import type { PrincipalAssessment } from './principal.js';
import { SAFE_KEY, SAFE_NAME, type Recommendation } from './recommend-common.js';
import { withChanges } from './recommend-changes.js';
import { recommendForRole } from './recommend-role.js';
import { recommendForUser } from './recommend-user.js';

export type { Recommendation, RecommendedAction } from './recommend-common.js';

export function recommend(input: InvestigationInput, principal: PrincipalAssessment, blast: BlastRadius): Recommendation {
  if (principal.actionable) {
    const badKey = principal.accessKeyId !== undefined && !SAFE_KEY.test(principal.accessKeyId);
    const name = principal.kind === 'assumed-role' ? principal.roleName : principal.userName;
    if (badKey || (name !== undefined && !SAFE_NAME.test(name))) {
      return {
        action: 'none',
        summary: 'The finding\'s key or principal name is not a valid IAM identifier: no command is built from it.',
        commands: [],
        watch: [],
        manualSteps: ['Check the finding\'s origin (a file can hold anything) and identify the principal in IAM before acting.'],
        rationale: ['Commands are only suggested for values that are safe to paste into a shell.'],
      };
    }
  }
  switch (principal.kind) {
    case 'iam-user':
      return withChanges(recommendForUser(input, principal, blast), input);
    case 'assumed-role':
      return withChanges(recommendForRole(input, principal, blast), input);
    case 'root':
      return {
        action: 'manual-root',
        summary: 'Root credentials were used: secure the root user by hand; gd-ir acts on nothing here.',
        commands: [],
        watch: [],
        manualSteps: [
          'Sign in as root and check whether this use was expected (who holds the root credentials?).',
          'Rotate the root password; delete any root access keys (Security credentials page).',
          'Enable (or re-register) MFA on the root user.',
          'Review the root user\'s recent CloudTrail activity and any resources it changed.',
        ],
        rationale: [principal.notActionableReason ?? ''],
      };
    case 'aws-service':
    case 'sample':
    case 'no-principal':
      return {
        action: 'none',
        summary: principal.kind === 'sample' ? 'Sample finding: nothing to contain.' : 'Nothing for gd-ir to contain.',
        commands: [],
        watch: [],
        manualSteps: principal.kind === 'sample' ? ['Archive it, or filter sample findings out of alerting.'] : [],
        rationale: [principal.notActionableReason ?? ''],
      };
  }
}
