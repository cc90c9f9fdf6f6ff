/** Workshop findings as the console sees them (summaries), at a fixed instant. */
import { normalizeFinding, toFindingSummary, type FindingSummary } from '../../../src/core/finding/index.js';
import { buildScenario } from '../../../src/sandbox/scenarios/index.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';

export const NOW = new Date('2026-11-27T12:00:00.000Z');

export function workshopSummaries(region = 'us-west-2'): FindingSummary[] {
  const world = buildScenario('workshop', { now: NOW });
  const raw = JSON.parse(JSON.stringify(world.regions[region]?.findings ?? [])) as unknown[];
  return raw.map((r) => toFindingSummary(normalizeFinding(r)));
}

export function summary(id: string): FindingSummary {
  const f = [...workshopSummaries('us-west-2'), ...workshopSummaries('us-east-1')].find((s) => s.id === id);
  if (!f) throw new Error(`no workshop finding ${id}`);
  return f;
}

export const F = WORKSHOP.findings;
