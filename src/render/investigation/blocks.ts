/** The building blocks of the report document, and what each section builder receives. */
import type { InvestigationReport } from '../../core/investigation/index.js';
import type { RunScope } from '../../core/suggestion.js';

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

/** What every section builder gets. */
export interface SectionContext {
  report: InvestigationReport;
  /** A time as this audience reads it (relative on a terminal, ISO otherwise). */
  time: (iso: string | undefined) => string;
  /** Where the run acted: suggested commands are printed for it. */
  scope: RunScope;
  /** The finding detail view as the renderer shows it (the Finding section embeds it). */
  detailText: string;
}

/** User agents in one cell: "-" when none, else joined by " | ". */
export function userAgents(list: readonly string[]): string {
  return list.length === 0 ? '-' : list.join(' | ');
}
