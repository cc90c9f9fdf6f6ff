/**
 * `--sandbox`: start the sandbox in this process on an ephemeral loopback port and point every AWS
 * client at it with the analyst's sandbox credentials. State persists between invocations under
 * $XDG_STATE_HOME/gd-ir/sandbox/, so `findings list → investigate → remediate → investigate` works as
 * separate commands; `gd-ir sandbox reset` restores the scenario.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from './context.js';

export function sandboxStatePath(stateDir: string, scenario = 'workshop'): string {
  return join(stateDir, 'sandbox', `${scenario}.state.json`);
}

export async function attachSandbox(ctx: Context, cleanups: Array<() => Promise<void> | void>, opts: { fresh?: boolean } = {}): Promise<void> {
  const { startSandbox, SANDBOX_CREDENTIALS } = await import('../sandbox/index.js');
  const statePath = sandboxStatePath(ctx.stateDir);
  // The state is read when the sandbox starts, so a fresh start must drop it first.
  if (opts.fresh) rmSync(statePath, { force: true });
  const sandbox = await startSandbox({ port: 0, scenario: 'workshop', statePath });
  cleanups.push(() => sandbox.close());
  ctx.aws.useEndpoint(sandbox.endpoint, SANDBOX_CREDENTIALS, 'us-west-2');
  ctx.sandbox = { endpoint: sandbox.endpoint, statePath };
}
