/**
 * The commands gd-ir suggests (next steps, containment, undo, watch, reconcile) are data: which tool,
 * which words, what for, and whether running one changes the account. One function, `commandLine`,
 * turns a suggestion into the line an analyst pastes, scoped to where the run acted (`--sandbox`,
 * `--profile`, `--region`, and for a member account `--account`, `--read-role`, `--write-role`), so the terminal, the Markdown report, `--json` and the triage console
 * print the same command. Core builds suggestions; renderers call `commandLine` with the run's scope.
 */

export type SuggestionPurpose = 'contain' | 'undo' | 'watch' | 'investigate' | 'read' | 'reconcile' | 'repeat';

export interface Suggestion {
  /** `gd-ir` itself, or the AWS CLI for what gd-ir does not do (a role's revoke policy, unarchiving). */
  tool: 'gd-ir' | 'aws';
  /** The words after the tool: the command path, then options and values, one word each. */
  argv: readonly string[];
  purpose: SuggestionPurpose;
  /** True when running it changes something in the account (a write); false for reads. */
  changes: boolean;
  /**
   * The region the command must run in (GuardDuty findings, CloudTrail); absent for global services
   * (IAM). Printed as `--region` when it is not the run's default region, or when the run named one.
   */
  region?: string;
}

/** Where a run acted: what a pasted command needs to act on the same account and region. */
export interface RunScope {
  /** `--sandbox`: the in-process sandbox. */
  sandbox?: boolean;
  /** `--profile <name>` (ignored with the sandbox). */
  profile?: string;
  /** `--region` as given on the command line: repeated on every regional suggestion. */
  region?: string;
  /** The region the run resolved (flag, environment or profile): regional suggestions in it need no flag. */
  defaultRegion?: string;
  /** The account the run acted in when it is not the caller's own (a member account reached through a role or profile). */
  account?: string;
  /** The named profile that reaches `account` (configuration file), for AWS CLI suggestions acting there. */
  accountProfile?: string;
  /** --read-role / --write-role as given on the command line (the environment and the configuration file apply to a pasted command by themselves). */
  readRole?: string;
  writeRole?: string;
}

/**
 * The account options each gd-ir command takes: `--account` (not added with `--finding`, whose account it is),
 * `--read-role`, `--write-role`. test/unit/suggestion-access.test.ts checks this table against the declarations.
 */
export const ACCESS_OPTIONS: Readonly<Record<string, { account: boolean; read: boolean; write: boolean }>> = {
  'findings show': { account: false, read: true, write: true },
  investigate: { account: false, read: true, write: true },
  trail: { account: true, read: true, write: false },
  policies: { account: true, read: true, write: false },
  remediate: { account: true, read: true, write: true },
  triage: { account: false, read: true, write: true },
  contain: { account: true, read: true, write: true },
  watch: { account: true, read: true, write: false },
};

/** The command path of a gd-ir suggestion as ACCESS_OPTIONS names it. */
function commandPath(argv: readonly string[]): string {
  return argv[0] === 'findings' ? `findings ${argv[1] ?? ''}` : (argv[0] ?? '');
}

/** The flags that carry the account and roles to a gd-ir command acting in a member account. */
function accessFlags(s: Suggestion, scope: RunScope): string[] {
  if (s.tool !== 'gd-ir') return [];
  const takes = ACCESS_OPTIONS[commandPath(s.argv)];
  if (!takes) return [];
  const out: string[] = [];
  const has = (flag: string): boolean => s.argv.includes(flag);
  if (takes.account && scope.account !== undefined && !has('--finding') && !has('--account')) out.push('--account', scope.account);
  if (takes.read && scope.readRole !== undefined && !has('--read-role')) out.push('--read-role', scope.readRole);
  if (takes.write && scope.writeRole !== undefined && !has('--write-role')) out.push('--write-role', scope.writeRole);
  return out;
}

/** A `gd-ir …` suggestion. */
export function gdIr(argv: readonly string[], purpose: SuggestionPurpose, changes: boolean, region?: string): Suggestion {
  return { tool: 'gd-ir', argv: [...argv], purpose, changes, ...(region ? { region } : {}) };
}

/** An `aws …` (AWS CLI) suggestion. */
export function awsCli(argv: readonly string[], purpose: SuggestionPurpose, changes: boolean, region?: string): Suggestion {
  return { tool: 'aws', argv: [...argv], purpose, changes, ...(region ? { region } : {}) };
}

/** Quote a shell word only when it needs it (single quotes; an embedded ' becomes '\''). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Profile names are pasted unquoted only when they need no quoting; others are left out, not printed unsafely. */
const SAFE_PROFILE = /^[A-Za-z0-9+=,.@_/-]+$/;

/**
 * The flags that select the account: `--sandbox`, or `--profile <name>`. An AWS CLI command acting in a member
 * account (anything but GuardDuty, which the administrator answers) needs that account's profile: the one the
 * configuration file names, else a placeholder that fails if pasted unedited, never the caller's own profile.
 */
export function accountFlags(scope: RunScope, tool: Suggestion['tool'] = 'gd-ir', argv: readonly string[] = []): string[] {
  // The in-process sandbox has no fixed endpoint the AWS CLI could be pointed at.
  if (scope.sandbox) return tool === 'gd-ir' ? ['--sandbox'] : [];
  if (tool === 'aws' && scope.account !== undefined && argv[0] !== 'guardduty') {
    return ['--profile', scope.accountProfile !== undefined && SAFE_PROFILE.test(scope.accountProfile) ? scope.accountProfile : `<profile-for-${scope.account}>`];
  }
  if (scope.profile !== undefined && SAFE_PROFILE.test(scope.profile)) return ['--profile', scope.profile];
  return [];
}

/** The region flag a suggestion needs in this scope, if any. */
function regionFlag(s: Suggestion, scope: RunScope): string[] {
  if (s.argv.includes('--region') || s.argv.includes('--regions')) return [];
  const region = s.region;
  if (region === undefined) return [];
  if (scope.region !== undefined || (scope.defaultRegion !== undefined && region !== scope.defaultRegion)) return ['--region', region];
  return [];
}

/** The command line to paste: tool, words (quoted where needed), region, then the account flags. */
export function commandLine(s: Suggestion, scope: RunScope = {}): string {
  const words = [...s.argv, ...regionFlag(s, scope), ...accessFlags(s, scope), ...accountFlags(scope, s.tool, s.argv)];
  return [s.tool, ...words.map(shellQuote)].join(' ');
}

/** Every suggestion as its command line, in order. */
export function commandLines(list: readonly Suggestion[], scope: RunScope = {}): string[] {
  return list.map((s) => commandLine(s, scope));
}
