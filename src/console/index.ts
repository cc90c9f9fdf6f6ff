/**
 * The triage console (`gd-ir triage`, `gd-ir` alone on a terminal, `gd-ir demo`): walks an analyst from
 * alert to containment with the same pieces as the subcommands: the findings gateway, the investigation
 * and remediation flows, the trail and policy renderers.
 *
 * Three small states, each its own module: the findings list (list-screen.ts), a finding's report
 * (report-screen.ts) and its actions (actions.ts), driven by finding-view.ts; Esc and Ctrl-C are
 * interpreted in one place (session.ts). Every failure is shown where it happened and the console goes
 * on (an analyst missing one permission can still use the rest).
 */
import type { Context } from '../cli/context.js';
import { runScope } from '../cli/invocation.js';
import { UsageError } from '../core/errors.js';
import type { SessionAction } from '../core/triage.js';
import { createBackend, type TriageBackend } from './backend.js';
import { findingView } from './finding-view.js';
import { header, loadList, pickFromList, pickRegion, type ListState } from './list-screen.js';
import { ConsoleSession } from './session.js';

export type { TriageBackend } from './backend.js';

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

export async function runTriage(ctx: Context, opts: TriageOptions = {}, backend: TriageBackend = createBackend(ctx)): Promise<TriageOutcome> {
  const s = new ConsoleSession(ctx, backend);
  if (opts.intro) for (const line of opts.intro) s.io.out(line);
  const defaultRegion = await ctx.aws.region();
  s.scope = runScope(ctx, defaultRegion);
  s.baseScope = s.scope;
  const state: ListState = { region: opts.region ?? defaultRegion, includeArchived: opts.includeArchived ?? false, findings: [] };
  await loadList(s, state);
  for (;;) {
    const choice = await pickFromList(s, state);
    switch (choice.kind) {
      case 'quit':
        return { actions: s.actions };
      case 'refresh':
        await loadList(s, state);
        break;
      case 'archived':
        state.includeArchived = !state.includeArchived;
        await loadList(s, state);
        break;
      case 'region': {
        const region = await pickRegion(s, state.region);
        if (region && region !== state.region) {
          state.region = region;
          state.detectorId = undefined;
          await loadList(s, state);
        }
        break;
      }
      case 'finding': {
        const summary = state.findings.find((f) => f.id === choice.id);
        if (!summary || !state.detectorId) break;
        const next = await findingView(s, summary, { region: state.region, detectorId: state.detectorId });
        if (next === 'quit') return { actions: s.actions };
        if (next === 'changed') await loadList(s, state);
        else {
          s.io.out('');
          s.io.out(header(s, state));
        }
        break;
      }
    }
  }
}

export function requireTerminal(ctx: Context): void {
  if (!ctx.interactive) {
    throw new UsageError('gd-ir triage needs a terminal (use the subcommands in scripts: gd-ir findings list, gd-ir investigate …)');
  }
}
