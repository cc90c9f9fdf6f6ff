/**
 * The sandbox's scenarios: named, deterministic builders of a World (src/sandbox/model.ts).
 * `workshop` replays the GuardDuty workshop (docs/scenarios.md); `org` makes its account the GuardDuty administrator
 * of two member accounts (org.ts); `large` is generated for scale tests.
 */
import type { World } from '../model.js';
import { buildLarge } from './large.js';
import { buildOrg } from './org.js';
import type { LargeParams } from './large-facts.js';
import { LARGE_DEFAULTS } from './large-facts.js';
import { buildWorkshop } from './workshop.js';
import { withWorkshopDataEvents } from './workshop-data-events.js';
import { withWorkshopTrailTable } from './workshop-trail-table.js';

export type { LargeParams } from './large-facts.js';
export { LARGE_DEFAULTS } from './large-facts.js';

export type ScenarioName = 'workshop' | 'large' | 'org';

export const SCENARIOS: readonly ScenarioName[] = ['workshop', 'large', 'org'];

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
    default: {
      const never: never = name;
      throw new Error(`unknown scenario: ${String(never)}`);
    }
  }
}
