/**
 * The investigation, gathered: read the finding, then at once the CloudTrail trail, the permissions, the
 * user's access keys and other open findings about the principal, and assemble the report (pure, in
 * src/core/investigation/). Shared by `gd-ir investigate`, the triage console, the demo and the benchmark.
 *
 * Critical path: read the finding → (in parallel) the trail (LookupEvents pages at the API's rate), the
 * permissions (IAM user → policies → versions), the user's keys with last use, and other open findings.
 * Nothing independent waits for anything else; a part that fails becomes a warning in its section and
 * the rest of the report stands.
 */
import { getFinding } from '../../aws/guardduty.js';
import { collectPermissions } from '../../aws/iam-policies.js';
import { listUserAccessKeys } from '../../aws/iam-keys.js';
import type { Context } from '../../cli/context.js';
import { settle } from '../../core/concurrency.js';
import { errorSummary, UsageError } from '../../core/errors.js';
import { toFindingDetail, toFindingSummary, type Finding, type FindingSummary } from '../../core/finding/index.js';
import {
  assessPrincipal,
  buildInvestigationReport,
  gatherPlan,
  investigationFinding,
  type AccessKeyFact,
  type InvestigationReport,
  type InvestigationSection,
  type SectionWarning,
} from '../../core/investigation/index.js';
import type { PermissionsResult } from '../../core/permissions.js';
import { findingTrailInput, trailRequestForFinding, type LogsSpec, type TrailResult } from '../../core/trail/index.js';
import type { SourceOptions } from '../../sources/open.js';
import { changesForInvestigation } from '../changes/investigation.js';
import { openTrailReader } from '../trail-source.js';
import { anyAccessRoute } from '../../access/index.js';
import { findingReads, foreignAccountAdvice } from './member-access.js';
import { relatedFindings } from './related.js';


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
  /** Where the trail is read (`--logs`; default event history) and what that source needs. */
  logs?: LogsSpec;
  source?: SourceOptions;
}

/**
 * The whole investigation, in process (the benchmark calls this): read the finding, gather the four
 * parts concurrently, assemble. Throws only when the finding itself cannot be read.
 */
export async function runInvestigation(ctx: Context, findingId: string | undefined, opts: RunInvestigationOptions = {}): Promise<InvestigationReport> {
  let finding = opts.finding;
  let detectorId = opts.detectorId;
  // Who we are decides where the finding's account is read (member-access.ts): asked while the finding is read
  // when a role is configured for some account.
  const earlyIdentity = anyAccessRoute(ctx) ? settle(ctx.aws.callerIdentity(ctx.signal)) : undefined;
  // The CloudTrail and IAM SDK modules load while the finding is read: the reads right after it need them.
  if (!opts.finding) void Promise.all([import('@aws-sdk/client-cloudtrail'), import('@aws-sdk/client-iam')]).catch(() => undefined);
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

  // The finding's account is read with the credentials that reach it (a member's read role), or read at once and
  // discarded when it turns out to be foreign with nothing configured (src/flows/investigation/member-access.ts).
  const relatedP: Promise<FindingSummary[] | undefined> = plan.relatedFindings
    ? relatedFindings(ctx, { summary, accountId: invFinding.accountId, ...(detectorId ? { detectorId } : {}) }, warn)
    : Promise.resolve(undefined);
  // Related findings are the administrator's: they need no role (and do not wait for one).
  relatedP.catch(() => undefined);
  const logs: LogsSpec = opts.logs ?? { kind: 'lookup' };
  const identityP = earlyIdentity ?? (plan.trail || plan.permissions || plan.accessKeys ? settle(ctx.aws.callerIdentity(ctx.signal)) : Promise.resolve(undefined));
  const reads =
    plan.trail || plan.permissions || plan.accessKeys
      ? await findingReads(ctx, invFinding.accountId, identityP, plan.trail && logs.kind === 'lookup' ? invFinding.region : undefined)
      : { ctx, unchecked: true };
  const rctx = reads.ctx;

  // Event history is the finding's account's (its read role); trail log files are the organisation trail's. The
  // source stays open for the changes sweep, which follows the created keys through it.
  const reader = plan.trail ? openTrailReader(logs.kind === 'lookup' ? rctx : ctx, logs, { ...opts.source, ...(opts.rate !== undefined ? { rate: opts.rate } : {}) }) : undefined;
  const trailP: Promise<TrailResult | undefined> = reader
    ? reader.read(
        trailRequestForFinding(
          findingTrailInput(summary),
          ctx.clock.now(),
          { follow: opts.follow ?? true, ...(opts.maxEvents !== undefined ? { maxEvents: opts.maxEvents } : {}), ...(opts.rate !== undefined ? { rate: opts.rate } : {}), logs: logs.kind !== 'lookup' },
        ),
        {
          onProgress: (pr) => {
            status.trail = `trail ${pr.events} events${pr.kind === 'lookup' ? ` (${pr.regionsDone}/${pr.regionsTotal} regions)` : pr.kind === 'scan' ? ` (${pr.files}/${pr.filesTotal} files)` : ` (Athena ${pr.state.toLowerCase()})`}`;
            report();
          },
          onPlan: (p) => {
            status.trail = `trail: reading ${p.files} log files (${(p.bytes / 1e6).toFixed(1)} MB)`;
            report();
          },
        },
      ).finally(() => {
        status.trail = 'trail ✓';
        report();
      })
    : Promise.resolve(undefined);
  const permissionsP: Promise<PermissionsResult | undefined> = plan.permissions
    ? collectPermissions(rctx, { type: plan.permissions, name: plan.permissions === 'role' ? (principal.roleName as string) : (principal.userName as string) })
    : Promise.resolve(undefined);
  const keysP: Promise<AccessKeyFact[] | undefined> = plan.accessKeys
    ? listUserAccessKeys(rctx, principal.userName as string, { withLastUsed: true })
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
  // What the attacker changed: after the trail, in parallel with the rest (src/flows/changes/); its follow-ups and
  // read-backs are reads of the finding's account, through its read role when that is a member's.
  const changesP = reader ? changesForInvestigation(rctx, trailP, identityP, invFinding.accountId, reads.access !== undefined, reader.read) : Promise.resolve(undefined);
  const [trail, permissions, keys, related, changes] = await Promise.all([
    settle(trailP),
    settle(plan.permissions ? done(permissionsP, iamDone) : permissionsP),
    settle(plan.accessKeys ? done(keysP, iamDone) : keysP),
    settle(plan.relatedFindings ? done(relatedP, () => (status.related = 'findings ✓')) : relatedP),
    settle(changesP),
  ]).finally(() => reader?.close());
  if (ctx.signal.aborted) throw ctx.signal.reason ?? new Error('aborted');

  const identity = await identityP;
  const callerAccount = identity?.ok ? identity.value.account : undefined;
  if (reads.unchecked && callerAccount && invFinding.accountId && callerAccount !== invFinding.accountId) {
    const why = `the finding is in account ${invFinding.accountId} and your credentials are for account ${callerAccount}: CloudTrail event history and IAM are per account`;
    warn('finding', foreignAccountAdvice(invFinding.accountId, callerAccount));
    // Trail log files (an organisation trail) hold the member's records: only event history is per account.
    const logsTrail = logs.kind !== 'lookup' && trail.ok ? trail.value : undefined;
    if (plan.trail && !logsTrail) warn('activity', `CloudTrail not read: ${why}`);
    if (plan.permissions) warn('permissions', `IAM not read: ${why}`);
    if (!related.ok) warn('relatedFindings', `related findings could not be read: ${errorSummary(related.error)}`);
    return buildInvestigationReport({
      finding,
      ...(logsTrail ? { trail: logsTrail } : {}),
      ...(related.ok && related.value ? { related: related.value } : {}),
      warnings,
      now: ctx.clock.now(),
    });
  }

  let trailResult: TrailResult | undefined;
  if (trail.ok) {
    trailResult = trail.value;
    // Athena bills every query: the data-source section reports the run's, the changes sweep's included.
    const athena = reader?.report().athena;
    if (trailResult?.source?.athena && athena) trailResult = { ...trailResult, source: { ...trailResult.source, athena } };
    for (const w of trail.value?.warnings ?? []) warn('activity', w);
  } else warn('activity', `CloudTrail could not be read: ${errorSummary(trail.error)}`);
  let permissionsResult: PermissionsResult | undefined;
  if (permissions.ok) {
    permissionsResult = permissions.value;
    for (const w of permissions.value?.warnings ?? []) warn('permissions', w);
  } else warn('permissions', `permissions could not be read: ${errorSummary(permissions.error)}`);
  let accessKeys: AccessKeyFact[] | undefined;
  if (keys.ok) accessKeys = keys.value;
  else warn('accessKeys', `access keys could not be read: ${errorSummary(keys.error)}`);
  let relatedSummaries: FindingSummary[] | undefined;
  if (related.ok) relatedSummaries = related.value;
  else warn('relatedFindings', `related findings could not be read: ${errorSummary(related.error)}`);
  if (changes.ok) for (const w of changes.value?.warnings ?? []) warn('changes', w);
  else if (trail.ok) warn('changes', `the changes could not be swept: ${errorSummary(changes.error)}`);

  return buildInvestigationReport({
    finding,
    ...(trailResult ? { trail: trailResult } : {}),
    ...(permissionsResult ? { permissions: permissionsResult } : {}),
    ...(accessKeys ? { accessKeys: accessKeys.map((k) => ({ accessKeyId: k.accessKeyId, status: k.status, ...(k.createdAt ? { createdAt: k.createdAt } : {}), ...(k.lastUsed ? { lastUsed: { ...k.lastUsed } } : {}) })) } : {}),
    ...(relatedSummaries ? { related: relatedSummaries } : {}),
    ...(reads.access ? { access: reads.access } : {}),
    ...(changes.ok && changes.value ? { changes: changes.value } : {}),
    warnings,
    now: ctx.clock.now(),
  });
}

