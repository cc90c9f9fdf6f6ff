/**
 * Builds the commander program from the option and command tables. Help, version and parse errors
 * are routed through the IO module; actions are delegated to `onAction`, which loads the command.
 */
import { Command, Option } from 'commander';
import type { CommandSpec, GroupSpec } from './command-spec.js';
import type { IO } from './io.js';
import { GLOBAL_OPTIONS, type OptionSpec } from './options.js';
import { sanitize } from '../core/sanitize.js';

export type ActionHandler = (spec: CommandSpec, args: ReadonlyArray<string | undefined>, options: Record<string, unknown>) => Promise<void>;

const collect = (value: string, previous: unknown): string[] => [...(Array.isArray(previous) ? (previous as string[]) : []), value];

export function toCommanderOption(spec: OptionSpec): Option {
  const description = spec.env ? `${spec.description} (env: ${spec.env})` : spec.description;
  const opt = new Option(spec.flags, description);
  if (spec.choices) opt.choices(spec.choices);
  if (spec.repeatable) opt.argParser(collect);
  if (spec.defaultValue !== undefined) opt.default(spec.defaultValue, String(spec.defaultValue));
  if (spec.hidden) opt.hideHelp();
  return opt;
}

export function formatExamples(spec: Pick<CommandSpec, 'examples'>): string {
  if (spec.examples.length === 0) return '';
  const lines = spec.examples.map((e) => `  $ ${e.command}\n      ${e.description}`);
  return `\nExamples:\n${lines.join('\n')}\n`;
}

export const PROGRAM_DESCRIPTION =
  'Interactive incident response for AWS GuardDuty findings: triage findings, investigate a principal ' +
  '(CloudTrail history, IAM permissions, blast radius) and contain a compromised access key. ' +
  'Run with no arguments on a terminal for the interactive triage console; every command takes --json.';

export interface ProgramOptions {
  io: IO;
  version: string;
  json: boolean;
  commands: readonly CommandSpec[];
  groups: readonly GroupSpec[];
  onAction: ActionHandler;
}

export function buildProgram(options: ProgramOptions): Command {
  const { io } = options;
  const program = new Command('gd-ir');
  program
    .description(PROGRAM_DESCRIPTION)
    .version(options.version, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.writeOut(s),
      writeErr: (s) => (options.json ? undefined : io.writeErr(s)),
      outputError: (s, write) => {
        // The message quotes argv, which may hold CR/LF: keep only commander's own "(Did you mean …?)" break.
        if (!options.json) write(io.errStyle.red(s.trimEnd().split(/\n(?=\(Did you mean )/).map((line) => sanitize(line)).join('\n')) + '\n');
      },
    })
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false, sortOptions: false })
    .showSuggestionAfterError(true)
    .addHelpCommand(false);
  for (const spec of GLOBAL_OPTIONS) program.addOption(toCommanderOption(spec));
  program.addHelpText('after', () => `\nRun 'gd-ir <command> --help' for a command's options and examples.\nDocs: docs/commands.md, exit codes: docs/exit-codes.md\n`);

  const nodes = new Map<string, Command>();
  const parentOf = (path: string[]): Command => {
    let parent = program;
    for (let i = 0; i < path.length - 1; i++) {
      const key = path.slice(0, i + 1).join(' ');
      let node = nodes.get(key);
      if (!node) {
        const group = options.groups.find((g) => g.path.join(' ') === key);
        node = parent.command(path[i] ?? '').description(group?.summary ?? '');
        node.helpOption('-h, --help', 'show help').addHelpCommand(false);
        nodes.set(key, node);
      }
      parent = node;
    }
    return parent;
  };

  for (const spec of options.commands) {
    const parent = parentOf(spec.path);
    const name = spec.path[spec.path.length - 1] ?? '';
    const cmd = parent.command(name, { hidden: spec.hidden === true });
    nodes.set(spec.path.join(' '), cmd);
    cmd.description(spec.description ? `${spec.summary}\n\n${spec.description}` : spec.summary).summary(spec.summary);
    cmd.helpOption('-h, --help', 'show help').addHelpCommand(false);
    for (const alias of spec.aliases ?? []) cmd.alias(alias);
    for (const arg of spec.args ?? []) cmd.argument(arg.name, arg.description);
    for (const opt of spec.options ?? []) cmd.addOption(toCommanderOption(opt));
    const examples = formatExamples(spec);
    if (examples) cmd.addHelpText('after', examples);
    cmd.action(async (...params: unknown[]) => {
      const command = params[params.length - 1] as Command;
      const args = command.processedArgs.map((a) => (typeof a === 'string' ? a : undefined));
      await options.onAction(spec, args, command.optsWithGlobals());
    });
  }
  // After a parse error: the error (commander's own did-you-mean included), then the one usage line and where the
  // rest is, not the whole help (which scrolls the error away). clig.dev, gh and git do the same.
  if (!options.json) {
    program.showHelpAfterError(usageAfterError(program, []));
    for (const [key, node] of nodes) node.showHelpAfterError(usageAfterError(node, key.split(' ')));
  }
  return program;
}

/** `Usage: gd-ir findings list [options]` and the pointer to `--help`, for one command or group. */
export function usageAfterError(cmd: Command, words: readonly string[]): string {
  const name = ['gd-ir', ...words].join(' ');
  const what = cmd.commands.length > 0 ? 'its commands' : 'its options and examples';
  return `Usage: ${name} ${cmd.usage()}\nRun '${name} --help' for ${words.length === 0 ? 'the commands and global options' : what}.`;
}
