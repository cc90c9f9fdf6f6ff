/** `gd-ir policies`: declaration. Handler: src/commands/policies.ts. */
import { UsageError } from '../../core/errors.js';
import { isTemporaryAccessKeyId, parseRoleName, parseUserName } from '../../core/validate.js';
import { declareCommand, optionalArg, type InputOf } from '../command-spec.js';
import { opt } from '../options.js';
import { shared } from '../shared-options.js';

export const policies = declareCommand({
  path: ['policies'],
  summary: 'what an IAM user or role can do: every policy, decoded, with admin access and high-risk capabilities flagged',
  description:
    'Reads the attached managed policies, inline policies, group policies and the permissions boundary (or a role and its trust policy), expands wildcards against the AWS action catalogue and flags administrator-equivalent access and high-risk capabilities (privilege escalation, persistence, credential and secret access, data access, defense evasion) with the statement granting each. Conditions are reported, not evaluated. See docs/commands/policies.md.',
  args: { userName: optionalArg('[userName]', 'the IAM user (same as --user)', parseUserName) },
  options: {
    user: shared.user('the IAM user'),
    role: opt.value('--role <name>', 'the IAM role (its trust policy is shown too)', parseRoleName),
    key: shared.key('the user owning this access key (AKIA…), looked up with GetAccessKeyLastUsed'),
    documents: opt.flag('--documents', 'also print every policy document (pretty-printed)'),
    account: shared.account('the account whose IAM to read (default: yours); another account is read through --read-role'),
    ...shared.readAccess(),
  },
  check: ({ args, options: o }) => {
    const given = [args.userName, o.user, o.role, o.key].filter((v) => v !== undefined);
    if (given.length === 0) {
      throw new UsageError('name the principal: gd-ir policies <userName> | --user <name> | --role <name> | --key <accessKeyId>');
    }
    if (given.length > 1) throw new UsageError('give only one of <userName>, --user, --role and --key');
    if (o.key !== undefined && isTemporaryAccessKeyId(o.key)) {
      throw new UsageError(`${o.key} is a temporary (ASIA) key: IAM cannot say who minted it`, {
        remedy: 'find the user or role in the finding or CloudTrail (userIdentity) and use --user or --role',
      });
    }
  },
  examples: [
    { command: 'gd-ir policies GuardDuty-Example-Compromised-Simulated', description: 'what the compromised user can do, and what of it is dangerous' },
    { command: 'gd-ir policies ci-deployer --account 444455556666 --read-role gd-ir-read', description: "a member account's user, read there through its gd-ir-read role" },
    { command: 'gd-ir policies --role GuardDuty-Example-EC2-Compromised-Role', description: "a role's policies and who can assume it" },
    { command: "gd-ir policies dev-alice --json | jq '.analysis.risks[] | {capability, policy}'", description: 'the high-risk capabilities and the policy granting each' },
  ],
  usesAws: true,
});

export type PoliciesInput = InputOf<typeof policies>;
