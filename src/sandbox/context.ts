/** What a service handler gets for one request. Imports nothing from the services (they import it). */
import type { Effect } from './effects.js';
import type { AccountData, World } from './model.js';
import type { Caller } from './types.js';

export interface HandlerContext {
  /** The whole world (cross-account operations such as AssumeRole look beyond the caller's account). */
  world: World;
  /** The caller's account: every handler reads and writes this account's IAM, GuardDuty and CloudTrail data. */
  account: AccountData;
  /** The request's region (from the SigV4 scope). */
  region: string;
  caller: Caller;
  now: Date;
  requestId: string;
  /** Bumped by every applied effect: caches of derived views (result snapshots) key on it. */
  readonly version: number;
  /**
   * Applies an effect to the live world and appends it to the persisted journal (src/sandbox/effects.ts).
   * The only way a handler changes the world.
   */
  mutate(effect: Effect): void;
  /**
   * Records this call in another account's CloudTrail too, as AWS does for a cross-account AssumeRole (the role
   * owner's history has it as well). That copy names the caller as an `AWSAccount`; both copies share a
   * `sharedEventID`. Applies only when the call is recorded at all (see the `recordCalls` knob).
   */
  recordAlsoIn(accountId: string): void;
  /**
   * Whether the `deny` knob denies this caller `Service:Operation` of another service the handler calls on
   * its behalf (S3 decrypting an SSE-KMS object asks KMS Decrypt as the caller).
   */
  denies?(label: string, operation: string): boolean;
}
