/** Public and internal types of the sandbox server (src/sandbox/index.ts re-exports the public ones). */
import type { AttackerAttempt } from './attacker-types.js';
import type { Effect } from './effects.js';
import type { CloudTrailRecord, World } from './model.js';
import type { ServiceName } from './wire.js';

export interface SandboxKnobs {
  /** Added before every response (default 0). */
  latencyMs: number;
  /** 0..1 probability of a transient fault per request (default 0). */
  faultRate: number;
  /** Seeds the PRNG for faults (default 1): same seed, same fault sequence. */
  faultSeed: number;
  /**
   * Forced AccessDenied for 'Service:Operation', e.g. 'IAM:GetUser'; '*' is a wildcard in the operation ('IAM:*');
   * 'Service:Operation:resource' denies only calls on that resource ('IAM:UpdateAccessKey:user/backup-svc').
   */
  deny: string[];
  /** LookupEvents requests/second per account per region (default 2); false = off. */
  cloudTrailRateLimit: number | false;
  /**
   * Which API calls the sandbox records in the caller's CloudTrail (default 'writes'): 'writes' = calls that are
   * not read-only (success or failure), 'all' = read-only calls too, 'none' = nothing.
   */
  recordCalls: 'writes' | 'all' | 'none';
  /** A recorded event becomes visible to LookupEvents this long after the call (default 0; AWS lags by minutes). */
  deliveryDelayMs: number;
  /** `sourceIPAddress` of recorded events (default: the client's address as the server sees it). */
  sourceIp: string | undefined;
  /**
   * How often the scenario's live attacker (src/sandbox/attacker.ts) makes its calls; 0 = never on its own (tests call
   * `tickAttacker()`). Default: the scenario's (persistence: 5 s); scenarios without an attacker ignore it.
   */
  attackerIntervalMs: number;
}

export interface SandboxOptions extends Partial<SandboxKnobs> {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (ephemeral). */
  port?: number;
  /** Default 'workshop'. */
  scenario?: 'workshop' | 'large' | 'org' | 'persistence';
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

/**
 * A call to record in CloudTrail without going through the HTTP endpoint (a simulated actor calling services the
 * sandbox does not emulate, e.g. S3 ListBuckets). The identity comes from the access key, in whichever account
 * it lives; see `RunningSandbox.recordCall`.
 */
export interface ApiCallInput {
  accessKeyId: string;
  /** e.g. 'ssm.amazonaws.com' */
  eventSource: string;
  eventName: string;
  /** The region the call was made in (global services' events are recorded in us-east-1 regardless). */
  region: string;
  readOnly: boolean;
  requestParameters?: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  /** A failed call (CloudTrail's errorCode and errorMessage). */
  error?: { code: string; message: string };
  /** The service's AccessDenied code, used when the key's session is revoked (default 'AccessDenied'). */
  accessDeniedCode?: string;
  /** Default: the `sourceIp` knob, else 127.0.0.1. */
  sourceIPAddress?: string;
  userAgent?: string;
  /** Default: now(). */
  time?: Date;
  resources?: Array<{ ARN?: string; accountId?: string; type?: string }>;
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
  /** The effects applied since the scenario was built (the persisted journal), oldest first. */
  readonly effects: readonly Effect[];
  /** Applies an effect (src/sandbox/effects.ts) as a handler would: live world + journal (written at once). */
  mutate(effect: Effect): boolean;
  /**
   * Records a call in the CloudTrail of the key's account, as AWS would: nothing when the key does not authenticate
   * (unknown, inactive, expired), an AccessDenied failure when its session is revoked. Returns the record.
   */
  recordCall(call: ApiCallInput): CloudTrailRecord | undefined;
  /** One round of the scenario's live attacker at `at` (default now()); empty when the scenario has none. */
  tickAttacker(at?: Date): AttackerAttempt[];
  /** Whether the scenario has a live attacker. */
  readonly hasAttacker: boolean;
  /** Rebuilds the scenario (or the original world) and drops persisted mutations. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** The identity behind the caller's access key. */
export interface Caller {
  accessKeyId: string;
  kind: 'user' | 'session';
  /** The account the key lives in (the account the caller acts in). */
  accountId: string;
  arn: string;
  userId: string;
  /** The IAM user acting (long-term key owner, or the parent of a GetSessionToken session). */
  userName?: string;
  /** For assumed-role sessions. */
  roleName?: string;
  /** Sessions: when the credentials were issued (ISO), for CloudTrail's sessionContext. */
  issuedAt?: string;
  /** Role sessions: the SourceIdentity set at AssumeRole (sessionContext.sourceIdentity of every call). */
  sourceIdentity?: string;
  /** Sessions issued with MFA (sessionContext.attributes.mfaAuthenticated "true"). */
  mfaAuthenticated?: boolean;
}

/** A service reply before the common headers are added. */
export interface Reply {
  status: number;
  contentType: string;
  /** Text for the JSON and XML protocols; bytes where a service returns binary data (an S3 object). */
  body: string | Buffer;
  headers?: Record<string, string>;
}
