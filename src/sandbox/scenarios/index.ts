/**
 * The sandbox's scenarios: named, deterministic builders of a World (src/sandbox/model.ts).
 * `workshop` replays the GuardDuty workshop (docs/scenarios.md); `org` makes its account the GuardDuty administrator
 * of two member accounts (org.ts); `large` is generated for scale tests; `persistence` is an attacker leaving
 * persistence behind, with a live attacker while the sandbox runs.
 */
import type { AttackerScript } from '../attacker.js';
import type { World } from '../model.js';
import { buildLarge } from './large.js';
import { buildOrg } from './org.js';
import type { LargeParams } from './large-facts.js';
import { LARGE_DEFAULTS } from './large-facts.js';
import { buildPersistence } from './persistence.js';
import { PERSISTENCE_ATTACKER } from './persistence-attacker.js';
import { PERSISTENCE_TIMELINE } from './persistence-facts.js';
import { buildWorkshop } from './workshop.js';
import { withWorkshopDataEvents } from './workshop-data-events.js';
import { withWorkshopTrailTable } from './workshop-trail-table.js';

export type { LargeParams } from './large-facts.js';
export { LARGE_DEFAULTS } from './large-facts.js';

export type ScenarioName = 'workshop' | 'large' | 'org' | 'persistence';

export const SCENARIOS: readonly ScenarioName[] = ['workshop', 'large', 'org', 'persistence'];

export function isScenarioName(name: string): name is ScenarioName {
  return (SCENARIOS as readonly string[]).includes(name);
}

/** Builds a fresh World. Same `now` and params → deep-equal World. */
export function buildScenario(name: ScenarioName, opts: { now: Date; params?: Partial<LargeParams> }): World {
  if (Number.isNaN(opts.now.getTime())) throw new Error('buildScenario: invalid `now`');
  switch (name) {
    case 'workshop':
      return withWorkshopTrailTable(withWorkshopDataEvents(buildWorkshop(opts.now)));
    case 'org':
      return buildOrg(opts.now);
    case 'large':
      return buildLarge(opts.now, { ...LARGE_DEFAULTS, ...opts.params, regions: [...(opts.params?.regions ?? LARGE_DEFAULTS.regions)] });
    case 'persistence':
      return withWorkshopTrailTable(buildPersistence(opts.now));
    default: {
      const never: never = name;
      throw new Error(`unknown scenario: ${String(never)}`);
    }
  }
}

/** What runs beside a scenario's data while the sandbox serves it. */
export interface ScenarioRuntime {
  /** A live attacker (src/sandbox/attacker.ts) and its default interval. */
  attacker?: { script: AttackerScript; intervalMs: number };
  /**
   * Keep the scenario's timeline where it was at the first change: the journal stores the anchor, and a restarted
   * sandbox rebuilds the scenario at that instant instead of now. A scenario whose history must stay consistent with
   * the absolute times of the analyst's actions (the audit log's containment time) needs this.
   */
  pinsAnchor?: boolean;
}

export function scenarioRuntime(name: string): ScenarioRuntime {
  if (name === 'persistence') return { attacker: { script: PERSISTENCE_ATTACKER, intervalMs: PERSISTENCE_TIMELINE.liveIntervalMs }, pinsAnchor: true };
  return {};
}
