/**
 * A plan step as the AWS CLI command that does the same write: what `gd-ir contain` prints for the steps it did not
 * reach (after a failure, or not chosen), so the analyst can finish by hand. Suggestions, scoped by the printer.
 */
import { revokePolicyDocument } from '../remediation/index.js';
import { awsCli, type Suggestion } from '../suggestion.js';
import type { StepParams } from './model.js';

/** The AWS CLI command of a step; the revoke cutoff is `now` (the moment the analyst runs it should be later). */
export function stepCommand(p: StepParams, now: Date): Suggestion {
  const c = (argv: string[], region?: string): Suggestion => awsCli(argv, 'contain', true, region);
  switch (p.action) {
    case 'deactivate':
    case 'reactivate':
      return c(['iam', 'update-access-key', '--user-name', p.userName, '--access-key-id', p.accessKeyId, '--status', p.action === 'deactivate' ? 'Inactive' : 'Active']);
    case 'revoke-sessions':
      return c(['iam', 'put-user-policy', '--user-name', p.userName, '--policy-name', p.policyName, '--policy-document', revokePolicyDocument(now)]);
    case 'restore-sessions':
      return c(['iam', 'delete-user-policy', '--user-name', p.userName, '--policy-name', p.policyName]);
    case 'revoke-role-sessions':
      return c(['iam', 'put-role-policy', '--role-name', p.roleName, '--policy-name', p.policyName, '--policy-document', revokePolicyDocument(now)]);
    case 'restore-role-sessions':
      return c(['iam', 'delete-role-policy', '--role-name', p.roleName, '--policy-name', p.policyName]);
    case 'delete-login-profile':
      return c(['iam', 'delete-login-profile', '--user-name', p.userName]);
    case 'detach-policy':
    case 'attach-policy':
      return c(['iam', `${p.action === 'detach-policy' ? 'detach' : 'attach'}-${p.holder}-policy`, `--${p.holder}-name`, p.name, '--policy-arn', p.policyArn]);
    case 'delete-inline-policy':
      return c(['iam', `delete-${p.holder}-policy`, `--${p.holder}-name`, p.name, '--policy-name', p.policyName]);
    case 'put-inline-policy':
      return c(['iam', `put-${p.holder}-policy`, `--${p.holder}-name`, p.name, '--policy-name', p.policyName, '--policy-document', p.document]);
    case 'set-trust-policy':
      return c(['iam', 'update-assume-role-policy', '--role-name', p.roleName, '--policy-document', p.document]);
    case 'set-default-version':
      return c(['iam', 'set-default-policy-version', '--policy-arn', p.policyArn, '--version-id', p.versionId]);
    case 'start-logging':
    case 'stop-logging':
      return c(['cloudtrail', p.action, '--name', p.trail], p.region);
  }
}
