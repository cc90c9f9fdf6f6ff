/**
 * The sandbox: a local AWS-compatible endpoint (GuardDuty, CloudTrail, IAM, STS on one port) that replays
 * a scenario World of one or more accounts. See docs/sandbox.md.
 */
import { WORKSHOP } from './scenarios/workshop-facts.js';

export { startSandbox, DEFAULT_KNOBS, MAX_BODY_BYTES } from './server.js';
export type { SandboxKnobs, SandboxOptions, RequestRecord, RunningSandbox, FaultKind, ApiCallInput } from './types.js';
export type { World, AccountData } from './model.js';
export type { Effect, EffectKind } from './effects.js';
export type { AttackerAttempt, AttackerScript } from './attacker.js';
export { applyEffect } from './effects.js';
export { accountData, accountOfKey, accounts } from './accounts.js';

/**
 * The analyst's sandbox-only credentials (WORKSHOP.analyst). Never valid anywhere else.
 * Deliberately not frozen: the JS SDK v3 annotates the credentials object it is given.
 */
export const SANDBOX_CREDENTIALS: { accessKeyId: string; secretAccessKey: string } = {
  accessKeyId: WORKSHOP.analyst.accessKeyId,
  secretAccessKey: WORKSHOP.analyst.secretAccessKey,
};
