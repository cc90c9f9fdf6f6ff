/**
 * GuardDuty finding statistics with the current request shape: `GroupBy` (FINDING_TYPE, SEVERITY, …), `OrderBy` and
 * `MaxResults` (1–100, default 25). `FindingStatisticTypes: ["COUNT_BY_SEVERITY"]` and its `CountBySeverity` answer
 * are deprecated ("This parameter is deprecated, please use GroupBy instead": botocore guardduty 2017-11-28
 * service-2.json, GetFindingsStatisticsRequest). The operation has no paging ("NextToken … is currently not
 * supported"), so a grouping with more than 100 groups is read from both ends: the 100 largest (DESC) and the 100
 * smallest (ASC) cover every group when there are at most 200; beyond that `complete` is false.
 */
import type { Context } from '../cli/context.js';
import type { SdkFindingCriteria } from '../core/finding-criteria.js';
import { severityLevel, type SeverityLevel } from '../core/severity.js';
import { awsCall } from './call.js';

type GdContext = Pick<Context, 'aws' | 'signal'>;

/** GetFindingsStatistics' MaxResults ceiling (MaxResults100). */
export const STATISTICS_MAX_RESULTS = 100;

export interface Grouped<K> {
  groups: Array<{ key: K; total: number }>;
  /** False when more than 200 groups may exist (both ends came back full and disjoint). */
  complete: boolean;
}

type GroupBy = 'FINDING_TYPE' | 'SEVERITY';

async function grouped(ctx: GdContext, region: string, detectorId: string, criteria: SdkFindingCriteria, groupBy: GroupBy): Promise<Grouped<string>> {
  const { GetFindingsStatisticsCommand } = await import('@aws-sdk/client-guardduty');
  const client = await ctx.aws.guardDuty(region);
  const ask = async (orderBy: 'ASC' | 'DESC'): Promise<Array<{ key: string; total: number }>> => {
    const out = await awsCall('guardduty:GetFindingsStatistics', () =>
      client.send(
        new GetFindingsStatisticsCommand({ DetectorId: detectorId, FindingCriteria: criteria, GroupBy: groupBy, OrderBy: orderBy, MaxResults: STATISTICS_MAX_RESULTS }),
        { abortSignal: ctx.signal },
      ),
    );
    const stats = out.FindingStatistics;
    if (groupBy === 'FINDING_TYPE') {
      return (stats?.GroupedByFindingType ?? []).flatMap((g) => (g.FindingType ? [{ key: g.FindingType, total: g.TotalFindings ?? 0 }] : []));
    }
    return (stats?.GroupedBySeverity ?? []).flatMap((g) => (typeof g.Severity === 'number' ? [{ key: String(g.Severity), total: g.TotalFindings ?? 0 }] : []));
  };
  const top = await ask('DESC');
  if (top.length < STATISTICS_MAX_RESULTS) return { groups: top, complete: true };
  const bottom = await ask('ASC');
  const merged = new Map(top.map((g) => [g.key, g.total]));
  for (const g of bottom) merged.set(g.key, g.total);
  return { groups: [...merged].map(([key, total]) => ({ key, total })), complete: merged.size < 2 * STATISTICS_MAX_RESULTS };
}

/** The finding types the detector holds among the findings matching `criteria` (GroupBy FINDING_TYPE). */
export async function detectorFindingTypes(ctx: GdContext, region: string, detectorId: string, criteria: SdkFindingCriteria): Promise<{ types: string[]; complete: boolean }> {
  const g = await grouped(ctx, region, detectorId, criteria, 'FINDING_TYPE');
  return { types: g.groups.map((x) => x.key), complete: g.complete };
}

export type SeverityCounts = Record<SeverityLevel, number> & { total: number };

/** Finding counts per severity level matching `criteria` (GroupBy SEVERITY). */
export async function findingCountsBySeverity(ctx: GdContext, region: string, detectorId: string, criteria: SdkFindingCriteria): Promise<SeverityCounts> {
  const g = await grouped(ctx, region, detectorId, criteria, 'SEVERITY');
  const counts: SeverityCounts = { critical: 0, high: 0, medium: 0, low: 0, total: 0 };
  for (const { key, total } of g.groups) {
    const value = Number(key);
    if (!Number.isFinite(value)) continue;
    counts[severityLevel(value)] += total;
    counts.total += total;
  }
  return counts;
}
