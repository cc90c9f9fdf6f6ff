/**
 * `--sandbox`: start the sandbox in this process on an ephemeral loopback port and point every AWS
 * client at it with the analyst's sandbox credentials. State persists between invocations under
 * $XDG_STATE_HOME/gd-ir/sandbox/, so `findings list → investigate → remediate → investigate` works as
 * separate commands; `gd-ir sandbox reset` restores the scenario.
 *
 * Which scenario: GD_IR_SANDBOX_SCENARIO, else the one chosen with `gd-ir sandbox reset --scenario <name>`
 * (remembered in $XDG_STATE_HOME/gd-ir/sandbox/scenario), else `workshop`. `org` is the multi-account one.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { sanitize } from '../core/sanitize.js';
import type { Context, Env } from './context.js';

export const SANDBOX_SCENARIOS = ['workshop', 'large', 'org'] as const;
export type SandboxScenario = (typeof SANDBOX_SCENARIOS)[number];
export const SANDBOX_SCENARIO_ENV = 'GD_IR_SANDBOX_SCENARIO';

export function isSandboxScenario(name: string): name is SandboxScenario {
  return (SANDBOX_SCENARIOS as readonly string[]).includes(name);
}

export function sandboxStatePath(stateDir: string, scenario: string = 'workshop'): string {
  return join(stateDir, 'sandbox', `${scenario}.state.json`);
}

function choiceFile(stateDir: string): string {
  return join(stateDir, 'sandbox', 'scenario');
}

/** The scenario `--sandbox` runs use (see the module comment). */
export function selectedScenario(env: Env, stateDir: string): SandboxScenario {
  const fromEnv = env[SANDBOX_SCENARIO_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!isSandboxScenario(fromEnv)) {
      throw new UsageError(`invalid ${SANDBOX_SCENARIO_ENV} '${sanitize(fromEnv, { maxLength: 40 })}': expected one of ${SANDBOX_SCENARIOS.join(', ')}`);
    }
    return fromEnv;
  }
  let chosen = '';
  try {
    chosen = readFileSync(choiceFile(stateDir), 'utf8').trim();
  } catch {
    /* never chosen */
  }
  return isSandboxScenario(chosen) ? chosen : 'workshop';
}

/** Remembers the scenario for later `--sandbox` runs (`gd-ir sandbox reset --scenario <name>`). */
export function chooseScenario(stateDir: string, scenario: SandboxScenario): void {
  const file = choiceFile(stateDir);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  if (scenario === 'workshop') rmSync(file, { force: true });
  else writeFileSync(file, `${scenario}\n`, { mode: 0o600 });
}

export async function attachSandbox(ctx: Context, cleanups: Array<() => Promise<void> | void>, opts: { fresh?: boolean } = {}): Promise<void> {
  const { startSandbox, SANDBOX_CREDENTIALS } = await import('../sandbox/index.js');
  // `gd-ir demo` (fresh) is the workshop story, whatever scenario --sandbox runs were switched to.
  const scenario = opts.fresh ? 'workshop' : selectedScenario(ctx.env, ctx.stateDir);
  const statePath = sandboxStatePath(ctx.stateDir, scenario);
  // The state is read when the sandbox starts, so a fresh start must drop it first.
  if (opts.fresh) rmSync(statePath, { force: true });
  const sandbox = await startSandbox({ port: 0, scenario, statePath });
  cleanups.push(() => sandbox.close());
  ctx.aws.useEndpoint(sandbox.endpoint, SANDBOX_CREDENTIALS, 'us-west-2');
  ctx.sandbox = { endpoint: sandbox.endpoint, statePath };
}
