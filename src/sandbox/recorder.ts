/**
 * Recording API calls in CloudTrail. Real CloudTrail records a management event for every API call, gd-ir's own
 * writes included (an analyst's UpdateAccessKey is in the account's event history); the server hands each call to
 * `recordServiceCall` after its handler ran, and `RunningSandbox.recordCall` records calls made outside the HTTP
 * endpoint (a simulated actor). Records are built in the real format (eventVersion 1.11; see docs/sandbox.md for
 * the fields and their sources) and appended to the caller's account.
 *
 * Where events land: in the account the caller's key lives in; in us-east-1 for global services (IAM, CloudFront,
 * Route 53: "events are logged as occurring in US East (N. Virginia)"), else in the region the request was signed
 * for (STS's global endpoint is signed for us-east-1, its regional endpoints for their region).
 *
 * Visibility: LookupEvents sees a recorded event `deliveryDelayMs` (a knob, default 0) after the call; until then
 * it waits in a queue outside the world. Recorded events are not persisted (docs/sandbox.md, State).
 */
import { regionOf } from './accounts.js';
import type { AccountData, CloudTrailRecord } from './model.js';
import type { Operation, ParsedCall, Service } from './service.js';
import type { Caller } from './types.js';

export const EVENT_VERSION = '1.11';
export const GLOBAL_EVENT_REGION = 'us-east-1';

/** Event sources CloudTrail records in us-east-1 whatever the request's region (its global services). */
export const GLOBAL_EVENT_SOURCES: ReadonlySet<string> = new Set(['iam.amazonaws.com', 'cloudfront.amazonaws.com', 'route53.amazonaws.com']);

/** The region an event is recorded in. */
export function eventRegion(eventSource: string, requestRegion: string, global = GLOBAL_EVENT_SOURCES.has(eventSource)): string {
  return global ? GLOBAL_EVENT_REGION : requestRegion;
}

/** CloudTrail's eventTime: ISO 8601 UTC, seconds precision, `Z`. */
export function eventTime(t: Date): string {
  return new Date(Math.floor(t.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

const MONTH_ABBREVIATIONS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The Java-style UTC date STS and IAM response elements carry, without any zone: `credentials.expiration` of
 * GetSessionToken/AssumeRole/GetFederationToken is `"Jul 30, 2024, 9:46:15 PM"` (`comma: true`, every 2019+ record),
 * `accessKey.createDate`/`user.createDate` also `"Aug 1, 2024 1:33:28 PM"` (`comma: false`). Both are UTC: an
 * AssumeRole at 21:31:15Z for 900 s expires "9:46:15 PM" (test/fixtures/real: stratus-assumerole-credentials.json,
 * stratus-createaccesskey.json; IAM User Guide, "Logging IAM and AWS STS API calls with AWS CloudTrail").
 */
export function responseElementTime(t: Date, opts: { comma?: boolean } = {}): string {
  const h = t.getUTCHours();
  const pad = (n: number): string => String(n).padStart(2, '0');
  const month = MONTH_ABBREVIATIONS[t.getUTCMonth()] ?? 'Jan';
  const clock = `${h % 12 === 0 ? 12 : h % 12}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
  return `${month} ${t.getUTCDate()}, ${t.getUTCFullYear()}${opts.comma === false ? '' : ','} ${clock}`;
}

/**
 * The `userIdentity` of a caller, as CloudTrail writes it:
 * - a long-term key: IAMUser with the user's principalId (AIDA…), ARN, account, key and name;
 * - a GetSessionToken session: the same IAMUser plus `sessionContext.attributes` (issue time, MFA);
 * - a role session: AssumedRole (`principalId` = role ID:session name) with `sessionContext.sessionIssuer` naming the role.
 */
export function userIdentityOf(caller: Caller, account: AccountData): CloudTrailRecord['userIdentity'] {
  const mfa = caller.mfaAuthenticated ? 'true' : 'false';
  const attributes: Record<string, string> = caller.issuedAt ? { creationDate: eventTime(new Date(caller.issuedAt)), mfaAuthenticated: mfa } : { mfaAuthenticated: mfa };
  if (caller.roleName) {
    const role = Object.hasOwn(account.iam.roles, caller.roleName) ? account.iam.roles[caller.roleName] : undefined;
    const roleId = role?.roleId ?? caller.userId.split(':')[0] ?? caller.userId;
    return {
      type: 'AssumedRole',
      principalId: caller.userId,
      arn: caller.arn,
      accountId: account.accountId,
      accessKeyId: caller.accessKeyId,
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: roleId,
          arn: role?.arn ?? `arn:aws:iam::${account.accountId}:role/${caller.roleName}`,
          accountId: account.accountId,
          userName: caller.roleName,
        },
        attributes,
        // A session with a SourceIdentity carries it into every call (IAM User Guide, "Monitor and control actions
        // taken with assumed roles"; the role-chaining AssumeRole record in test/fixtures/real shows the key).
        ...(caller.sourceIdentity !== undefined ? { sourceIdentity: caller.sourceIdentity } : {}),
      },
    };
  }
  const identity: CloudTrailRecord['userIdentity'] = {
    type: 'IAMUser',
    principalId: caller.userId,
    arn: caller.arn,
    accountId: account.accountId,
    accessKeyId: caller.accessKeyId,
  };
  if (caller.userName) identity.userName = caller.userName;
  if (caller.kind === 'session') identity.sessionContext = { attributes };
  return identity;
}

/** Everything a record is built from. */
export interface CallFacts {
  identity: CloudTrailRecord['userIdentity'];
  /** The recipient account (where the event is recorded). */
  recipientAccountId: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  time: Date;
  sourceIPAddress: string;
  userAgent?: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  readOnly: boolean;
  error?: { code: string; message: string };
  requestID: string;
  eventID: string;
  resources?: Array<{ ARN?: string; accountId?: string; type?: string }>;
}

/** A management-event record, keys in the order CloudTrail writes them. No `tlsDetails`: the sandbox speaks plain HTTP. */
export function buildRecord(c: CallFacts): CloudTrailRecord {
  // Built in CloudTrail's key order; eventID is set below, before the record is returned.
  const rec: Record<string, unknown> = {
    eventVersion: EVENT_VERSION,
    userIdentity: c.identity,
    eventTime: eventTime(c.time),
    eventSource: c.eventSource,
    eventName: c.eventName,
    awsRegion: c.awsRegion,
    sourceIPAddress: c.sourceIPAddress,
  };
  if (c.userAgent !== undefined) rec.userAgent = c.userAgent;
  if (c.error) {
    rec.errorCode = c.error.code;
    rec.errorMessage = c.error.message;
  }
  rec.requestParameters = c.requestParameters;
  rec.responseElements = c.responseElements;
  rec.requestID = c.requestID;
  rec.eventID = c.eventID;
  rec.readOnly = c.readOnly;
  if (c.resources) rec.resources = c.resources;
  rec.eventType = 'AwsApiCall';
  rec.managementEvent = true;
  rec.recipientAccountId = c.recipientAccountId;
  rec.eventCategory = 'Management';
  return rec as CloudTrailRecord;
}

/** Inserts `sharedEventID` where CloudTrail writes it (after `recipientAccountId`). */
export function withSharedEventId(record: CloudTrailRecord, sharedEventID: string): CloudTrailRecord {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) {
    out[k] = v;
    if (k === 'recipientAccountId') out.sharedEventID = sharedEventID;
  }
  return out as CloudTrailRecord;
}

/**
 * The copy of a cross-account call for the other account it touched. The other account sees the caller only as an
 * `AWSAccount` (its principal ID and account, no ARN or key: a real cross-account AssumeRole, as published from the
 * role owner's trail); the copy has its own eventID and the shared sharedEventID.
 */
export function sharedCopy(record: CloudTrailRecord, recipientAccountId: string, eventID: string, sharedEventID: string): CloudTrailRecord {
  const caller = record.userIdentity;
  const identity: CloudTrailRecord['userIdentity'] = { type: 'AWSAccount', principalId: caller.principalId, accountId: caller.accountId };
  return withSharedEventId({ ...record, userIdentity: identity, eventID, recipientAccountId }, sharedEventID);
}

/** One HTTP call's outcome, as the server saw it. */
export type Outcome = { ok: true; output: unknown } | { ok: false; code: string; message: string };

/** CloudTrail facts of an emulated service's call (identity, region, parameters, error code). */
export function serviceCallFacts(
  service: Service,
  operation: Operation<unknown>,
  call: ParsedCall,
  outcome: Outcome,
  who: { caller: Caller; account: AccountData },
  request: { region: string; time: Date; sourceIPAddress: string; userAgent?: string; requestID: string; eventID: string },
): CallFacts {
  // A call refused by authorization is recorded without its parameters (a denied UpdateAccessKey has
  // "requestParameters": null; its target appears only in errorMessage, as in public CloudTrail records).
  const denied = !outcome.ok && outcome.code === service.errors.accessDenied.code;
  const facts: CallFacts = {
    identity: userIdentityOf(who.caller, who.account),
    recipientAccountId: who.account.accountId,
    eventSource: service.eventSource,
    eventName: call.operation,
    awsRegion: eventRegion(service.eventSource, request.region, service.global),
    time: request.time,
    sourceIPAddress: request.sourceIPAddress,
    requestParameters: denied ? null : (operation.requestParameters ?? service.requestParameters)(call),
    responseElements: outcome.ok && operation.responseElements ? operation.responseElements(outcome.output, call) : null,
    readOnly: operation.readOnly,
    requestID: request.requestID,
    eventID: request.eventID,
  };
  const resources = denied ? undefined : operation.resources?.(call);
  if (resources) facts.resources = resources;
  if (request.userAgent !== undefined) facts.userAgent = request.userAgent;
  if (!outcome.ok) facts.error = { code: service.trailErrorCode?.(outcome.code) ?? outcome.code, message: outcome.message };
  return facts;
}

interface Pending {
  account: AccountData;
  record: CloudTrailRecord;
  visibleAt: number;
}

/**
 * Appends records to accounts' event history, after the delivery delay. Pending records are kept outside the world
 * (LookupEvents cannot see them) and moved in by `deliver(now)`, which the server calls before every request.
 */
export class TrailRecorder {
  private pending: Pending[] = [];

  constructor(private readonly delayMs: () => number) {}

  append(account: AccountData, record: CloudTrailRecord, nowMs: number): void {
    const delay = this.delayMs();
    if (!(delay > 0)) {
      regionOf(account, record.awsRegion).events.push(record);
      return;
    }
    this.pending.push({ account, record, visibleAt: nowMs + delay });
  }

  /** Moves every record whose delivery time has come into its account's history, in call order. */
  deliver(nowMs: number): void {
    if (this.pending.length === 0) return;
    const keep: Pending[] = [];
    for (const p of this.pending) {
      if (p.visibleAt <= nowMs) regionOf(p.account, p.record.awsRegion).events.push(p.record);
      else keep.push(p);
    }
    this.pending = keep;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  clear(): void {
    this.pending = [];
  }
}
