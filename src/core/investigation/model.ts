/**
 * What the investigation reasons about: the finding as it reads it and what was gathered around it.
 * Structural inputs (the findings, trail and policies modules produce supersets of these), so the
 * judging modules beside this one stay pure and testable with plain objects.
 */
import type { ChangesResult } from '../changes/model.js';
import type { TrailEvent } from '../trail/model.js';
import type { GatheredPart } from './sections.js';
export interface InvestigationPrincipalRef {
  userName?: string;
  userType?: string;
  accessKeyId?: string;
  principalId?: string;
}

export interface InvestigationFinding {
  id: string;
  type: string;
  severity: number;
  title?: string;
  accountId: string;
  region: string;
  resourceType?: string;
  principal: InvestigationPrincipalRef | null;
  remoteIp?: string;
  threatListName?: string;
  /** The API the finding is about (awsApiCallAction.api). */
  api?: string;
  userAgent?: string;
  count?: number;
  firstSeen?: string;
  lastSeen?: string;
  archived?: boolean;
  sample: boolean;
}

/** The part of a trail event (src/core/trail.ts) the investigation reasons about. */
export type ActivityEvent = Pick<TrailEvent, 'time' | 'region' | 'eventSource' | 'eventName' | 'sourceIp' | 'userAgent' | 'accessKeyId' | 'errorCode'> &
  Partial<Pick<TrailEvent, 'errorMessage'>> & {
  /** The call failed (src/core/trail/outcome.ts); when absent, an errorCode says so. */
  failed?: boolean;
  category?: string;
  /** Made with credentials derived from the principal's key. */
  derived?: boolean;
};

/** A temporary key minted by the principal (src/core/derived-credentials.ts produces a superset). */
export interface DerivedCredential {
  accessKeyId: string;
  /** The STS call that minted it (GetSessionToken, AssumeRole, GetFederationToken). */
  via: string;
  issuedAt: string;
  sourceIp?: string;
  region?: string;
  expiresAt?: string;
  /** AssumeRole: the role session ARN (arn:aws:sts::<account>:assumed-role/<role>/<session>). */
  assumedArn?: string;
}

export interface PolicyRow {
  source: string;
  group?: string;
  kind: string;
  name: string;
  arn?: string;
}

export interface RiskRow {
  capability: string;
  category: string;
  actions: string[];
  policy?: string;
}

/** What the policies module established about the principal. */
export interface PermissionFacts {
  policies: PolicyRow[];
  isAdmin: boolean;
  risks: RiskRow[];
  /** Effective decision for one IAM action (`ssm:GetParameters`); undefined when it cannot tell. */
  isGranted: (action: string) => boolean | undefined;
  /** Number of actions effectively granted (wildcards expanded), when known. */
  grantedCount?: number;
  /** Tags of the user/role (Owner, Project…): who to call before breaking a workload. */
  tags?: Array<{ key: string; value: string }>;
}

export interface AccessKeyFact {
  accessKeyId: string;
  status: string;
  createdAt?: string;
  lastUsed?: { date?: string; service?: string; region?: string };
}

export interface RelatedFinding {
  id: string;
  type: string;
  severity: number;
  region: string;
  accessKeyId?: string;
  lastSeen?: string;
  count?: number;
}

/** The gathered part a warning is about (the section registry says which section shows it). */
export type InvestigationSection = GatheredPart;

export interface SectionWarning {
  section: GatheredPart;
  message: string;
}

export interface InvestigationInput {
  finding: InvestigationFinding;
  /** "CloudTrail management events", or undefined when the finding type does not say. */
  dataSource?: string;
  events?: ActivityEvent[];
  derivedCredentials?: DerivedCredential[];
  activityTruncated?: boolean;
  permissions?: PermissionFacts;
  accessKeys?: AccessKeyFact[];
  relatedFindings?: RelatedFinding[];
  /** What the principal and the credentials it minted or created changed (absent when not swept). */
  changes?: ChangesResult;
  warnings: SectionWarning[];
  now: Date;
}

