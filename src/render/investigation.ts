/**
 * The investigation report for humans. One document model (sections of text, bullets, tables and
 * commands) is built once from the report; the terminal renderer here and the Markdown renderer
 * (report-markdown.ts) print the same document, so a ticket says exactly what the analyst saw.
 * Values in the document are raw: each renderer sanitises (and, for Markdown, escapes) them.
 */
import type { ChalkInstance } from 'chalk';
import { CATEGORY_LABELS, type EventCategory } from '../core/event-classification.js';
import { describePrincipal, type InvestigationReport, type InvestigationSection } from '../core/investigation.js';
import { severityLevel } from '../core/severity.js';
import { renderFindingDetail, type RenderTarget } from './findings.js';
import { displayTime, plural, wrapText } from './format.js';
import { sanitize } from '../core/sanitize.js';
import { styleSeverityLevel, styles } from './styles.js';
import { renderTable, type Column } from './table.js';

export type Tone = 'danger' | 'warning' | 'ok' | 'dim';

export type Block =
  | { kind: 'text'; text: string; tone?: Tone }
  | { kind: 'fields'; fields: Array<[string, string]> }
  | { kind: 'bullets'; items: string[] }
  | { kind: 'table'; headers: string[]; rows: string[][]; align?: Array<'left' | 'right'>; flagged?: boolean[] }
  | { kind: 'commands'; lines: string[] }
  | { kind: 'subheading'; text: string }
  | { kind: 'warning'; text: string }
  /** Already rendered, sanitised text (the finding detail view). */
  | { kind: 'pre'; text: string };

export interface ReportSection {
  title: string;
  blocks: Block[];
}

export interface ReportDocument {
  /** The verdict line's parts, in order. */
  verdict: { type: string; severity: number; severityLabel: string; principal: string; where: string; nature: string };
  sections: ReportSection[];
}

const SECTION_OF: Record<InvestigationSection, string> = {
  finding: 'Finding',
  activity: 'Activity',
  permissions: 'Permissions',
  accessKeys: 'Blast radius',
  relatedFindings: 'Finding',
};

function ua(list: readonly string[]): string {
  return list.length === 0 ? '-' : list.join(' | ');
}

/** The document both renderers print. `detailText` is the finding detail view as that renderer shows it. */
export function buildReportDocument(report: InvestigationReport, o: { tty: boolean; now: Date }, detailText: string): ReportDocument {
  const inv = report.investigation;
  const f = inv.finding;
  const t = (v: string | undefined): string => displayTime(v, { tty: o.tty, now: o.now });
  const warningsFor = (title: string): Block[] =>
    inv.warnings.filter((w) => SECTION_OF[w.section] === title).map((w) => ({ kind: 'warning' as const, text: w.message }));
  const sections: ReportSection[] = [];

  // 2. The finding in detail (+ other open findings about the principal)
  const finding: Block[] = [{ kind: 'pre', text: detailText }];
  if (report.related !== undefined) {
    finding.push({ kind: 'subheading', text: `Other open findings about this principal (${report.related.length})` });
    if (report.related.length === 0) finding.push({ kind: 'text', text: 'None.', tone: 'dim' });
    else {
      finding.push({
        kind: 'table',
        headers: ['Severity', 'Type', 'Key', 'Count', 'Last seen', 'ID'],
        align: ['left', 'left', 'left', 'right', 'left', 'left'],
        rows: report.related.map((r) => [r.severityLabel, `${r.sample ? '[SAMPLE] ' : ''}${r.type}`, r.principal?.accessKeyId ?? '-', String(r.count), t(r.lastSeen ?? r.updatedAt), r.id]),
      });
    }
  }
  finding.push(...warningsFor('Finding'));
  sections.push({ title: 'Finding', blocks: finding });

  // 3. Data source
  sections.push({
    title: 'Data source',
    blocks: [{ kind: 'text', text: inv.dataSource ?? 'unknown (GuardDuty does not record it for this finding type)' }, { kind: 'bullets', items: inv.dataSourceAdvice }],
  });

  // 4. Activity
  const activity: Block[] = [];
  const a = inv.activity;
  const trail = report.trail;
  if (!a) {
    if (!inv.warnings.some((w) => w.section === 'activity')) {
      activity.push({ kind: 'text', text: inv.principal.actionable || inv.principal.kind === 'root' ? 'No trail: the finding names no key or user to look up.' : `Not gathered: ${inv.principal.notActionableReason ?? 'nothing to look up'}.`, tone: 'dim' });
    }
  } else {
    const ev = a.evidence;
    const regions = trail ? trail.summary.regions.map((r) => `${r.region} ${r.count}`).join(', ') : '';
    const window = trail ? `${t(trail.request.window.start.toISOString())} → ${t(trail.request.window.end.toISOString())}` : '';
    activity.push({
      kind: 'text',
      text: `${plural(ev.total, 'event')}${regions ? ` (${regions})` : ''}${window ? ` in the window ${window}` : ''}${trail ? `, looked up by ${trail.request.lookup.attribute} ${trail.request.lookup.value}` : ''}.`,
    });
    if (a.truncated) activity.push({ kind: 'warning', text: 'the trail hit --max-events: older events were not fetched' });
    if (ev.findings.length > 0) {
      activity.push({ kind: 'subheading', text: 'Evidence' });
      activity.push({ kind: 'bullets', items: ev.findings });
    }
    if (ev.ips.length > 0) {
      activity.push({ kind: 'subheading', text: 'Source IPs' });
      activity.push({
        kind: 'table',
        headers: ['IP', 'Calls', 'Errors', 'First', 'Last', 'User agents'],
        align: ['left', 'right', 'right', 'left', 'left', 'left'],
        rows: ev.ips.map((i) => [i.findingIp ? `${i.ip} ◀ finding` : i.ip, String(i.count), String(i.errors), t(i.first), t(i.last), ua(i.userAgents)]),
        flagged: ev.ips.map((i) => i.findingIp),
      });
    }
    if (trail && trail.summary.categories.length > 0) {
      activity.push({ kind: 'subheading', text: 'APIs by category' });
      activity.push({
        kind: 'table',
        headers: ['Category', 'Calls', 'APIs'],
        align: ['left', 'right', 'left'],
        rows: trail.summary.categories.map((c) => [CATEGORY_LABELS[c.category as EventCategory] ?? c.category, String(c.count), c.apis.join(', ')]),
        flagged: trail.summary.categories.map((c) => c.category !== 'ordinary'),
      });
    }
    if (ev.errors.length > 0) {
      activity.push({ kind: 'subheading', text: 'Errors' });
      activity.push({
        kind: 'table',
        headers: ['Error', 'API', 'Calls'],
        align: ['left', 'left', 'right'],
        rows: ev.errors.map((e) => [e.errorCode, e.eventName, String(e.count)]),
      });
    }
    activity.push({ kind: 'subheading', text: `Derived credentials (${a.derivedCredentials.length})` });
    if (a.derivedCredentials.length === 0) activity.push({ kind: 'text', text: 'None minted in the window (no successful GetSessionToken, AssumeRole or GetFederationToken).', tone: 'dim' });
    else {
      activity.push({
        kind: 'table',
        headers: ['Access key', 'Via', 'Issued', 'From', 'Expires'],
        rows: a.derivedCredentials.map((d) => [d.accessKeyId, d.via, t(d.issuedAt), d.sourceIp ?? '-', t(d.expiresAt)]),
        flagged: a.derivedCredentials.map(() => true),
      });
    }
    if (a.timeline.length > 0) {
      activity.push({ kind: 'subheading', text: 'Timeline' });
      activity.push({
        kind: 'table',
        headers: ['Time', 'What'],
        rows: a.timeline.map((e) => [t(e.time), e.text]),
        flagged: a.timeline.map((e) => e.kind === 'malicious' || e.kind === 'derived'),
      });
    }
  }
  activity.push(...warningsFor('Activity'));
  sections.push({ title: 'Activity', blocks: activity });

  // 5. Permissions
  const perms: Block[] = [];
  const p = inv.permissions;
  const pr = report.permissionsResult;
  if (p && pr) {
    perms.push({
      kind: 'fields',
      fields: [
        ['Principal', `${pr.principal.type} ${pr.principal.name}${pr.principal.arn ? ` (${pr.principal.arn})` : ''}`],
        ['Administrator', p.isAdmin ? 'YES: administrator-equivalent access' : 'no'],
        ['Granted', p.grantedCount !== undefined ? plural(p.grantedCount, 'action') : '-'],
        ['Boundary', pr.principal.boundaryArn ?? 'none'],
      ],
    });
    perms.push({ kind: 'subheading', text: `Policies (${p.policies.length})` });
    if (p.policies.length === 0) perms.push({ kind: 'text', text: 'None.', tone: 'dim' });
    else perms.push({ kind: 'table', headers: ['Source', 'Kind', 'Name'], rows: p.policies.map((x) => [x.group ? `group ${x.group}` : x.source, x.kind, x.name]) });
    perms.push({ kind: 'subheading', text: 'High-risk capabilities' });
    if (p.risks.length === 0) perms.push({ kind: 'text', text: 'None found.', tone: 'dim' });
    else perms.push({ kind: 'bullets', items: p.risks.map((r) => `${r.capability} (${r.category}): ${r.actions.join(', ')}${r.policy ? ` — ${r.policy}` : ''}`) });
  } else if (!inv.warnings.some((w) => w.section === 'permissions')) {
    perms.push({
      kind: 'text',
      tone: 'dim',
      text:
        inv.principal.kind === 'root'
          ? 'The root user has unrestricted access to the account; IAM policies do not limit it.'
          : `Not gathered: ${inv.principal.notActionableReason ?? 'no IAM principal to read'}.`,
    });
  }
  if (inv.usage) {
    const u = inv.usage;
    perms.push({ kind: 'subheading', text: 'Used vs granted (in the window)' });
    if (u.used.length > 0) {
      perms.push({
        kind: 'table',
        headers: ['Used action', 'Calls', 'Granted', 'Last'],
        align: ['left', 'right', 'left', 'left'],
        rows: u.used.map((x) => [x.action, String(x.count), !x.needsPermission ? 'not needed' : x.granted === undefined ? '?' : x.granted ? 'yes' : 'no', t(x.last)]),
      });
    } else perms.push({ kind: 'text', text: 'No call succeeded.', tone: 'dim' });
    if (u.denied.length > 0) {
      perms.push({
        kind: 'table',
        headers: ['Tried and denied', 'Calls', 'Error', 'From finding IP'],
        align: ['left', 'right', 'left', 'left'],
        rows: u.denied.map((x) => [x.action, String(x.count), x.errorCodes.join(', '), x.fromFindingIp ? 'yes' : 'no']),
        flagged: u.denied.map((x) => x.fromFindingIp),
      });
    }
    if (u.grantedUnused !== undefined) perms.push({ kind: 'text', text: `${plural(u.grantedUnused, 'granted action')} not used in the window.`, tone: 'dim' });
  }
  perms.push(...warningsFor('Permissions'));
  sections.push({ title: 'Permissions', blocks: perms });

  // 6. Blast radius
  const blast: Block[] = [];
  const br = inv.blastRadius;
  if (inv.principal.kind === 'iam-user' || inv.principal.kind === 'assumed-role') {
    if (inv.accessKeys) {
      blast.push({ kind: 'subheading', text: `Access keys of ${inv.principal.userName ?? 'the user'} (${inv.accessKeys.length})` });
      blast.push({
        kind: 'table',
        headers: ['Access key', 'Status', 'Created', 'Last used', 'Service', 'Region'],
        rows: inv.accessKeys.map((k) => [
          k.accessKeyId === inv.principal.accessKeyId ? `${k.accessKeyId} ◀ finding` : k.accessKeyId,
          k.status,
          t(k.createdAt),
          t(k.lastUsed?.date),
          k.lastUsed?.service ?? '-',
          k.lastUsed?.region ?? '-',
        ]),
      });
    }
    blast.push({ kind: 'subheading', text: `Other callers of ${inv.principal.accessKeyId ?? 'the key'} (${br.otherCallers.length})` });
    if (br.otherCallers.length === 0) blast.push({ kind: 'text', text: a ? 'None: only the finding\'s IP used it in the window.' : 'Unknown: the trail was not read.', tone: 'dim' });
    else {
      blast.push({
        kind: 'table',
        headers: ['IP', 'Calls', 'First', 'Last', 'During attack', 'User agents'],
        align: ['left', 'right', 'left', 'left', 'left', 'left'],
        rows: br.otherCallers.map((c) => [c.ip, String(c.count), t(c.first), t(c.last), c.activeDuringAttack ? 'yes' : 'no', ua(c.userAgents)]),
      });
    }
    if (br.tags.length > 0) blast.push({ kind: 'fields', fields: [['Tags', br.tags.map((x) => `${x.key}=${x.value}`).join(', ')]] });
    if (br.impact.length > 0) {
      blast.push({ kind: 'subheading', text: 'Impact of containment' });
      blast.push({ kind: 'bullets', items: br.impact });
    }
    if (br.automationCaveats.length > 0) {
      blast.push({ kind: 'subheading', text: 'Why not automate this remediation' });
      blast.push({ kind: 'bullets', items: br.automationCaveats });
    }
  } else {
    blast.push({ kind: 'text', text: 'Nothing gd-ir would change, so nothing breaks.', tone: 'dim' });
  }
  blast.push(...warningsFor('Blast radius'));
  sections.push({ title: 'Blast radius', blocks: blast });

  // 7. Recommendation
  const rec = inv.recommendation;
  const recBlocks: Block[] = [{ kind: 'text', text: rec.summary, tone: rec.action === 'none' ? 'dim' : 'warning' }];
  if (rec.commands.length > 0) recBlocks.push({ kind: 'commands', lines: rec.commands });
  if (rec.rationale.filter(Boolean).length > 0) {
    recBlocks.push({ kind: 'subheading', text: 'Why' });
    recBlocks.push({ kind: 'bullets', items: rec.rationale.filter(Boolean) });
  }
  if (rec.manualSteps.length > 0) {
    recBlocks.push({ kind: 'subheading', text: rec.commands.length > 0 ? 'Also' : 'Steps' });
    recBlocks.push({ kind: 'bullets', items: rec.manualSteps });
  }
  if (rec.watch.length > 0) {
    recBlocks.push({ kind: 'subheading', text: 'Afterwards, watch the key' });
    recBlocks.push({ kind: 'commands', lines: rec.watch });
  }
  sections.push({ title: 'Recommendation', blocks: recBlocks });

  return {
    verdict: {
      type: f.type,
      severity: f.severity,
      severityLabel: inv.severityLabel,
      principal: describePrincipal(inv.principal),
      where: `account ${f.accountId} · ${f.region}`,
      nature: inv.principal.kind === 'sample' ? 'SAMPLE finding' : f.archived ? 'real finding (archived)' : 'real finding',
    },
    sections,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Terminal

function tone(style: ChalkInstance, text: string, t: Tone | undefined): string {
  switch (t) {
    case 'danger':
      return styles.danger(style, text);
    case 'warning':
      return styles.warning(style, text);
    case 'ok':
      return styles.ok(style, text);
    case 'dim':
      return style.dim(text);
    default:
      return text;
  }
}

function indent(text: string, by = '  '): string {
  return text
    .split('\n')
    .map((l) => (l === '' ? l : by + l))
    .join('\n');
}

/** Blocks one per line; a preformatted view (the finding detail) is set off by a blank line from what follows. */
function joinBlocks(blocks: readonly Block[], target: RenderTarget): string {
  return blocks.map((b, i) => renderBlock(b, target) + (b.kind === 'pre' && i < blocks.length - 1 ? '\n' : '')).join('\n');
}

function renderBlock(b: Block, target: RenderTarget): string {
  const s = target.style;
  const width = target.columns === undefined ? undefined : Math.max(40, target.columns - 2); // tables are indented by 2
  switch (b.kind) {
    case 'text':
      return tone(s, wrapText(sanitize(b.text), target.columns, '  ', '  '), b.tone);
    case 'fields': {
      const w = Math.max(...b.fields.map(([k]) => k.length));
      return b.fields.map(([k, v]) => wrapText(sanitize(v), target.columns, `  ${s.dim(k.padEnd(w))}  `, ' '.repeat(w + 4))).join('\n');
    }
    case 'bullets':
      return b.items.map((i) => wrapText(sanitize(i), target.columns, '  • ', '    ')).join('\n');
    case 'subheading':
      return `  ${s.bold(sanitize(b.text))}`;
    case 'warning':
      return wrapText(sanitize(b.text), target.columns, `  ${styles.warning(s, '⚠ warning:')} `, '    ');
    case 'commands':
      return b.lines.map((l) => `    ${styles.command(s, `$ ${sanitize(l)}`)}`).join('\n');
    case 'pre':
      return b.text;
    case 'table': {
      const rows = b.rows.map((cells, i) => ({ cells, flagged: b.flagged?.[i] ?? false }));
      const columns: Array<Column<(typeof rows)[number]>> = b.headers.map((h, i) => ({
        header: h,
        value: (r) => r.cells[i] ?? '',
        align: b.align?.[i] ?? 'left',
        // Every column may give way (the last one first), or a long finding type pushes the table past the terminal.
        shrink: i === b.headers.length - 1 ? 3 : 1,
        min: 12,
        style: i === 0 ? (text, r) => (r.flagged ? styles.danger(s, text) : text) : undefined,
      }));
      return indent(renderTable(rows, columns, { width, style: s }));
    }
  }
}

export function renderVerdict(doc: ReportDocument, style: ChalkInstance): string {
  const v = doc.verdict;
  const sev = styleSeverityLevel(style, severityLevel(v.severity), `${v.severityLabel} (${v.severity})`);
  const nature = v.nature.startsWith('SAMPLE') ? style.bold.yellow(v.nature) : v.nature;
  return `${style.bold(sanitize(v.type))} · ${sev} · ${sanitize(v.principal)} · ${sanitize(v.where)} · ${nature}`;
}

/** The terminal report: verdict line, then each section under a rule. */
/** The detail view without its "Next:" block: the report ends with its own, better-informed commands. */
export function findingDetailForReport(report: InvestigationReport, target: RenderTarget, now: Date): string {
  const text = renderFindingDetail(report.detail, target, now);
  const next = text.lastIndexOf(`\n\n${styles.heading(target.style, 'Next:')}`);
  return next >= 0 ? text.slice(0, next) : text;
}

/** The report rendered section by section (the triage console pages through them). */
export function renderInvestigationSections(report: InvestigationReport, target: RenderTarget, now: Date): { verdict: string; sections: Array<{ title: string; text: string }> } {
  const detail = findingDetailForReport(report, target, now);
  const doc = buildReportDocument(report, { tty: target.stdoutIsTTY, now }, indent(detail));
  return {
    verdict: renderVerdict(doc, target.style),
    sections: doc.sections.map((section) => ({ title: section.title, text: joinBlocks(section.blocks, target) })),
  };
}

/** The terminal report: verdict line, then each section under a numbered rule (the verdict is 1). */
export function renderInvestigation(report: InvestigationReport, target: RenderTarget, now: Date): string {
  const r = renderInvestigationSections(report, target, now);
  const s = target.style;
  const out: string[] = [s.bold('── 1. Verdict '.padEnd(40, '─')), r.verdict];
  r.sections.forEach((section, i) => {
    out.push('', s.bold(`── ${i + 2}. ${section.title} `.padEnd(40, '─')), section.text);
  });
  return out.join('\n');
}
