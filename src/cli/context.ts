/**
 * The context every command receives: IO, prompter, AWS clients (made lazily), clock, environment,
 * global options and the interrupt signal. Commands get side effects only from here.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AwsClients } from '../aws/clients.js';
import type { AccessFlags } from '../core/access.js';
import type { IO } from './io.js';
import type { GlobalOptions } from './options.js';
import type { Prompter } from './prompter.js';

export type Env = Record<string, string | undefined>;

export interface Clock {
  now(): Date;
  /** Resolves after `ms`, or rejects with an AbortError when `signal` fires. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason ?? new Error('aborted'));
        return;
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason ?? new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** Information about the in-process sandbox when `--sandbox` is on. */
export interface SandboxInfo {
  endpoint: string;
  statePath: string;
  /** The scenario served (src/cli/sandbox-mode.ts). */
  scenario?: string;
  /** How long recorded events take to show in LookupEvents (the sandbox's `deliveryDelayMs` knob). */
  deliveryDelayMs?: number;
}

export interface Context {
  io: IO;
  prompter: Prompter;
  aws: AwsClients;
  clock: Clock;
  env: Env;
  globals: GlobalOptions;
  /** Aborted on SIGINT: long operations stop and the command exits 130. */
  signal: AbortSignal;
  version: string;
  /** True when gd-ir may ask questions: stdin and stderr are terminals, no --no-input, no --json. */
  interactive: boolean;
  /** gd-ir's state directory: $XDG_STATE_HOME/gd-ir (default ~/.local/state/gd-ir). */
  stateDir: string;
  sandbox?: SandboxInfo;
  /**
   * The command's --read-role, --write-role, --external-id, --mfa-serial, --mfa-code and --session-duration, as
   * given (src/access/ completes them from the environment and the configuration file).
   */
  accessFlags?: AccessFlags;
}

export function stateDirFor(env: Env): string {
  const base = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(env.HOME || homedir(), '.local', 'state');
  return join(base, 'gd-ir');
}
