/** `gd-ir sandbox reset`: restore the scenario for `--sandbox` runs (its persisted changes are dropped). */
import { existsSync, rmSync } from 'node:fs';
import type { SandboxResetInput } from '../cli/commands/sandbox.js';
import type { Context } from '../cli/context.js';
import { sandboxStatePath } from '../cli/sandbox-mode.js';

export function execute(ctx: Context, _input: SandboxResetInput): Promise<number> {
  const path = sandboxStatePath(ctx.stateDir, 'workshop');
  const existed = existsSync(path);
  rmSync(path, { force: true });
  if (ctx.globals.json) ctx.io.printJson({ schemaVersion: 1, reset: true, statePath: path, hadState: existed });
  else ctx.io.info(existed ? `Sandbox reset: the workshop scenario is restored (${path} removed).` : 'Sandbox reset: already in its initial state.');
  return Promise.resolve(0);
}
