/**
 * `gd-ir triage` (and `gd-ir` alone on a terminal): the console that walks an analyst from alert to
 * containment. It is built from the same pieces as the subcommands — the findings gateway, the
 * investigation, the remediation flow with its guards and typed confirmation, the trail and policy
 * renderers — never a second implementation.
 *
 * Levels: findings list → report sections → actions. Esc or Ctrl-C at a prompt goes back one level;
 * at the list it quits with exit 130. Every failure is shown where it happened and the console goes on
 * (an analyst missing one permission can still use the rest).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Context } from '../cli/context.js';
import type { TriageInput } from '../cli/commands/triage.js';
import { DeclinedError, GdIrError, InterruptedError, UsageError } from '../core/errors.js';
import { runScope } from '../cli/invocation.js';
import { type Choice, isPromptExit } from '../cli/prompter.js';
import type { FindingSummary } from '../core/finding.js';
import type { InvestigationReport } from '../core/investigation/index.js';
import type { PermissionsResult } from '../core/permissions.js';
import { GUARDDUTY_REGIONS } from '../core/regions.js';
import type { RemediationRequest, RemediationResult } from '../core/remediation.js';
import {
  type ActionAvailability,
  type ActionId,
  availableActions,
  defaultExportPath,
  filterFindings,
  type ListChoice,
  pageOf,
  recommendedActions,
  REPORT_SECTIONS,
  type ReportSection,
  regionChoices,
  sectionAvailable,
  type SessionAction,
  sessionCommands,
  sortForTriage,
  TIMELINE_PAGE_SIZE,
  timelineEvents,
} from '../core/triage.js';
import type { RenderTarget } from '../render/findings.js';
import type { RunScope } from '../core/suggestion.js';
import { renderInvestigationMarkdown } from '../render/investigation/markdown.js';
import { sanitize } from '../core/sanitize.js';
import {
  actionLabel,
  listLayout,
  renderHeader,
  renderListRow,
  renderPageTitle,
  renderPolicyDocuments,
  renderReportSection,
  renderRowDescription,
  renderRowShort,
  renderSectionTitle,
  renderSessionCommands,
  renderTimelinePage,
  SECTION_LABELS,
} from '../render/triage.js';

// -------------------------------------------------------------------------------------------------------------
// The I/O the console needs, behind one interface so every menu is tested with a fake

export interface TriageBackend {
  identity(): Promise<{ account: string; arn: string }>;
  /** The region's detector, or undefined when GuardDuty is not enabled there. */
  detectorId(region: string): Promise<string | undefined>;
  listFindings(region: string, detectorId: string, includeArchived: boolean): Promise<FindingSummary[]>;
  investigate(finding: FindingSummary, where: { region: string; detectorId: string }, onStatus: (text: string) => void): Promise<InvestigationReport>;
  permissions(principal: { type: 'user' | 'role'; name: string }): Promise<PermissionsResult>;
  /** The remediate command's flow: display, guards, typed confirmation, write, verification, audit. */
  remediate(request: RemediationRequest): Promise<RemediationResult & { failure?: unknown }>;
  archive(region: string, detectorId: string, findingId: string): Promise<void>;
  fileExists(path: string): boolean;
  writeFile(path: string, text: string): void;
}

export interface TriageOptions {
  region?: string;
  includeArchived?: boolean;
  /** Lines printed once above the first header (the demo's introduction). */
  intro?: string[];
}

/** What the console did, for the caller (tests, the demo). */
export interface TriageOutcome {
  actions: SessionAction[];
}

/** A prompt was left with Esc or Ctrl-C. */
function isBack(err: unknown): boolean {
  return err instanceof InterruptedError || isPromptExit(err);
}

/** The run itself was interrupted (SIGINT): no level to go back to. */
function isAbort(err: unknown, ctx: Context): boolean {
  return ctx.signal.aborted || (err instanceof Error && err.name === 'AbortError');
}

function showError(ctx: Context, err: unknown): void {
  const e = ctx.io.errStyle;
  const message = err instanceof Error ? err.message : String(err);
  ctx.io.err(`${e.red('error:')} ${sanitize(message)}`);
  if (err instanceof GdIrError && err.remedy) ctx.io.err(`${e.dim('hint:')} ${sanitize(err.remedy)}`);
}

interface ListState {
  region: string;
  detectorId?: string;
  includeArchived: boolean;
  findings: FindingSummary[];
  loadError?: string;
}

class TriageConsole {
  private readonly actions: SessionAction[] = [];
  private identity?: { account: string; arn: string };
  /** Keys this session deactivated: the report was read before, so the menu must not offer it again. */
  private readonly deactivated = new Set<string>();
  /** Where suggested commands act: this run's account and its default region. */
  private scope: RunScope = {};

  constructor(
    private readonly ctx: Context,
    private readonly backend: TriageBackend,
  ) {}

  private get io() {
    return this.ctx.io;
  }

  /** Width prompts render in (they are on stderr). */
  private promptColumns(): number {
    return this.io.streams.stderr.columns || 80;
  }

  async run(opts: TriageOptions): Promise<TriageOutcome> {
    if (opts.intro) for (const line of opts.intro) this.io.out(line);
    const defaultRegion = await this.ctx.aws.region();
    this.scope = runScope(this.ctx, defaultRegion);
    const state: ListState = {
      region: opts.region ?? defaultRegion,
      includeArchived: opts.includeArchived ?? false,
      findings: [],
    };
    await this.load(state);
    for (;;) {
      let choice: ListChoice;
      try {
        choice = await this.pickFromList(state);
      } catch (err) {
        if (isBack(err) && !isAbort(err, this.ctx)) throw err instanceof InterruptedError ? err : new InterruptedError();
        throw err;
      }
      switch (choice.kind) {
        case 'quit':
          return { actions: this.actions };
        case 'refresh':
          await this.load(state);
          break;
        case 'archived':
          state.includeArchived = !state.includeArchived;
          await this.load(state);
          break;
        case 'region': {
          const region = await this.pickRegion(state.region);
          if (region && region !== state.region) {
            state.region = region;
            state.detectorId = undefined;
            await this.load(state);
          }
          break;
        }
        case 'finding': {
          const summary = state.findings.find((f) => f.id === choice.id);
          if (!summary || !state.detectorId) break;
          const next = await this.findingView(summary, { region: state.region, detectorId: state.detectorId });
          if (next === 'quit') return { actions: this.actions };
          if (next === 'changed') await this.load(state);
          else {
            this.io.out('');
            this.io.out(this.header(state));
          }
          break;
        }
      }
    }
  }

  private header(state: ListState): string {
    return renderHeader(
      {
        accountId: this.identity?.account ?? '?',
        region: state.region,
        callerArn: this.identity?.arn ?? '?',
        detectorId: state.detectorId,
        findings: state.findings,
        includeArchived: state.includeArchived,
        sandbox: this.ctx.sandbox !== undefined,
      },
      this.io.style,
      this.io.columns ?? this.promptColumns(),
    );
  }

  /** Reads identity, detector and findings; failures become a message in the list, not an exit. */
  private async load(state: ListState): Promise<void> {
    const spinner = await this.io.spinner(`Loading findings in ${state.region}…`);
    state.loadError = undefined;
    try {
      this.identity ??= await this.backend.identity();
      state.detectorId ??= await this.backend.detectorId(state.region);
      state.findings = state.detectorId ? sortForTriage(await this.backend.listFindings(state.region, state.detectorId, state.includeArchived)) : [];
      spinner.stop();
    } catch (err) {
      spinner.stop();
      if (isAbort(err, this.ctx)) throw err;
      // Credentials problems make every other step fail too: stop with the remedy (exit 4).
      if (err instanceof GdIrError && err.code === 'credentials') throw err;
      showError(this.ctx, err);
      state.findings = [];
      state.loadError = err instanceof Error ? err.message : String(err);
    }
    this.io.out('');
    this.io.out(this.header(state));
  }

  private async pickFromList(state: ListState): Promise<ListChoice> {
    const style = this.io.errStyle;
    const now = this.ctx.clock.now();
    const layout = listLayout(state.findings, this.promptColumns() - 4);
    const controls: Array<Choice<ListChoice>> = [
      { name: style.dim(`↻ Refresh`), value: { kind: 'refresh' } },
      { name: style.dim(state.includeArchived ? '◌ Hide archived findings' : '◌ Include archived findings'), value: { kind: 'archived' } },
      { name: style.dim(`⇄ Switch region (now ${state.region})`), value: { kind: 'region' } },
      { name: style.dim('✕ Quit'), value: { kind: 'quit' } },
    ];
    const empty = state.loadError
      ? `could not list findings: ${sanitize(state.loadError, { maxLength: 100 })}`
      : !state.detectorId
        ? `GuardDuty is not enabled in ${state.region}: switch region`
        : state.includeArchived
          ? 'no findings in this region'
          : 'no active findings in this region (include archived ones?)';
    const message = state.findings.length
      ? 'Pick a finding (type to filter; Esc quits)'
      : 'No findings (Esc quits)';
    return this.ctx.prompter.search<ListChoice>({
      message,
      pageSize: Math.max(6, Math.min(15, state.findings.length + controls.length)),
      source: (term) => {
        const matches = filterFindings(state.findings, term);
        const rows: Array<Choice<ListChoice>> = matches.map((f) => ({
          name: renderListRow(f, layout, { style, now }),
          short: renderRowShort(f),
          value: { kind: 'finding', id: f.id },
          description: renderRowDescription(f),
        }));
        if (rows.length === 0) {
          const why = state.findings.length ? `nothing matches '${sanitize(term ?? '', { maxLength: 40 })}'` : empty;
          rows.push({ name: style.dim(why), value: { kind: 'refresh' }, disabled: ' ' });
        }
        return [...rows, ...controls];
      },
    });
  }

  private async pickRegion(current: string): Promise<string | undefined> {
    try {
      return await this.ctx.prompter.search<string>({
        message: 'Switch to region (type to filter; Esc goes back)',
        source: (term) =>
          regionChoices(current, GUARDDUTY_REGIONS)
            .filter((r) => !term || r.includes(term.toLowerCase()))
            .map((r) => ({ name: r === current ? `${r} (current)` : r, value: r })),
      });
    } catch (err) {
      if (isBack(err) && !isAbort(err, this.ctx)) return undefined;
      throw err;
    }
  }

  // -----------------------------------------------------------------------------------------------------------
  // One finding

  private target(): RenderTarget {
    // The console is on a terminal; its report keeps relative times and colour even if stdout is teed.
    return { style: this.io.style, columns: this.io.columns ?? this.promptColumns(), stdoutIsTTY: true, scope: this.scope };
  }

  /** The report and its actions. Returns what the list should do next. */
  private async findingView(summary: FindingSummary, where: { region: string; detectorId: string }): Promise<'back' | 'changed' | 'quit'> {
    const spinner = await this.io.spinner(`Investigating ${sanitize(summary.type)}…`);
    let report: InvestigationReport;
    try {
      // Commands the report suggests must act on the account the console is on (the sandbox needs its flag).
      report = await this.backend.investigate(summary, where, (text) => spinner.update(`Investigating ${sanitize(summary.type)}: ${sanitize(text)}`));
      spinner.stop();
    } catch (err) {
      if (isAbort(err, this.ctx)) {
        spinner.stop();
        throw err;
      }
      spinner.fail('Investigation failed');
      showError(this.ctx, err);
      return 'back';
    }
    for (const w of report.investigation.warnings) this.io.warn(`${w.section}: ${w.message}`);
    let changed = false;
    let current = summary;
    let read = new Set<ReportSection>();
    // The summary is what the analyst came for: show it at once, then offer the rest.
    this.printSection(report, 'summary');
    read.add('summary');
    let level: 'sections' | 'actions' = 'sections';
    for (;;) {
      if (level === 'sections') {
        let pick: ReportSection | 'actions' | 'back';
        try {
          pick = await this.pickSection(report, read);
        } catch (err) {
          if (isBack(err) && !isAbort(err, this.ctx)) return changed ? 'changed' : 'back';
          throw err;
        }
        if (pick === 'back') return changed ? 'changed' : 'back';
        if (pick === 'actions') level = 'actions';
        else {
          this.printSection(report, pick);
          read.add(pick);
        }
        continue;
      }
      let action: ActionId;
      try {
        action = await this.pickAction(report, current);
      } catch (err) {
        if (isBack(err) && !isAbort(err, this.ctx)) {
          level = 'sections';
          continue;
        }
        throw err;
      }
      try {
        switch (action) {
          case 'sections':
            level = 'sections';
            read = new Set();
            break;
          case 'back':
            return changed ? 'changed' : 'back';
          case 'quit':
            return 'quit';
          case 'timeline':
            await this.pageTimeline(report);
            break;
          case 'policies':
            await this.showPolicies(report);
            break;
          case 'deactivate':
            await this.deactivate(current);
            break;
          case 'revoke-sessions':
            await this.revoke(current);
            break;
          case 'export':
            await this.exportReport(report, current);
            break;
          case 'archive':
            if (await this.archive(current, where)) {
              current = { ...current, archived: true };
              changed = true;
            }
            break;
          case 'commands':
            this.io.out('');
            this.io.out(renderSectionTitle('This session', this.io.style, this.target().columns));
            this.io.out(renderSessionCommands(sessionCommands(this.actions, where.region, this.commandPrefix()), this.io.style));
            break;
        }
      } catch (err) {
        if (isAbort(err, this.ctx)) throw err;
        if (isBack(err)) {
          this.io.err(this.io.errStyle.dim('Cancelled: nothing was changed.'));
          continue;
        }
        showError(this.ctx, err);
      }
    }
  }

  /** `gd-ir` as the analyst would type it to act on the same account (the sandbox needs its flag). */
  private commandPrefix(): string {
    return this.ctx.sandbox ? 'gd-ir --sandbox' : 'gd-ir';
  }

  private printSection(report: InvestigationReport, section: ReportSection): void {
    this.io.out('');
    this.io.out(renderReportSection(report, section, this.target(), this.ctx.clock.now()));
  }

  private async pickSection(report: InvestigationReport, read: ReadonlySet<ReportSection>): Promise<ReportSection | 'actions' | 'back'> {
    const style = this.io.errStyle;
    const next = REPORT_SECTIONS.find((s) => !read.has(s) && sectionAvailable(report, s));
    const choices: Array<Choice<ReportSection | 'actions' | 'back'>> = [
      ...REPORT_SECTIONS.map((s) => ({
        name: `${read.has(s) ? style.green('✓') : ' '} ${SECTION_LABELS[s]}`,
        short: SECTION_LABELS[s],
        value: s,
        disabled: sectionAvailable(report, s) ? false : '(not gathered for this principal)',
      })),
      { name: `${style.bold('→')} Actions: contain, export, archive…`, short: 'Actions', value: 'actions' },
      { name: '← Back to the findings list', short: 'Back to the list', value: 'back' },
    ];
    return this.ctx.prompter.select({
      message: 'Report: Enter reads the next section (Esc: back)',
      choices,
      default: next ?? 'actions',
      pageSize: choices.length,
    });
  }

  private keyStatus(report: InvestigationReport, key: string | null): string | undefined {
    if (!key) return undefined;
    if (this.deactivated.has(key)) return 'Inactive';
    return report.investigation.accessKeys?.find((k) => k.accessKeyId === key)?.status;
  }

  private async pickAction(report: InvestigationReport, summary: FindingSummary): Promise<ActionId> {
    const style = this.io.errStyle;
    const inv = report.investigation;
    const key = summary.principal?.accessKeyId ?? null;
    const list = availableActions({
      summary,
      hasTimeline: timelineEvents(report).length > 0,
      hasPolicies: report.permissionsResult !== undefined || (inv.principal.kind === 'iam-user' && Boolean(inv.principal.userName)) || (inv.principal.kind === 'assumed-role' && Boolean(inv.principal.roleName)),
      keyStatus: this.keyStatus(report, key),
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
    return this.ctx.prompter.select({
      message: 'Action (Esc: back to the report)',
      choices,
      default: list.find(isRecommended)?.id ?? 'back',
      pageSize: choices.length,
    });
  }

  private async pageTimeline(report: InvestigationReport): Promise<void> {
    const events = timelineEvents(report);
    const findingIp = report.trail?.request.findingIp;
    let index = 0;
    for (;;) {
      const page = pageOf(events, index, TIMELINE_PAGE_SIZE);
      this.io.out('');
      this.io.out(renderPageTitle('CloudTrail events', page, this.io.style));
      this.io.out(renderTimelinePage(page.items, this.target(), this.ctx.clock.now(), findingIp));
      if (page.count === 1) return;
      const choices: Array<Choice<'next' | 'prev' | 'done'>> = [
        { name: 'Next page', value: 'next', disabled: page.index + 1 >= page.count ? 'last page' : false },
        { name: 'Previous page', value: 'prev', disabled: page.index === 0 ? 'first page' : false },
        { name: 'Done: back to the actions', value: 'done' },
      ];
      let pick: 'next' | 'prev' | 'done';
      try {
        pick = await this.ctx.prompter.select({
          message: `Timeline page ${page.index + 1}/${page.count} (Esc: back to the actions)`,
          choices,
          default: page.index + 1 < page.count ? 'next' : 'done',
        });
      } catch (err) {
        if (isBack(err) && !isAbort(err, this.ctx)) return;
        throw err;
      }
      if (pick === 'done') return;
      index = pick === 'next' ? page.index + 1 : page.index - 1;
    }
  }

  private async showPolicies(report: InvestigationReport): Promise<void> {
    let result = report.permissionsResult;
    if (!result) {
      // The investigation could not read them (a warning said why): try again, the cause may be gone.
      const p = report.investigation.principal;
      const principal = p.kind === 'assumed-role' && p.roleName ? { type: 'role' as const, name: p.roleName } : p.userName ? { type: 'user' as const, name: p.userName } : undefined;
      if (!principal) return;
      const spinner = await this.io.spinner(`Reading the policies of ${principal.type} ${sanitize(principal.name)}…`);
      try {
        result = await this.backend.permissions(principal);
        spinner.stop();
      } catch (err) {
        spinner.fail('Could not read the policies');
        throw err;
      }
    }
    this.io.out('');
    this.io.out(renderPolicyDocuments(result, this.target(), this.ctx.clock.now()));
  }

  /** The remediation request for a finding's key: containment only (never force, never a dry run). */
  private containmentRequest(summary: FindingSummary, revokeSessions: boolean): RemediationRequest | undefined {
    const p = summary.principal;
    if (!p?.accessKeyId || !p.userName) return undefined;
    return {
      accessKeyId: p.accessKeyId,
      userName: p.userName,
      findingId: summary.id,
      reactivate: false,
      revokeSessions,
      restoreSessions: false,
      force: false,
      dryRun: false,
    };
  }

  private async deactivate(summary: FindingSummary): Promise<void> {
    const request = this.containmentRequest(summary, false);
    const p = summary.principal;
    if (!request || !p?.accessKeyId || !p.userName) return;
    const result = await this.remediate(request);
    const step = result?.results.find((r) => r.step.action === 'deactivate');
    if (!step) return;
    if (step.changed && step.verified) {
      this.deactivated.add(p.accessKeyId);
      this.actions.push({ kind: 'deactivate', findingId: summary.id, accessKeyId: p.accessKeyId, userName: p.userName });
    } else if (step.step.noop) {
      this.deactivated.add(p.accessKeyId);
      this.io.out(this.io.style.dim(`${p.accessKeyId} is already ${step.step.before.toLowerCase()}: nothing to do.`));
    }
  }

  private async revoke(summary: FindingSummary): Promise<void> {
    const request = this.containmentRequest(summary, true);
    const p = summary.principal;
    if (!request || !p?.accessKeyId || !p.userName) return;
    const result = await this.remediate(request);
    const step = result?.results.find((r) => r.step.action === 'revoke-sessions' && r.changed);
    if (step) {
      this.actions.push({ kind: 'revoke-sessions', findingId: summary.id, accessKeyId: p.accessKeyId, userName: p.userName, ...(step.step.cutoff ? { cutoff: step.step.cutoff } : {}) });
    }
  }

  /** The remediate flow; a declined confirmation or a refusal is an outcome here, not an exit. */
  private async remediate(request: RemediationRequest): Promise<(RemediationResult & { failure?: unknown }) | undefined> {
    let result: RemediationResult & { failure?: unknown };
    try {
      result = await this.backend.remediate(request);
    } catch (err) {
      if (err instanceof DeclinedError) {
        this.io.err(this.io.errStyle.yellow(sanitize(err.message)));
        return undefined;
      }
      throw err;
    }
    if (result.failure !== undefined) showError(this.ctx, result.failure);
    for (const r of result.results) {
      if (r.changed && !r.verified && !r.error) {
        this.io.warn(`${r.step.action} of ${r.step.target} was sent but reads ${r.observed ?? 'unknown'}: check with gd-ir remediate --key ${request.accessKeyId} --dry-run`);
      }
    }
    return result;
  }

  private async exportReport(report: InvestigationReport, summary: FindingSummary): Promise<void> {
    const path = (
      await this.ctx.prompter.input({
        message: 'Write the Markdown report to',
        default: defaultExportPath(summary.id),
        validate: (v) => (v.trim() === '' ? 'a file name is needed' : true),
      })
    ).trim();
    if (this.backend.fileExists(path)) {
      const overwrite = await this.ctx.prompter.confirm({ message: `${sanitize(path)} exists. Overwrite it?`, default: false });
      if (!overwrite) {
        this.io.err(this.io.errStyle.dim('Not written.'));
        return;
      }
    }
    this.backend.writeFile(path, renderInvestigationMarkdown(report, this.ctx.clock.now(), this.scope));
    this.actions.push({ kind: 'export', findingId: summary.id, path });
    this.io.out(`${this.io.style.green('✔')} Report written to ${sanitize(resolve(path))}`);
  }

  private async archive(summary: FindingSummary, where: { region: string; detectorId: string }): Promise<boolean> {
    const ok = await this.ctx.prompter.confirm({
      message: `Archive finding ${summary.id} (${sanitize(summary.type)})? It leaves the active list (unarchive with the AWS CLI or console).`,
      default: false,
    });
    if (!ok) {
      this.io.err(this.io.errStyle.dim('Not archived.'));
      return false;
    }
    await this.backend.archive(where.region, where.detectorId, summary.id);
    this.actions.push({ kind: 'archive', findingId: summary.id, detectorId: where.detectorId, region: where.region });
    this.io.out(`${this.io.style.green('✔')} Archived ${summary.id}`);
    return true;
  }
}

// -------------------------------------------------------------------------------------------------------------
// Wiring

/** The real backend: the same gateway functions and flows the subcommands use. */
export function createBackend(ctx: Context): TriageBackend {
  return {
    identity: () => ctx.aws.callerIdentity(ctx.signal),
    detectorId: async (region) => {
      const { listDetectorIds } = await import('../aws/guardduty.js');
      return (await listDetectorIds(ctx, region))[0];
    },
    listFindings: async (region, detectorId, includeArchived) => {
      const { listFindings } = await import('../aws/guardduty.js');
      const { toFindingSummary } = await import('../core/finding.js');
      const criterion: Record<string, { Equals: string[] }> = includeArchived ? {} : { 'service.archived': { Equals: ['false'] } };
      const criteria = { Criterion: criterion };
      const res = await listFindings(ctx, { region, detectorId, criteria, limit: 500 });
      if (res.truncated) ctx.io.warn('showing the first 500 findings; use gd-ir findings list to filter the rest');
      return res.findings.map(toFindingSummary);
    },
    investigate: async (finding, where, onStatus) => {
      const { runInvestigation } = await import('./investigate.js');
      return runInvestigation(ctx, finding.id, { region: where.region, detectorId: where.detectorId, onStatus });
    },
    permissions: async (principal) => {
      const { collectPermissions } = await import('../aws/iam-policies.js');
      return collectPermissions(ctx, principal);
    },
    remediate: async (request) => {
      const { runRemediation } = await import('./remediate.js');
      return runRemediation(ctx, request);
    },
    archive: async (region, detectorId, id) => {
      const { archiveFindings } = await import('../aws/guardduty.js');
      await archiveFindings(ctx, region, detectorId, [id]);
    },
    fileExists: (path) => existsSync(path),
    writeFile: (path, text) => writeFileSync(path, text, { mode: 0o600 }),
  };
}

export async function runTriage(ctx: Context, opts: TriageOptions = {}, backend: TriageBackend = createBackend(ctx)): Promise<TriageOutcome> {
  return new TriageConsole(ctx, backend).run(opts);
}

export function requireTerminal(ctx: Context): void {
  if (!ctx.interactive) {
    throw new UsageError('gd-ir triage needs a terminal (use the subcommands in scripts: gd-ir findings list, gd-ir investigate …)');
  }
}

export async function execute(ctx: Context, { options }: TriageInput): Promise<number> {
  requireTerminal(ctx);
  await runTriage(ctx, { includeArchived: options.all });
  return 0;
}
