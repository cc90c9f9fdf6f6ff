/**
 * `gd-ir investigate <findingId>`: from alert to a decision in one report.
 *
 * Critical path: read the finding → (in parallel) the trail (LookupEvents pages at the API's rate), the
 * permissions (IAM user → policies → versions), the user's keys with last use, and other open findings
 * about the principal. Nothing independent waits for anything else; a part that fails becomes a warning
 * in its section and the rest of the report stands.
 */
import { constants as fsConstants } from 'node:fs';
import { access, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { collectTrail, type TrailResult } from '../aws/cloudtrail.js';
import { findDetectorId, getFinding, listFindings } from '../aws/guardduty.js';
import { collectPermissions } from '../aws/iam-policies.js';
import { listUserAccessKeys } from '../aws/iam-keys.js';
import type { Context } from '../cli/context.js';
import { GdIrError, UsageError } from '../core/errors.js';
import { runScope } from '../cli/invocation.js';
import { settle } from '../core/concurrency.js';
import { toFindingDetail, toFindingSummary, type Finding, type FindingSummary } from '../core/finding.js';
import {
  assessPrincipal,
  buildInvestigationReport,
  gatherPlan,
  investigationFinding,
  type AccessKeyFact,
  type InvestigationReport,
  type InvestigationSection,
  type SectionWarning,
} from '../core/investigation/index.js';
import type { PermissionsResult } from '../core/permissions.js';
import { findingTrailInput, GLOBAL_EVENTS_REGION, trailRequestForFinding } from '../core/trail/index.js';
import type { InvestigateInput } from '../cli/commands/investigate.js';
import { investigationJson } from '../render/investigation/json.js';
import { renderInvestigationMarkdown } from '../render/investigation/markdown.js';
import { renderInvestigation } from '../render/investigation/terminal.js';
import { sanitize } from '../core/sanitize.js';
import { readFindingsFile } from './findings/from-file.js';

export interface InvestigateOptions {
  findingId?: string;
  fromFile?: string;
  detectorId?: string;
  report?: string;
  force: boolean;
  strict: boolean;
  follow: boolean;
  maxEvents?: number;
  rate?: number;
}

async function assertWritable(path: string, force: boolean): Promise<void> {
  const shown = sanitize(path, { maxLength: 200 });
  // A report that cannot be written is known before the investigation runs: say so before any AWS call.
  const dir = dirname(path);
  const dirStat = await stat(dir).catch(() => undefined);
  if (!dirStat?.isDirectory()) throw new UsageError(`cannot write ${shown}: ${sanitize(dir, { maxLength: 200 })} ${dirStat ? 'is not a directory' : 'does not exist'}`);
  try {
    await access(dir, fsConstants.W_OK);
  } catch {
    throw new UsageError(`cannot write ${shown}: permission denied`);
  }
  const fileStat = await stat(path).catch(() => undefined);
  if (fileStat?.isDirectory()) throw new UsageError(`cannot write ${shown}: it is a directory`);
  if (fileStat && !force) {
    throw new UsageError(`${shown} already exists: not overwriting it`, { remedy: 'choose another file name, or pass --force to replace it' });
  }
}

function warningText(err: unknown): string {
  if (err instanceof GdIrError) return err.remedy ? `${err.message} (${err.remedy})` : err.message;
  return err instanceof Error ? err.message : String(err);
}

export interface RunInvestigationOptions {
  /** The finding's region (default: the context's region). */
  region?: string;
  detectorId?: string;
  /** An already-read finding (--from-file); skips GetFinding. */
  finding?: Finding;
  follow?: boolean;
  maxEvents?: number;
  /** LookupEvents requests per second per region (default: the API's 2). */
  rate?: number;
  /** Called with a one-line status while gathering (for a spinner). */
  onStatus?: (text: string) => void;
}

/**
 * The whole investigation, in process (the benchmark calls this): read the finding, gather the four
 * parts concurrently, assemble. Throws only when the finding itself cannot be read.
 */
export async function runInvestigation(ctx: Context, findingId: string | undefined, opts: RunInvestigationOptions = {}): Promise<InvestigationReport> {
  let finding = opts.finding;
  let detectorId = opts.detectorId;
  if (!finding) {
    if (!findingId) throw new UsageError('missing finding ID');
    const region = opts.region ?? (await ctx.aws.region());
    opts.onStatus?.('Reading the finding…');
    const got = await getFinding(ctx, findingId, { region, detectorId });
    finding = got.finding;
    detectorId = got.detectorId;
  }
  const detail = toFindingDetail(finding);
  const summary = toFindingSummary(finding);
  const invFinding = investigationFinding(detail);
  const principal = assessPrincipal(invFinding);
  const plan = gatherPlan(principal);
  const warnings: SectionWarning[] = [];
  const warn = (section: InvestigationSection, message: string): void => {
    warnings.push({ section, message });
  };

  const status = { trail: plan.trail ? 'trail…' : '', iam: plan.permissions || plan.accessKeys ? 'IAM…' : '', related: plan.relatedFindings ? 'findings…' : '' };
  const report = (): void => opts.onStatus?.(`Gathering: ${[status.trail, status.iam, status.related].filter(Boolean).join('  ')}`);
  report();

  // A GuardDuty administrator sees its members' findings, but CloudTrail event history and IAM are per account:
  // read with the administrator's credentials they describe the wrong account (a same-named user there). The
  // identity is fetched alongside the reads (no added latency) and a foreign finding's reads are discarded.
  const identityP = plan.trail || plan.permissions || plan.accessKeys ? settle(ctx.aws.callerIdentity(ctx.signal)) : Promise.resolve(undefined);

  const p = summary.principal;
  const trailP: Promise<TrailResult | undefined> = plan.trail
    ? collectTrail(
        ctx,
        trailRequestForFinding(
          findingTrailInput(summary),
          ctx.clock.now(),
          { follow: opts.follow ?? true, ...(opts.maxEvents !== undefined ? { maxEvents: opts.maxEvents } : {}), ...(opts.rate !== undefined ? { rate: opts.rate } : {}) },
        ),
        {
          onProgress: (pr) => {
            status.trail = `trail ${pr.events} events (${pr.regionsDone}/${pr.regionsTotal} regions)`;
            report();
          },
        },
      ).finally(() => {
        status.trail = 'trail ✓';
        report();
      })
    : Promise.resolve(undefined);
  const permissionsP: Promise<PermissionsResult | undefined> = plan.permissions
    ? collectPermissions(ctx, { type: plan.permissions, name: plan.permissions === 'role' ? (principal.roleName as string) : (principal.userName as string) })
    : Promise.resolve(undefined);
  const keysP: Promise<AccessKeyFact[] | undefined> = plan.accessKeys
    ? listUserAccessKeys(ctx, principal.userName as string, { withLastUsed: true })
    : Promise.resolve(undefined);
  // GuardDuty raises IAM findings where the call was recorded: the finding's region, and us-east-1 for
  // global services (IAM, STS). Both are read; a region without a detector simply has no findings.
  const relatedP: Promise<FindingSummary[] | undefined> = plan.relatedFindings
    ? (async () => {
        const criterion: Record<string, { Equals: string[] }> = { 'service.archived': { Equals: ['false'] } };
        // An administrator's detector holds its members' findings: a same-named user elsewhere is someone else.
        if (invFinding.accountId) criterion.accountId = { Equals: [invFinding.accountId] };
        if (p?.userName) criterion['resource.accessKeyDetails.userName'] = { Equals: [p.userName] };
        else if (p?.accessKeyId) criterion['resource.accessKeyDetails.accessKeyId'] = { Equals: [p.accessKeyId] };
        const regions = [...new Set([summary.region, GLOBAL_EVENTS_REGION])];
        const perRegion = await Promise.all(
          regions.map((region) =>
            settle(
              (async () => {
                const det = region === summary.region && detectorId ? detectorId : await findDetectorId(ctx, region);
                return (await listFindings(ctx, { region, detectorId: det, criteria: { Criterion: criterion }, limit: 50 })).findings;
              })(),
            ),
          ),
        );
        const found: FindingSummary[] = [];
        perRegion.forEach((r, i) => {
          if (r.ok) found.push(...r.value.filter((f) => f.id !== summary.id).map(toFindingSummary));
          else if (i === 0) throw r.error;
          else if (!(r.error instanceof GdIrError && r.error.code === 'no_detector')) {
            warn('relatedFindings', `findings in ${regions[i] ?? '?'} could not be read: ${warningText(r.error)}`);
          }
        });
        return found;
      })()
    : Promise.resolve(undefined);

  const done = <T>(p: Promise<T>, mark: () => void): Promise<T> =>
    p.finally(() => {
      mark();
      report();
    });
  let iamLeft = (plan.permissions ? 1 : 0) + (plan.accessKeys ? 1 : 0);
  const iamDone = (): void => {
    if (--iamLeft === 0) status.iam = 'IAM ✓';
  };
  const [trail, permissions, keys, related] = await Promise.all([
    settle(trailP),
    settle(plan.permissions ? done(permissionsP, iamDone) : permissionsP),
    settle(plan.accessKeys ? done(keysP, iamDone) : keysP),
    settle(plan.relatedFindings ? done(relatedP, () => (status.related = 'findings ✓')) : relatedP),
  ]);
  if (ctx.signal.aborted) throw ctx.signal.reason ?? new Error('aborted');

  const identity = await identityP;
  const callerAccount = identity?.ok ? identity.value.account : undefined;
  if (callerAccount && invFinding.accountId && callerAccount !== invFinding.accountId) {
    const why = `the finding is in account ${invFinding.accountId} and your credentials are for account ${callerAccount}: CloudTrail event history and IAM are per account`;
    warn('finding', `${why}; investigate with credentials for ${invFinding.accountId} (--profile) to read its trail and IAM, and to act`);
    if (plan.trail) warn('activity', `CloudTrail not read: ${why}`);
    if (plan.permissions) warn('permissions', `IAM not read: ${why}`);
    if (!related.ok) warn('relatedFindings', `related findings could not be read: ${warningText(related.error)}`);
    return buildInvestigationReport({
      finding,
      ...(related.ok && related.value ? { related: related.value } : {}),
      warnings,
      now: ctx.clock.now(),
    });
  }

  let trailResult: TrailResult | undefined;
  if (trail.ok) {
    trailResult = trail.value;
    for (const w of trail.value?.warnings ?? []) warn('activity', w);
  } else warn('activity', `CloudTrail could not be read: ${warningText(trail.error)}`);
  let permissionsResult: PermissionsResult | undefined;
  if (permissions.ok) {
    permissionsResult = permissions.value;
    for (const w of permissions.value?.warnings ?? []) warn('permissions', w);
  } else warn('permissions', `permissions could not be read: ${warningText(permissions.error)}`);
  let accessKeys: AccessKeyFact[] | undefined;
  if (keys.ok) accessKeys = keys.value;
  else warn('accessKeys', `access keys could not be read: ${warningText(keys.error)}`);
  let relatedSummaries: FindingSummary[] | undefined;
  if (related.ok) relatedSummaries = related.value;
  else warn('relatedFindings', `related findings could not be read: ${warningText(related.error)}`);

  return buildInvestigationReport({
    finding,
    ...(trailResult ? { trail: trailResult } : {}),
    ...(permissionsResult ? { permissions: permissionsResult } : {}),
    ...(accessKeys ? { accessKeys: accessKeys.map((k) => ({ accessKeyId: k.accessKeyId, status: k.status, ...(k.createdAt ? { createdAt: k.createdAt } : {}), ...(k.lastUsed ? { lastUsed: { ...k.lastUsed } } : {}) })) } : {}),
    ...(relatedSummaries ? { related: relatedSummaries } : {}),
    warnings,
    now: ctx.clock.now(),
  });
}

export async function execute(ctx: Context, { args, options: o }: InvestigateInput): Promise<number> {
  const opts: InvestigateOptions = { ...o, ...(args.findingId !== undefined ? { findingId: args.findingId } : {}) };
  if (opts.report) await assertWritable(opts.report, opts.force);
  let fileFinding: Finding | undefined;
  if (opts.fromFile !== undefined) {
    const found = await readFindingsFile(ctx, opts.fromFile);
    if (found.length !== 1) {
      throw new UsageError(`--from-file holds ${found.length} findings; investigate takes exactly one`, {
        remedy: 'extract one finding (jq \'.findings[0]\'), or use gd-ir findings list --from-file to pick its ID',
      });
    }
    fileFinding = found[0];
  }
  const spinner = await ctx.io.spinner(fileFinding ? 'Gathering…' : 'Reading the finding…');
  let report: InvestigationReport;
  try {
    report = await runInvestigation(ctx, opts.findingId, {
      ...(ctx.globals.region ? { region: ctx.globals.region } : {}),
      ...(opts.detectorId ? { detectorId: opts.detectorId } : {}),
      ...(fileFinding ? { finding: fileFinding } : {}),
      follow: opts.follow,
      ...(opts.maxEvents !== undefined ? { maxEvents: opts.maxEvents } : {}),
      ...(opts.rate !== undefined ? { rate: opts.rate } : {}),
      onStatus: (text) => spinner.update(text),
    });
  } finally {
    spinner.stop();
  }
  const now = ctx.clock.now();
  // A file's finding may be from any region: its commands name it unless it is the one configured.
  const scope = runScope(ctx, fileFinding ? (ctx.globals.region ?? ctx.env.AWS_REGION ?? ctx.env.AWS_DEFAULT_REGION ?? '') : await ctx.aws.region());
  if (ctx.globals.json) ctx.io.printJson(investigationJson(report, scope));
  else ctx.io.out(renderInvestigation(report, { style: ctx.io.style, columns: ctx.io.columns, stdoutIsTTY: ctx.io.stdoutIsTTY, scope }, now));
  if (opts.report) {
    await writeFile(opts.report, renderInvestigationMarkdown(report, now, scope), { flag: opts.force ? 'w' : 'wx', mode: 0o600 }).catch((err: unknown) => {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new UsageError(`${sanitize(opts.report, { maxLength: 200 })} already exists: not overwriting it`, { remedy: 'pass --force to replace it' });
      }
      throw new UsageError(`cannot write ${sanitize(opts.report, { maxLength: 200 })}: ${(err as NodeJS.ErrnoException).code ?? 'write error'}`);
    });
    ctx.io.info(`Report written to ${sanitize(opts.report, { maxLength: 200 })}`);
  }
  const warnings = report.investigation.warnings;
  for (const w of warnings) ctx.io.warn(`${w.section}: ${w.message}`);
  return warnings.length > 0 && opts.strict ? 1 : 0;
}
