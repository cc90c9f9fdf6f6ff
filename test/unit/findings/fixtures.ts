/** Findings for the findings unit tests: the workshop scenario's wire-shaped findings at a fixed instant. */
import { buildScenario } from '../../../src/sandbox/scenarios/index.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';

export const NOW = new Date('2026-11-27T12:00:00.000Z');

export function workshopFindings(region = 'us-west-2'): Array<Record<string, unknown>> {
  const world = buildScenario('workshop', { now: NOW });
  return JSON.parse(JSON.stringify(world.regions[region]?.findings ?? [])) as Array<Record<string, unknown>>;
}

export function workshopFinding(id: string): Record<string, unknown> {
  const all = [...workshopFindings('us-west-2'), ...workshopFindings('us-east-1')];
  const f = all.find((x) => x.id === id);
  if (!f) throw new Error(`no workshop finding ${id}`);
  return f;
}

export const CUSTOM_ID = WORKSHOP.findings.unauthorizedAccessCustom;

const PASCAL_RENAMES: Record<string, string> = { lat: 'Lat', lon: 'Lon' };

/** The SDK / AWS CLI casing of a wire finding: member names PascalCase, map keys (affectedResources) unchanged. */
export function toPascal(value: unknown, keepKeys = false): unknown {
  if (Array.isArray(value)) return value.map((v) => toPascal(v));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = keepKeys ? k : (PASCAL_RENAMES[k] ?? k[0]?.toUpperCase() + k.slice(1));
    out[key] = toPascal(v, k === 'affectedResources');
  }
  return out;
}

/** Every kind of terminal attack in one string: CSI colour, OSC 8 link, CR, backspace, C1 CSI, bidi override. */
export const HOSTILE = 'x\u001b[31mred\u001b[0m\u001b]8;;http://evil.example\u0007link\u001b]8;;\u0007\r\b\u009b2J\u202eevil';

/** Control characters that must never reach a terminal from human output (ESC and the colour codes chalk adds aside). */
export const FORBIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/;
