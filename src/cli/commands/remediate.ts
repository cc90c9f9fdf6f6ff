/** `gd-ir remediate`: declaration. Handler: src/commands/remediate.ts; the flow: src/flows/remediation/. */
import { UsageError } from '../../core/errors.js';
import { preflightRemediation } from '../../core/remediation/plan.js';
import { declareCommand, type InputOf } from '../command-spec.js';
import { opt } from '../options.js';
import { shared } from '../shared-options.js';

export const remediate = declareCommand({
  path: ['remediate'],
  summary: 'contain a compromised access key: deactivate it (and revoke its sessions), verified, audited and reversible',
  description:
    'Shows the caller, the key, its user and the other keys, says exactly what will change and how to undo it, asks you to type the key ID, then acts, reads the result back and records intent and outcome in the audit log. ' +
    "In a member account (--account, or the finding's) it reads through the read role and changes through the write role, after checking with GetCallerIdentity that the role session acts in that account; the plan, the confirmation and the audit log name the account, the role and the session. See docs/commands/remediate.md, docs/multi-account.md and docs/permissions.md.",
  options: {
    key: shared.key('the access key to contain (AKIA… long-term, or ASIA… with --revoke-sessions)'),
    finding: shared.finding('take the key and user from this GuardDuty finding (in --region)'),
    user: shared.user("the key's user (default: looked up with GetAccessKeyLastUsed); required for ASIA keys"),
    revokeSessions: opt.flag('--revoke-sessions', 'also attach the inline policy gd-ir-revoke-older-sessions: deny temporary credentials issued before now'),
    reactivate: opt.flag('--reactivate', 'undo: make the key Active again'),
    restoreSessions: opt.flag('--restore-sessions', 'undo: remove the gd-ir-revoke-older-sessions policy (that policy only)'),
    dryRun: shared.dryRun(),
    yes: shared.yes(),
    force: opt.flag('--force', 'allow deactivating the key you are signed in with'),
    auditLog: shared.auditLog(),
    account: shared.account("the account the key is in (default: the finding's with --finding, else yours); another account is read through --read-role and changed through --write-role"),
    ...shared.writeAccess(),
  },
  check: ({ options: o }) => {
    if (o.key !== undefined && o.finding !== undefined) throw new UsageError('give either --key or --finding, not both');
    if (o.key === undefined && o.finding === undefined) {
      throw new UsageError('missing --key <accessKeyId> or --finding <findingId>', { remedy: 'e.g. gd-ir remediate --key AKIAIOSFODNN7EXAMPLE' });
    }
    if (o.reactivate && o.revokeSessions) throw new UsageError('--reactivate and --revoke-sessions contradict each other');
    if (o.restoreSessions && o.revokeSessions) throw new UsageError('--restore-sessions and --revoke-sessions contradict each other');
    // Requests gd-ir refuses whatever AWS says (a temporary key asked to deactivate…): refused before any call.
    if (o.key !== undefined) preflightRemediation({ ...o, accessKeyId: o.key, userName: o.user });
  },
  examples: [
    { command: 'gd-ir remediate --key AKIAIOSFODNN7EXAMPLE --dry-run', description: 'show who owns the key, its last use and what would change' },
    { command: 'gd-ir remediate --key AKIAIOSFODNN7EXAMPLE --revoke-sessions', description: 'deactivate the key and end sessions minted from it (asks you to type the key ID)' },
    { command: 'gd-ir remediate --finding 0ac1e1b4c6f24d27a1c1d2e3f4a5b6c7 --yes --json', description: 'contain the key in a finding without a prompt; JSON result' },
    { command: 'gd-ir remediate --finding a1b2c3d4e5f60718293a4b5c6d7e8f90 --write-role gd-ir-write --mfa-serial arn:aws:iam::111122223333:mfa/alice', description: "contain a member account's key through its MFA-protected write role (the code is asked for)" },
  ],
  usesAws: true,
});

export type RemediateInput = InputOf<typeof remediate>;
