/**
 * GuardDuty gateway: detectors, finding lists and details, archive/unarchive and severity counts.
 * Every call goes through awsCall with the IAM action it needs; the SDK is imported lazily.
 */
import type { Context } from '../cli/context.js';
import { AwsError, NotFoundError, RuntimeError } from '../core/errors.js';
import type { Finding } from '../core/finding/index.js';
import type { SdkFindingCriteria, SdkSortCriteria } from '../core/finding-criteria.js';
import { awsCall } from './call.js';
import { getFindingsByIds, PAGE_SIZE, type UnreadableFinding } from './finding-batches.js';

export { getFindingsByIds, PAGE_SIZE, unreadableWarning, type FindingsById, type UnreadableFinding } from './finding-batches.js';
/** GetFindings calls in flight per region while the pager keeps at most one page waiting per worker. */
export const GET_FINDINGS_CONCURRENCY = 4;

type GdContext = Pick<Context, 'aws' | 'signal'>;

/** The detector of a region: `explicit` when given, else the first from ListDetectors (one per account and region). */
export async function findDetectorId(ctx: GdContext, region: string, explicit?: string): Promise<string> {
  if (explicit) return explicit;
  const found = await listDetectorIds(ctx, region);
  const first = found[0];
  if (!first) {
    throw new RuntimeError(`no GuardDuty detector in ${region}`, {
      code: 'no_detector',
      remedy: `enable GuardDuty in ${region} (aws guardduty create-detector --enable --region ${region}) or pick the region that has it with --region`,
    });
  }
  return first;
}

/** Every detector ID of a region (normally zero or one). */
export async function listDetectorIds(ctx: GdContext, region: string): Promise<string[]> {
  const { ListDetectorsCommand } = await import('@aws-sdk/client-guardduty');
  const client = await ctx.aws.guardDuty(region);
  const ids: string[] = [];
  let token: string | undefined;
  do {
    const out = await awsCall('guardduty:ListDetectors', () =>
      client.send(new ListDetectorsCommand({ MaxResults: PAGE_SIZE, NextToken: token }), { abortSignal: ctx.signal }),
    );
    ids.push(...(out.DetectorIds ?? []));
    token = out.NextToken || undefined;
  } while (token);
  return ids;
}

export interface ListFindingsProgress {
  region: string;
  pages: number;
  fetched: number;
}

export interface ListFindingsRequest {
  region: string;
  detectorId: string;
  criteria: SdkFindingCriteria;
  sort?: SdkSortCriteria;
  /** Stop after this many findings; undefined = every page. */
  limit?: number;
  onProgress?: (p: ListFindingsProgress) => void;
  /** GetFindings calls in flight (default GET_FINDINGS_CONCURRENCY). */
  concurrency?: number;
}

export interface ListFindingsResult {
  findings: Finding[];
  /** Findings GuardDuty listed that could not be read (each named; the rest are in `findings`). */
  unreadable: UnreadableFinding[];
  /** GuardDuty had more findings than `limit`. */
  truncated: boolean;
  listCalls: number;
  getCalls: number;
}

/** A counting gate: `acquire` waits while `capacity` slots are taken. */
class Slots {
  private used = 0;
  private readonly waiters: Array<() => void> = [];
  constructor(private readonly capacity: number) {}
  async acquire(): Promise<void> {
    if (this.used >= this.capacity) await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.used++;
  }
  release(): void {
    this.used--;
    this.waiters.shift()?.();
  }
}

/**
 * ListFindings pages feed GetFindings batches, pipelined: each page of ≤50 IDs becomes one GetFindings call
 * while the pager fetches the next page. The pager takes a slot before listing a page and the batch frees it,
 * so at most `concurrency` pages are listed but not yet fetched — one page of IDs per worker, never the whole
 * ID list. Calls made: exactly one ListFindings per page plus one GetFindings per non-empty page.
 */
export async function listFindings(ctx: GdContext, req: ListFindingsRequest): Promise<ListFindingsResult> {
  const { ListFindingsCommand } = await import('@aws-sdk/client-guardduty');
  const client = await ctx.aws.guardDuty(req.region);
  const slots = new Slots(Math.max(1, req.concurrency ?? GET_FINDINGS_CONCURRENCY));
  const batches: Array<Promise<Finding[]>> = [];
  const unreadable: UnreadableFinding[] = [];
  let failure: { error: unknown } | undefined;
  let token: string | undefined;
  let listed = 0;
  let fetched = 0;
  let pages = 0;
  let getCalls = 0;
  let truncated = false;
  const remaining = (): number => (req.limit === undefined ? Infinity : req.limit - listed);

  while (!failure && remaining() > 0) {
    await slots.acquire();
    if (failure) {
      slots.release();
      break;
    }
    let page: { ids: string[]; next?: string };
    try {
      const max = Math.min(PAGE_SIZE, remaining());
      const out = await awsCall('guardduty:ListFindings', () =>
        client.send(
          new ListFindingsCommand({
            DetectorId: req.detectorId,
            FindingCriteria: req.criteria,
            SortCriteria: req.sort,
            MaxResults: max,
            NextToken: token,
          }),
          { abortSignal: ctx.signal },
        ),
      );
      page = { ids: out.FindingIds ?? [], next: out.NextToken || undefined };
    } catch (err) {
      slots.release();
      failure = { error: err };
      break;
    }
    pages++;
    const ids = page.ids.slice(0, remaining());
    listed += ids.length;
    if (ids.length > 0) {
      getCalls++;
      const batch = getFindingsByIds(ctx, req.region, req.detectorId, ids).then(
        (got) => {
          fetched += got.findings.length;
          getCalls += got.calls - 1;
          unreadable.push(...got.unreadable);
          req.onProgress?.({ region: req.region, pages, fetched });
          return got.findings;
        },
        (err: unknown) => {
          failure ??= { error: err };
          return [] as Finding[];
        },
      );
      batches.push(batch.finally(() => slots.release()));
    } else {
      slots.release();
    }
    token = page.next;
    if (!token) break;
    if (remaining() <= 0) truncated = true;
  }
  const results = await Promise.all(batches);
  if (failure) throw failure.error;
  return { findings: results.flat(), unreadable, truncated, listCalls: pages, getCalls };
}

/** One finding by ID; NotFoundError naming the detector and region when GuardDuty does not have it. */
export async function getFinding(ctx: Pick<Context, 'aws' | 'signal'>, id: string, where: { region: string; detectorId?: string }): Promise<{ finding: Finding; detectorId: string }> {
  const detectorId = await findDetectorId(ctx, where.region, where.detectorId);
  const got = await getFindingsByIds(ctx, where.region, detectorId, [id]);
  const [finding] = got.findings;
  const unreadable = got.unreadable[0];
  if (!finding && unreadable) {
    throw new RuntimeError(`finding ${id} in detector ${detectorId} (region ${where.region}) could not be read: ${unreadable.reason}`, {
      code: 'unreadable_finding',
      remedy: `read it with the AWS CLI (aws guardduty get-findings --detector-id ${detectorId} --finding-ids ${id} --region ${where.region}) and pass the output to gd-ir with --from-file -`,
    });
  }
  if (!finding) {
    throw new NotFoundError(`finding ${id} not found in detector ${detectorId} (region ${where.region})`, {
      remedy: 'check the ID and the region (--region); gd-ir findings list --all shows archived findings too',
    });
  }
  return { finding, detectorId };
}

async function setArchived(ctx: GdContext, region: string, detectorId: string, ids: readonly string[], archive: boolean): Promise<void> {
  const { ArchiveFindingsCommand, UnarchiveFindingsCommand } = await import('@aws-sdk/client-guardduty');
  const client = await ctx.aws.guardDuty(region);
  for (let i = 0; i < ids.length; i += PAGE_SIZE) {
    const chunk = [...ids.slice(i, i + PAGE_SIZE)];
    if (archive) {
      await awsCall('guardduty:ArchiveFindings', () =>
        client.send(new ArchiveFindingsCommand({ DetectorId: detectorId, FindingIds: chunk }), { abortSignal: ctx.signal }),
      ).catch((err: unknown) => {
        // "Only the administrator account can archive findings. Member accounts don't have permission to archive
        // findings from their accounts." GuardDuty refuses a member with a 400, not an AccessDenied.
        // https://docs.aws.amazon.com/guardduty/latest/APIReference/API_ArchiveFindings.html
        if (err instanceof AwsError && err.awsCode === 'BadRequestException') {
          throw new AwsError(err.message, err.awsCode, err.operation, {
            remedy: 'if this account is a GuardDuty member account, only the administrator account can archive its findings: ask it to archive them (or add a suppression rule there)',
            cause: err,
          });
        }
        throw err;
      });
    } else {
      await awsCall('guardduty:UnarchiveFindings', () =>
        client.send(new UnarchiveFindingsCommand({ DetectorId: detectorId, FindingIds: chunk }), { abortSignal: ctx.signal }),
      );
    }
  }
}

/** Archives findings (batches of 50). GuardDuty allows this in administrator and standalone accounts only. */
export function archiveFindings(ctx: GdContext, region: string, detectorId: string, ids: readonly string[]): Promise<void> {
  return setArchived(ctx, region, detectorId, ids, true);
}

export function unarchiveFindings(ctx: GdContext, region: string, detectorId: string, ids: readonly string[]): Promise<void> {
  return setArchived(ctx, region, detectorId, ids, false);
}

export { detectorFindingTypes, findingCountsBySeverity, type SeverityCounts } from './finding-statistics.js';
