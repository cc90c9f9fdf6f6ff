/**
 * Starts a sandbox for a test file and gives the env that points gd-ir (or the AWS CLI) at it.
 *   const sb = useSandbox();            // in a describe block: started beforeAll, closed afterAll
 *   await runInProcess(['findings', 'list', '--json'], { env: sb.env() });
 *   sb.get().requests                   // what the sandbox received
 */
import { afterAll, beforeAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, SANDBOX_CREDENTIALS, type RunningSandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { baseEnv } from './cli.js';

export function sandboxEnv(sandbox: RunningSandbox, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return baseEnv({
    AWS_ENDPOINT_URL: sandbox.endpoint,
    AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'us-west-2',
    ...extra,
  });
}

export function useSandbox(options: SandboxOptions = {}) {
  let sandbox: RunningSandbox | undefined;
  let stateDir: string | undefined;
  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'gd-ir-test-'));
    sandbox = await startSandbox({ port: 0, cloudTrailRateLimit: false, ...options });
  });
  afterAll(async () => {
    await sandbox?.close();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });
  return {
    get(): RunningSandbox {
      if (!sandbox) throw new Error('sandbox not started');
      return sandbox;
    },
    /** Env for gd-ir / AWS CLI against this sandbox; XDG_STATE_HOME is a per-file temp dir. */
    env(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
      if (!sandbox || !stateDir) throw new Error('sandbox not started');
      return sandboxEnv(sandbox, { XDG_STATE_HOME: stateDir, ...extra });
    },
  };
}
