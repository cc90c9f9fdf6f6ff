/** What the log GuardDuty read can and cannot show, in words for the analyst. */
import { sourceLimits, type TrailSourceKind, type TrailSourceReport } from '../trail/index.js';
import type { PrincipalKind } from './principal.js';

export function dataSourceAdvice(dataSource: string | undefined, kind: PrincipalKind): string[] {
  const ds = (dataSource ?? '').toLowerCase();
  if (ds.includes('cloudtrail management')) {
    return [
      'GuardDuty read CloudTrail management events: the same record CloudTrail LookupEvents returns, so the trail below is the evidence it saw.',
      'Management events do not show data access (S3 object reads, Lambda invocations); check S3 data events or S3 Protection findings for what was read from buckets.',
      // Where IAM and STS record their calls: src/core/trail/model.ts (GLOBAL_EVENTS_REGION) cites the AWS pages.
      kind === 'iam-user' || kind === 'assumed-role'
        ? "IAM calls are recorded in us-east-1, which the trail reads. STS calls are recorded in the Region that served them: the global endpoint (sts.amazonaws.com) now serves callers inside AWS in their own Region (Regions enabled by default), and callers outside AWS in us-east-1; if the key was also used by workloads in other Regions, run gd-ir trail with --regions all."
        : '',
    ].filter(Boolean);
  }
  if (ds.includes('s3 data')) return ['GuardDuty read CloudTrail S3 data events: object-level reads are not in LookupEvents; use the trail\'s S3 data events or S3 server access logs.'];
  if (ds.includes('flow')) return ['GuardDuty read VPC flow logs: check the instance\'s network connections and security groups.'];
  if (ds.includes('dns')) return ['GuardDuty read DNS logs: check what the instance resolved and which process did.'];
  if (ds.includes('eks') || ds.includes('kubernetes')) return ['GuardDuty read EKS audit logs: check the cluster\'s audit log for the same user.'];
  if (ds === '') return ['GuardDuty does not say which log this finding type comes from; check the finding type in the GuardDuty documentation.'];
  return [`GuardDuty read ${dataSource}.`];
}

/** Which CloudTrail source the trail was read from, and what that source cannot contain. */
export interface TrailSourceFacts {
  kind: TrailSourceKind;
  description: string;
  limits: string[];
}

/** undefined when no trail was read (a finding without a principal, or the trail failed). */
export function trailSourceFacts(source: TrailSourceReport | undefined, trailRead: boolean): TrailSourceFacts | undefined {
  if (!trailRead) return undefined;
  const kind = source?.kind ?? 'lookup';
  return { kind, description: source?.description ?? 'CloudTrail event history (LookupEvents)', limits: sourceLimits(kind) };
}
