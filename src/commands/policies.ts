/**
 * `gd-ir policies (<userName> | --user <name> | --role <name> | --key <accessKeyId>)`: every policy
 * that applies to a user or role, decoded, and what it adds up to (admin? high-risk capabilities and
 * the statement granting each; what the boundary and explicit denies take away).
 */
import type { Context } from '../cli/context.js';
import type { PoliciesInput } from '../cli/commands/policies.js';
import { resolveAccessKeyOwner } from '../aws/iam-keys.js';
import { collectPermissions } from '../aws/iam-policies.js';
import type { PermissionsResult, PrincipalType } from '../core/permissions.js';
import { renderPolicies } from '../render/policies.js';
import { policiesJson } from '../render/policies-json.js';
import { accessJson } from '../render/access-json.js';
import type { AccountAccess } from '../core/access.js';

export interface PoliciesOptions {
  principal?: { type: PrincipalType; name: string };
  key?: string;
  documents: boolean;
  /** --account: the account whose IAM to read (through --read-role when it is not the caller's). */
  account?: string;
}

/** The principal the validated input names (exactly one of them: the declaration checks it). */
export function toPoliciesOptions({ args, options: o }: PoliciesInput): PoliciesOptions {
  const account = o.account !== undefined ? { account: o.account } : {};
  if (o.key !== undefined) return { key: o.key, documents: o.documents, ...account };
  if (o.role !== undefined) return { principal: { type: 'role', name: o.role }, documents: o.documents, ...account };
  return { principal: { type: 'user', name: (o.user ?? args.userName) as string }, documents: o.documents, ...account };
}

export async function runPolicies(ctx: Context, opts: PoliciesOptions): Promise<PermissionsResult> {
  let principal = opts.principal;
  if (!principal) {
    const owner = await resolveAccessKeyOwner(ctx, opts.key as string);
    principal = { type: 'user', name: owner.userName };
  }
  const spinner = await ctx.io.spinner(`Reading the policies of IAM ${principal.type} ${principal.name}…`);
  try {
    return await collectPermissions(ctx, principal);
  } finally {
    spinner.stop();
  }
}

export async function execute(ctx: Context, input: PoliciesInput): Promise<number> {
  const opts = toPoliciesOptions(input);
  // IAM is per account: a member's is read through its read role (src/access/).
  let reached: { ctx: Context; access: AccountAccess } | undefined;
  if (opts.account !== undefined) {
    const { accountContext, describeAccess } = await import('../access/index.js');
    reached = await accountContext(ctx, opts.account, 'read');
    if (reached.access.via !== 'caller' && !ctx.globals.json) ctx.io.info(`Reading IAM in ${describeAccess(reached.access)}.`);
  }
  const result = await runPolicies(reached?.ctx ?? ctx, opts);
  if (ctx.globals.json) {
    ctx.io.printJson({ ...policiesJson(result), ...(reached ? { access: accessJson(reached.access) } : {}) });
    for (const w of result.warnings) ctx.io.warn(w);
    return 0;
  }
  for (const w of result.warnings) ctx.io.warn(w);
  ctx.io.out(renderPolicies(result, ctx.io, { documents: opts.documents, now: ctx.clock.now() }));
  return 0;
}
