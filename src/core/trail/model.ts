/**
 * The CloudTrail trail of a principal, as data: the request (whose calls, which window, regions and
 * filters), one event as gd-ir reads it, and the result the gateway returns. Types and constants
 * only; the modules beside this one decide (window, parse, filters, summary, derived credentials).
 */
import type { EventCategory } from '../event-classification.js';
import type { TrailSourceReport } from './source.js';

/** LookupEvents only searches the last 90 days of management events. */
export const LOOKUP_HORIZON_DAYS = 90;
const HOUR_MS = 3_600_000;
/**
 * Where CloudTrail records what the regional view of a trail would miss (current AWS documentation):
 * - IAM (a global service) and the root user's console sign-ins: us-east-1. Since 22 Nov 2021 event history shows
 *   global service events only there (CloudTrail User Guide, "AWS Management Console sign-in events",
 *   https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html).
 * - STS: in the Region that served the call. Regional endpoints: their Region. The global endpoint
 *   (sts.amazonaws.com) is now served in the caller's own Region when the caller runs in a Region enabled by default
 *   and resolves DNS through AWS; from opt-in Regions or from outside AWS (an attacker's laptop) it is still served,
 *   and recorded, in us-east-1 (IAM User Guide, "AWS STS Regions and endpoints", section "AWS STS global endpoint
 *   changes", https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_region-endpoints.html).
 * - IAM users' console sign-ins: see CONSOLE_SIGNIN_REGIONS.
 */
export const GLOBAL_EVENTS_REGION = 'us-east-1';

/**
 * Where an IAM user's console sign-in through the global sign-in endpoint is recorded besides us-east-1: with the
 * account alias cookie in the browser, the console proxy sends the user to us-east-2, eu-north-1 or ap-southeast-2,
 * by latency, and CloudTrail records ConsoleLogin there (without the cookie: us-east-1; a Regional sign-in endpoint:
 * its Region). CloudTrail User Guide, "AWS Management Console sign-in events" (URL above).
 */
export const CONSOLE_SIGNIN_REGIONS: readonly string[] = Object.freeze(['us-east-2', 'eu-north-1', 'ap-southeast-2']);
export const DEFAULT_TRAIL_WINDOW_MS = 24 * HOUR_MS;
export const DEFAULT_MAX_EVENTS = 10_000;

export type LookupAttribute = 'AccessKeyId' | 'Username';

export interface TrailPrincipal {
  accessKeyId?: string;
  userName?: string;
  /** From the events (userIdentity.arn of the principal's own calls), when seen. */
  arn?: string;
  /** userIdentity.type (IAMUser, AssumedRole, …), when seen. */
  type?: string;
}

export interface TrailWindow {
  start: Date;
  end: Date;
}

export interface TrailFilters {
  /** Event names to keep (case-insensitive, API version suffixes such as Lambda's 20150331v2 ignored); empty keeps all. */
  events: string[];
  /** Event source host, e.g. `iam.amazonaws.com`. */
  source?: string;
  ip?: string;
  errorsOnly: boolean;
  access?: 'read' | 'write';
}

export const NO_FILTERS: TrailFilters = Object.freeze({ events: [], errorsOnly: false }) as TrailFilters;

export interface TrailRequest {
  principal: TrailPrincipal;
  lookup: { attribute: LookupAttribute; value: string };
  window: TrailWindow;
  regions: string[];
  /** Look up the activity of derived temporary credentials too. */
  follow: boolean;
  /** Cap on fetched events (after de-duplication). */
  maxEvents: number;
  /** LookupEvents requests per second per region (default 2). */
  rate?: number;
  filters: TrailFilters;
  /** The finding the request was built from, and its remote IP (flagged in the summary). */
  findingId?: string;
  findingIp?: string;
  /** Warnings found while building the request (90-day horizon, us-east-1 missing). */
  warnings: string[];
  /**
   * The accounts whose records to read (the finding's account). Trail log archives hold many accounts;
   * event history holds only the credentials' own, so the lookup source ignores it.
   */
  accounts?: string[];
}

/** LookupEvents' Event, as the SDK returns it (plain fields only). */
export interface LookupEventInput {
  EventId?: string;
  EventName?: string;
  ReadOnly?: string;
  AccessKeyId?: string;
  EventTime?: Date;
  EventSource?: string;
  Username?: string;
  Resources?: Array<{ ResourceType?: string; ResourceName?: string }>;
  CloudTrailEvent?: string;
}

export interface TrailResource {
  type: string;
  name: string;
}

export interface TrailEvent {
  eventId: string;
  /** ISO-8601 UTC. */
  time: string;
  timeMs: number;
  region: string;
  eventSource: string;
  eventName: string;
  sourceIp?: string;
  userAgent?: string;
  accessKeyId?: string;
  userName?: string;
  principalArn?: string;
  identityType?: string;
  errorCode?: string;
  errorMessage?: string;
  /**
   * The call failed: an errorCode, or a failure recorded without one (a failed console sign-in has
   * `responseElements.ConsoleLogin: "Failure"` and no errorCode; src/core/trail/outcome.ts).
   */
  failed: boolean;
  readOnly?: boolean;
  category: EventCategory;
  /** IAM access level of the action (List, Read, Write, Permissions management, Tagging), when known. */
  accessLevel?: string;
  resources: TrailResource[];
  requestParameters: unknown;
  responseElements: unknown;
  /** Made with temporary credentials derived from the principal's key (--follow). */
  derived: boolean;
  /** For derived events: the principal's key that minted the credentials. */
  viaKey?: string;
  /** The user agent or request parameters carried terminal control characters or bidi overrides. */
  controlCharacters: boolean;
  /** The LookupEvents record and its parsed CloudTrailEvent (for --raw). */
  raw: { lookup: LookupEventInput; record: Record<string, unknown> | undefined };
}


// ---------------------------------------------------------------------------------------------------------------
// The result of collectTrail (src/aws/cloudtrail.ts)

export interface CountedSpan {
  count: number;
  first: string;
  last: string;
}

export interface TrailSummary {
  totalEvents: number;
  firstEvent?: string;
  lastEvent?: string;
  readOnlyEvents: number;
  writeEvents: number;
  errorEvents: number;
  derivedEvents: number;
  /** Events whose user agent or parameters carried terminal control characters. */
  controlCharacterEvents: number;
  byApi: Array<{ eventSource: string; eventName: string; count: number; errors: number; category: EventCategory }>;
  byService: Array<{ eventSource: string; count: number }>;
  sourceIps: Array<{ ip: string; findingIp: boolean } & CountedSpan>;
  userAgents: Array<{ userAgent: string } & CountedSpan>;
  errors: {
    total: number;
    byCode: Array<{ code: string; count: number }>;
    /** Failures CloudTrail recorded without an errorCode (failed console sign-ins), by event and message. */
    withoutCode: Array<{ eventName: string; message?: string; count: number }>;
    /** Runs of access-denied errors no more than 5 minutes apart. */
    accessDeniedBursts: Array<CountedSpan & { apis: string[] }>;
  };
  regions: Array<{ region: string; count: number }>;
  categories: Array<{ category: EventCategory; count: number; apis: string[] }>;
}

export interface TrailRegionStats {
  region: string;
  events: number;
  pages: number;
  requests: number;
  throttles: number;
}

export interface TrailStats {
  /** LookupEvents requests sent (retries included). */
  requests: number;
  pages: number;
  /** Throttles absorbed by the limiter (none surface as errors). */
  throttles: number;
  throttleWaitMs: number;
  retries: number;
  /** Concurrent slices started because responses were slower than the limiter's interval. */
  slices: number;
  elapsedMs: number;
  regions: TrailRegionStats[];
}

export interface TrailResult {
  request: TrailRequest;
  principal: TrailPrincipal;
  /** Events that pass the filters, newest first, each exactly once. */
  events: TrailEvent[];
  /** Every event fetched (before filters). */
  fetchedEvents: number;
  derivedCredentials: DerivedCredential[];
  summary: TrailSummary;
  /** The --max-events cap was reached: older events were not fetched. */
  truncated: boolean;
  warnings: string[];
  stats: TrailStats;
  /** Where the events were read (absent: event history, as before sources existed). */
  source?: TrailSourceReport;
}


/** A temporary key minted by the principal's key (src/core/trail/derived.ts finds them). */
export interface DerivedCredential {
  /** The temporary access key ID (ASIA…). */
  accessKeyId: string;
  /** The STS call that minted it. */
  via: string;
  /** The principal's key that made the call. */
  parentAccessKeyId?: string;
  issuedAt: string;
  region: string;
  sourceIp?: string;
  userAgent?: string;
  /** As CloudTrail recorded it (free-form date text), and as ISO-8601 when it parses. */
  expiration?: string;
  expiresAt?: string;
  /** AssumeRole: the role session ARN; GetFederationToken: the federated user ARN. */
  assumedArn?: string;
  eventId: string;
}
