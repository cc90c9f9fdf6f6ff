/**
 * Small deterministic helpers shared by the scenario builders: a seeded PRNG, id makers, time formatting,
 * and builders for CloudTrail records and GuardDuty findings. Nothing here reads the clock or Math.random.
 */
import type { CloudTrailRecord, GuardDutyFinding, ManagedPolicy, RegionData } from '../model.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** mulberry32: a tiny, fast, seeded 32-bit PRNG returning floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rng = () => number;

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)] as T;
}

export function randInt(rng: Rng, min: number, maxInclusive: number): number {
  return min + Math.floor(rng() * (maxInclusive - min + 1));
}

/** Deep copy of plain JSON-like data (faster than structuredClone for small objects). */
export function clone<T>(v: T): T {
  if (Array.isArray(v)) return v.map((x: unknown) => clone(x)) as T;
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = clone(x);
    return out as T;
  }
  return v;
}

const HEX = '0123456789abcdef';

export function hex(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += HEX[Math.floor(rng() * 16)];
  return s;
}

/** A UUID-v4-looking string drawn from the PRNG. */
export function uuid(rng: Rng): string {
  const y = HEX[8 + Math.floor(rng() * 4)];
  return `${hex(rng, 8)}-${hex(rng, 4)}-4${hex(rng, 3)}-${y}${hex(rng, 3)}-${hex(rng, 12)}`;
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** An AWS-style unique id such as AIDA… / AKIA… (prefix + upper-case base32 characters, 20–21 chars total). */
export function awsId(rng: Rng, prefix: string, total = 21): string {
  let s = prefix;
  while (s.length < total) s += UPPER[Math.floor(rng() * UPPER.length)];
  return s;
}

/** GuardDuty style ISO time (milliseconds). */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** CloudTrail / IAM style ISO time (seconds precision, `Z`). */
export function isoSec(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function emptyRegion(): RegionData {
  return { findings: [], events: [] };
}

export function policyDoc(statements: Array<Record<string, unknown>>): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);
}

export function managedPolicy(p: {
  name: string;
  id: string;
  arn: string;
  path?: string;
  description?: string;
  createDate: string;
  versions: Array<{ versionId: string; document: string; createDate: string }>;
  defaultVersionId: string;
  attachmentCount: number;
  permissionsBoundaryUsageCount?: number;
}): ManagedPolicy {
  const latest = p.versions.reduce((a, v) => (v.createDate > a ? v.createDate : a), p.createDate);
  const mp: ManagedPolicy = {
    policyName: p.name,
    policyId: p.id,
    arn: p.arn,
    path: p.path ?? '/',
    defaultVersionId: p.defaultVersionId,
    attachmentCount: p.attachmentCount,
    permissionsBoundaryUsageCount: p.permissionsBoundaryUsageCount ?? 0,
    isAttachable: true,
    createDate: p.createDate,
    updateDate: latest,
    versions: p.versions.map((v) => ({ ...v, isDefaultVersion: v.versionId === p.defaultVersionId })),
  };
  if (p.description !== undefined) mp.description = p.description;
  return mp;
}

/** Host name a CLI client would send for a service in a region (global services have one endpoint). */
function hostFor(service: string, region: string): string {
  if (service === 'iam') return 'iam.amazonaws.com';
  // Console sign-in records show the sign-in host the browser used (stratus-consolelogin-success.json).
  if (service === 'signin') return 'signin.aws.amazon.com';
  if (service === 's3') return `s3.${region}.amazonaws.com`;
  if (service === 'sts' && region === 'us-east-1') return 'sts.amazonaws.com';
  return `${service}.${region}.amazonaws.com`;
}

export interface CallSpec {
  at: number;
  region: string;
  /** Short service name: 'ssm', 'iam', 's3', 'sts', 'dynamodb', 'ec2', 'guardduty', 'cloudtrail', … */
  service: string;
  name: string;
  ip: string;
  userAgent: string;
  identity: CloudTrailRecord['userIdentity'];
  readOnly: boolean;
  request?: Record<string, unknown> | null;
  response?: Record<string, unknown> | null;
  error?: { code: string; message: string };
  resources?: Array<{ ARN?: string; accountId?: string; type?: string }>;
  eventType?: string;
  /** A failure CloudTrail records with a message and no errorCode (a failed console sign-in: "Failed authentication"). */
  errorMessage?: string;
  /** Sign-in events: `LoginTo`, `MobileVersion`, `MFAUsed`, `MFAIdentifier`. */
  additionalEventData?: Record<string, unknown>;
}

/** Builds a full CloudTrail record (eventVersion 1.08). */
export function ctEvent(rng: Rng, accountId: string, c: CallSpec): CloudTrailRecord {
  const ev: CloudTrailRecord = {
    eventVersion: '1.08',
    // Cloned: records never share nested objects (services may mutate a world in place).
    userIdentity: clone(c.identity),
    eventTime: isoSec(c.at),
    eventSource: `${c.service}.amazonaws.com`,
    eventName: c.name,
    awsRegion: c.region,
    sourceIPAddress: c.ip,
    userAgent: c.userAgent,
    requestParameters: c.request ?? null,
    responseElements: c.response ?? null,
    requestID: uuid(rng),
    eventID: uuid(rng),
    readOnly: c.readOnly,
    eventType: c.eventType ?? 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: accountId,
    eventCategory: 'Management',
    tlsDetails: { tlsVersion: 'TLSv1.2', cipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256', clientProvidedHostHeader: hostFor(c.service, c.region) },
  };
  if (c.error) {
    ev.errorCode = c.error.code;
    ev.errorMessage = c.error.message;
  } else if (c.errorMessage !== undefined) {
    ev.errorMessage = c.errorMessage;
  }
  if (c.additionalEventData) ev.additionalEventData = clone(c.additionalEventData);
  if (c.resources) ev.resources = clone(c.resources);
  return ev;
}

export function deniedMessage(principalArn: string, action: string, resource: string): string {
  return `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;
}

export interface FindingSpec {
  id: string;
  type: string;
  severity: number;
  accountId: string;
  region: string;
  detectorId: string;
  title: string;
  description: string;
  confidence?: number;
  resource: GuardDutyFinding['resource'];
  action: Record<string, unknown>;
  evidence?: Record<string, unknown>;
  additionalInfo?: Record<string, unknown>;
  archived?: boolean;
  count: number;
  firstSeen: number;
  lastSeen: number;
  createdAt: number;
  updatedAt: number;
  resourceRole?: 'TARGET' | 'ACTOR';
  featureName?: string;
}

/** Builds GuardDuty wire JSON for one finding. */
export function finding(f: FindingSpec): GuardDutyFinding {
  const info = f.additionalInfo ?? {};
  const service: GuardDutyFinding['service'] = {
    serviceName: 'guardduty',
    detectorId: f.detectorId,
    action: clone(f.action),
    archived: f.archived ?? false,
    count: f.count,
    eventFirstSeen: iso(f.firstSeen),
    eventLastSeen: iso(f.lastSeen),
    resourceRole: f.resourceRole ?? 'TARGET',
    additionalInfo: { value: JSON.stringify(info), type: 'default' },
  };
  if (f.evidence) service.evidence = clone(f.evidence);
  if (f.featureName) service.featureName = f.featureName;
  return {
    schemaVersion: '2.0',
    accountId: f.accountId,
    region: f.region,
    partition: 'aws',
    id: f.id,
    arn: `arn:aws:guardduty:${f.region}:${f.accountId}:detector/${f.detectorId}/finding/${f.id}`,
    type: f.type,
    resource: clone(f.resource),
    service,
    severity: f.severity,
    confidence: f.confidence ?? 5,
    createdAt: iso(f.createdAt),
    updatedAt: iso(f.updatedAt),
    title: f.title,
    description: f.description,
  };
}
