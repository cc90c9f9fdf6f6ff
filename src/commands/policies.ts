/**
 * `gd-ir policies (<userName> | --user <name> | --role <name> | --key <accessKeyId>)`: every policy
 * that applies to a user or role, decoded, and what it adds up to (admin? high-risk capabilities and
 * the statement granting each; what the boundary and explicit denies take away).
 */
import type { Context } from '../cli/context.js';
import { UsageError } from '../core/errors.js';
import { resolveAccessKeyOwner } from '../aws/iam-keys.js';
import { collectPermissions } from '../aws/iam-policies.js';
import type { PermissionsResult, PrincipalType } from '../core/permissions.js';
import { isTemporaryAccessKeyId, parseAccessKeyId, parseRoleName, parseUserName } from '../core/validate.js';
import { renderPolicies } from '../render/policies.js';
import { policiesJson } from '../render/policies-json.js';

export interface PoliciesOptions {
  principal?: { type: PrincipalType; name: string };
  key?: string;
  documents: boolean;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Exactly one way of naming the principal; validated before any AWS call. */
export function parsePoliciesOptions(args: readonly string[], options: Record<string, unknown>): PoliciesOptions {
  const positional = args[0];
  const user = str(options.user);
  const role = str(options.role);
  const key = str(options.key);
  const given = [positional, user, role, key].filter((v) => v !== undefined);
  if (given.length === 0) {
    throw new UsageError('name the principal: gd-ir policies <userName> | --user <name> | --role <name> | --key <accessKeyId>');
  }
  if (given.length > 1) throw new UsageError('give only one of <userName>, --user, --role and --key');
  const documents = options.documents === true;
  if (key !== undefined) {
    const id = parseAccessKeyId(key);
    if (isTemporaryAccessKeyId(id)) {
      throw new UsageError(`${id} is a temporary (ASIA) key: IAM cannot say who minted it`, {
        remedy: "find the user or role in the finding or CloudTrail (userIdentity) and use --user or --role",
      });
    }
    return { key: id, documents };
  }
  if (role !== undefined) return { principal: { type: 'role', name: parseRoleName(role) }, documents };
  return { principal: { type: 'user', name: parseUserName((user ?? positional) as string) }, documents };
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

export async function execute(ctx: Context, args: string[], options: Record<string, unknown>): Promise<number> {
  const opts = parsePoliciesOptions(args, options);
  const result = await runPolicies(ctx, opts);
  if (ctx.globals.json) {
    ctx.io.printJson(policiesJson(result));
    for (const w of result.warnings) ctx.io.warn(w);
    return 0;
  }
  for (const w of result.warnings) ctx.io.warn(w);
  ctx.io.out(renderPolicies(result, ctx.io, { documents: opts.documents, now: ctx.clock.now() }));
  return 0;
}
