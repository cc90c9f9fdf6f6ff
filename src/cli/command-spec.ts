/**
 * What a command is: its place in the tree, help text, arguments, options and examples (declared
 * here so `--help` never loads the implementation), plus a lazy loader for the code that runs it.
 */
import type { Context } from './context.js';
import type { OptionSpec } from './options.js';

export interface ArgumentSpec {
  /** `<findingId>` (required) or `[userName]` (optional). */
  name: string;
  description: string;
}

export interface Example {
  command: string;
  description: string;
}

/** A command implementation: validates its input, does the work, renders. Returns the exit code (default 0). */
export type CommandHandler = (ctx: Context, args: string[], options: Record<string, unknown>) => Promise<number | void>;

export interface CommandModule {
  execute: CommandHandler;
}

export interface CommandSpec {
  /** Path in the command tree, e.g. ['findings', 'list']. Parents without a spec are created as groups. */
  path: string[];
  summary: string;
  /** Longer help shown by `gd-ir <command> --help`. */
  description?: string;
  aliases?: string[];
  args?: ArgumentSpec[];
  options?: OptionSpec[];
  examples: Example[];
  /** Whether the command talks to AWS (lets `--sandbox` start the sandbox only when needed). */
  usesAws: boolean;
  /** Hidden from the command list. */
  hidden?: boolean;
  /**
   * Run against the in-process sandbox whatever the flags say (`gd-ir demo`); 'fresh' first restores the
   * scenario (as `gd-ir sandbox reset` does) so every run starts from the same story.
   */
  forceSandbox?: 'fresh' | 'keep';
  load: () => Promise<CommandModule>;
}

export interface GroupSpec {
  path: string[];
  summary: string;
}
