/**
 * The investigation report's sections: one registry that the model, the terminal and Markdown
 * renderers, JSON warnings and the triage console all key on by id (never by display title).
 *
 * Adding a section: one line here, a core file that computes it (src/core/investigation/), a render
 * file that turns it into blocks (src/render/investigation/), and its id in the renderer table
 * (src/render/investigation/document.ts). See docs/architecture.md.
 */

export type SectionId = 'verdict' | 'finding' | 'dataSource' | 'activity' | 'changes' | 'permissions' | 'blastRadius' | 'recommendation';

/** What the gatherer collects; a part that cannot be read becomes a warning shown in its section. */
export type GatheredPart = 'finding' | 'activity' | 'changes' | 'permissions' | 'accessKeys' | 'relatedFindings';

/** The triage console pages the report in screens; each screen shows one or more sections. */
export type ConsoleScreen = 'summary' | 'activity' | 'changes' | 'permissions' | 'blast' | 'recommendation';

export interface SectionDef {
  id: SectionId;
  /** The heading in the terminal and Markdown reports. */
  title: string;
  /** The gathered parts whose warnings this section shows. */
  parts: readonly GatheredPart[];
  /** The console screen that shows it. */
  screen: ConsoleScreen;
}

/** In report order: the verdict is section 1, then these as numbered. */
export const SECTIONS: readonly SectionDef[] = [
  { id: 'verdict', title: 'Verdict', parts: [], screen: 'summary' },
  { id: 'finding', title: 'Finding', parts: ['finding', 'relatedFindings'], screen: 'summary' },
  { id: 'dataSource', title: 'Data source', parts: [], screen: 'summary' },
  { id: 'activity', title: 'Activity', parts: ['activity'], screen: 'activity' },
  { id: 'changes', title: 'Changes', parts: ['changes'], screen: 'changes' },
  { id: 'permissions', title: 'Permissions', parts: ['permissions'], screen: 'permissions' },
  { id: 'blastRadius', title: 'Blast radius', parts: ['accessKeys'], screen: 'blast' },
  { id: 'recommendation', title: 'Recommendation', parts: [], screen: 'recommendation' },
];

export interface ScreenDef {
  id: ConsoleScreen;
  /** The label in the console's section menu. */
  label: string;
}

/** The console's screens, in menu order. */
export const CONSOLE_SCREENS: readonly ScreenDef[] = [
  { id: 'summary', label: 'Summary' },
  { id: 'activity', label: 'Activity timeline' },
  { id: 'changes', label: 'What the attacker changed' },
  { id: 'permissions', label: 'Permissions' },
  { id: 'blast', label: 'Blast radius' },
  { id: 'recommendation', label: 'Recommendation' },
];

export function sectionDef(id: SectionId): SectionDef {
  const def = SECTIONS.find((s) => s.id === id);
  if (!def) throw new Error(`unknown report section: ${id}`);
  return def;
}

/** The section that shows a gathered part's warnings. */
export function sectionOfPart(part: GatheredPart): SectionId {
  return SECTIONS.find((s) => s.parts.includes(part))?.id ?? 'finding';
}

/** The sections a console screen shows, in report order. */
export function sectionsOfScreen(screen: ConsoleScreen): SectionId[] {
  return SECTIONS.filter((s) => s.screen === screen).map((s) => s.id);
}
