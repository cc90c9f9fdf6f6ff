/** The second level: the investigation report, one console screen at a time (registry order). */
import type { Choice } from '../cli/prompter.js';
import type { InvestigationReport } from '../core/investigation/index.js';
import { REPORT_SECTIONS, sectionAvailable, type ReportSection } from '../core/triage.js';
import { renderReportSection, SECTION_LABELS } from '../render/triage.js';
import { BACK, type Back, type ConsoleSession } from './session.js';

export function printSection(s: ConsoleSession, report: InvestigationReport, section: ReportSection): void {
  s.io.out('');
  s.io.out(renderReportSection(report, section, s.target(), s.ctx.clock.now()));
}

/** The next screen to read (Enter reads the first unread one), the actions, back — or BACK on Esc. */
export async function pickSection(s: ConsoleSession, report: InvestigationReport, read: ReadonlySet<ReportSection>): Promise<ReportSection | 'actions' | 'back' | Back> {
  const style = s.io.errStyle;
  const next = REPORT_SECTIONS.find((x) => !read.has(x) && sectionAvailable(report, x));
  const choices: Array<Choice<ReportSection | 'actions' | 'back'>> = [
    ...REPORT_SECTIONS.map((x) => ({
      name: `${read.has(x) ? style.green('✓') : ' '} ${SECTION_LABELS[x]}`,
      short: SECTION_LABELS[x],
      value: x,
      disabled: sectionAvailable(report, x) ? false : '(not gathered for this principal)',
    })),
    { name: `${style.bold('→')} Actions: contain, export, archive…`, short: 'Actions', value: 'actions' },
    { name: '← Back to the findings list', short: 'Back to the list', value: 'back' },
  ];
  const pick = await s.ask(() =>
    s.ctx.prompter.select<ReportSection | 'actions' | 'back'>({
      message: 'Report: Enter reads the next section (Esc: back)',
      choices,
      default: next ?? 'actions',
      pageSize: choices.length,
    }),
  );
  return pick === BACK ? BACK : pick;
}
