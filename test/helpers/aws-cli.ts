/** The official AWS CLI (botocore) pointed at a sandbox, for the conformance suites in test/conformance/. */
import { execFile, spawnSync } from 'node:child_process';
import { expect } from 'vitest';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/index.js';
import type { RunningSandbox } from '../../src/sandbox/index.js';

const probe = spawnSync('aws', ['--version'], { encoding: 'utf8' });
/** Conformance suites are skipped only when `aws` is not on PATH (CI installs it). */
export const HAS_AWS = !probe.error && probe.status === 0;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed (the CLI prints one JSON object); `{}` when it printed nothing or no JSON. */
  json: Record<string, unknown>;
}

/** Bounded concurrency for CLI processes (each is a Python start-up). */
const MAX_PROCS = 6;
let running = 0;
const waiting: Array<() => void> = [];
async function slot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_PROCS) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** The environment that makes the CLI sign with other credentials (a role session's, say). */
export function credentialsEnv(c: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): Record<string, string> {
  return { AWS_ACCESS_KEY_ID: c.accessKeyId, AWS_SECRET_ACCESS_KEY: c.secretAccessKey, ...(c.sessionToken ? { AWS_SESSION_TOKEN: c.sessionToken } : {}) };
}

export function aws(sb: RunningSandbox, args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extraEnv,
  };
  return slot(
    () =>
      new Promise<CliResult>((resolve) => {
        execFile('aws', ['--endpoint-url', sb.endpoint, '--region', 'us-west-2', '--output', 'json', ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
          let json: Record<string, unknown> = {};
          try {
            json = stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
          } catch {
            /* not JSON */
          }
          resolve({ code, stdout, stderr, json });
        });
      }),
  );
}

export function ok(r: CliResult): Record<string, unknown> {
  expect(r.stderr, r.stderr).not.toMatch(/error/i);
  expect(r.code, r.stderr).toBe(0);
  return r.json;
}

