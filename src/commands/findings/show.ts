/**
 * `gd-ir findings show <findingId>`: one finding in full, online (GetFindings) or from a file.
 */
import type { Context } from '../../cli/context.js';
import { NotFoundError, UsageError } from '../../core/errors.js';
import type { FindingsShowInput } from '../../cli/commands/findings.js';
import { runScope } from '../../cli/invocation.js';
import { getFinding } from '../../aws/guardduty.js';
import { toFindingDetail, type FindingDetail } from '../../core/finding/index.js';
import { findingDetailJson } from '../../render/findings-json.js';
import { renderFindingDetail } from '../../render/findings.js';
import { sanitize } from '../../core/sanitize.js';
import type { AccountAccess } from '../../core/access.js';
import { readFindingsFile } from '../../flows/finding-file.js';

export interface FindingsShowOptions {
  findingId?: string;
  detectorId?: string;
  fromFile?: string;
}

export async function runFindingsShow(ctx: Context, opts: FindingsShowOptions): Promise<FindingDetail> {
  if (opts.fromFile !== undefined) {
    const findings = await readFindingsFile(ctx, opts.fromFile);
    const source = opts.fromFile === '-' ? 'stdin' : sanitize(opts.fromFile, { maxLength: 200 });
    if (opts.findingId !== undefined) {
      const f = findings.find((x) => x.id === opts.findingId);
      if (!f) throw new NotFoundError(`finding ${opts.findingId} not found in ${source} (${findings.length} finding${findings.length === 1 ? '' : 's'} read)`);
      return toFindingDetail(f);
    }
    const [only] = findings;
    if (findings.length !== 1 || !only) {
      const ids = findings.slice(0, 5).map((f) => sanitize(f.id, { maxLength: 40 }));
      throw new UsageError(
        findings.length === 0
          ? `${source} holds no findings`
          : `${source} holds ${findings.length} findings; name one: gd-ir findings show <findingId> --from-file … (e.g. ${ids.join(', ')}${findings.length > 5 ? ', …' : ''})`,
      );
    }
    return toFindingDetail(only);
  }
  if (opts.findingId === undefined) throw new UsageError('missing finding ID');
  const region = await ctx.aws.region();
  const { finding } = await getFinding(ctx, opts.findingId, { region, detectorId: opts.detectorId });
  return toFindingDetail(finding);
}

/** How gd-ir would reach the finding's account, to read and to act (nothing is assumed here). */
async function findingAccess(ctx: Context, accountId: string): Promise<{ read: AccountAccess; write: AccountAccess }> {
  const { plannedAccess } = await import('../../access/index.js');
  const [read, write] = await Promise.all([plannedAccess(ctx, accountId, 'read'), plannedAccess(ctx, accountId, 'write')]);
  return { read, write };
}

export async function execute(ctx: Context, { args, options }: FindingsShowInput): Promise<void> {
  const opts: FindingsShowOptions = { findingId: args.findingId, detectorId: options.detectorId, fromFile: options.fromFile };
  // Whose account the finding is in needs the caller's: asked while the finding is read.
  if (opts.fromFile === undefined) ctx.aws.callerIdentity(ctx.signal).catch(() => undefined);
  const detail = await runFindingsShow(ctx, opts);
  const access = opts.fromFile === undefined ? await findingAccess(ctx, detail.accountId) : undefined;
  if (ctx.globals.json) {
    ctx.io.printJson(findingDetailJson(detail, access));
    return;
  }
  // Online, the region the finding came from is the one in use; a file's finding may be from anywhere.
  const configured = opts.fromFile === undefined ? await ctx.aws.region() : (ctx.globals.region ?? ctx.env.AWS_REGION ?? ctx.env.AWS_DEFAULT_REGION);
  // The next commands run in the finding's region (named when it is not the default, or when --region was given), in its account.
  ctx.io.out(renderFindingDetail(detail, ctx.io, ctx.clock.now(), { scope: runScope(ctx, configured ?? '', access?.read), ...(access ? { access } : {}) }));
}
