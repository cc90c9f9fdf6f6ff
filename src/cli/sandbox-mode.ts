/**
 * `--sandbox`: start the sandbox in this process on an ephemeral loopback port and point every AWS
 * client at it with the analyst's sandbox credentials. State persists between invocations under
 * $XDG_STATE_HOME/gd-ir/sandbox/, so `findings list → investigate → remediate → investigate` works as
 * separate commands; `gd-ir sandbox reset` restores the scenario.
 *
 * Which scenario: $GD_IR_SANDBOX_SCENARIO, else the one `gd-ir sandbox reset --scenario <name>` selected
 * (remembered in $XDG_STATE_HOME/gd-ir/sandbox/scenario), else the workshop. `org` is the multi-account one
 * (a GuardDuty administrator and two members), `persistence` an attacker's backdoors. The demo always uses the workshop.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { sanitize } from '../core/sanitize.js';
import type { Context } from './context.js';

export const SANDBOX_SCENARIOS = ['workshop', 'large', 'org', 'persistence'] as const;
export type SandboxScenario = (typeof SANDBOX_SCENARIOS)[number];
export const SANDBOX_SCENARIO_ENV = 'GD_IR_SANDBOX_SCENARIO';

export function isSandboxScenario(value: string): value is SandboxScenario {
  return (SANDBOX_SCENARIOS as readonly string[]).includes(value);
}

export function sandboxStatePath(stateDir: string, scenario = 'workshop'): string {
  return join(stateDir, 'sandbox', `${scenario}.state.json`);
}

function selectionPath(stateDir: string): string {
  return join(stateDir, 'sandbox', 'scenario');
}

/** Remembers the scenario `--sandbox` runs use (`gd-ir sandbox reset --scenario <name>`). */
export function selectSandboxScenario(stateDir: string, scenario: SandboxScenario): void {
  const path = selectionPath(stateDir);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${scenario}\n`, { mode: 0o600 });
}

/** The scenario `--sandbox` runs use: the environment, then the remembered selection, then the workshop. */
export function selectedSandboxScenario(ctx: Pick<Context, 'env' | 'stateDir'>): SandboxScenario {
  const fromEnv = ctx.env[SANDBOX_SCENARIO_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!isSandboxScenario(fromEnv)) {
      throw new UsageError(`invalid ${SANDBOX_SCENARIO_ENV} '${sanitize(fromEnv, { maxLength: 40 })}': expected one of ${SANDBOX_SCENARIOS.join(', ')}`);
    }
    return fromEnv;
  }
  try {
    const saved = readFileSync(selectionPath(ctx.stateDir), 'utf8').trim();
    return isSandboxScenario(saved) ? saved : 'workshop';
  } catch {
    return 'workshop';
  }
}

export async function attachSandbox(ctx: Context, cleanups: Array<() => Promise<void> | void>, opts: { fresh?: boolean } = {}): Promise<void> {
  const { startSandbox, SANDBOX_CREDENTIALS } = await import('../sandbox/index.js');
  // A fresh start is the demo's: always the workshop.
  const scenario = opts.fresh ? 'workshop' : selectedSandboxScenario(ctx);
  const statePath = sandboxStatePath(ctx.stateDir, scenario);
  // The state is read when the sandbox starts, so a fresh start must drop it first.
  if (opts.fresh) rmSync(statePath, { force: true });
  const sandbox = await startSandbox({ port: 0, scenario, statePath });
  cleanups.push(() => sandbox.close());
  ctx.aws.useEndpoint(sandbox.endpoint, SANDBOX_CREDENTIALS, 'us-west-2');
  ctx.sandbox = { endpoint: sandbox.endpoint, statePath, scenario, deliveryDelayMs: sandbox.knobs.deliveryDelayMs };
}
