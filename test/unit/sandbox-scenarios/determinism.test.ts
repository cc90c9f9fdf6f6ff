import { describe, expect, it } from 'vitest';
import { LARGE_DEFAULTS, SCENARIOS, buildScenario } from '../../../src/sandbox/scenarios/index.js';
import { NOW } from './helpers.js';

describe('scenario determinism', () => {
  it('lists the scenarios', () => {
    expect([...SCENARIOS]).toEqual(['workshop', 'large', 'org', 'persistence']);
  });

  it('org: same now gives a deep-equal world, JSON round-trippable', () => {
    const a = buildScenario('org', { now: NOW });
    const b = buildScenario('org', { now: new Date(NOW.getTime()) });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });

  it('LARGE_DEFAULTS are the documented ones', () => {
    expect(LARGE_DEFAULTS).toEqual({
      findings: 10000, users: 50, eventsPerKey: 5000, regions: ['us-west-2', 'us-east-1', 'eu-west-1'], seed: 1, detectorRegion: 'us-west-2',
    });
  });

  it('workshop: same now gives a deep-equal world', () => {
    const a = buildScenario('workshop', { now: NOW });
    const b = buildScenario('workshop', { now: new Date(NOW.getTime()) });
    expect(a).toEqual(b);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.anchor).toBe(NOW.toISOString());
  });

  it('workshop: another now shifts times but keeps the shape', () => {
    const a = buildScenario('workshop', { now: NOW });
    const b = buildScenario('workshop', { now: new Date(NOW.getTime() + 86_400_000) });
    expect(a).not.toEqual(b);
    expect(b.regions['us-west-2']?.findings.length).toBe(a.regions['us-west-2']?.findings.length);
    expect(b.regions['us-west-2']?.events.length).toBe(a.regions['us-west-2']?.events.length);
  });

  it('large: same now and params give a deep-equal world; the seed changes it', () => {
    const params = { findings: 500, eventsPerKey: 300, users: 10 };
    const a = buildScenario('large', { now: NOW, params });
    const b = buildScenario('large', { now: new Date(NOW.getTime()), params: { ...params } });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const c = buildScenario('large', { now: NOW, params: { ...params, seed: 2 } });
    expect(JSON.stringify(c)).not.toBe(JSON.stringify(a));
  });

  it('persistence: same now gives a deep-equal, JSON round-trippable world', () => {
    const a = buildScenario('persistence', { now: NOW });
    const b = buildScenario('persistence', { now: new Date(NOW.getTime()) });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });

  it('worlds are JSON round-trippable (plain data)', () => {
    const w = buildScenario('workshop', { now: NOW });
    expect(JSON.parse(JSON.stringify(w))).toEqual(w);
  });

  it('building does not share mutable state between worlds', () => {
    const a = buildScenario('workshop', { now: NOW });
    const key = a.iam.accessKeys['AKIAQCOMPROMISED0EX1'];
    if (key) key.status = 'Inactive';
    a.regions['us-west-2']?.findings.pop();
    const b = buildScenario('workshop', { now: NOW });
    expect(b.iam.accessKeys['AKIAQCOMPROMISED0EX1']?.status).toBe('Active');
    expect(b.regions['us-west-2']?.findings.length).toBe(14);
  });
});
