/**
 * The seam every emulated service plugs into. A service is one `ServiceSpec` value (src/sandbox/services/…):
 * how requests for it are recognised and parsed, its operations (each with its handler and its CloudTrail facts),
 * how its replies and errors look on the wire. The registry (src/sandbox/registry.ts) lists the services; routing,
 * authentication, knobs and the CloudTrail recorder are generic over this interface.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { HandlerContext } from './context.js';
import type { AccountData } from './model.js';
import type { Caller, Reply } from './types.js';
import type { ServiceError, ServiceName } from './wire.js';

/** One HTTP request, body read. */
export interface RawRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  /** The body as UTF-8 text (JSON, forms, XML). */
  body: string;
  /** The body as sent, for services that take binary payloads (an S3 PutObject of a gzipped log file). */
  bytes: Buffer;
}

/** What a service's parser makes of a request. */
export interface ParsedCall {
  operation: string;
  /** The parsed body or query, as the request log (`RequestRecord.input`) shows it. */
  input: Record<string, unknown>;
  /** URI path parameters (GuardDuty's detectorId; S3's bucket and key). */
  params?: Record<string, string>;
}

/** A CloudTrail `requestParameters` / `responseElements` value. */
export type TrailFields = Record<string, unknown> | null;

/** One operation: its handler and what CloudTrail records of it. */
export interface Operation<S> {
  /** CloudTrail's `readOnly`. Read-only calls are not recorded unless the `recordCalls` knob is 'all'. */
  readOnly: boolean;
  /** Validates, applies effects through `ctx.mutate`, returns the output (serialized by the service). */
  handle(ctx: HandlerContext, call: ParsedCall, state: S): unknown;
  /** CloudTrail `requestParameters`; default: the service's protocol-level conversion of the input. */
  requestParameters?(call: ParsedCall): TrailFields;
  /** CloudTrail `responseElements` of a successful call; default null (what most writes record). */
  responseElements?(output: unknown, call: ParsedCall): TrailFields;
  /** Paced by the `cloudTrailRateLimit` knob (per account and region). */
  rateLimited?: boolean;
  /** Needs no permission, so even a revoked session's call is answered (STS GetCallerIdentity). */
  alwaysAllowed?: boolean;
  /**
   * Recorded whatever the `recordCalls` knob says about reads (unless 'none'): AssumeRole is `readOnly` in real
   * records, yet it mints credentials and both accounts' trails show it.
   */
  alwaysRecorded?: boolean;
  /** CloudTrail `resources` of the call (AssumeRole names the role: `AWS::IAM::Role`). */
  resources?(call: ParsedCall): Array<{ ARN?: string; accountId?: string; type?: string }> | undefined;
  /**
   * A data event (S3 object-level calls): never written to the management event history, whatever the
   * `recordCalls` knob says (CloudTrail User Guide, "Logging data events"). The sandbox does not log the
   * reads of its own trail bucket as data events either (trails usually exclude their own bucket).
   */
  dataEvent?: boolean;
}

/** Error codes the generic layers (auth, knobs, body limits) send in this service's dialect. */
export interface ErrorCodes {
  missingAuth: { code: string; message: string };
  invalidToken: string;
  expiredToken: string;
  accessDenied: { code: string; status: number };
  throttle: { code: string; status: number };
  internal: string;
  tooLarge: string;
}

/** Who is asking, for the ARN in an AccessDenied message. */
export interface DenialSubject {
  account: AccountData;
  region: string;
  caller: Caller;
}

export interface ServiceSpec<S> {
  name: ServiceName;
  /** Display and `deny`-knob name: 'GuardDuty', 'IAM', … */
  label: string;
  /** The SigV4 credential scope's service segment. */
  signingName: string;
  /** The IAM action prefix (`iam:GetUser`). */
  actionPrefix: string;
  /** CloudTrail `eventSource`. */
  eventSource: string;
  /** Global service: CloudTrail records its events in us-east-1 whatever region the request was signed for. */
  global: boolean;
  /** Its data lives per region, so an opt-in region the account has not enabled rejects the credentials. */
  rejectsDisabledRegions: boolean;
  /** `X-Amz-Target` prefixes (awsJson services), matched when the scope names no known service. */
  targetPrefixes?: readonly string[];
  /** Claims a request that carries no usable scope or target (the reference fallbacks); checked in registry order. */
  claimsUnsigned?(raw: RawRequest): boolean;
  /** Parses the request; throws ServiceError (in this service's shape) for malformed input. */
  parse(raw: RawRequest): ParsedCall;
  operations: Readonly<Record<string, Operation<S>>>;
  /** The error for an operation the sandbox does not implement. */
  unknownOperation(operation: string): ServiceError;
  /** Per-sandbox state (indexes, caches); recreated by reset(). */
  createState(): S;
  serialize(operation: string, output: unknown, requestId: string): Reply;
  error(code: string, message: string, status: number, requestId: string): Reply;
  errors: ErrorCodes;
  /** The protocol's default conversion of a call's input to CloudTrail `requestParameters`. */
  requestParameters(call: ParsedCall): TrailFields;
  /** CloudTrail's `errorCode` for a wire error code (IAM records the modeled shape name, e.g. NoSuchEntityException). */
  trailErrorCode?(code: string): string;
  /** The resource ARN an AccessDenied message names; default '*'. */
  deniedResource?(who: DenialSubject, call: ParsedCall): string;
  /** Extra headers on every reply (IAM and STS also send x-amz-request-id). */
  responseHeaders?(requestId: string): Record<string, string>;
}

/** A service with its state type erased, as the registry holds it. */
export type Service = ServiceSpec<unknown>;

/** Declares a service; the state type is checked here and erased for the registry. */
export function defineService<S>(spec: ServiceSpec<S>): Service {
  return spec as Service;
}
