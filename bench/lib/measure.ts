/** Timing helpers: medians, child processes timed from spawn to exit, peak RSS via /usr/bin/time. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './report.js';

export const BIN = `${ROOT}bin/gd-ir.js`;

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export interface ProcResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit (ms). */
  wallMs: number;
  /** performance.now() at spawn and at exit (the in-process sandbox logs on the same clock). */
  startedAt: number;
  endedAt: number;
  /** Peak resident set size (MB) when measured with /usr/bin/time. */
  peakRssMb?: number;
}

export interface ProcOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Measure peak RSS with GNU time (adds a fork/exec of its own, so don't use it for start-up timings). */
  measureRss?: boolean;
  timeoutMs?: number;
  /** Collect stdout (default true); off for commands whose output is irrelevant. */
  captureStdout?: boolean;
}

export const GNU_TIME = '/usr/bin/time';

export function runProcess(cmd: string, args: readonly string[], opts: ProcOptions = {}): Promise<ProcResult> {
  let argv0 = cmd;
  let argv = [...args];
  let rssDir: string | undefined;
  let rssFile: string | undefined;
  if (opts.measureRss) {
    if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} is needed to measure peak RSS`);
    rssDir = mkdtempSync(join(tmpdir(), 'gd-ir-bench-'));
    rssFile = join(rssDir, 'rss');
    argv = ['-f', '%M', '-o', rssFile, cmd, ...args];
    argv0 = GNU_TIME;
  }
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(argv0, argv, {
      env: (opts.env ?? process.env) as NodeJS.ProcessEnv,
      cwd: opts.cwd ?? ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const capture = opts.captureStdout ?? true;
    child.stdout.on('data', (d: Buffer) => {
      if (capture) out.push(d);
    });
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 300_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      const endedAt = performance.now();
      clearTimeout(timer);
      const result: ProcResult = {
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        wallMs: endedAt - started,
        startedAt: started,
        endedAt,
      };
      if (rssFile && rssDir) {
        try {
          // GNU time reports %M in KiB; a non-zero exit adds a "Command exited" line before it.
          const lines = readFileSync(rssFile, 'utf8').trim().split('\n');
          const kb = Number(lines[lines.length - 1]);
          if (Number.isFinite(kb)) result.peakRssMb = kb / 1024;
        } finally {
          rmSync(rssDir, { recursive: true, force: true });
        }
      }
      resolve(result);
    });
  });
}

/** Runs the built gd-ir binary as a user would. */
export function runGdIr(args: readonly string[], opts: ProcOptions = {}): Promise<ProcResult> {
  return runProcess(process.execPath, [BIN, ...args], opts);
}

export function assertOk(label: string, r: ProcResult): void {
  if (r.code !== 0) {
    throw new Error(`${label} exited with ${r.code}: ${r.stderr.trim().slice(0, 2000)}`);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A clean environment: no real AWS configuration or credentials reach the measured processes. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: 'C.UTF-8',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    NO_COLOR: '1',
    ...extra,
  };
}
