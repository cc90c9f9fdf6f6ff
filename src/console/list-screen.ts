/**
 * The first level: the header and the searchable list of findings, with refresh, archived toggle,
 * region switch and quit. Esc at the list quits the console (exit 130).
 */
import type { Choice } from '../cli/prompter.js';
import { GdIrError, InterruptedError } from '../core/errors.js';
import type { FindingSummary } from '../core/finding/index.js';
import { GUARDDUTY_REGIONS } from '../core/regions.js';
import { sanitize } from '../core/sanitize.js';
import { filterFindings, regionChoices, sortForTriage, type ListChoice } from '../core/triage.js';
import { listLayout, renderHeader, renderListRow, renderRowDescription, renderRowShort } from '../render/triage.js';
import { BACK, type ConsoleSession } from './session.js';

export interface ListState {
  region: string;
  detectorId?: string;
  includeArchived: boolean;
  findings: FindingSummary[];
  loadError?: string;
}

export function header(s: ConsoleSession, state: ListState): string {
  return renderHeader(
    {
      accountId: s.identity?.account ?? '?',
      region: state.region,
      callerArn: s.identity?.arn ?? '?',
      detectorId: state.detectorId,
      findings: state.findings,
      includeArchived: state.includeArchived,
      sandbox: s.ctx.sandbox !== undefined,
    },
    s.io.style,
    s.io.columns ?? s.promptColumns(),
  );
}

/** Reads identity, detector and findings; failures become a message in the list, not an exit. */
export async function loadList(s: ConsoleSession, state: ListState): Promise<void> {
  const spinner = await s.io.spinner(`Loading findings in ${state.region}…`);
  state.loadError = undefined;
  try {
    s.identity ??= await s.backend.identity();
    state.detectorId ??= await s.backend.detectorId(state.region);
    state.findings = state.detectorId ? sortForTriage(await s.backend.listFindings(state.region, state.detectorId, state.includeArchived)) : [];
    spinner.stop();
  } catch (err) {
    spinner.stop();
    if (s.isAbort(err)) throw err;
    // Credentials problems make every other step fail too: stop with the remedy (exit 4).
    if (err instanceof GdIrError && err.code === 'credentials') throw err;
    s.showError(err);
    state.findings = [];
    state.loadError = err instanceof Error ? err.message : String(err);
  }
  s.io.out('');
  s.io.out(header(s, state));
}

/** The analyst's pick from the list; Esc or Ctrl-C here quits the console (InterruptedError, exit 130). */
export async function pickFromList(s: ConsoleSession, state: ListState): Promise<ListChoice> {
  const style = s.io.errStyle;
  const now = s.ctx.clock.now();
  const layout = listLayout(state.findings, s.promptColumns() - 4);
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
  const pick = await s.ask(() =>
    s.ctx.prompter.search<ListChoice>({
      message: state.findings.length ? 'Pick a finding (type to filter; Esc quits)' : 'No findings (Esc quits)',
      pageSize: Math.max(6, Math.min(15, state.findings.length + controls.length)),
      source: (term) => {
        const rows: Array<Choice<ListChoice>> = filterFindings(state.findings, term).map((f) => ({
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
    }),
  );
  if (pick === BACK) throw new InterruptedError();
  return pick;
}

/** The region to switch to, or undefined when the analyst went back. */
export async function pickRegion(s: ConsoleSession, current: string): Promise<string | undefined> {
  const region = await s.ask(() =>
    s.ctx.prompter.search<string>({
      message: 'Switch to region (type to filter; Esc goes back)',
      source: (term) =>
        regionChoices(current, GUARDDUTY_REGIONS)
          .filter((r) => !term || r.includes(term.toLowerCase()))
          .map((r) => ({ name: r === current ? `${r} (current)` : r, value: r })),
    }),
  );
  return region === BACK ? undefined : region;
}
