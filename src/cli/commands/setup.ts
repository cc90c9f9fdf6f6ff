/** `gd-ir setup roles`: declaration. Handler: src/commands/setup-roles.ts. */
import { parseAccountId, parseExternalId } from '../../core/access.js';
import { DEFAULT_READ_ROLE_NAME, DEFAULT_WRITE_ROLE_NAME } from '../../core/setup/roles-template.js';
import { parseRoleName } from '../../core/validate.js';
import { declareCommand, type InputOf } from '../command-spec.js';
import { opt } from '../options.js';

export const setupGroup = { path: ['setup'], summary: 'set up what gd-ir needs in AWS: the incident-response roles of member accounts' };

export const setupRoles = declareCommand({
  path: ['setup', 'roles'],
  summary: 'print the CloudFormation StackSet template of the read and write roles gd-ir assumes in member accounts',
  description:
    'Prints (stdout) a CloudFormation template for a StackSet deployed to the member accounts of the organisation: a read role (CloudTrail event history and IAM reads) and a write role ' +
    '(deactivate access keys, revoke sessions; MFA required), both trusting only the security account, allowing sts:SetSourceIdentity so each member\'s CloudTrail names the analyst, ' +
    'with an optional ExternalId. On stderr: how to deploy it and the policy the analysts need in the security account. Nothing is called in AWS. See docs/multi-account.md.',
  options: {
    securityAccount: opt.value('--security-account <id>', 'the security (GuardDuty administrator) account the roles trust (default: a parameter to fill in at deployment)', parseAccountId),
    readRoleName: opt.withDefault('--read-role-name <name>', 'name of the read role', DEFAULT_READ_ROLE_NAME, parseRoleName),
    writeRoleName: opt.withDefault('--write-role-name <name>', 'name of the write role', DEFAULT_WRITE_ROLE_NAME, parseRoleName),
    externalId: opt.value('--external-id <id>', 'an ExternalId both roles require (default: none)', parseExternalId),
  },
  examples: [
    { command: 'gd-ir setup roles --security-account 111122223333 > gd-ir-roles.json', description: 'the template, trusting the security account' },
    { command: 'gd-ir setup roles --security-account 111122223333 --external-id gd-ir-7f3c9a1e --read-role-name IR-Read --write-role-name IR-Write', description: 'your own role names, with an ExternalId' },
  ],
  usesAws: false,
});

export type SetupRolesInput = InputOf<typeof setupRoles>;
