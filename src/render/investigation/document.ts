/**
 * The investigation report for humans, as one document model (sections of text, bullets, tables and
 * commands) built once from the report; the terminal renderer (terminal.ts) and the Markdown renderer
 * (markdown.ts) print the same document, so a ticket says exactly what the analyst saw. Values in the
 * document are raw: each renderer sanitises (and, for Markdown, escapes) them.
 *
 * Sections come from the registry (src/core/investigation/sections.ts), in its order; each has one
 * builder file in ./sections/. Suggested commands are turned into lines here, with the run's scope.
 */
import { describePrincipal, SECTIONS, sectionOfPart, type InvestigationReport, type SectionId } from '../../core/investigation/index.js';
import type { RunScope } from '../../core/suggestion.js';
import type { Block, SectionContext } from './blocks.js';
import { displayTime } from '../format.js';
import { activityBlocks } from './sections/activity.js';
import { blastRadiusBlocks } from './sections/blast-radius.js';
import { changesBlocks } from './sections/changes.js';
import { dataSourceBlocks } from './sections/data-source.js';
import { findingBlocks } from './sections/finding.js';
import { permissionsBlocks } from './sections/permissions.js';
import { recommendationBlocks } from './sections/recommendation.js';

export interface ReportSection {
  id: SectionId;
  title: string;
  blocks: Block[];
}

export interface ReportDocument {
  /** The verdict line's parts, in order. */
  verdict: { type: string; severity: number; severityLabel: string; principal: string; where: string; nature: string; changes?: string };
  /** The numbered sections after the verdict, in registry order. */
  sections: ReportSection[];
}

type SectionBuilder = (c: SectionContext) => Block[];

/** One builder per section of the registry (the verdict is the document's own line, not a section). */
const BUILDERS: Record<Exclude<SectionId, 'verdict'>, SectionBuilder> = {
  finding: findingBlocks,
  dataSource: dataSourceBlocks,
  activity: activityBlocks,
  changes: changesBlocks,
  permissions: permissionsBlocks,
  blastRadius: blastRadiusBlocks,
  recommendation: recommendationBlocks,
};

/** The document both renderers print. `detailText` is the finding detail view as that renderer shows it. */
export function buildReportDocument(report: InvestigationReport, o: { tty: boolean; now: Date; scope?: RunScope }, detailText: string): ReportDocument {
  const inv = report.investigation;
  const f = inv.finding;
  const c: SectionContext = { report, time: (v) => displayTime(v, { tty: o.tty, now: o.now }), scope: o.scope ?? {}, detailText };
  const sections: ReportSection[] = [];
  for (const def of SECTIONS) {
    if (def.id === 'verdict') continue;
    const warnings: Block[] = inv.warnings.filter((w) => sectionOfPart(w.section) === def.id).map((w) => ({ kind: 'warning', text: w.message }));
    sections.push({ id: def.id, title: def.title, blocks: [...BUILDERS[def.id](c), ...warnings] });
  }
  return {
    verdict: {
      type: f.type,
      severity: f.severity,
      severityLabel: inv.severityLabel,
      principal: describePrincipal(inv.principal),
      where: `account ${f.accountId} · ${f.region}`,
      nature: inv.principal.kind === 'sample' ? 'SAMPLE finding' : f.archived ? 'real finding (archived)' : 'real finding',
      // What the attacker left behind counts as much as what it read: the verdict says how much is still in place.
      ...(inv.changes && inv.changes.inPlace > 0 ? { changes: `${inv.changes.inPlace} attacker change${inv.changes.inPlace === 1 ? '' : 's'} still in place` } : {}),
    },
    sections,
  };
}
