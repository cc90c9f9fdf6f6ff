/**
 * `gd-ir remediate`: contain a compromised access key — explain, ask, act, check, record.
 *
 * The flow (src/flows/remediation/, shared with the triage console): read the caller, the key, its
 * user and the user's other keys → close any intent a dead process left in the audit log for this
 * key → plan and guards → display on stderr → typed confirmation → for each change: intent record
 * (fsynced) → IAM write → read-back → outcome record → one result line.
 */
import { resolveAuditLogPath } from '../audit/audit-log.js';
import { VERIFY_TIMEOUT_MS } from '../aws/iam-writes.js';
import type { RemediateInput } from '../cli/commands/remediate.js';
import type { Context } from '../cli/context.js';
import { runScope, scopedGdIr } from '../cli/invocation.js';
import { RuntimeError, UsageError } from '../core/errors.js';
import { requestFromFinding, type RemediationRequest } from '../core/remediation/index.js';
import { sanitize } from '../core/sanitize.js';
import { runRemediation } from '../flows/remediation/run.js';
import { remediationJson, renderStepResult } from '../render/remediate.js';

export interface RemediateOptions {
  request: RemediationRequest;
  /** --finding given instead of --key: the key and user come from the finding. */
  findingId?: string;
  yes: boolean;
  auditLogOption?: string;
}

// ---------------------------------------------------------------------------------------------------
// Option validation (no AWS call)

/** The handler's view of the validated input (the declaration checked the combinations). */
export function toRemediateOptions({ options: o }: RemediateInput): RemediateOptions {
  const request: RemediationRequest = {
    accessKeyId: o.key ?? '',
    userName: o.user,
    findingId: o.finding,
    reactivate: o.reactivate,
    revokeSessions: o.revokeSessions,
    restoreSessions: o.restoreSessions,
    force: o.force,
    dryRun: o.dryRun,
    ...(o.account !== undefined ? { account: o.account } : {}),
  };
  return { request, findingId: o.finding, yes: o.yes, auditLogOption: o.auditLog };
}

// ---------------------------------------------------------------------------------------------------
// Reads

// ---------------------------------------------------------------------------------------------------
// Entry

export async function execute(ctx: Context, input: RemediateInput): Promise<number> {
  const opts = toRemediateOptions(input);
  if (!opts.request.dryRun && !opts.yes && !ctx.interactive) {
    throw new UsageError('--yes required when not running interactively', { remedy: 'review the plan with --dry-run, then re-run with --yes' });
  }
  const request = opts.findingId ? await requestForFinding(ctx, opts) : opts.request;
  const auditLogPath = resolveAuditLogPath({ option: opts.auditLogOption, env: ctx.env, stateDir: ctx.stateDir, sandbox: ctx.globals.sandbox });
  const result = await runRemediation(ctx, request, { yes: opts.yes, auditLogPath });
  const access = result.plan.access?.read;
  if (ctx.io.json) ctx.io.printJson(remediationJson(result, runScope(ctx, undefined, access)));
  else if (result.dryRun) ctx.io.info(ctx.io.errStyle.bold('Dry run: nothing was changed.'));
  else if (result.results.every((r) => !r.changed && !r.error)) {
    for (const r of result.results) ctx.io.out(renderStepResult(r, ctx.io.style));
  }
  if (result.failure !== undefined) throw result.failure;
  const unverified = result.results.filter((r) => r.changed && !r.verified);
  if (unverified.length > 0) {
    const what = unverified.map((r) => `${r.step.action} of ${r.step.target} was sent but reads ${r.observed ?? 'unknown'}`).join('; ');
    throw new RuntimeError(`not verified: ${what} after ${VERIFY_TIMEOUT_MS / 1000} s`, {
      code: 'unverified',
      remedy: `check again with: ${scopedGdIr(ctx, ['remediate', '--key', request.accessKeyId, '--dry-run'], access)} (the audit log records what was sent)`,
    });
  }
  return 0;
}

async function requestForFinding(ctx: Context, opts: RemediateOptions): Promise<RemediationRequest> {
  const { getFinding } = await import('../aws/guardduty.js');
  const { toFindingSummary } = await import('../core/finding/index.js');
  const region = await ctx.aws.region();
  const { finding } = await getFinding(ctx, opts.findingId ?? '', { region });
  const summary = toFindingSummary(finding);
  // A GuardDuty administrator's finding may be a member account's: that is where the key is contained.
  if (opts.request.account !== undefined && opts.request.account !== finding.accountId) {
    throw new UsageError(`finding ${opts.findingId ?? ''} is in account ${finding.accountId}, not ${opts.request.account}`, { remedy: 'drop --account: the finding names its account' });
  }
  const { accessKeyId: _k, userName: explicitUser, findingId: _f, ...base } = { ...opts.request, account: finding.accountId };
  const request = requestFromFinding(
    { id: summary.id, type: summary.type, sample: summary.sample, resourceType: summary.resourceType, instanceId: summary.instanceId, principal: summary.principal },
    base,
  );
  if (explicitUser && request.userName && explicitUser !== request.userName) {
    throw new UsageError(`--user ${explicitUser} does not match the finding's user ${sanitize(request.userName)}`);
  }
  return request;
}
