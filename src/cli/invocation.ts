/**
 * The commands gd-ir suggests (next steps, containment, undo, watch) are pasted into the same shell: they
 * must act on the account and region this run used. This builds the run's scope from the global options;
 * `commandLine` (src/core/suggestion.ts) applies it. Without it, `gd-ir --sandbox investigate …`
 * recommended a bare `gd-ir remediate …` that would run against the analyst's real default profile.
 */
import { commandLine, gdIr, type RunScope } from '../core/suggestion.js';
import type { GlobalOptions } from './options.js';

/** Where this run acts. `defaultRegion`: the region it resolved, when known ('' when it has none). */
export function runScope(ctx: { globals: Pick<GlobalOptions, 'sandbox' | 'profile' | 'region'> }, defaultRegion?: string): RunScope {
  const g = ctx.globals;
  return {
    ...(g.sandbox ? { sandbox: true } : {}),
    ...(g.profile !== undefined ? { profile: g.profile } : {}),
    ...(g.region !== undefined ? { region: g.region } : {}),
    ...(defaultRegion !== undefined ? { defaultRegion } : {}),
  };
}

/** A `gd-ir …` command line (words as given) scoped to this run: for hints and remedies written as prose. */
export function scopedGdIr(ctx: { globals: Pick<GlobalOptions, 'sandbox' | 'profile' | 'region'> }, argv: readonly string[]): string {
  return commandLine(gdIr(argv, 'read', false), runScope(ctx));
}
