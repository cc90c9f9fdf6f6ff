/**
 * The commands gd-ir suggests (next steps, containment, undo, watch) are pasted into the same shell: they
 * must act on the account and region this run used. This builds the run's scope from the global options;
 * `commandLine` (src/core/suggestion.ts) applies it. Without it, `gd-ir --sandbox investigate …`
 * recommended a bare `gd-ir remediate …` that would run against the analyst's real default profile.
 */
import type { AccessFlags, AccountAccess } from '../core/access.js';
import { commandLine, gdIr, type RunScope } from '../core/suggestion.js';
import type { GlobalOptions } from './options.js';

type ScopeSource = { globals: Pick<GlobalOptions, 'sandbox' | 'profile' | 'region'>; accessFlags?: AccessFlags };

/**
 * Where this run acts. `defaultRegion`: the region it resolved, when known ('' when it has none). `access`: how
 * the account acted in was reached, when it is not the caller's own (then suggestions carry `--account` and the
 * roles given on the command line).
 */
export function runScope(ctx: ScopeSource, defaultRegion?: string, access?: Pick<AccountAccess, 'account' | 'via' | 'profile'>): RunScope {
  const g = ctx.globals;
  const f = ctx.accessFlags ?? {};
  const member = access !== undefined && access.via !== 'caller';
  return {
    ...(g.sandbox ? { sandbox: true } : {}),
    ...(g.profile !== undefined ? { profile: g.profile } : {}),
    ...(g.region !== undefined ? { region: g.region } : {}),
    ...(defaultRegion !== undefined ? { defaultRegion } : {}),
    ...(member ? { account: access.account } : {}),
    ...(member && access.via === 'profile' && access.profile !== undefined ? { accountProfile: access.profile } : {}),
    ...(f.readRole !== undefined ? { readRole: f.readRole } : {}),
    ...(f.writeRole !== undefined ? { writeRole: f.writeRole } : {}),
  };
}

/** A `gd-ir …` command line (words as given) scoped to this run: for hints and remedies written as prose. */
export function scopedGdIr(ctx: ScopeSource, argv: readonly string[], access?: Pick<AccountAccess, 'account' | 'via' | 'profile'>): string {
  return commandLine(gdIr(argv, 'read', false), runScope(ctx, undefined, access));
}
