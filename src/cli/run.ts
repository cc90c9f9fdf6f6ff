/**
 * Runs one gd-ir invocation: parse argv, build the context, run the command, and turn any error into
 * output and an exit code (the only place that does). Tests call `runCli` in-process with fake streams.
 */
import { CommanderError } from 'commander';
import { AwsClients, validateEndpointUrl } from '../aws/clients.js';
import { toGdIrError } from '../aws/errors.js';
import { accessFlagsOf } from '../core/access.js';
import { parseRegion } from '../core/validate.js';
import { sanitize } from '../core/sanitize.js';
import type { CommandSpec } from './command-spec.js';
import { COMMANDS, GROUPS } from './commands/index.js';
import { type Clock, type Context, type Env, stateDirFor, systemClock } from './context.js';
import { ExitCode, type GdIrError, InterruptedError } from '../core/errors.js';
import { IO, type Streams } from './io.js';
import { readGlobalOptions, type GlobalOptions } from './options.js';
import { buildProgram } from './program.js';
import { InquirerPrompter, isPromptExit, type Prompter } from './prompter.js';
import { gdIrVersion } from './version.js';

export interface RunDeps {
  streams: Streams;
  env: Env;
  clock?: Clock;
  prompter?: Prompter;
  /** Aborted on SIGINT by the entry point. */
  signal?: AbortSignal;
  /** Override the command table (tests). */
  commands?: readonly CommandSpec[];
  /** Extra settings for the AWS client factory (tests: maxAttempts). */
  awsOverrides?: { maxAttempts?: number };
}

const GLOBAL_WITH_VALUE = new Set(['--region', '--profile', '--endpoint-url']);
const GLOBAL_FLAGS = new Set(['--json', '--no-color', '--no-input', '--debug', '--sandbox']);

/** True when argv holds only global options (no command, no help/version request). */
export function isBareInvocation(argv: readonly string[]): boolean {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const name = a.split('=')[0] ?? a;
    if (GLOBAL_WITH_VALUE.has(name)) {
      if (!a.includes('=')) i++;
      continue;
    }
    if (GLOBAL_FLAGS.has(a)) continue;
    return false;
  }
  return true;
}

export async function runCli(argv: readonly string[], deps: RunDeps): Promise<number> {
  const json = argv.includes('--json');
  const debug = argv.includes('--debug');
  const io = new IO(deps.streams, { env: deps.env, colorFlag: !argv.includes('--no-color'), json });
  const version = gdIrVersion();
  const commands = deps.commands ?? COMMANDS;
  let ctx: Context | undefined;
  const cleanups: Array<() => Promise<void> | void> = [];

  const onAction = async (spec: CommandSpec, args: ReadonlyArray<string | undefined>, raw: Record<string, unknown>): Promise<void> => {
    // Every option and argument is validated before the context exists: bad input costs no AWS call and no sandbox.
    validateGlobals(readGlobalOptions(raw));
    const input = spec.parse(args, raw, { now: (deps.clock ?? systemClock).now() });
    ctx = await createContext(spec.forceSandbox ? { ...raw, sandbox: true } : raw, spec.usesAws, cleanups, spec.forceSandbox === 'fresh');
    const flags = accessFlagsOf((input as { options?: Record<string, unknown> }).options ?? {});
    if (Object.keys(flags).length > 0) ctx.accessFlags = flags;
    const code = await spec.run(ctx, input);
    if (typeof code === 'number') exitCode = code;
  };

  const createContext = async (raw: Record<string, unknown>, usesAws: boolean, cleanupList: typeof cleanups, freshSandbox = false): Promise<Context> => {
    const globals = readGlobalOptions(raw);
    validateGlobals(globals);
    const signal = deps.signal ?? new AbortController().signal;
    const aws = new AwsClients({
      region: globals.region,
      profile: globals.profile,
      endpointUrl: globals.endpointUrl,
      env: deps.env,
      debug: globals.debug,
      debugLog: (line) => io.err(io.errStyle.gray(sanitize(line))),
      version,
      maxAttempts: deps.awsOverrides?.maxAttempts,
    });
    cleanupList.push(() => aws.destroy());
    const context: Context = {
      io,
      prompter: deps.prompter ?? new InquirerPrompter(deps.streams, signal),
      aws,
      clock: deps.clock ?? systemClock,
      env: deps.env,
      globals,
      signal,
      version,
      interactive: io.stdinIsTTY && io.stderrIsTTY && globals.input && !globals.json,
      stateDir: stateDirFor(deps.env),
    };
    if (globals.sandbox && usesAws) {
      const { attachSandbox } = await import('./sandbox-mode.js');
      await attachSandbox(context, cleanupList, { fresh: freshSandbox });
    }
    return context;
  };

  let exitCode: number = ExitCode.Ok;
  try {
    if (isBareInvocation(argv)) {
      const triage = commands.find((c) => c.path.join(' ') === 'triage');
      const raw = parseBareGlobals(argv);
      if (triage && io.stdinIsTTY && io.stderrIsTTY && raw.input !== false && raw.json !== true) {
        await onAction(triage, [], raw);
      } else {
        const program = buildProgram({ io, version, json, commands, groups: GROUPS, onAction });
        io.writeOut(program.helpInformation());
      }
      return exitCode;
    }
    const program = buildProgram({ io, version, json, commands, groups: GROUPS, onAction });
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (err) {
    return reportError(err, io, { json, debug, profile: ctx?.globals.profile });
  } finally {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch {
        /* cleanup is best effort */
      }
    }
    io.cleanup();
  }
}

/** The global options that can be wrong before anything runs (exit 2). */
function validateGlobals(globals: GlobalOptions): void {
  if (globals.endpointUrl) validateEndpointUrl(globals.endpointUrl);
  // A mistyped --region would otherwise surface later as a confusing "no detector in …" runtime error (exit 1).
  if (globals.region !== undefined) parseRegion(globals.region);
}

function parseBareGlobals(argv: readonly string[]): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const [name, inline] = a.split('=', 2) as [string, string | undefined];
    const key = name.replace(/^--(no-)?/, '').replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
    if (GLOBAL_WITH_VALUE.has(name)) raw[key] = inline ?? argv[++i];
    else raw[key] = !name.startsWith('--no-');
  }
  return raw;
}

const COMMANDER_OK = new Set(['commander.helpDisplayed', 'commander.version']);

/** Print an error the way the user asked for (text or JSON on stderr) and return its exit code. */
export function reportError(err: unknown, io: IO, opts: { json: boolean; debug: boolean; profile?: string }): number {
  if (err instanceof CommanderError) {
    if (COMMANDER_OK.has(err.code)) return ExitCode.Ok;
    // Commander already printed the message and the help (text mode); JSON mode prints it here.
    if (opts.json) {
      const message = sanitize(err.message.replace(/^error:\s*/, '').replace(/\n/g, ' '));
      io.err(JSON.stringify({ error: { code: 'usage', message } }));
    }
    return ExitCode.Usage;
  }
  let error: GdIrError;
  if (isPromptExit(err) || (err instanceof Error && err.name === 'AbortError')) error = new InterruptedError();
  else error = toGdIrError(err, undefined, opts.profile);
  if (error.exitCode === ExitCode.Interrupted && !opts.json) {
    // The user asked to stop: no "error:" line, just leave the terminal clean.
    return error.exitCode;
  }
  if (opts.json) {
    const body: Record<string, unknown> = { code: error.code, message: sanitize(error.message) };
    if (error.remedy) body.remedy = sanitize(error.remedy);
    io.err(JSON.stringify({ error: body }));
  } else {
    io.err(`${io.errStyle.red('error:')} ${sanitize(error.message)}`);
    if (error.remedy) io.err(`${io.errStyle.dim('hint:')} ${sanitize(error.remedy)}`);
  }
  if (opts.debug && err instanceof Error && err.stack) io.err(io.errStyle.gray(sanitize(err.stack, { keepNewlines: true })));
  return error.exitCode;
}

