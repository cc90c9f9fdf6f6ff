import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { GUARDDUTY_REGIONS } from '../../../src/core/regions.js';
import {
  DEFAULT_MAX_EVENTS,
  findingTrailInput,
  resolveTrailRegions,
  resolveTrailWindow,
  trailRequestForFinding,
} from '../../../src/core/trail/index.js';
import type { FindingSummary } from '../../../src/core/finding/index.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const d = (s: string): Date => new Date(s);

describe('resolveTrailWindow', () => {
  it('keeps a window inside the 90-day horizon as it is', () => {
    const r = resolveTrailWindow(d('2026-11-26T12:00:00Z'), d('2026-11-27T11:00:00Z'), NOW);
    expect(r).toEqual({ window: { start: d('2026-11-26T12:00:00Z'), end: d('2026-11-27T11:00:00Z') }, warnings: [], visible: true });
  });

  it('ends a window that reaches into the future at now', () => {
    const r = resolveTrailWindow(d('2026-11-27T00:00:00Z'), d('2026-11-28T00:00:00Z'), NOW);
    expect(r.window.end).toEqual(NOW);
    expect(r.warnings).toEqual([]);
  });

  it('clamps the start to the horizon and says which part cannot be seen', () => {
    const r = resolveTrailWindow(d('2026-08-01T12:00:00Z'), NOW, NOW);
    expect(r.window.start).toEqual(d('2026-08-29T12:00:00Z'));
    expect(r.visible).toBe(true);
    expect(r.warnings).toEqual([
      "CloudTrail event history keeps only the last 90 days: events from 2026-08-01T12:00:00Z to 2026-08-29T12:00:00Z (28 days of the window) cannot be seen with LookupEvents; search the trail's S3 logs or CloudTrail Lake for them",
    ]);
  });

  it('flags a window entirely older than 90 days as invisible', () => {
    const r = resolveTrailWindow(d('2026-01-01T00:00:00Z'), d('2026-02-01T00:00:00Z'), NOW);
    expect(r.visible).toBe(false);
    expect(r.warnings[0]).toMatch(/the whole window 2026-01-01T00:00:00Z → 2026-02-01T00:00:00Z is older/);
  });

  it('rejects an empty or inverted window (exit 2)', () => {
    expect(() => resolveTrailWindow(d('2026-11-27T10:00:00Z'), d('2026-11-27T09:00:00Z'), NOW)).toThrow(UsageError);
    expect(() => resolveTrailWindow(d('2026-11-27T10:00:00Z'), d('2026-11-27T10:00:00Z'), NOW)).toThrow(/not before --until/);
  });
});

describe('resolveTrailRegions', () => {
  it('defaults to the current region plus us-east-1', () => {
    expect(resolveTrailRegions(undefined, 'us-west-2')).toEqual({ regions: ['us-west-2', 'us-east-1'], warnings: [] });
  });

  it('de-duplicates when the current region is us-east-1', () => {
    expect(resolveTrailRegions(undefined, 'us-east-1').regions).toEqual(['us-east-1']);
  });

  it("expands 'all' to every GuardDuty region", () => {
    expect(resolveTrailRegions('all', 'us-west-2').regions).toEqual([...GUARDDUTY_REGIONS]);
  });

  it('takes an explicit list in order and warns when us-east-1 (IAM, root sign-ins, STS global endpoint from outside AWS) is missing', () => {
    const r = resolveTrailRegions(['eu-west-1', 'us-west-2', 'eu-west-1'], 'us-west-2');
    expect(r.regions).toEqual(['eu-west-1', 'us-west-2']);
    expect(r.warnings).toEqual([
      "IAM calls, the root user's console sign-ins and STS calls made through the global endpoint from outside AWS are recorded in us-east-1, which is not among the regions read: they will be missing from this trail",
    ]);
  });

  // CloudTrail User Guide, "AWS Management Console sign-in events": an IAM user signing in through the global endpoint
  // with the account alias cookie is recorded in us-east-2, eu-north-1 or ap-southeast-2 (by latency), else in us-east-1.
  it('a lookup by user name also reads the regions where console sign-ins are recorded', () => {
    expect(resolveTrailRegions(undefined, 'us-west-2', undefined, 'Username')).toEqual({
      regions: ['us-west-2', 'us-east-1', 'us-east-2', 'eu-north-1', 'ap-southeast-2'],
      warnings: [],
    });
    // A key lookup cannot find sign-ins (they carry no access key): no extra regions.
    expect(resolveTrailRegions(undefined, 'us-west-2', undefined, 'AccessKeyId').regions).toEqual(['us-west-2', 'us-east-1']);
  });

  it('an explicit list for a user lookup warns about the sign-in regions it leaves out', () => {
    const r = resolveTrailRegions(['us-west-2', 'us-east-1', 'us-east-2'], 'us-west-2', undefined, 'Username');
    expect(r.warnings).toEqual([
      "an IAM user's console sign-ins through the global sign-in endpoint are recorded in us-east-1, us-east-2, eu-north-1, ap-southeast-2 (by latency); eu-north-1, ap-southeast-2 are not read, so sign-ins there will be missing",
    ]);
    expect(resolveTrailRegions('all', 'us-west-2', undefined, 'Username').warnings).toEqual([]);
  });
});

describe('trailRequestForFinding', () => {
  const finding = {
    id: '0ac1e1b4c6f24d27a1c1d2e3f4a5b6c7',
    region: 'us-west-2',
    accessKeyId: 'AKIAQCOMPROMISED0EX1',
    userName: 'GuardDuty-Example-Compromised-Simulated',
    firstSeen: '2026-11-27T10:00:00Z',
    lastSeen: '2026-11-27T10:40:00Z',
    remoteIp: '198.51.100.77',
  };

  it('looks up by key, from 24 h before first seen to 1 h after last seen, in the finding region and us-east-1', () => {
    const r = trailRequestForFinding(finding, NOW);
    expect(r).toEqual({
      principal: { accessKeyId: finding.accessKeyId, userName: finding.userName },
      lookup: { attribute: 'AccessKeyId', value: finding.accessKeyId },
      window: { start: d('2026-11-26T10:00:00Z'), end: d('2026-11-27T11:40:00Z') },
      regions: ['us-west-2', 'us-east-1'],
      follow: false,
      maxEvents: DEFAULT_MAX_EVENTS,
      rate: undefined,
      filters: { events: [], errorsOnly: false },
      findingId: finding.id,
      findingIp: '198.51.100.77',
      warnings: [],
    });
  });

  it('falls back to the user name, ends at now, and takes options', () => {
    const r = trailRequestForFinding({ ...finding, accessKeyId: undefined, lastSeen: '2026-11-27T11:30:00Z' }, NOW, { follow: true, maxEvents: 50, regions: ['eu-west-1'] });
    expect(r.lookup).toEqual({ attribute: 'Username', value: finding.userName });
    expect(r.window.end).toEqual(NOW);
    expect(r.follow).toBe(true);
    expect(r.maxEvents).toBe(50);
    expect(r.regions).toEqual(['eu-west-1']);
    // us-east-1 is missing, and so are the console sign-in regions of a lookup by user name.
    expect(r.warnings).toHaveLength(2);
    expect(r.warnings[0]).toMatch(/^IAM calls, the root user's console sign-ins and STS calls .* us-east-1, which is not among the regions read/);
    expect(r.warnings[1]).toMatch(/^an IAM user's console sign-ins .*; us-east-2, eu-north-1, ap-southeast-2 are not read/);
  });

  it('refuses a finding without key or user (exit 2, with a remedy)', () => {
    expect(() => trailRequestForFinding({ id: finding.id, region: 'us-west-2' }, NOW)).toThrow(/names no access key or user/);
  });

  it('builds its input from a finding summary, leaving role names out of the Username lookup', () => {
    const summary = {
      id: finding.id,
      region: 'us-west-2',
      principal: { userName: 'GuardDuty-Example-EC2-Compromised-Role', userType: 'AssumedRole', accessKeyId: 'ASIAQROLESESSION0EX1', principalId: 'AROA:i-1' },
      remoteIp: null,
      firstSeen: null,
      lastSeen: '2026-11-27T10:40:00Z',
      createdAt: '2026-11-27T09:00:00Z',
      updatedAt: '2026-11-27T10:41:00Z',
    } as unknown as FindingSummary;
    expect(findingTrailInput(summary)).toEqual({
      id: finding.id,
      region: 'us-west-2',
      accessKeyId: 'ASIAQROLESESSION0EX1',
      firstSeen: '2026-11-27T09:00:00Z',
      lastSeen: '2026-11-27T10:40:00Z',
    });
  });
});
