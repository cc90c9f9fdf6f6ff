/**
 * `gd-ir sandbox reset [--scenario <name>]`: restore the scenario `--sandbox` runs use (its persisted changes are
 * dropped); with `--scenario`, restore that one and make `--sandbox` runs use it from now on (src/cli/sandbox-mode.ts).
 */
import { existsSync, rmSync } from 'node:fs';
import type { SandboxResetInput } from '../cli/commands/sandbox.js';
import type { Context } from '../cli/context.js';
import { chooseScenario, sandboxStatePath, selectedScenario } from '../cli/sandbox-mode.js';
import { sanitize } from '../core/sanitize.js';

export function execute(ctx: Context, { options: o }: SandboxResetInput): Promise<number> {
  const before = selectedScenario(ctx.env, ctx.stateDir);
  if (o.scenario !== undefined) chooseScenario(ctx.stateDir, o.scenario);
  const now = o.scenario ?? before;
  const path = sandboxStatePath(ctx.stateDir, now);
  const existed = existsSync(path);
  rmSync(path, { force: true });
  if (ctx.globals.json) {
    ctx.io.printJson({ schemaVersion: 1, reset: true, scenario: now, statePath: path, hadState: existed });
    return Promise.resolve(0);
  }
  ctx.io.info(existed ? `Sandbox reset: the ${now} scenario is restored (${path} removed).` : `Sandbox reset: the ${now} scenario is in its initial state.`);
  if (now !== before) ctx.io.info(`--sandbox runs now use the ${now} scenario${now === 'org' ? ' (docs/scenarios.md, "org")' : ''}.`);
  const env = ctx.env.GD_IR_SANDBOX_SCENARIO;
  if (env && env !== now) ctx.io.warn(`GD_IR_SANDBOX_SCENARIO=${sanitize(env, { maxLength: 20 })} is set in this shell and wins over the choice`);
  return Promise.resolve(0);
}
