/**
 * `gd-ir sandbox reset [--scenario <name>]`: restore a scenario for `--sandbox` runs (its persisted changes are
 * dropped) and select it: later `--sandbox` runs use it until another reset (or GD_IR_SANDBOX_SCENARIO) says
 * otherwise (src/cli/sandbox-mode.ts).
 */
import { existsSync, rmSync } from 'node:fs';
import type { SandboxResetInput } from '../cli/commands/sandbox.js';
import type { Context } from '../cli/context.js';
import { SANDBOX_SCENARIO_ENV, sandboxStatePath, selectSandboxScenario } from '../cli/sandbox-mode.js';
import { sanitize } from '../core/sanitize.js';

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
  // The environment wins over the selection (src/cli/sandbox-mode.ts): say so rather than let the next run surprise.
  const env = ctx.env[SANDBOX_SCENARIO_ENV];
  if (env !== undefined && env !== '' && env !== scenario) {
    ctx.io.warn(`${SANDBOX_SCENARIO_ENV}=${sanitize(env, { maxLength: 20 })} is set in this shell and wins over the selection`);
  }
  return Promise.resolve(0);
}
