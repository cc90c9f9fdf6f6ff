/**
 * The commands gd-ir suggests (next steps, containment, undo) are pasted into the same shell: they must act on
 * the account this run used. Without this, `gd-ir --sandbox investigate …` recommended a bare `gd-ir remediate …`
 * that would run against the analyst's real default profile.
 */
import type { InvestigationReport } from '../core/investigation.js';
import type { GlobalOptions } from './options.js';

const SAFE_VALUE = /^[A-Za-z0-9+=,.@_/-]+$/;

/** The global flags that select where a command acts: `--sandbox`, `--profile <name>`. */
export function scopeFlags(globals: Pick<GlobalOptions, 'sandbox' | 'profile'>): string[] {
  const flags: string[] = [];
  if (globals.sandbox) flags.push('--sandbox');
  // A profile name that would need shell quoting is left out rather than printed unsafely.
  else if (globals.profile !== undefined && SAFE_VALUE.test(globals.profile)) flags.push('--profile', globals.profile);
  return flags;
}

/**
 * `gd-ir <rest>` → `gd-ir <rest> --sandbox` (or `--profile p`); anything else, or an already scoped command,
 * unchanged. Appended rather than inserted so the command still reads as the report wrote it.
 */
export function scopeCommand(globals: Pick<GlobalOptions, 'sandbox' | 'profile'>, command: string): string {
  const flags = scopeFlags(globals);
  if (flags.length === 0 || !command.startsWith('gd-ir ')) return command;
  if (command.split(' ').includes(flags[0] ?? '')) return command;
  return `${command} ${flags.join(' ')}`;
}

/** The report with its gd-ir commands (containment, watch) scoped to this run's account, ready to paste. */
export function scopeRecommendation(ctx: { globals: Pick<GlobalOptions, 'sandbox' | 'profile'> }, report: InvestigationReport): InvestigationReport {
  const rec = report.investigation.recommendation;
  const scope = (c: string): string => scopeCommand(ctx.globals, c);
  return { ...report, investigation: { ...report.investigation, recommendation: { ...rec, commands: rec.commands.map(scope), watch: rec.watch.map(scope) } } };
}
