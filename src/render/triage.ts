/**
 * The triage console's screens: the one-line header, the rows of the findings list, section and page
 * titles, and the session's commands. Prompts render on stderr (inquirer); what the analyst reads
 * (header, report sections, timeline pages) goes to stdout.
 */
import { accessVia, type AccountAccess } from '../core/access.js';
import { Chalk, type ChalkInstance } from 'chalk';
import type { FindingSummary } from '../core/finding/index.js';
import { SEVERITY_ORDER, severityLevel, type SeverityLevel } from '../core/severity.js';
import { CONSOLE_SCREENS, sectionsOfScreen, type InvestigationReport } from '../core/investigation/index.js';
import type { PermissionsResult } from '../core/permissions.js';
import type { TrailEvent } from '../core/trail/index.js';
import type { ActionAvailability, ActionId, Page, ReportSection } from '../core/triage.js';
import { principalLabel } from '../core/triage.js';
import type { RenderTarget } from './findings.js';
import { renderInvestigationSections } from './investigation/terminal.js';
import { renderPolicies } from './policies.js';
import { renderTimelineTable } from './trail.js';
import { displayTime, plural } from './format.js';
import { sanitize } from '../core/sanitize.js';
import { styleSeverity, styleSeverityLevel } from './styles.js';
import { displayWidth, truncate } from './table.js';

export interface HeaderFacts {
  accountId: string;
  region: string;
  /** The caller's ARN (GetCallerIdentity). */
  callerArn: string;
  detectorId?: string;
  findings: readonly FindingSummary[];
  includeArchived: boolean;
  sandbox: boolean;
}

/** "user/ir-analyst" from an IAM ARN; "assumed-role/Role/session" for role sessions. */
export function callerName(arn: string): string {
  const m = /^arn:aws[\w-]*:(?:iam|sts)::\d{12}:(.+)$/.exec(arn);
  return m?.[1] ?? arn;
}

export function severityCounts(findings: readonly FindingSummary[]): Record<SeverityLevel, number> {
  const counts: Record<SeverityLevel, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of findings) counts[severityLevel(f.severity)]++;
  return counts;
}

/** "High 3 · Medium 8 · Low 1" (levels with no findings are left out; "none" when empty). */
export function renderSeverityCounts(findings: readonly FindingSummary[], style: ChalkInstance): string {
  const counts = severityCounts(findings);
  const parts = SEVERITY_ORDER.filter((l) => counts[l] > 0).map((l) => styleSeverityLevel(style, l, `${l[0]?.toUpperCase()}${l.slice(1)} ${counts[l]}`));
  return parts.length ? parts.join(' · ') : 'none';
}

/**
 * The console's one header line: where you are, who you are, and what is waiting. On a narrow terminal
 * the detector ID is shortened, then dropped, then the caller, so it stays one line.
 */
export function renderHeader(h: HeaderFacts, style: ChalkInstance, width?: number): string {
  const active = h.findings.filter((f) => !f.archived);
  const archived = h.findings.length - active.length;
  const counts = renderSeverityCounts(active, style);
  const countsPlain = renderSeverityCounts(active, new Chalk({ level: 0 }));
  const extra = h.includeArchived && archived > 0 ? ` (+${archived} archived)` : '';
  const build = (detector: 'full' | 'short' | 'none', caller: boolean, accountLabel: boolean): [string, string] => {
    const det = h.detectorId ? `detector ${detector === 'full' ? h.detectorId : `${h.detectorId.slice(0, 8)}…`}` : 'no detector';
    const account = `${accountLabel ? 'account ' : ''}${h.accountId}`;
    const parts: Array<[string, string]> = [
      [`gd-ir${h.sandbox ? ' (sandbox)' : ''}`, `${style.bold('gd-ir')}${h.sandbox ? style.yellow(' (sandbox)') : ''}`],
      [account, sanitize(account)],
      [h.region, style.cyan(sanitize(h.region))],
      ...(caller ? [[callerName(h.callerArn), sanitize(callerName(h.callerArn))] as [string, string]] : []),
      ...(detector === 'none' && h.detectorId ? [] : [[det, h.detectorId ? sanitize(det) : style.yellow(det)] as [string, string]]),
      [`${plural(active.length, 'finding')}: ${countsPlain}${extra}`, `${plural(active.length, 'finding')}: ${counts}${style.dim(extra)}`],
    ];
    return [parts.map((p) => sanitize(p[0])).join(' · '), parts.map((p) => p[1]).join(style.dim(' · '))];
  };
  const levels = [['full', true, true], ['short', true, true], ['short', true, false], ['none', true, false], ['none', false, false]] as const;
  for (const [detector, caller, label] of levels) {
    const [plain, styled] = build(detector, caller, label);
    if (width === undefined || displayWidth(plain) <= width) return styled;
  }
  return build('none', false, false)[1];
}

function pad(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}

export interface ListLayout {
  type: number;
  principal: number;
}

/** Column widths for the list, fitted to `columns` (what is left of the terminal after the prompt's cursor). */
export function listLayout(findings: readonly FindingSummary[], columns: number | undefined): ListLayout {
  const typeNatural = Math.max(10, ...findings.map((f) => displayWidth(sanitize(f.type))));
  const principalNatural = Math.max(9, ...findings.map((f) => displayWidth(sanitize(principalLabel(f)))));
  if (!columns) return { type: typeNatural, principal: principalNatural };
  const flags = findings.some((f) => f.archived || f.sample) ? FLAGS_WIDTH : 0;
  // severity (8) + two-space gaps (3 × 2) + last seen (8) + flags
  const budget = Math.max(30, columns - 8 - 6 - 8 - flags);
  // The type says what happened: it gets the room first; the principal keeps about a third.
  const type = Math.min(typeNatural, budget - Math.min(principalNatural, Math.max(22, Math.floor(budget * 0.35))));
  const principal = Math.min(principalNatural, budget - type);
  return { type, principal };
}

/** " [archived]" is the widest flag a row carries. */
const FLAGS_WIDTH = 11;

/** The row's answer once picked: type and principal, without the padding. */
export function renderRowShort(f: FindingSummary): string {
  return `${sanitize(f.type)} (${sanitize(principalLabel(f))})`;
}

/** One row of the findings list: severity, type, principal, last seen, (archived / sample). */
export function renderListRow(f: FindingSummary, layout: ListLayout, o: { style: ChalkInstance; now: Date }): string {
  const sev = styleSeverity(o.style, f.severity) + ' '.repeat(Math.max(0, 8 - f.severityLabel.length));
  const type = pad(truncate(sanitize(f.type), layout.type), layout.type);
  const who = pad(truncate(sanitize(principalLabel(f)), layout.principal), layout.principal);
  const seen = pad(displayTime(f.lastSeen ?? f.updatedAt, { tty: true, now: o.now }), 8);
  const flag = f.archived ? 'archived' : f.sample ? 'sample' : '';
  return `${sev}  ${type}  ${o.style.cyan(who)}  ${o.style.dim(seen)}${flag ? ' ' + o.style.dim(`[${flag}]`) : ''}`.trimEnd();
}

/** The line under the list for the highlighted finding: its title and ID. */
export function renderRowDescription(f: FindingSummary): string {
  return `${sanitize(f.title, { maxLength: 200 })} (${f.id}, ${sanitize(f.region)})`;
}

const ACTION_LABELS: Record<ActionId, string> = {
  sections: 'Read the report again (pick a section)',
  timeline: 'View the full CloudTrail timeline',
  policies: 'View policy documents',
  deactivate: 'Deactivate the access key',
  'revoke-sessions': 'Revoke active sessions (deny credentials issued before now)',
  contain: 'Contain everything (plan): every key, password, policy, trust and trail the attacker changed',
  export: 'Export the report as Markdown',
  archive: 'Archive the finding',
  commands: 'Show commands for what was done this session',
  back: '← Back to the findings list',
  quit: 'Quit',
};

export function actionLabel(a: ActionAvailability, extra: { accessKeyId?: string | null; userName?: string | null } = {}): string {
  if (a.id === 'deactivate' && extra.accessKeyId && !a.disabled) return `Deactivate access key ${sanitize(extra.accessKeyId)}`;
  if (a.id === 'revoke-sessions' && extra.userName && !a.disabled) return `Revoke active sessions of ${sanitize(extra.userName)} (deny credentials issued before now)`;
  return ACTION_LABELS[a.id];
}

/** "Events 31–60 of 214 (page 2/8)". */
export function renderPageTitle(title: string, page: Page<unknown>, style: ChalkInstance): string {
  const range = page.total === 0 ? 'none' : `${page.from}–${page.to} of ${page.total}`;
  return style.bold(`${title} ${range}`) + style.dim(` (page ${page.index + 1}/${page.count})`);
}

/** A section heading with a rule, so pages read as separate screens in the scrollback. */
export function renderSectionTitle(title: string, style: ChalkInstance, columns: number | undefined): string {
  const width = Math.min(columns ?? 80, 100);
  const text = ` ${title} `;
  const rule = '─'.repeat(Math.max(2, width - displayWidth(text) - 2));
  return style.dim('──') + style.bold(text) + style.dim(rule);
}

/** What the session did, each with the command that repeats it and the one that undoes it. */
/** A session command with its command lines already scoped to the run. */
export interface SessionCommandLines {
  done: string;
  repeat: string;
  undo?: string;
}

export function renderSessionCommands(commands: readonly SessionCommandLines[], style: ChalkInstance): string {
  if (commands.length === 0) return style.dim('Nothing was changed or exported in this session yet.');
  const lines: string[] = [];
  for (const c of commands) {
    lines.push(`${style.green('✔')} ${sanitize(c.done)}`);
    lines.push(`  ${style.dim('# repeat from a script')}`);
    lines.push(`  ${style.cyan(sanitize(c.repeat))}`);
    if (c.undo) {
      lines.push(`  ${style.dim('# undo')}`);
      lines.push(`  ${style.cyan(sanitize(c.undo))}`);
    }
  }
  return lines.join('\n');
}

// -------------------------------------------------------------------------------------------------------------
// The report, one section at a time (the investigate command's own renderers, cut where the console pages)

/** The console's label of each report screen (from the section registry). */
export const SECTION_LABELS: Record<ReportSection, string> = Object.fromEntries(CONSOLE_SCREENS.map((x) => [x.id, x.label])) as Record<ReportSection, string>;

export function renderReportSection(report: InvestigationReport, section: ReportSection, target: RenderTarget, now: Date): string {
  const rendered = renderInvestigationSections(report, target, now);
  const out: string[] = [];
  if (section === 'summary') out.push(rendered.verdict, '');
  const ids = sectionsOfScreen(section);
  const parts = rendered.sections.filter((s) => ids.includes(s.id));
  parts.forEach((p, i) => {
    if (i > 0) out.push('');
    // The summary screen opens with the finding: its heading names the screen.
    out.push(renderSectionTitle(p.id === 'finding' ? SECTION_LABELS.summary : p.title, target.style, target.columns));
    out.push(p.text);
  });
  if (parts.length === 0) out.push(renderSectionTitle(SECTION_LABELS[section], target.style, target.columns), target.style.dim('  Nothing gathered for this section.'));
  return out.join('\n');
}

/** One page of the CloudTrail timeline (the trail command's table). */
export function renderTimelinePage(events: readonly TrailEvent[], target: RenderTarget, now: Date, findingIp?: string): string {
  return renderTimelineTable(events, { style: target.style, columns: target.columns, tty: target.stdoutIsTTY, now }, findingIp);
}

/** The principal's policies with their documents (the policies command's view). */
export function renderPolicyDocuments(result: PermissionsResult, target: RenderTarget, now: Date): string {
  return renderPolicies(result, target, { documents: true, now });
}

/** The header line of a member account's finding in the console: which account, and the roles that read and act there. */
export function renderActingIn(read: AccountAccess, write: AccountAccess | undefined, style: ChalkInstance): string {
  const parts = [`${style.bold('Acting in account')} ${style.cyan(sanitize(read.account))} (member)`, `reads: ${sanitize(accessVia(read))}`];
  if (write) parts.push(`changes: ${sanitize(accessVia(write))}`);
  return parts.join(style.dim(' · '));
}
