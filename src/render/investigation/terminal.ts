/**
 * The investigation report on a terminal (or a pipe): the verdict line, then each section of the
 * document (document.ts) under a numbered rule. The triage console pages the same sections by id.
 */
import type { ChalkInstance } from 'chalk';
import type { InvestigationReport, SectionId } from '../../core/investigation/index.js';
import { severityLevel } from '../../core/severity.js';
import { sanitize } from '../../core/sanitize.js';
import { renderFindingDetail, type RenderTarget } from '../findings.js';
import { wrapText } from '../format.js';
import { styleSeverityLevel, styles } from '../styles.js';
import { renderTable, type Column } from '../table.js';
import type { Block, Tone } from './blocks.js';
import { buildReportDocument, type ReportDocument } from './document.js';

/** The report rendered section by section: what the console pages through. */
export interface RenderedReport {
  verdict: string;
  sections: Array<{ id: SectionId; title: string; text: string }>;
}

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
  const changes = v.changes ? ` · ${style.bold.red(sanitize(v.changes))}` : '';
  return `${style.bold(sanitize(v.type))} · ${sev} · ${sanitize(v.principal)} · ${sanitize(v.where)} · ${nature}${changes}`;
}

/** The detail view without its "Next:" block: the report ends with its own, better-informed commands. */
export function findingDetailForReport(report: InvestigationReport, target: RenderTarget, now: Date): string {
  const text = renderFindingDetail(report.detail, target, now, report.access ? { access: { read: report.access } } : {});
  const next = text.lastIndexOf(`\n\n${styles.heading(target.style, 'Next:')}`);
  return next >= 0 ? text.slice(0, next) : text;
}

/** The report rendered section by section (the triage console pages through them). */
export function renderInvestigationSections(report: InvestigationReport, target: RenderTarget, now: Date): RenderedReport {
  const detail = findingDetailForReport(report, target, now);
  const doc = buildReportDocument(report, { tty: target.stdoutIsTTY, now, scope: target.scope }, indent(detail));
  return {
    verdict: renderVerdict(doc, target.style),
    sections: doc.sections.map((section) => ({ id: section.id, title: section.title, text: joinBlocks(section.blocks, target) })),
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
