/**
 * `gd-ir remediate`: contain a compromised access key — explain, ask, act, check, record.
 *
 * Flow (also used by the triage console through `runRemediation`): read the caller, the key, its
 * user and the user's other keys → close any intent a dead process left in the audit log for this
 * key → plan and guards → display on stderr → typed confirmation → for each change: intent record
 * (fsynced) → IAM write → read-back → outcome record → one result line.
 */
import { randomUUID } from 'node:crypto';
import { AuditLog, isWriterAlive, resolveAuditLogPath } from '../audit/audit-log.js';
import { awsCall } from '../aws/call.js';
import { listUserAccessKeys, resolveAccessKeyOwner } from '../aws/iam-keys.js';
import {
  deleteUserInlinePolicy,
  getUserInlinePolicy,
  putUserInlinePolicy,
  readAccessKeyStatus,
  signingAccessKeyId,
  updateAccessKeyStatus,
  verifyAccessKeyStatus,
  verifyUserInlinePolicy,
  VERIFY_TIMEOUT_MS,
} from '../aws/iam-writes.js';
import type { Context } from '../cli/context.js';
import { DeclinedError, GdIrError, NotFoundError, RuntimeError, UsageError } from '../core/errors.js';
import { runScope, scopedGdIr } from '../cli/invocation.js';
import {
  AUDIT_RECORD_VERSION,
  type AuditRecord,
  danglingIntents,
  pairAuditRecords,
  reconcileNote,
} from '../core/audit.js';
import {
  confirmationMatches,
  type KeyFacts,
  planRemediation,
  preflightRemediation,
  type PlanStep,
  type ReconcileResult,
  RemediationRefusedError,
  type RemediationFacts,
  type RemediationPlan,
  type RemediationRequest,
  type RemediationResult,
  REVOKE_POLICY_NAME,
  requestFromFinding,
  revokePolicyCutoff,
  revokePolicyDocument,
  type StepResult,
} from '../core/remediation.js';
import { isTemporaryAccessKeyId } from '../core/validate.js';
import type { RemediateInput } from '../cli/commands/remediate.js';
import { confirmationMessage, remediationJson, renderReconciled, renderRemediationPlan, renderStepResult } from '../render/remediate.js';
import { sanitize } from '../core/sanitize.js';

/** Test hook (docs/commands/remediate.md): stop the process right after the intent record or the API call. */
export const CRASH_HOOK_ENV = 'GD_IR_TEST_CRASH_AFTER';

export interface RemediateOptions {
  request: RemediationRequest;
  /** --finding given instead of --key: the key and user come from the finding. */
  findingId?: string;
  yes: boolean;
  auditLogOption?: string;
}

export interface RemediationHooks {
  /** Asks for confirmation; true = go ahead. Default: the typed-key-ID prompt (`promptForKeyId`). */
  confirm?: (plan: RemediationPlan) => Promise<boolean>;
  /** --yes: no confirmation. */
  yes?: boolean;
  /** --audit-log (else GD_IR_AUDIT_LOG, else $XDG_STATE_HOME/gd-ir/audit.jsonl). */
  auditLogPath?: string;
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
  };
  return { request, findingId: o.finding, yes: o.yes, auditLogOption: o.auditLog };
}

// ---------------------------------------------------------------------------------------------------
// Reads

/** Everything the plan needs: the caller, the account and region, the key, its user and other keys. */
export async function gatherRemediationFacts(ctx: Context, request: RemediationRequest): Promise<RemediationFacts> {
  const identity = await awsCall('sts:GetCallerIdentity', () => ctx.aws.callerIdentity(ctx.signal));
  const region = await ctx.aws.region();
  const signingKey = await signingAccessKeyId(ctx);
  const keyId = request.accessKeyId;
  let userName = request.userName;
  let key: KeyFacts | undefined;
  let otherKeys: KeyFacts[];
  if (isTemporaryAccessKeyId(keyId)) {
    if (!userName) throw new RemediationRefusedError(`${keyId} is a temporary (session) access key: name its parent user with --user`, 'temporary_key');
    otherKeys = (await listUserAccessKeys(ctx, userName, { withLastUsed: true })).map(toKeyFacts);
  } else {
    if (!userName) userName = (await resolveAccessKeyOwner(ctx, keyId)).userName;
    const keys = await listUserAccessKeys(ctx, userName, { withLastUsed: true });
    const mine = keys.find((k) => k.accessKeyId === keyId);
    if (!mine) {
      throw new NotFoundError(`access key ${keyId} does not belong to IAM user ${sanitize(userName)}`, {
        remedy: request.userName ? 'check the key ID, or omit --user and gd-ir finds the owner' : 'check the key ID and the account',
      });
    }
    key = toKeyFacts(mine);
    otherKeys = keys.filter((k) => k.accessKeyId !== keyId).map(toKeyFacts);
  }
  const facts: RemediationFacts = {
    accountId: identity.account,
    region,
    caller: { arn: identity.arn, userId: identity.userId, accountId: identity.account, accessKeyId: signingKey },
    userName,
    key,
    otherKeys,
  };
  if (request.revokeSessions || request.restoreSessions) {
    const doc = await getUserInlinePolicy(ctx, userName, REVOKE_POLICY_NAME);
    facts.revokePolicy = doc === undefined ? { present: false } : { present: true, cutoff: revokePolicyCutoff(doc) };
  }
  return facts;
}

function toKeyFacts(k: { accessKeyId: string; status: string; createdAt?: string; lastUsed?: KeyFacts['lastUsed'] }): KeyFacts {
  return { accessKeyId: k.accessKeyId, status: k.status, createdAt: k.createdAt, lastUsed: k.lastUsed };
}

// ---------------------------------------------------------------------------------------------------
// The flow

interface AuditBase {
  accountId: string;
  region: string;
  callerArn: string;
  findingId: string | null;
  gdIrVersion: string;
}

function auditBase(ctx: Context, plan: RemediationPlan): AuditBase {
  return {
    accountId: plan.facts.accountId,
    region: plan.facts.region,
    callerArn: plan.facts.caller.arn,
    findingId: plan.request.findingId ?? null,
    gdIrVersion: ctx.version,
  };
}

function stepRecord(
  ctx: Context,
  base: AuditBase,
  kind: AuditRecord['kind'],
  operationId: string,
  step: PlanStep,
  accessKeyId: string,
  fields: Pick<AuditRecord, 'statusBefore' | 'statusAfter' | 'verified' | 'error'>,
): AuditRecord {
  return {
    v: AUDIT_RECORD_VERSION,
    kind,
    time: ctx.clock.now().toISOString(),
    operationId,
    action: step.action,
    accessKeyId,
    userName: step.userName,
    ...(step.action === 'revoke-sessions' || step.action === 'restore-sessions' ? { policyName: REVOKE_POLICY_NAME } : {}),
    ...base,
    ...fields,
    pid: AuditLog.writer.pid,
    host: AuditLog.writer.host,
  };
}

/** The default confirmation: the analyst types the access key ID; anything else declines. */
export async function promptForKeyId(ctx: Context, plan: RemediationPlan): Promise<boolean> {
  const typed = await ctx.prompter.input({ message: confirmationMessage(plan) });
  return confirmationMatches(typed, plan.confirmationToken);
}

/** Test hook: `intent` / `call` kills at the first step, `intent:<action>` / `call:<action>` at that step. */
function crashHook(ctx: Context, point: 'intent' | 'call', action: PlanStep['action']): void {
  const at = ctx.env[CRASH_HOOK_ENV];
  if (at === point || at === `${point}:${action}`) process.kill(process.pid, 'SIGKILL');
}

/** One change: intent (fsynced) → write → read back → outcome. Never throws for AWS errors; returns them. */
async function performStep(
  ctx: Context,
  log: AuditLog,
  base: AuditBase,
  step: PlanStep,
  accessKeyId: string,
): Promise<StepResult & { failure?: unknown }> {
  const operationId = randomUUID();
  log.append(stepRecord(ctx, base, 'intent', operationId, step, accessKeyId, { statusBefore: step.before, statusAfter: step.after, verified: null, error: null }), {
    durable: true,
  });
  crashHook(ctx, 'intent', step.action);
  const outcome = (fields: Pick<AuditRecord, 'statusAfter' | 'verified' | 'error'>): void =>
    log.append(stepRecord(ctx, base, 'outcome', operationId, step, accessKeyId, { statusBefore: step.before, ...fields }), { durable: true });
  try {
    let verify: { verified: boolean; observed?: string; error?: string };
    switch (step.action) {
      case 'deactivate':
      case 'reactivate': {
        const want = step.action === 'deactivate' ? 'Inactive' : 'Active';
        await updateAccessKeyStatus(ctx, step.userName, accessKeyId, want);
        crashHook(ctx, 'call', step.action);
        const r = await verifyAccessKeyStatus(ctx, step.userName, accessKeyId, want);
        verify = { verified: r.verified, observed: r.observed, error: r.error };
        break;
      }
      case 'revoke-sessions': {
        // The cutoff is the moment of the write, not of the plan: sessions minted while the analyst
        // read the plan are revoked too.
        const cutoff = ctx.clock.now();
        const doc = revokePolicyDocument(cutoff);
        step.policyDocument = doc;
        step.cutoff = cutoff.toISOString();
        await putUserInlinePolicy(ctx, step.userName, REVOKE_POLICY_NAME, doc);
        crashHook(ctx, 'call', step.action);
        // Another gd-ir run may have written the policy after us with its own, later cutoff: that still
        // revokes every session ours would. Only an earlier cutoff (or someone else's policy) fails.
        const mine = cutoff.toISOString();
        const r = await verifyUserInlinePolicy(ctx, step.userName, REVOKE_POLICY_NAME, (read) => {
          const theirs = revokePolicyCutoff(read);
          return theirs !== undefined && Date.parse(theirs) >= Date.parse(mine);
        });
        verify = { verified: r.verified, observed: r.error ? undefined : r.observed === undefined ? 'absent' : 'present', error: r.error };
        break;
      }
      case 'restore-sessions': {
        await deleteUserInlinePolicy(ctx, step.userName, REVOKE_POLICY_NAME);
        crashHook(ctx, 'call', step.action);
        const r = await verifyUserInlinePolicy(ctx, step.userName, REVOKE_POLICY_NAME, undefined);
        verify = { verified: r.verified, observed: r.error ? undefined : r.observed === undefined ? 'absent' : 'present', error: r.error };
        break;
      }
    }
    outcome({ statusAfter: verify.observed ?? null, verified: verify.verified, error: null });
    return { step, operationId, changed: true, verified: verify.verified, observed: verify.observed };
  } catch (err) {
    const interrupted = err instanceof Error && err.name === 'AbortError';
    const message = interrupted ? 'interrupted before the result was known' : err instanceof Error ? err.message : String(err);
    outcome({ statusAfter: null, verified: false, error: message });
    return { step, operationId, changed: false, verified: false, error: message, failure: err };
  }
}

/** Closes intents a dead process left for this key, with the state read now. */
async function reconcileDangling(ctx: Context, log: AuditLog, plan: RemediationPlan, dryRun: boolean): Promise<ReconcileResult[]> {
  const read = log.read();
  for (const c of read.corrupt) {
    ctx.io.warn(`audit log ${log.path} line ${c.line} is ${c.truncated ? 'truncated (a write was cut short)' : 'not a valid record'}; it is kept as is`);
  }
  if (read.permissionWarning) ctx.io.warn(read.permissionWarning);
  const operations = pairAuditRecords(read.records, isWriterAlive);
  const key = plan.request.accessKeyId;
  for (const op of operations) {
    if (op.state === 'in-progress' && op.intent?.accessKeyId === key && op.intent.pid !== AuditLog.writer.pid) {
      ctx.io.warn(`another gd-ir process (pid ${op.intent.pid}) started a ${op.intent.action} of ${key} at ${op.intent.time} and has not finished`);
    }
  }
  const results: ReconcileResult[] = [];
  for (const intent of danglingIntents(operations, key)) {
    let observed: string | null;
    try {
      if (intent.action === 'deactivate' || intent.action === 'reactivate') {
        observed = plan.facts.key && intent.userName === plan.facts.userName ? plan.facts.key.status : ((await readAccessKeyStatus(ctx, intent.userName, key)) ?? null);
      } else if (plan.facts.revokePolicy && intent.userName === plan.facts.userName) {
        observed = plan.facts.revokePolicy.present ? 'present' : 'absent';
      } else {
        observed = (await getUserInlinePolicy(ctx, intent.userName, REVOKE_POLICY_NAME)) === undefined ? 'absent' : 'present';
      }
    } catch (err) {
      if (err instanceof GdIrError && err.exitCode !== 1) throw err;
      observed = null;
    }
    const note = reconcileNote(intent, observed);
    if (!dryRun) {
      log.append(
        {
          ...intent,
          kind: 'reconcile',
          time: ctx.clock.now().toISOString(),
          callerArn: plan.facts.caller.arn,
          statusAfter: observed,
          verified: observed !== null,
          error: null,
          gdIrVersion: ctx.version,
          pid: AuditLog.writer.pid,
          host: AuditLog.writer.host,
          note,
        },
        { durable: true },
      );
    }
    results.push({
      operationId: intent.operationId,
      action: intent.action,
      accessKeyId: key,
      intendedState: intent.statusAfter,
      observed,
      note,
      recorded: !dryRun,
      intentTime: intent.time,
    });
  }
  return results;
}

/**
 * The whole remediation: reads, reconcile, plan and guards, display, confirmation, act, verify,
 * audit. Throws UsageError (no TTY and no --yes), RemediationRefusedError (guards), DeclinedError
 * (exit 3); AWS failures of a write are returned in `failure` after the outcome was recorded.
 */
export async function runRemediation(
  ctx: Context,
  request: RemediationRequest,
  hooks: RemediationHooks = {},
): Promise<RemediationResult & { failure?: unknown }> {
  if (!request.dryRun && !hooks.yes && !hooks.confirm && !ctx.interactive) {
    throw new UsageError('--yes required when not running interactively', { remedy: 'review the plan with --dry-run, then re-run with --yes' });
  }
  preflightRemediation(request);
  const auditLog = hooks.auditLogPath ?? resolveAuditLogPath({ env: ctx.env, stateDir: ctx.stateDir, sandbox: ctx.globals.sandbox });
  const log = new AuditLog(auditLog);
  const facts = await gatherRemediationFacts(ctx, request);
  // The plan is computed before reconciling so guards (own key) refuse before anything is written.
  const plan = planRemediation(request, facts, ctx.clock.now());
  const tty = { tty: ctx.io.stderrIsTTY, now: ctx.clock.now() };
  const reconciled = await reconcileDangling(ctx, log, plan, request.dryRun);
  for (const r of reconciled) {
    if (ctx.io.json) ctx.io.warn(r.note);
    else ctx.io.err(renderReconciled(r, ctx.io.errStyle, tty));
  }
  if (!ctx.io.json) {
    ctx.io.err(renderRemediationPlan(plan, { style: ctx.io.errStyle, ...tty, auditLog, dryRun: request.dryRun, width: ctx.io.errColumns, scope: runScope(ctx) }));
    ctx.io.err('');
  }
  const result: RemediationResult & { failure?: unknown } = { plan, results: [], dryRun: request.dryRun, auditLog, reconciled };
  if (plan.changes.length === 0) {
    for (const step of plan.steps) result.results.push({ step, changed: false, verified: true, observed: step.before });
    return result;
  }
  if (request.dryRun) return result;
  if (!hooks.yes) {
    const ok = hooks.confirm ? await hooks.confirm(plan) : await promptForKeyId(ctx, plan);
    if (!ok) throw new DeclinedError(`Confirmation did not match ${request.accessKeyId}: nothing was changed.`);
  }
  const base = auditBase(ctx, plan);
  for (const step of plan.steps) {
    if (step.noop) {
      result.results.push({ step, changed: false, verified: true, observed: step.before });
      continue;
    }
    const { failure, ...r } = await performStep(ctx, log, base, step, request.accessKeyId);
    result.results.push(r);
    if (!ctx.io.json) ctx.io.out(renderStepResult(r, ctx.io.style));
    if (failure !== undefined) {
      result.failure = failure;
      break;
    }
  }
  return result;
}

/** `--revoke-sessions` on its own: attach the deny-older-sessions policy to `userName` (display, confirm, verify, audit). */
export function revokeSessions(ctx: Context, accessKeyId: string, userName: string, hooks: RemediationHooks = {}) {
  return runRemediation(
    ctx,
    { accessKeyId, userName, reactivate: false, revokeSessions: true, restoreSessions: false, force: false, dryRun: false },
    hooks,
  );
}

/** `--restore-sessions`: remove only gd-ir's deny-older-sessions policy from `userName`. */
export function restoreSessions(ctx: Context, accessKeyId: string, userName: string, hooks: RemediationHooks = {}) {
  return runRemediation(
    ctx,
    { accessKeyId, userName, reactivate: false, revokeSessions: false, restoreSessions: true, force: false, dryRun: false },
    hooks,
  );
}

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
  if (ctx.io.json) ctx.io.printJson(remediationJson(result, runScope(ctx)));
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
      remedy: `check again with: ${scopedGdIr(ctx, ['remediate', '--key', request.accessKeyId, '--dry-run'])} (the audit log records what was sent)`,
    });
  }
  return 0;
}

async function requestForFinding(ctx: Context, opts: RemediateOptions): Promise<RemediationRequest> {
  const { getFinding } = await import('../aws/guardduty.js');
  const { toFindingSummary } = await import('../core/finding.js');
  const region = await ctx.aws.region();
  const { finding } = await getFinding(ctx, opts.findingId ?? '', { region });
  const summary = toFindingSummary(finding);
  const { accessKeyId: _k, userName: explicitUser, findingId: _f, ...base } = opts.request;
  const request = requestFromFinding(
    { id: summary.id, type: summary.type, sample: summary.sample, resourceType: summary.resourceType, instanceId: summary.instanceId, principal: summary.principal },
    base,
  );
  if (explicitUser && request.userName && explicitUser !== request.userName) {
    throw new UsageError(`--user ${explicitUser} does not match the finding's user ${sanitize(request.userName)}`);
  }
  return request;
}
