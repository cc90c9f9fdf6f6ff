/**
 * `gd-ir setup roles`: the StackSet template (stdout) and how to deploy it (stderr). The template is data
 * (src/core/setup/roles-template.ts); this file only prints it.
 */
import type { Context } from '../cli/context.js';
import type { SetupRolesInput } from '../cli/commands/setup.js';
import { analystPolicy, rolesTemplate } from '../core/setup/roles-template.js';

export async function execute(ctx: Context, { options: o }: SetupRolesInput): Promise<number> {
  const template = rolesTemplate({
    ...(o.securityAccount !== undefined ? { securityAccountId: o.securityAccount } : {}),
    readRoleName: o.readRoleName,
    writeRoleName: o.writeRoleName,
    ...(o.externalId !== undefined ? { externalId: o.externalId } : {}),
  });
  ctx.io.out(JSON.stringify(template, null, 2));
  if (ctx.globals.json) return 0;
  const account = o.securityAccount ?? '<security-account-id>';
  const e = ctx.io.errStyle;
  const lines = [
    '',
    e.bold('Deploy it to the member accounts (from the management account, or a StackSets delegated administrator):'),
    '  aws cloudformation create-stack-set --stack-set-name gd-ir-roles --template-body file://gd-ir-roles.json \\',
    '    --permission-model SERVICE_MANAGED --auto-deployment Enabled=true,RetainStacksOnAccountRemoval=false \\',
    `    --capabilities CAPABILITY_NAMED_IAM --parameters ParameterKey=SecurityAccountId,ParameterValue=${account}`,
    '  aws cloudformation create-stack-instances --stack-set-name gd-ir-roles --deployment-targets OrganizationalUnitIds=<ou-id> --regions us-east-1',
    '  (IAM is global: one region is enough; a second would collide on the role names.)',
    '',
    e.bold('Give the analysts, in the security account, the right to assume them:'),
    `  ${JSON.stringify(analystPolicy(o.readRoleName, o.writeRoleName))}`,
    '',
    `Then: gd-ir investigate <member finding> --read-role ${o.readRoleName}, and gd-ir remediate --finding <id> --write-role ${o.writeRoleName} --mfa-serial <your MFA device>`,
    '(or put the roles in the configuration file: docs/multi-account.md).',
  ];
  for (const l of lines) ctx.io.err(l);
  return 0;
}
