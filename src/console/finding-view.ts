/**
 * One finding in the console: investigate it, then alternate between two small states, the report
 * (screens in registry order) and its actions, until the analyst goes back to the list or quits.
 * Esc at the report goes back to the list; Esc at the actions goes back to the report; Esc inside an
 * action cancels it (nothing changed).
 */
import type { FindingSummary } from '../core/finding/index.js';
import type { InvestigationReport } from '../core/investigation/index.js';
import { sanitize } from '../core/sanitize.js';
import type { ActionId, ReportSection } from '../core/triage.js';
import { renderActingIn } from '../render/triage.js';
import { archive, containAll, deactivate, exportReport, pageTimeline, pickAction, revoke, showPolicies, showSessionCommands } from './actions.js';
import { pickSection, printSection } from './report-screen.js';
import { BACK, type ConsoleSession } from './session.js';

/** What the list does next: nothing changed, re-read it (a finding was archived), or quit. */
export type ViewOutcome = 'back' | 'changed' | 'quit';

interface ViewState {
  report: InvestigationReport;
  current: FindingSummary;
  where: { region: string; detectorId: string };
  changed: boolean;
  read: Set<ReportSection>;
}

async function investigate(s: ConsoleSession, summary: FindingSummary, where: ViewState['where']): Promise<InvestigationReport | undefined> {
  const spinner = await s.io.spinner(`Investigating ${sanitize(summary.type)}…`);
  try {
    const report = await s.backend.investigate(summary, where, (text) => spinner.update(`Investigating ${sanitize(summary.type)}: ${sanitize(text)}`));
    spinner.stop();
    return report;
  } catch (err) {
    if (s.isAbort(err)) {
      spinner.stop();
      throw err;
    }
    spinner.fail('Investigation failed');
    s.showError(err);
    return undefined;
  }
}

/** The report state: the next screen, the actions, or back to the list. */
async function reportState(s: ConsoleSession, v: ViewState): Promise<'actions' | 'leave'> {
  for (;;) {
    const pick = await pickSection(s, v.report, v.read);
    if (pick === BACK || pick === 'back') return 'leave';
    if (pick === 'actions') return 'actions';
    printSection(s, v.report, pick);
    v.read.add(pick);
  }
}

/** Runs one action; Esc inside it cancels it, an error is shown and the menu stays. */
async function runAction(s: ConsoleSession, v: ViewState, action: Exclude<ActionId, 'sections' | 'back' | 'quit'>): Promise<void> {
  try {
    switch (action) {
      case 'timeline':
        return await pageTimeline(s, v.report);
      case 'policies':
        return await showPolicies(s, v.report);
      case 'deactivate':
        return await deactivate(s, v.current);
      case 'revoke-sessions':
        return await revoke(s, v.current);
      case 'contain':
        return await containAll(s, v.current, v.where);
      case 'export':
        return await exportReport(s, v.report, v.current);
      case 'archive':
        if (await archive(s, v.current, v.where)) {
          v.current = { ...v.current, archived: true };
          v.changed = true;
        }
        return;
      case 'commands':
        return showSessionCommands(s, v.where.region);
    }
  } catch (err) {
    if (s.isAbort(err)) throw err;
    if (s.isBack(err)) s.io.err(s.io.errStyle.dim('Cancelled: nothing was changed.'));
    else s.showError(err);
  }
}

/** The actions state: act, back to the report (sections), back to the list, or quit. */
async function actionsState(s: ConsoleSession, v: ViewState): Promise<'report' | 'leave' | 'quit'> {
  for (;;) {
    const action = await pickAction(s, v.report, v.current);
    if (action === BACK) return 'report';
    if (action === 'sections') {
      v.read = new Set();
      return 'report';
    }
    if (action === 'back') return 'leave';
    if (action === 'quit') return 'quit';
    await runAction(s, v, action);
  }
}

/** While a member account's finding is open, its commands act in that account and the console says which. */
async function enterAccount(s: ConsoleSession, report: InvestigationReport, summary: FindingSummary): Promise<void> {
  const read = report.access;
  if (!read || read.via === 'caller') {
    if (summary.accountId && s.identity && summary.accountId !== s.identity.account) {
      s.io.out(s.io.style.yellow(`Account ${sanitize(summary.accountId)} (a member account): no read role configured, so its trail and IAM were not read (docs/multi-account.md).`));
    }
    return;
  }
  s.scope = { ...s.baseScope, account: read.account, ...(read.via === 'profile' && read.profile ? { accountProfile: read.profile } : {}) };
  const write = s.backend.access ? await s.backend.access(read.account, 'write').catch(() => undefined) : undefined;
  s.io.out(renderActingIn(read, write, s.io.style));
}

export async function findingView(s: ConsoleSession, summary: FindingSummary, where: ViewState['where']): Promise<ViewOutcome> {
  try {
    return await openFinding(s, summary, where);
  } finally {
    s.scope = s.baseScope;
  }
}

async function openFinding(s: ConsoleSession, summary: FindingSummary, where: ViewState['where']): Promise<ViewOutcome> {
  const report = await investigate(s, summary, where);
  if (!report) return 'back';
  await enterAccount(s, report, summary);
  for (const w of report.investigation.warnings) s.io.warn(`${w.section}: ${w.message}`);
  const v: ViewState = { report, current: summary, where, changed: false, read: new Set() };
  // The summary is what the analyst came for: show it at once, then offer the rest.
  printSection(s, report, 'summary');
  v.read.add('summary');
  let state: 'report' | 'actions' = 'report';
  for (;;) {
    const next: 'report' | 'actions' | 'leave' | 'quit' = state === 'report' ? await reportState(s, v) : await actionsState(s, v);
    if (next === 'quit') return 'quit';
    if (next === 'leave') return v.changed ? 'changed' : 'back';
    state = next;
  }
}
