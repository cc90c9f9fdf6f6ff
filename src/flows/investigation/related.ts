/**
 * Other open findings about the investigated principal. GuardDuty raises IAM findings where the call was
 * recorded: the finding's region, and us-east-1 for global services (IAM, STS). Both are read; a region
 * without a detector simply has no findings.
 */
import { findDetectorId, listFindings, unreadableWarning } from '../../aws/guardduty.js';
import type { Context } from '../../cli/context.js';
import { settle } from '../../core/concurrency.js';
import { errorSummary, GdIrError } from '../../core/errors.js';
import { toFindingSummary, type FindingSummary } from '../../core/finding/index.js';
import type { InvestigationSection } from '../../core/investigation/index.js';
import { GLOBAL_EVENTS_REGION } from '../../core/trail/index.js';

export async function relatedFindings(
  ctx: Context,
  of: { summary: FindingSummary; accountId?: string; detectorId?: string },
  warn: (section: InvestigationSection, message: string) => void,
): Promise<FindingSummary[]> {
  const { summary, detectorId } = of;
  const p = summary.principal;
  const criterion: Record<string, { Equals: string[] }> = { 'service.archived': { Equals: ['false'] } };
  // An administrator's detector holds its members' findings: a same-named user elsewhere is someone else.
  if (of.accountId) criterion.accountId = { Equals: [of.accountId] };
  if (p?.userName) criterion['resource.accessKeyDetails.userName'] = { Equals: [p.userName] };
  else if (p?.accessKeyId) criterion['resource.accessKeyDetails.accessKeyId'] = { Equals: [p.accessKeyId] };
  const regions = [...new Set([summary.region, GLOBAL_EVENTS_REGION])];
  const perRegion = await Promise.all(
    regions.map((region) =>
      settle(
        (async () => {
          const det = region === summary.region && detectorId ? detectorId : await findDetectorId(ctx, region);
          const res = await listFindings(ctx, { region, detectorId: det, criteria: { Criterion: criterion }, limit: 50 });
          for (const u of res.unreadable) warn('relatedFindings', unreadableWarning(u, region));
          return res.findings;
        })(),
      ),
    ),
  );
  const found: FindingSummary[] = [];
  perRegion.forEach((r, i) => {
    if (r.ok) found.push(...r.value.filter((f) => f.id !== summary.id).map(toFindingSummary));
    else if (i === 0) throw r.error;
    else if (!(r.error instanceof GdIrError && r.error.code === 'no_detector')) {
      warn('relatedFindings', `findings in ${regions[i] ?? '?'} could not be read: ${errorSummary(r.error)}`);
    }
  });
  return found;
}
