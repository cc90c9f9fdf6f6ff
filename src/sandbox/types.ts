/** Public and internal types of the sandbox server (src/sandbox/index.ts re-exports the public ones). */
import type { World } from './model.js';
import type { ServiceName } from './wire.js';

export interface SandboxKnobs {
  /** Added before every response (default 0). */
  latencyMs: number;
  /** 0..1 probability of a transient fault per request (default 0). */
  faultRate: number;
  /** Seeds the PRNG for faults (default 1): same seed, same fault sequence. */
  faultSeed: number;
  /** Forced AccessDenied for 'Service:Operation', e.g. 'IAM:GetUser'; '*' is a wildcard in the operation ('IAM:*'). */
  deny: string[];
  /** LookupEvents requests/second per account per region (default 2); false = off. */
  cloudTrailRateLimit: number | false;
}

export interface SandboxOptions extends Partial<SandboxKnobs> {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (ephemeral). */
  port?: number;
  /** Default 'workshop'. */
  scenario?: 'workshop' | 'large';
  scenarioParams?: Record<string, unknown>;
  /** Use this world instead of building a scenario (it becomes the live state). */
  world?: World;
  /** Persist a small overlay of mutations across restarts. */
  statePath?: string;
  /** Clock (default real time); the scenario is anchored at now(). */
  now?: () => Date;
  /** Optional log sink (one line per request and lifecycle event). */
  log?: (line: string) => void;
  /**
   * Opt-in regions this account has not enabled: GuardDuty and CloudTrail requests there fail as AWS fails
   * them, with UnrecognizedClientException (403, "The security token included in the request is invalid.").
   */
  disabledRegions?: string[];
}

export type FaultKind = 'error500' | 'error503' | 'throttle' | 'reset' | 'denied' | 'ratelimit' | 'latency';

export interface RequestRecord {
  seq: number;
  service: ServiceName;
  operation: string;
  region: string;
  accessKeyId?: string;
  /** Parsed request params/body. */
  input: unknown;
  /** performance.now() ms */
  start: number;
  end: number;
  status: number;
  errorCode?: string;
  fault?: FaultKind;
}

export interface RunningSandbox {
  /** e.g. http://127.0.0.1:43121 */
  endpoint: string;
  port: number;
  /** Live state (replaced by reset()). */
  readonly world: World;
  /** Every request in order (bounded: the last 100k). */
  requests: RequestRecord[];
  readonly knobs: SandboxKnobs;
  setKnobs(k: Partial<SandboxKnobs>): void;
  /** Rebuilds the scenario (or the original world) and drops persisted mutations. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** The identity behind the caller's access key. */
export interface Caller {
  accessKeyId: string;
  kind: 'user' | 'session';
  arn: string;
  userId: string;
  /** The IAM user acting (long-term key owner, or the parent of a GetSessionToken session). */
  userName?: string;
  /** For assumed-role sessions. */
  roleName?: string;
}

/** A service reply before the common headers are added. */
export interface Reply {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}
