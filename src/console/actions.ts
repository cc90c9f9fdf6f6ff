/**
 * The third level: what can be done about a finding (each with why it is unavailable when it is), and
 * each action: the timeline in pages, policy documents, deactivate, revoke sessions, export, archive,
 * and the commands that repeat or undo what the session did.
 */
import { resolve } from 'node:path';
import type { Choice } from '../cli/prompter.js';
import { DeclinedError } from '../core/errors.js';
import type { FindingSummary } from '../core/finding/index.js';
import type { InvestigationReport } from '../core/investigation/index.js';
import type { RemediationRequest, RemediationResult } from '../core/remediation/index.js';
import { sanitize } from '../core/sanitize.js';
import { commandLine, gdIr } from '../core/suggestion.js';
import {
  availableActions,
  defaultExportPath,
  pageOf,
  recommendedActions,
  sessionCommands,
  TIMELINE_PAGE_SIZE,
  timelineEvents,
  type ActionAvailability,
  type ActionId,
} from '../core/triage.js';
import { renderInvestigationMarkdown } from '../render/investigation/markdown.js';
import { actionLabel, renderPageTitle, renderPolicyDocuments, renderSectionTitle, renderSessionCommands, renderTimelinePage } from '../render/triage.js';
import { BACK, type Back, type ConsoleSession } from './session.js';

function keyStatus(s: ConsoleSession, report: InvestigationReport, key: string | null): string | undefined {
  if (!key) return undefined;
  if (s.deactivated.has(key)) return 'Inactive';
  return report.investigation.accessKeys?.find((k) => k.accessKeyId === key)?.status;
}

/** The action menu, the recommended ones starred; BACK on Esc. */
export async function pickAction(s: ConsoleSession, report: InvestigationReport, summary: FindingSummary): Promise<ActionId | Back> {
  const style = s.io.errStyle;
  const inv = report.investigation;
  const key = summary.principal?.accessKeyId ?? null;
  const list = availableActions({
    summary,
    hasTimeline: timelineEvents(report).length > 0,
    hasPolicies: report.permissionsResult !== undefined || (inv.principal.kind === 'iam-user' && Boolean(inv.principal.userName)) || (inv.principal.kind === 'assumed-role' && Boolean(inv.principal.roleName)),
    keyStatus: keyStatus(s, report, key),
  });
  const recommended = recommendedActions(inv.recommendation);
  const isRecommended = (a: ActionAvailability): boolean => recommended.includes(a.id) && !a.disabled;
  const choices = list.map((a) => ({
    name: `${isRecommended(a) ? style.green('★ ') : '  '}${actionLabel(a, { accessKeyId: key, userName: summary.principal?.userName })}`,
    short: actionLabel(a, { accessKeyId: key, userName: summary.principal?.userName }),
    value: a.id,
    disabled: a.disabled ? `(${a.disabled})` : false,
    description: isRecommended(a) ? `Recommended: ${sanitize(inv.recommendation.summary, { maxLength: 300 })}` : undefined,
  }));
  return s.ask(() =>
    s.ctx.prompter.select({ message: 'Action (Esc: back to the report)', choices, default: list.find(isRecommended)?.id ?? 'back', pageSize: choices.length }),
  );
}

/** Every CloudTrail event the investigation gathered, a page at a time. */
export async function pageTimeline(s: ConsoleSession, report: InvestigationReport): Promise<void> {
  const events = timelineEvents(report);
  const findingIp = report.trail?.request.findingIp;
  let index = 0;
  for (;;) {
    const page = pageOf(events, index, TIMELINE_PAGE_SIZE);
    s.io.out('');
    s.io.out(renderPageTitle('CloudTrail events', page, s.io.style));
    s.io.out(renderTimelinePage(page.items, s.target(), s.ctx.clock.now(), findingIp));
    if (page.count === 1) return;
    const choices: Array<Choice<'next' | 'prev' | 'done'>> = [
      { name: 'Next page', value: 'next', disabled: page.index + 1 >= page.count ? 'last page' : false },
      { name: 'Previous page', value: 'prev', disabled: page.index === 0 ? 'first page' : false },
      { name: 'Done: back to the actions', value: 'done' },
    ];
    const pick = await s.ask(() =>
      s.ctx.prompter.select({ message: `Timeline page ${page.index + 1}/${page.count} (Esc: back to the actions)`, choices, default: page.index + 1 < page.count ? 'next' : 'done' }),
    );
    if (pick === BACK || pick === 'done') return;
    index = pick === 'next' ? page.index + 1 : page.index - 1;
  }
}

export async function showPolicies(s: ConsoleSession, report: InvestigationReport): Promise<void> {
  let result = report.permissionsResult;
  if (!result) {
    // The investigation could not read them (a warning said why): try again, the cause may be gone.
    const p = report.investigation.principal;
    const principal = p.kind === 'assumed-role' && p.roleName ? { type: 'role' as const, name: p.roleName } : p.userName ? { type: 'user' as const, name: p.userName } : undefined;
    if (!principal) return;
    const spinner = await s.io.spinner(`Reading the policies of ${principal.type} ${sanitize(principal.name)}…`);
    try {
      result = await s.backend.permissions(principal, report.investigation.finding.accountId || undefined);
      spinner.stop();
    } catch (err) {
      spinner.fail('Could not read the policies');
      throw err;
    }
  }
  s.io.out('');
  s.io.out(renderPolicyDocuments(result, s.target(), s.ctx.clock.now()));
}

/** The remediation request for a finding's key: containment only (never force, never a dry run). */
function containmentRequest(summary: FindingSummary, revokeSessions: boolean): RemediationRequest | undefined {
  const p = summary.principal;
  if (!p?.accessKeyId || !p.userName) return undefined;
  // The key is contained in the finding's account: a member account's, through its roles.
  return {
    accessKeyId: p.accessKeyId,
    userName: p.userName,
    findingId: summary.id,
    reactivate: false,
    revokeSessions,
    restoreSessions: false,
    force: false,
    dryRun: false,
    ...(summary.accountId ? { account: summary.accountId } : {}),
  };
}

/** The remediate flow; a declined confirmation or a refusal is an outcome here, not an exit. */
async function remediate(s: ConsoleSession, request: RemediationRequest): Promise<(RemediationResult & { failure?: unknown }) | undefined> {
  let result: RemediationResult & { failure?: unknown };
  try {
    result = await s.backend.remediate(request);
  } catch (err) {
    if (err instanceof DeclinedError) {
      s.io.err(s.io.errStyle.yellow(sanitize(err.message)));
      return undefined;
    }
    throw err;
  }
  if (result.failure !== undefined) s.showError(result.failure);
  for (const r of result.results) {
    if (r.changed && !r.verified && !r.error) {
      s.io.warn(`${r.step.action} of ${r.step.target} was sent but reads ${r.observed ?? 'unknown'}: check with ${commandLine(gdIr(['remediate', '--key', request.accessKeyId, '--dry-run'], 'read', false), s.scope)}`);
    }
  }
  return result;
}

/** The member account a remediation acted in (undefined: the caller's own). */
function memberAccount(result: RemediationResult | undefined): string | undefined {
  const w = result?.plan.access?.write;
  return w && w.via !== 'caller' ? w.account : undefined;
}

export async function deactivate(s: ConsoleSession, summary: FindingSummary): Promise<void> {
  const request = containmentRequest(summary, false);
  const p = summary.principal;
  if (!request || !p?.accessKeyId || !p.userName) return;
  const result = await remediate(s, request);
  const step = result?.results.find((r) => r.step.action === 'deactivate');
  if (!step) return;
  const member = memberAccount(result);
  if (step.changed && step.verified) {
    s.deactivated.add(p.accessKeyId);
    s.actions.push({ kind: 'deactivate', findingId: summary.id, accessKeyId: p.accessKeyId, userName: p.userName, ...(member ? { accountId: member } : {}) });
  } else if (step.step.noop) {
    s.deactivated.add(p.accessKeyId);
    s.io.out(s.io.style.dim(`${p.accessKeyId} is already ${step.step.before.toLowerCase()}: nothing to do.`));
  }
}

export async function revoke(s: ConsoleSession, summary: FindingSummary): Promise<void> {
  const request = containmentRequest(summary, true);
  const p = summary.principal;
  if (!request || !p?.accessKeyId || !p.userName) return;
  const result = await remediate(s, request);
  const step = result?.results.find((r) => r.step.action === 'revoke-sessions' && r.changed);
  const member = memberAccount(result);
  if (step) {
    s.actions.push({
      kind: 'revoke-sessions',
      findingId: summary.id,
      accessKeyId: p.accessKeyId,
      userName: p.userName,
      ...(step.step.cutoff ? { cutoff: step.step.cutoff } : {}),
      ...(member ? { accountId: member } : {}),
    });
  }
}

/** The whole incident as one plan (gd-ir contain): a refusal, a declined confirmation or a stopped plan is an outcome here. */
export async function containAll(s: ConsoleSession, summary: FindingSummary, where: { region: string; detectorId: string }): Promise<void> {
  let result;
  try {
    result = await s.backend.contain(summary.id, where);
  } catch (err) {
    if (err instanceof DeclinedError) {
      s.io.err(s.io.errStyle.yellow(sanitize(err.message)));
      return;
    }
    throw err;
  }
  const verified = result.results.filter((r) => r.verified);
  // A member account's plan: the session's commands name the account (the roles come from the run's own flags).
  const member = result.plan.access !== undefined && result.plan.access.read.via !== 'caller' ? result.plan.accountId : undefined;
  if (verified.length > 0) s.actions.push({ kind: 'contain', findingId: summary.id, planId: result.plan.planId, steps: verified.length, region: where.region, ...(member ? { accountId: member } : {}) });
  const stopped = result.results.find((r) => !r.verified);
  if (stopped) {
    if (result.failure !== undefined) s.showError(result.failure);
    s.io.warn(`the plan stopped at step ${stopped.step.number}; ${result.remaining.length} step${result.remaining.length === 1 ? '' : 's'} not run: re-plan with ${commandLine(gdIr(['contain', summary.id], 'contain', true, where.region), s.scope)}`);
  } else if (verified.length > 0) {
    s.io.out(`${s.io.style.green('✔')} Plan ${result.plan.planId}: ${verified.length} step${verified.length === 1 ? '' : 's'} verified. Watch that it holds: ${commandLine(gdIr(['watch', '--finding', summary.id], 'watch', false, where.region), s.scope)}`);
  }
}

export async function exportReport(s: ConsoleSession, report: InvestigationReport, summary: FindingSummary): Promise<void> {
  const path = (
    await s.ctx.prompter.input({
      message: 'Write the Markdown report to',
      default: defaultExportPath(summary.id),
      validate: (v) => (v.trim() === '' ? 'a file name is needed' : true),
    })
  ).trim();
  if (s.backend.fileExists(path)) {
    const overwrite = await s.ctx.prompter.confirm({ message: `${sanitize(path)} exists. Overwrite it?`, default: false });
    if (!overwrite) {
      s.io.err(s.io.errStyle.dim('Not written.'));
      return;
    }
  }
  s.backend.writeFile(path, renderInvestigationMarkdown(report, s.ctx.clock.now(), s.scope));
  s.actions.push({ kind: 'export', findingId: summary.id, path });
  s.io.out(`${s.io.style.green('✔')} Report written to ${sanitize(resolve(path))}`);
}

/** True when the finding was archived. */
export async function archive(s: ConsoleSession, summary: FindingSummary, where: { region: string; detectorId: string }): Promise<boolean> {
  const ok = await s.ctx.prompter.confirm({
    message: `Archive finding ${summary.id} (${sanitize(summary.type)})? It leaves the active list (unarchive with the AWS CLI or console).`,
    default: false,
  });
  if (!ok) {
    s.io.err(s.io.errStyle.dim('Not archived.'));
    return false;
  }
  await s.backend.archive(where.region, where.detectorId, summary.id);
  s.actions.push({ kind: 'archive', findingId: summary.id, detectorId: where.detectorId, region: where.region });
  s.io.out(`${s.io.style.green('✔')} Archived ${summary.id}`);
  return true;
}

/** What the session did, each with the command that repeats it and the one that undoes it. */
export function showSessionCommands(s: ConsoleSession, region: string): void {
  s.io.out('');
  s.io.out(renderSectionTitle('This session', s.io.style, s.target().columns));
  // The run's own scope: each action names its member account itself (--account).
  const line = (x: Parameters<typeof commandLine>[0]): string => commandLine(x, s.baseScope);
  const commands = sessionCommands(s.actions, region).map((c) => ({ done: c.done, repeat: line(c.repeat), ...(c.undo ? { undo: line(c.undo) } : {}) }));
  s.io.out(renderSessionCommands(commands, s.io.style));
}
