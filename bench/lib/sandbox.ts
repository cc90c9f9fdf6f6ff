/** Starts a sandbox in the bench process and builds the environment that points gd-ir or the AWS CLI at it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, SANDBOX_CREDENTIALS, type RunningSandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { cleanEnv } from './measure.js';

export interface BenchSandbox {
  sandbox: RunningSandbox;
  /** Env for gd-ir and the AWS CLI: endpoint, sandbox credentials, home region, a private state dir. */
  env: Record<string, string | undefined>;
  close(): Promise<void>;
}

export async function startBenchSandbox(options: SandboxOptions): Promise<BenchSandbox> {
  const sandbox = await startSandbox({ port: 0, ...options });
  const stateDir = mkdtempSync(join(tmpdir(), 'gd-ir-bench-state-'));
  const env = cleanEnv({
    AWS_ENDPOINT_URL: sandbox.endpoint,
    AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'us-west-2',
    AWS_DEFAULT_REGION: 'us-west-2',
    XDG_STATE_HOME: stateDir,
    // No gd-ir configuration file of the machine's user: the runs name their roles on the command line.
    XDG_CONFIG_HOME: stateDir,
  });
  return {
    sandbox,
    env,
    async close() {
      await sandbox.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
