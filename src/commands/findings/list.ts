/**
 * `gd-ir findings list`: GuardDuty findings, filtered by GuardDuty (findingCriteria), ordered by severity then
 * last seen, in one or several regions, or read from a file (the only place filters run locally).
 */
import type { Context } from '../../cli/context.js';
import { CredentialsError, GdIrError, RuntimeError } from '../../core/errors.js';
import { runScope } from '../../cli/invocation.js';
import { commandLine, gdIr } from '../../core/suggestion.js';
import { awsErrorCode, isDisabledOptInRegion } from '../../aws/errors.js';
import { findDetectorId, listDetectorIds, listFindings, unreadableWarning, type ListFindingsProgress, type ListFindingsResult, type UnreadableFinding } from '../../aws/guardduty.js';
import { mapLimit } from '../../core/concurrency.js';
import { compareFindings, toFindingListItem, type Finding, type FindingListItem } from '../../core/finding/index.js';
import {
  buildFindingCriteria,
  hasTypeFilter,
  listOptions,
  matchesFilters,
  needsSeverityRefine,
  sortCriteriaFor,
  unknownTypePrefixes,
  unmatchedPrefixWarning,
  type ListOptions,
} from '../../core/finding-criteria.js';
import { typeFilterForRegion } from '../../flows/finding-type-filter.js';
import { resolveRegionList } from '../../core/regions.js';
import type { FindingsListInput } from '../../cli/commands/findings.js';
import { findingsListJson } from '../../render/findings-json.js';
import { renderFindingsList } from '../../render/findings.js';
import { plural } from '../../render/format.js';
import { readFindingsFile } from '../../flows/finding-file.js';

export interface FindingsListOptions {
  list: ListOptions;
  /** `--regions`; undefined = the configured region. */
  regions?: string[] | 'all';
  detectorId?: string;
  fromFile?: string;
}

export interface SkippedRegion {
  region: string;
  reason: 'no-detector' | 'error';
  message?: string;
}

export interface FindingsListModel {
  items: FindingListItem[];
  /** Findings GuardDuty listed but the SDK (or gd-ir) could not read: named in a warning, the rest are shown. */
  unreadable: Array<UnreadableFinding & { region: string }>;
  /** What the analyst must know about the answer (a --type prefix that matched nothing, prefixes expanded offline…). */
  warnings: string[];
  /** Regions whose findings are included. */
  regions: string[];
  skipped: SkippedRegion[];
  multiRegion: boolean;
  /** More findings matched than --limit allowed. */
  truncated: boolean;
  source: 'aws' | 'file';
}

/** Parallel regions for `--regions all` (each region then runs its own bounded GetFindings pipeline). */
const REGION_CONCURRENCY = 8;

/** The handler's view of the validated input. */
export function toFindingsListOptions({ options: o }: FindingsListInput): FindingsListOptions {
  return { list: listOptions(o), regions: o.regions, detectorId: o.detectorId, fromFile: o.fromFile };
}

function finish(findings: Finding[], opts: FindingsListOptions, limitAfterMerge: boolean): { items: FindingListItem[]; truncated: boolean } {
  let items = findings.map(toFindingListItem);
  if (needsSeverityRefine(opts.list.filters)) items = items.filter((i) => matchesFilters(i.summary, { ...opts.list.filters, typePrefixes: [], exactTypes: [], archived: 'all' }));
  const cmp = compareFindings(opts.list.sort);
  items.sort((a, b) => cmp(a.summary, b.summary));
  let truncated = false;
  if (limitAfterMerge && opts.list.limit !== undefined && items.length > opts.list.limit) {
    items = items.slice(0, opts.list.limit);
    truncated = true;
  }
  return { items, truncated };
}

export async function runFindingsList(ctx: Context, opts: FindingsListOptions): Promise<FindingsListModel> {
  if (opts.fromFile !== undefined) {
    const all = await readFindingsFile(ctx, opts.fromFile);
    const findings = all.filter((f) => matchesFilters(toFindingListItem(f).summary, opts.list.filters));
    const { items, truncated } = finish(findings, opts, true);
    // The same meaning as online: a prefix selects the types that start with it (here, the file's).
    const unmatched = unknownTypePrefixes(opts.list.filters.typePrefixes.filter((p) => !all.some((f) => f.type.startsWith(p))));
    const warnings = unmatched.length > 0 ? [unmatchedPrefixWarning(unmatched, 'in the file')] : [];
    return { items, unreadable: [], warnings, regions: [...new Set(items.map((i) => i.summary.region))], skipped: [], multiRegion: new Set(findings.map((f) => f.region)).size > 1, truncated, source: 'file' };
  }

  const explicitAll = opts.regions === 'all';
  const regions = opts.regions !== undefined ? resolveRegionList(opts.regions) : [await ctx.aws.region()];
  const filters = opts.list.filters;
  const sort = sortCriteriaFor(opts.list.sort);
  const started = ctx.clock.now().getTime();
  const progress = new Map<string, ListFindingsProgress>();
  const onProgress = (p: ListFindingsProgress): void => {
    progress.set(p.region, p);
    // Only worth a line when it takes a while; io.progress draws nothing unless stderr is a terminal.
    if (ctx.clock.now().getTime() - started < 700) return;
    let fetched = 0;
    for (const x of progress.values()) fetched += x.fetched;
    ctx.io.progress(`Fetching findings… ${fetched} so far${regions.length > 1 ? ` from ${progress.size}/${regions.length} regions` : ''}`);
  };

  const single = regions.length === 1;
  const perRegion = await mapLimit(regions, REGION_CONCURRENCY, async (region) => {
    try {
      const detectorId = single ? await findDetectorId(ctx, region, opts.detectorId) : (await listDetectorIds(ctx, region))[0];
      if (!detectorId) return { region, skipped: { region, reason: 'no-detector' } as SkippedRegion };
      // --type: prefixes become the exact types this detector holds (flows/finding-type-filter.ts).
      const typed = hasTypeFilter(filters) ? await typeFilterForRegion(ctx, region, detectorId, filters) : { criteria: buildFindingCriteria(filters), unmatched: [], warnings: [] };
      const none: ListFindingsResult = { findings: [], unreadable: [], truncated: false, listCalls: 0, getCalls: 0 };
      const res = typed.criteria ? await listFindings(ctx, { region, detectorId, criteria: typed.criteria, sort, limit: opts.list.limit, onProgress }) : none;
      return { region, res, typed };
    } catch (err) {
      // With `all`, a region the account has not opted into (or that denies us) is skipped, not fatal; with
      // a list, only a disabled opt-in region is (AWS rejects the credentials there, which is no credentials problem).
      const aborted = err instanceof Error && err.name === 'AbortError';
      if (!aborted && single && isDisabledOptInRegion(err, region)) {
        throw new CredentialsError(`AWS did not accept the credentials in ${region} (${awsErrorCode((err as { cause?: unknown }).cause ?? err)})`, {
          remedy: `${region} is an opt-in region: enable it for this account (AWS console → Account → AWS Regions) or pick another with --region; if it is enabled, check your credentials`,
          cause: err,
        });
      }
      if (!aborted && !single && !explicitAll && isDisabledOptInRegion(err, region)) {
        return { region, skipped: { region, reason: 'error', message: `an opt-in region this account has not enabled (${awsErrorCode((err as { cause?: unknown }).cause ?? err)})` } as SkippedRegion, error: err };
      }
      if (explicitAll && !aborted) {
        return { region, skipped: { region, reason: 'error', message: err instanceof Error ? err.message : String(err) } as SkippedRegion, error: err };
      }
      throw err;
    }
  });
  ctx.io.clearProgress();

  const done = perRegion.filter((r) => r.res !== undefined);
  const skipped = perRegion.flatMap((r) => (r.skipped ? [r.skipped] : []));
  if (done.length === 0) {
    const firstError = perRegion.find((r) => 'error' in r && r.error !== undefined);
    if (firstError && 'error' in firstError && firstError.error instanceof GdIrError && skipped.every((s) => s.reason === 'error')) throw firstError.error;
    throw new RuntimeError(`no GuardDuty detector in any of the ${regions.length} regions listed (${regions.slice(0, 6).join(', ')}${regions.length > 6 ? ', …' : ''})`, {
      code: 'no_detector',
      remedy: 'enable GuardDuty (aws guardduty create-detector --enable) or list the regions that have it with --regions',
    });
  }
  const findings = done.flatMap((r) => r.res?.findings ?? []);
  const { items, truncated } = finish(findings, opts, regions.length > 1);
  const warnings = done.flatMap((r) => r.typed?.warnings ?? []);
  // A prefix no detector holds a type of, nor the catalogue: most likely a typo.
  const unmatched = unknownTypePrefixes(filters.typePrefixes.filter((p) => done.every((r) => r.typed?.unmatched.includes(p) ?? false)));
  if (unmatched.length > 0) warnings.push(unmatchedPrefixWarning(unmatched, `in the detector${done.length > 1 ? 's' : ''}`));
  return {
    items,
    warnings,
    unreadable: done.flatMap((r) => (r.res?.unreadable ?? []).map((u) => ({ ...u, region: r.region }))),
    regions: done.map((r) => r.region),
    skipped,
    multiRegion: regions.length > 1,
    truncated: truncated || done.some((r) => r.res?.truncated === true),
    source: 'aws',
  };
}

export async function execute(ctx: Context, input: FindingsListInput): Promise<void> {
  const opts = toFindingsListOptions(input);
  const model = await runFindingsList(ctx, opts);

  const noDetector = model.skipped.filter((s) => s.reason === 'no-detector').map((s) => s.region);
  if (noDetector.length > 0) ctx.io.info(`note: no GuardDuty detector in ${noDetector.join(', ')} (skipped)`);
  for (const s of model.skipped.filter((x) => x.reason === 'error')) ctx.io.warn(`${s.region} skipped: ${s.message ?? 'error'}`);
  for (const u of model.unreadable) ctx.io.warn(unreadableWarning(u, u.region));
  for (const w of model.warnings) ctx.io.warn(w);

  if (ctx.globals.json) {
    ctx.io.printJson(findingsListJson(model.items.map((i) => i.summary)));
  } else if (model.items.length === 0) {
    ctx.io.info('No findings match.');
  } else {
    const accounts = new Set(model.items.map((i) => i.summary.accountId));
    ctx.io.out(renderFindingsList(model.items, ctx.io, { showRegion: model.multiRegion, showAccount: accounts.size > 1, now: ctx.clock.now() }));
  }
  if (model.truncated && opts.list.limit !== undefined) {
    ctx.io.hint(`Showing the first ${plural(opts.list.limit, 'finding')}; use --limit <n> (up to 10000) or --all-pages for more.`);
  }
  if (!ctx.globals.json && model.items.length > 0 && model.source === 'aws') {
    const top = model.items[0]?.summary;
    // Several regions listed: the finding's region is named even when it is the default one.
    if (top) ctx.io.hint(`Next: ${commandLine(gdIr(['findings', 'show', top.id, ...(model.multiRegion ? ['--region', top.region] : [])], 'read', false, top.region), runScope(ctx))}`);
  }
}
