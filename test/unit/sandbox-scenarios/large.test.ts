import { describe, expect, it } from 'vitest';
import { LARGE_DEFAULTS, buildScenario } from '../../../src/sandbox/scenarios/index.js';
import { LARGE } from '../../../src/sandbox/scenarios/large-facts.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import { ISO_MS, NOW, allEvents, byKey } from './helpers.js';

const now = NOW.getTime();

describe('large (defaults)', () => {
  const w = buildScenario('large', { now: NOW });
  const findings = w.regions[LARGE_DEFAULTS.detectorRegion]?.findings ?? [];

  it('has exactly N findings with unique 32-hex ids in the detector region only', () => {
    expect(findings.length).toBe(LARGE_DEFAULTS.findings);
    expect(new Set(findings.map((f) => f.id)).size).toBe(findings.length);
    for (const f of findings) expect(f.id).toMatch(/^[0-9a-f]{32}$/);
    for (const r of LARGE_DEFAULTS.regions) {
      expect(w.regions[r]?.detector?.detectorId).toMatch(/^[0-9a-z]{32}$/);
      if (r !== LARGE_DEFAULTS.detectorRegion) expect(w.regions[r]?.findings.length).toBe(0);
    }
    expect(new Set(LARGE_DEFAULTS.regions.map((r) => w.regions[r]?.detector?.detectorId)).size).toBe(LARGE_DEFAULTS.regions.length);
  });

  it('spreads severities over the bands, archives ~10 %, spreads updatedAt over 90 days', () => {
    const bands = [0, 0, 0, 0];
    for (const f of findings) {
      expect(f.severity).toBeGreaterThanOrEqual(1);
      expect(f.severity).toBeLessThan(10);
      bands[f.severity < 4 ? 0 : f.severity < 7 ? 1 : f.severity < 9 ? 2 : 3]! += 1;
    }
    for (const b of bands) expect(b).toBeGreaterThan(0);
    const archived = findings.filter((f) => f.service.archived).length / findings.length;
    expect(archived).toBeGreaterThan(0.07);
    expect(archived).toBeLessThan(0.13);
    const ages = findings.map((f) => now - Date.parse(f.updatedAt));
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...ages)).toBeGreaterThan(80 * 86_400_000);
    expect(Math.max(...ages)).toBeLessThanOrEqual(90 * 86_400_000);
    expect(new Set(findings.map((f) => f.type)).size).toBeGreaterThan(5);
    expect(new Set(findings.map((f) => f.resource.resourceType))).toEqual(new Set(['AccessKey', 'Instance']));
    for (const f of findings.slice(0, 200)) {
      expect(f.createdAt).toMatch(ISO_MS);
      expect(Date.parse(f.createdAt)).toBeLessThanOrEqual(Date.parse(f.updatedAt));
      expect(Date.parse(f.service.eventLastSeen as string)).toBeLessThanOrEqual(Date.parse(f.updatedAt));
    }
  });

  it('the busy key has exactly eventsPerKey events, evenly over the regions, within 20 hours', () => {
    const busy = byKey(w, LARGE.busy.accessKeyId);
    expect(busy.length).toBe(LARGE_DEFAULTS.eventsPerKey);
    for (const r of LARGE_DEFAULTS.regions) {
      const n = busy.filter((e) => e.awsRegion === r).length;
      expect(Math.abs(n - LARGE_DEFAULTS.eventsPerKey / LARGE_DEFAULTS.regions.length)).toBeLessThanOrEqual(1);
    }
    for (const e of busy) {
      const age = now - Date.parse(e.eventTime);
      expect(age).toBeGreaterThanOrEqual(0);
      expect(age).toBeLessThanOrEqual(20 * 3_600_000);
      expect(e.userIdentity.userName).toBe(LARGE.busy.userName);
    }
    const events = allEvents(w);
    expect(events.length).toBeGreaterThan(busy.length);
    expect(new Set(events.map((e) => e.eventID)).size).toBe(events.length);
    for (const [r, d] of Object.entries(w.regions)) for (const e of d.events) expect(e.awsRegion).toBe(r);
  });

  it('has IAM users for all principals, each with a key and an inline policy, plus the sandbox analyst', () => {
    const users = Object.values(w.iam.users);
    expect(users.length).toBe(LARGE_DEFAULTS.users + 1);
    expect(w.iam.users[WORKSHOP.analyst.userName]).toBeDefined();
    expect(w.iam.accessKeys[WORKSHOP.analyst.accessKeyId]?.secretAccessKey).toBe(WORKSHOP.analyst.secretAccessKey);
    for (const u of users) {
      expect(Object.keys(u.inlinePolicies).length).toBe(1);
      expect(Object.values(w.iam.accessKeys).filter((k) => k.userName === u.userName).length).toBe(1);
    }
    const keyIds = new Set(Object.keys(w.iam.accessKeys));
    for (const f of findings.filter((x) => x.resource.resourceType === 'AccessKey')) {
      const ak = f.resource.accessKeyDetails as { accessKeyId: string; userName: string };
      expect(keyIds.has(ak.accessKeyId)).toBe(true);
      expect(w.iam.users[ak.userName]).toBeDefined();
    }
    const busyFinding = findings.find((f) => f.id === LARGE.busyFindingId);
    expect((busyFinding?.resource.accessKeyDetails as { accessKeyId: string }).accessKeyId).toBe(LARGE.busy.accessKeyId);
    expect(w.iam.accessKeys[LARGE.busy.accessKeyId]?.lastUsed).toBeDefined();
  });
});

describe('large (params)', () => {
  it('honours findings, users, eventsPerKey, regions and detectorRegion', () => {
    const w = buildScenario('large', {
      now: NOW, params: { findings: 123, users: 7, eventsPerKey: 77, regions: ['eu-central-1', 'ap-southeast-2'], detectorRegion: 'eu-central-1', seed: 9 },
    });
    expect(Object.keys(w.regions).sort()).toEqual(['ap-southeast-2', 'eu-central-1']);
    expect(w.regions['eu-central-1']?.findings.length).toBe(123);
    expect(byKey(w, LARGE.busy.accessKeyId).length).toBe(77);
    expect(Object.keys(w.iam.users).length).toBe(8);
  });

  it('adds the detector region when missing from regions, and handles zero sizes', () => {
    const w = buildScenario('large', { now: NOW, params: { findings: 0, users: 1, eventsPerKey: 0, regions: ['us-east-1'], detectorRegion: 'us-west-2' } });
    expect(Object.keys(w.regions).sort()).toEqual(['us-east-1', 'us-west-2']);
    expect(w.regions['us-west-2']?.findings.length).toBe(0);
    expect(byKey(w, LARGE.busy.accessKeyId).length).toBe(0);
  });

  it('rejects nonsense params', () => {
    expect(() => buildScenario('large', { now: NOW, params: { findings: -1 } })).toThrow();
    expect(() => buildScenario('large', { now: NOW, params: { regions: [] } })).toThrow();
    expect(() => buildScenario('workshop', { now: new Date('nope') })).toThrow();
  });
});
