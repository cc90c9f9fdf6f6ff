/**
 * The sandbox's trail log files: CloudTrail's key layout, 5-minute files named by their delivery time
 * (never before their records), gzip of compact {"Records":[…]}; the workshop's S3 data events exist
 * only in the files, never in event history's records.
 */
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseLogKey } from '../../../src/core/logs/layout.js';
import { buildScenario } from '../../../src/sandbox/scenarios/index.js';
import { EXFIL_OBJECT_KEYS } from '../../../src/sandbox/scenarios/workshop-data-events.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import { allRecords, encodeTrailLogFile, FILE_PERIOD_MS, trailLogFiles } from '../../../src/sandbox/logs/trail-files.js';
import { syntheticRecords, SYNTHETIC_DEFAULTS } from '../../../src/sandbox/logs/synthetic.js';

const now = new Date('2026-06-01T12:00:00Z');

describe('trail log files', () => {
  const world = buildScenario('workshop', { now });
  const files = trailLogFiles(allRecords(world.regions), { orgId: 'o-exampleorgid', defaultAccountId: world.accountId });

  it('follow the organisation layout, one account, region and 5-minute period per file, delivered after their records', () => {
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const info = parseLogKey(f.key);
      expect(info, f.key).toMatchObject({ kind: 'log', orgId: 'o-exampleorgid', accountId: WORKSHOP.accountId, deliveredMs: Math.floor(f.deliveredMs / 60_000) * 60_000 });
      expect(f.key).toMatch(/_CloudTrail_[a-z0-9-]+_\d{8}T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$/);
      const times = f.records.map((r) => Date.parse(r.eventTime));
      expect(Math.max(...times)).toBeLessThanOrEqual(f.deliveredMs);
      expect(Math.floor(Math.min(...times) / FILE_PERIOD_MS)).toBe(Math.floor(Math.max(...times) / FILE_PERIOD_MS));
      expect(new Set(f.records.map((r) => r.awsRegion))).toEqual(new Set([info?.region]));
    }
    const count = files.reduce((n, f) => n + f.records.length, 0);
    const expected = Object.values(world.regions).reduce((n, r) => n + r.events.length + (r.dataEvents?.length ?? 0), 0);
    expect(count).toBe(expected);
  });

  it('a body is gzip of compact {"Records":[…]} starting with eventVersion', () => {
    const body = gunzipSync(encodeTrailLogFile(files[0] as (typeof files)[number])).toString('utf8');
    expect(body.startsWith('{"Records":[{"eventVersion":')).toBe(true);
    expect(JSON.parse(body).Records).toHaveLength(files[0]?.records.length ?? -1);
  });

  it('the S3 exfiltration reads are data events, in the files and not among the LookupEvents records', () => {
    const west = world.regions[WORKSHOP.homeRegion];
    expect(west?.dataEvents?.map((e) => (e.requestParameters as { key: string }).key)).toEqual([...EXFIL_OBJECT_KEYS]);
    expect(west?.events.some((e) => e.eventName === 'GetObject')).toBe(false);
    for (const e of west?.dataEvents ?? []) {
      expect(e).toMatchObject({ eventCategory: 'Data', managementEvent: false, eventSource: 's3.amazonaws.com', sourceIPAddress: WORKSHOP.role.exfilIp });
      expect(e.userIdentity.accessKeyId).toBe(WORKSHOP.role.sessionKeyId);
    }
    const finding = west?.findings.find((f) => f.id === WORKSHOP.findings.s3Exfiltration);
    const first = Date.parse(finding?.service.eventFirstSeen ?? '');
    const last = Date.parse(finding?.service.eventLastSeen ?? '');
    for (const e of west?.dataEvents ?? []) {
      expect(Date.parse(e.eventTime)).toBeGreaterThanOrEqual(first - 1000);
      expect(Date.parse(e.eventTime)).toBeLessThanOrEqual(last);
    }
    expect(files.flatMap((f) => f.records).filter((r) => r.eventCategory === 'Data')).toHaveLength(EXFIL_OBJECT_KEYS.length);
  });

  it('the synthetic stream is deterministic, in time order, with one busy-key record in busyEvery', () => {
    const p = { ...SYNTHETIC_DEFAULTS, events: 2_000, files: 6, end: now };
    const a = [...syntheticRecords(p)];
    const b = [...syntheticRecords(p)];
    expect(a).toEqual(b);
    expect(a.every((r, i) => i === 0 || (a[i - 1] as { eventTime: string }).eventTime <= r.eventTime)).toBe(true);
    expect(a.filter((r) => r.userIdentity.accessKeyId === 'AKIALARGEBUSYKEY0001')).toHaveLength(2_000 / p.busyEvery);
  });
});
