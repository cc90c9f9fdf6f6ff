/**
 * What a command is: its place in the tree, help text, arguments, options and examples, declared in
 * src/cli/commands/<verb>.ts so `--help` never loads the implementation; and, registered in
 * src/cli/commands/index.ts, the lazy loader of the handler that runs it.
 *
 * The handler's input is derived from the declaration: `InputOf<typeof decl>` is the typed object of
 * parsed arguments and options, validated (each option's parser, then the declaration's `check`)
 * before the handler runs. `register` ties the loaded module's `execute` to that type, so the compiler
 * rejects a handler that reads an option the command does not declare.
 */
import type { Context } from './context.js';
import { parseOptionTable, type OptionSpec, type OptionTable, type ParseContext, type ParsedOptions } from './options.js';

export interface ArgumentSpec {
  /** `<findingId>` (required) or `[userName]` (optional). */
  name: string;
  description: string;
}

export interface ArgDef<T> extends ArgumentSpec {
  parse: (raw: string | undefined, c: ParseContext) => T;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a table of arguments of any value type
export type ArgTable = Record<string, ArgDef<any>>;
export type ParsedArgs<A extends ArgTable> = { [K in keyof A]: ReturnType<A[K]['parse']> };

/** An optional positional argument: the parsed value, or undefined when absent. */
export function optionalArg<T = string>(name: string, description: string, parse?: (value: string, c: ParseContext) => T): ArgDef<T | undefined> {
  return { name, description, parse: (raw, c) => (raw === undefined ? undefined : parse ? parse(raw, c) : (raw as unknown as T)) };
}

export interface Example {
  command: string;
  description: string;
}

export interface CommandInput<O extends OptionTable, A extends ArgTable> {
  args: ParsedArgs<A>;
  options: ParsedOptions<O>;
}

/** A command implementation: does the work and renders. Returns the exit code (default 0). */
export type CommandHandler<O extends OptionTable, A extends ArgTable> = (ctx: Context, input: CommandInput<O, A>) => Promise<number | void>;

/** What `gd-ir <path> --help` shows and how the input is validated. */
export interface CommandDeclaration<O extends OptionTable = OptionTable, A extends ArgTable = ArgTable> {
  /** Path in the command tree, e.g. ['findings', 'list']. Parents without a declaration are created as groups. */
  path: string[];
  summary: string;
  /** Longer help shown by `gd-ir <command> --help`. */
  description?: string;
  aliases?: string[];
  args?: A;
  options?: O;
  /** Checks across options and arguments (exclusive choices, combinations), after each was parsed. */
  check?: (input: CommandInput<O, A>) => void;
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
}

export type InputOf<D> = D extends CommandDeclaration<infer O, infer A> ? CommandInput<O, A> : never;

/** Declares a command, keeping its option and argument types for `InputOf`. */
export function declareCommand<O extends OptionTable = Record<never, never>, A extends ArgTable = Record<never, never>>(d: CommandDeclaration<O, A>): CommandDeclaration<O, A> {
  return d;
}

/** A registered command: what commander, help and docs need, plus parse and run with the types erased. */
export interface CommandSpec {
  path: string[];
  summary: string;
  description?: string;
  aliases?: string[];
  args: ArgumentSpec[];
  /** Options with the attribute name commander stores them under. */
  options: Array<OptionSpec & { key: string }>;
  examples: Example[];
  usesAws: boolean;
  hidden?: boolean;
  forceSandbox?: 'fresh' | 'keep';
  /** Parses and validates commander's values: the handler's input, or a UsageError. */
  parse(args: readonly (string | undefined)[], raw: Record<string, unknown>, c: ParseContext): unknown;
  /** Loads the handler and runs it with the input `parse` returned. */
  run(ctx: Context, input: unknown): Promise<number | void>;
}

export interface GroupSpec {
  path: string[];
  summary: string;
}

/** Parses and validates commander's values for a declaration: each argument and option, then `check`. */
export function parseInput<O extends OptionTable, A extends ArgTable>(
  d: CommandDeclaration<O, A>,
  args: readonly (string | undefined)[],
  raw: Record<string, unknown>,
  c: ParseContext,
): CommandInput<O, A> {
  const parsedArgs: Record<string, unknown> = {};
  Object.entries(d.args ?? {}).forEach(([key, a], i) => (parsedArgs[key] = (a as ArgDef<unknown>).parse(args[i], c)));
  const input: CommandInput<O, A> = { args: parsedArgs as ParsedArgs<A>, options: parseOptionTable((d.options ?? {}) as O, raw, c) };
  d.check?.(input);
  return input;
}

/** Ties a declaration to its lazily loaded handler, whose input type must be the declaration's. */
export function register<O extends OptionTable, A extends ArgTable>(
  d: CommandDeclaration<O, A>,
  load: () => Promise<{ execute: CommandHandler<O, A> }>,
): CommandSpec {
  const argDefs = Object.values(d.args ?? {}) as Array<ArgDef<unknown>>;
  return {
    path: d.path,
    summary: d.summary,
    ...(d.description !== undefined ? { description: d.description } : {}),
    ...(d.aliases ? { aliases: d.aliases } : {}),
    args: argDefs.map((a) => ({ name: a.name, description: a.description })),
    options: Object.entries(d.options ?? {}).map(([key, o]) => ({ ...o, key })),
    examples: d.examples,
    usesAws: d.usesAws,
    ...(d.hidden !== undefined ? { hidden: d.hidden } : {}),
    ...(d.forceSandbox !== undefined ? { forceSandbox: d.forceSandbox } : {}),
    parse: (args, raw, c) => parseInput(d, args, raw, c),
    async run(ctx, input) {
      // `input` is what parse() returned for this same declaration.
      return (await load()).execute(ctx, input as CommandInput<O, A>);
    },
  };
}
