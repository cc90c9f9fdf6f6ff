/**
 * In-process CLI harness: runs `runCli` with captured stdout/stderr, a chosen TTY shape and env.
 * Integration tests use it against the sandbox; e2e tests run the built binary instead (test/helpers/bin.ts).
 */
import { PassThrough } from 'node:stream';
import { runCli, type RunDeps } from '../../src/cli/run.js';
import type { Prompter } from '../../src/cli/prompter.js';
import type { Clock } from '../../src/cli/context.js';

export interface CapturedRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  stdoutTTY?: boolean;
  stderrTTY?: boolean;
  stdinTTY?: boolean;
  columns?: number;
  prompter?: Prompter;
  clock?: Clock;
  signal?: AbortSignal;
  commands?: RunDeps['commands'];
  maxAttempts?: number;
  /** Called with everything written to stdout so far, after each write (lets a test act on output, not on a timer). */
  onStdout?: (text: string) => void;
}

class Capture {
  chunks: string[] = [];
  isTTY: boolean;
  columns: number | undefined;
  constructor(tty: boolean, columns?: number, private readonly onWrite?: (text: string) => void) {
    this.isTTY = tty;
    this.columns = columns;
  }
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    this.onWrite?.(this.text);
    return true;
  }
  on(): this {
    return this;
  }
  // Terminal cursor calls (tty.WriteStream) that spinners make when the capture poses as a TTY.
  cursorTo(): boolean {
    return true;
  }
  moveCursor(): boolean {
    return true;
  }
  clearLine(): boolean {
    return true;
  }
  get text(): string {
    return this.chunks.join('');
  }
}

/** A clean environment: no real AWS config or credentials leak into tests. */
export function baseEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    HOME: '/nonexistent-home',
    PATH: process.env.PATH,
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}

export async function runInProcess(argv: string[], options: RunOptions = {}): Promise<CapturedRun> {
  const stdout = new Capture(options.stdoutTTY ?? false, options.columns ?? (options.stdoutTTY ? 120 : undefined), options.onStdout);
  const stderr = new Capture(options.stderrTTY ?? false, options.columns ?? (options.stderrTTY ? 120 : undefined));
  const stdin = Object.assign(new PassThrough(), { isTTY: options.stdinTTY ?? false });
  const code = await runCli(argv, {
    streams: { stdin, stdout, stderr },
    env: options.env ?? baseEnv(),
    prompter: options.prompter,
    clock: options.clock,
    signal: options.signal,
    commands: options.commands,
    awsOverrides: options.maxAttempts ? { maxAttempts: options.maxAttempts } : undefined,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** A prompter that answers from a script and records the questions; throws if asked something unexpected. */
export class ScriptedPrompter implements Prompter {
  readonly asked: Array<{ kind: string; message: string }> = [];
  constructor(private readonly answers: unknown[]) {}
  private next<T>(kind: string, message: string): T {
    this.asked.push({ kind, message });
    if (this.answers.length === 0) throw new Error(`unexpected ${kind} prompt: ${message}`);
    const a = this.answers.shift();
    if (a instanceof Error) throw a;
    return a as T;
  }
  async confirm(o: { message: string }): Promise<boolean> {
    return this.next('confirm', o.message);
  }
  async input(o: { message: string; validate?: (v: string) => boolean | string }): Promise<string> {
    const v = this.next<string>('input', o.message);
    return v;
  }
  async select<T>(o: { message: string }): Promise<T> {
    return this.next('select', o.message);
  }
  async search<T>(o: { message: string }): Promise<T> {
    return this.next('search', o.message);
  }
  async checkbox<T>(o: { message: string }): Promise<T[]> {
    return this.next('checkbox', o.message);
  }
}
