/**
 * The investigation assembled: from one finding and what was gathered around it (trail, permissions,
 * access keys, related findings) to a decision. Pure: the gatherer (src/flows/investigation/) reads,
 * the modules beside this one judge, the renderers print. Every conclusion carries its evidence.
 */
import type { AccountAccess } from '../access.js';
import { toFindingDetail, type Finding, type FindingDetail, type FindingSummary } from '../finding/index.js';
import type { PermissionsResult } from '../permissions.js';
import { isActionAllowed } from '../policy-eval/index.js';
import { severityLabel } from '../severity.js';
import type { TrailResult } from '../trail/index.js';
import { analyseActivity, type ActivityEvidence } from './activity.js';
import type { ChangesResult } from '../changes/model.js';
import { assessBlastRadius, type BlastRadius } from './blast-radius.js';
import { changesSection, type ChangesSection } from './changes.js';
import { dataSourceAdvice } from './data-source.js';
import type {
  AccessKeyFact,
  ActivityEvent,
  DerivedCredential,
  InvestigationFinding,
  InvestigationInput,
  PermissionFacts,
  RelatedFinding,
  SectionWarning,
} from './model.js';
import { assessPrincipal, type PrincipalAssessment } from './principal.js';
import { recommend, type Recommendation } from './recommendation.js';
import { buildTimeline, type TimelineEntry } from './timeline.js';
import { analyseUsage, type UsageAnalysis } from './usage.js';

export interface Investigation {
  finding: InvestigationFinding;
  severityLabel: string;
  dataSource?: string;
  dataSourceAdvice: string[];
  principal: PrincipalAssessment;
  /** Undefined when the trail was not gathered (sample/service findings) or could not be read. */
  activity?: {
    evidence: ActivityEvidence;
    timeline: TimelineEntry[];
    events: ActivityEvent[];
    derivedCredentials: DerivedCredential[];
    truncated: boolean;
  };
  /** The Changes section; undefined when the trail was not gathered or could not be read. */
  changes?: ChangesSection;
  permissions?: PermissionFacts;
  usage?: UsageAnalysis;
  accessKeys?: AccessKeyFact[];
  relatedFindings?: RelatedFinding[];
  blastRadius: BlastRadius;
  recommendation: Recommendation;
  warnings: SectionWarning[];
  generatedAt: string;
}

export function assembleInvestigation(input: InvestigationInput): Investigation {
  const principal = assessPrincipal(input.finding);
  const events = input.events;
  const derived = input.derivedCredentials ?? [];
  let activity: Investigation['activity'];
  if (events) {
    const evidence = analyseActivity(events, input.finding);
    activity = {
      evidence,
      timeline: buildTimeline(events, derived, input.finding, principal.accessKeyId),
      events,
      derivedCredentials: derived,
      truncated: input.activityTruncated ?? false,
    };
  }
  const usage = events && (principal.kind === 'iam-user' || principal.kind === 'assumed-role') ? analyseUsage(events, input.finding, input.permissions) : undefined;
  const blastRadius = assessBlastRadius(input, principal, activity?.evidence);
  return {
    finding: input.finding,
    severityLabel: severityLabel(input.finding.severity),
    dataSource: input.dataSource,
    dataSourceAdvice: dataSourceAdvice(input.dataSource, principal.kind),
    principal,
    activity,
    changes: changesSection(input.changes),
    permissions: input.permissions,
    usage,
    accessKeys: input.accessKeys,
    relatedFindings: input.relatedFindings,
    blastRadius,
    recommendation: recommend(input, principal, blastRadius),
    warnings: input.warnings,
    generatedAt: input.now.toISOString(),
  };
}

/** The report: the assembled investigation plus the gathered models the renderers reuse. */
export interface InvestigationReport {
  detail: FindingDetail;
  investigation: Investigation;
  trail?: TrailResult;
  permissionsResult?: PermissionsResult;
  related?: FindingSummary[];
  /** How the finding's account was read (a member account's read role), when it was checked before reading. */
  access?: AccountAccess;
}

/** The finding as the investigation reads it (from the findings module's detail view). */
export function investigationFinding(d: FindingDetail): InvestigationFinding {
  const p = d.principal;
  return {
    id: d.id,
    type: d.type,
    severity: d.severity,
    title: d.title,
    accountId: d.accountId,
    region: d.region,
    ...(d.resourceType ? { resourceType: d.resourceType } : {}),
    principal: p
      ? {
          ...(p.userName ? { userName: p.userName } : {}),
          ...(p.userType ? { userType: p.userType } : {}),
          ...(p.accessKeyId ? { accessKeyId: p.accessKeyId } : {}),
          ...(p.principalId ? { principalId: p.principalId } : {}),
        }
      : null,
    ...(d.remoteIp ? { remoteIp: d.remoteIp } : {}),
    ...(d.threatListName ? { threatListName: d.threatListName } : {}),
    ...(d.action.api ? { api: d.action.api } : {}),
    ...(d.action.userAgent ? { userAgent: d.action.userAgent } : {}),
    count: d.count,
    ...(d.firstSeen ? { firstSeen: d.firstSeen } : {}),
    ...(d.lastSeen ? { lastSeen: d.lastSeen } : {}),
    archived: d.archived,
    sample: d.sample,
  };
}

/** What the policies module established, as the investigation uses it. */
export function permissionFacts(r: PermissionsResult): PermissionFacts {
  return {
    policies: r.policies.map((p) => ({ source: p.source, ...(p.group ? { group: p.group } : {}), kind: p.kind, name: p.name, ...(p.arn ? { arn: p.arn } : {}) })),
    isAdmin: r.analysis.isAdmin,
    risks: r.analysis.risks.map((k) => ({ capability: k.capability, category: k.category, actions: [...k.actions], policy: k.policy.name })),
    isGranted: (action) => isActionAllowed(r.analysis, action),
    grantedCount: r.analysis.grantedActionCounts.total,
    tags: r.principal.tags.map((t) => ({ key: t.key, value: t.value })),
  };
}

export function relatedFinding(s: FindingSummary): RelatedFinding {
  return {
    id: s.id,
    type: s.type,
    severity: s.severity,
    region: s.region,
    ...(s.principal?.accessKeyId ? { accessKeyId: s.principal.accessKeyId } : {}),
    ...(s.lastSeen ? { lastSeen: s.lastSeen } : {}),
    count: s.count,
  };
}

/** Everything gathered for one finding (each part absent when it was not gathered or could not be read). */
export interface GatheredParts {
  finding: Finding;
  trail?: TrailResult;
  permissions?: PermissionsResult;
  accessKeys?: AccessKeyFact[];
  related?: FindingSummary[];
  /** How the finding's account was read. */
  access?: AccountAccess;
  changes?: ChangesResult;
  warnings: SectionWarning[];
  now: Date;
}

/** From the gathered parts to the report the renderers print (pure; the command and the tests share it). */
export function buildInvestigationReport(parts: GatheredParts): InvestigationReport {
  const detail = toFindingDetail(parts.finding);
  const trail = parts.trail;
  const investigation = assembleInvestigation({
    finding: investigationFinding(detail),
    ...(detail.dataSource.name !== 'unknown' ? { dataSource: detail.dataSource.name } : {}),
    ...(trail ? { events: trail.events, derivedCredentials: trail.derivedCredentials, activityTruncated: trail.truncated } : {}),
    ...(parts.permissions ? { permissions: permissionFacts(parts.permissions) } : {}),
    ...(parts.accessKeys ? { accessKeys: parts.accessKeys } : {}),
    ...(parts.related ? { relatedFindings: parts.related.map(relatedFinding) } : {}),
    ...(parts.changes ? { changes: parts.changes } : {}),
    warnings: parts.warnings,
    now: parts.now,
  });
  return {
    detail,
    investigation,
    ...(trail ? { trail } : {}),
    ...(parts.permissions ? { permissionsResult: parts.permissions } : {}),
    ...(parts.related ? { related: parts.related } : {}),
    ...(parts.access ? { access: parts.access } : {}),
  };
}
