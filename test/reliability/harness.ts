/**
 * Shared machinery of the reliability suite (docs/reliability.md): every gd-ir run goes through `gd()`,
 * `bin()` or `sh()` so its stdout and stderr land in the output registry, which each file scans for
 * secrets in its afterAll and summarises on stderr with its counts.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { SANDBOX_CREDENTIALS, type RunningSandbox } from '../../src/sandbox/index.js';
import { WORKSHOP } from '../../src/sandbox/scenarios/workshop-facts.js';
import { runInProcess, type CapturedRun, type RunOptions } from '../helpers/cli.js';
import { BIN, ROOT, assertBuilt, runBin, type BinResult } from '../helpers/bin.js';

/** A fake session token handed to gd-ir in some runs: it must never be echoed back. */
export const FAKE_SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEFAKEsessionTOKENforGdIrReliability0000000000000000000000000000==';

/** Every secret the suite's processes hold. None may appear in any output. */
export const SECRET_VALUES: readonly string[] = [
  SANDBOX_CREDENTIALS.secretAccessKey,
  WORKSHOP.analyst.secretAccessKey,
  WORKSHOP.compromised.secretAccessKey,
  WORKSHOP.compromised.derivedSessionSecret,
  WORKSHOP.developer.secretAccessKey,
  WORKSHOP.role.sessionSecret,
  FAKE_SESSION_TOKEN,
];
/** A SigV4 signature (Authorization header or presigned query). */
export const SIGNATURE = /Signature=[0-9a-f]{64}/;
/** A JavaScript stack frame: what a crash looks like in gd-ir's output. */
export const STACK_FRAME = /\n\s+at /;

/** A fixed instant for runs whose outputs are compared with each other. */
export const FIXED_NOW = new Date('2026-11-20T12:00:00Z');
export const fixedClock = { now: () => new Date(FIXED_NOW.getTime()) };

interface Entry {
  label: string;
  text: string;
}

/** The outputs of one test file (vitest runs each file in its own process). */
class OutputRegistry {
  private readonly entries: Entry[] = [];
  add(label: string, text: string): void {
    if (text !== '') this.entries.push({ label, text });
  }
  addRun(label: string, run: { stdout: string; stderr: string }): void {
    this.add(`${label} (stdout)`, run.stdout);
    this.add(`${label} (stderr)`, run.stderr);
  }
  addFile(label: string, path: string): void {
    if (existsSync(path)) this.add(label, readFileSync(path, 'utf8'));
  }
  get size(): number {
    return this.entries.length;
  }
  /** Every output that holds a secret or a signature, with what it held. */
  leaks(): Array<{ label: string; secret: string }> {
    const out: Array<{ label: string; secret: string }> = [];
    for (const e of this.entries) {
      for (const s of SECRET_VALUES) if (e.text.includes(s)) out.push({ label: e.label, secret: s });
      const sig = SIGNATURE.exec(e.text);
      if (sig) out.push({ label: e.label, secret: sig[0] });
    }
    return out;
  }
}

export const outputs = new OutputRegistry();

/** gd-ir in-process; the outputs are registered. */
export async function gd(argv: string[], opts: RunOptions = {}): Promise<CapturedRun> {
  const run = await runInProcess(argv, opts);
  outputs.addRun(`gd-ir ${argv.join(' ')}`, run);
  return run;
}

/** The built binary; the outputs are registered. */
export async function bin(argv: string[], opts: Parameters<typeof runBin>[1] = {}): Promise<BinResult> {
  const run = await runBin(argv, opts);
  outputs.addRun(`bin gd-ir ${argv.join(' ')}`, run);
  return run;
}

export interface ShellResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A bash script (pipelines) in which the shell function `gd` runs the built binary. */
export function sh(script: string, env: Record<string, string | undefined>, timeoutMs = 60_000): Promise<ShellResult> {
  assertBuilt();
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `gd() { "$GD_NODE" "$GD_BIN" "$@"; }\n${script}`], {
      cwd: ROOT,
      env: { ...env, GD_NODE: process.execPath, GD_BIN: BIN } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const run = { code, stdout, stderr };
      outputs.addRun(`sh ${script}`, run);
      resolve(run);
    });
  });
}

/** Assert that nothing the file produced leaks a secret; returns how many outputs were scanned. */
export function assertNoLeaks(): number {
  expect(outputs.leaks()).toEqual([]);
  return outputs.size;
}

/** One summary line per part on the test runner's stderr (docs/reliability.md quotes them). */
export function printSummary(part: string, counts: Record<string, number>): void {
  const text = Object.entries(counts)
    .map(([k, v]) => `${k} ${v}`)
    .join('; ');
  // The suite's report for humans and CI logs; gd-ir's own code never writes to process streams directly.
  // eslint-disable-next-line no-restricted-properties
  process.stderr.write(`reliability: ${part}: ${text}\n`);
}

/** Requests the sandbox received since `from` (an index into sandbox.requests). */
export function requestsSince(sb: RunningSandbox, from: number) {
  return sb.requests.slice(from);
}

/** Recursively drop keys that measure time or effort rather than content (retries differ under faults). */
export function stripTiming(value: unknown): unknown {
  const TIMING = new Set(['elapsedMs', 'durationMs', 'throttleWaitMs', 'throttles', 'retries', 'requests', 'elapsed', 'duration', 'durations', 'timings']);
  if (Array.isArray(value)) return value.map(stripTiming);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (!TIMING.has(k)) out[k] = stripTiming(v);
    return out;
  }
  return value;
}

/** What human output must never contain: C0 controls but newline, DEL, C1 controls, bidi controls. */
export const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** ESC-free output also has no colour; with colour on (TTY runs) only SGR sequences are allowed. */
export const SGR = /\u001b\[[0-9;]*m/g;
/** A UTF-16 surrogate without its pair (what invalid UTF-8 decodes to in JS, or what an attacker can put in JSON). */
export const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * "One clear line" (docs/reliability.md): in text mode, stderr is `error: <message>` (at most 300
 * characters, printable, no JavaScript error names), then optionally one `hint: <remedy>` line, or, for a
 * command-line syntax error caught by the parser, a "(Did you mean …?)" line and the command's help.
 * In --json mode, stderr is exactly one line, {"error":{"code","message"[,"remedy"]}}.
 * Returns what is wrong, or undefined.
 */
export function unclearError(stderr: string, json: boolean): string | undefined {
  if (STACK_FRAME.test(stderr)) return 'stack trace';
  const lines = stderr.replace(/\n$/, '').split('\n');
  const first = lines[0] ?? '';
  const message = json ? first : first.replace(/^error: /, '');
  // The input itself is echoed in quotes ('NaN' is a fine thing to quote back); look outside the quotes.
  const unquoted = message.replace(/'[^']*'/g, "''");
  if (/\b(TypeError|RangeError|ReferenceError|SyntaxError|undefined|NaN)\b|\[object Object\]/.test(unquoted)) return `raw JavaScript error text: ${first}`;
  if (json) {
    if (lines.length !== 1) return `--json: ${lines.length} lines on stderr`;
    try {
      const body = JSON.parse(first) as { error?: { code?: unknown; message?: unknown } };
      if (typeof body.error?.code !== 'string' || typeof body.error.message !== 'string' || body.error.message === '') return 'JSON error without code/message';
    } catch {
      return `--json: stderr is not JSON: ${first.slice(0, 120)}`;
    }
    return undefined;
  }
  if (!/^error: \S/.test(first)) return `first line is not "error: …": ${first.slice(0, 120)}`;
  if ([...first].length > 300) return `error line longer than 300 characters (${[...first].length})`;
  if (CONTROL.test(first)) return 'control characters in the error line';
  const rest = lines.slice(1);
  if (rest.length === 0) return undefined;
  if (rest.length === 1 && /^hint: \S/.test(rest[0] ?? '')) return undefined;
  const helpAt = rest.findIndex((l) => l.startsWith('Usage: gd-ir'));
  if (helpAt >= 0 && rest.slice(0, helpAt).every((l) => l === '' || /^\(Did you mean .+\?\)$/.test(l))) return undefined;
  return `more than one line: ${JSON.stringify(rest.slice(0, 3))}`;
}
