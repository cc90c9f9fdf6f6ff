/**
 * `gd-ir sandbox reset [--scenario <name>]`: restore a scenario for `--sandbox` runs (its persisted changes are
 * dropped) and select it: later `--sandbox` runs use it until another reset (or GD_IR_SANDBOX_SCENARIO) says
 * otherwise (src/cli/sandbox-mode.ts).
 */
import { existsSync, rmSync } from 'node:fs';
import type { SandboxResetInput } from '../cli/commands/sandbox.js';
import type { Context } from '../cli/context.js';
import { sandboxStatePath, selectSandboxScenario } from '../cli/sandbox-mode.js';

export function execute(ctx: Context, input: SandboxResetInput): Promise<number> {
  const scenario = input.options.scenario;
  const path = sandboxStatePath(ctx.stateDir, scenario);
  const existed = existsSync(path);
  rmSync(path, { force: true });
  selectSandboxScenario(ctx.stateDir, scenario);
  if (ctx.globals.json) ctx.io.printJson({ schemaVersion: 1, reset: true, scenario, statePath: path, hadState: existed });
  else {
    ctx.io.info(existed ? `Sandbox reset: the ${scenario} scenario is restored (${path} removed).` : `Sandbox reset: the ${scenario} scenario is already in its initial state.`);
    ctx.io.info(`--sandbox runs now use the ${scenario} scenario.`);
  }
  return Promise.resolve(0);
}
