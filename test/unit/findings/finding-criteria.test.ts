import { describe, expect, it } from 'vitest';
import {
  buildFindingCriteria,
  expandTypes,
  matchesFilters,
  needsSeverityRefine,
  listOptions,
  sortCriteriaFor,
} from '../../../src/core/finding-criteria.js';
import { normalizeFinding, toFindingSummary } from '../../../src/core/finding/index.js';
import { FINDING_TYPES } from '../../../src/core/finding-types.js';
import { UsageError } from '../../../src/core/errors.js';
import { parseInput } from '../../../src/cli/command-spec.js';
import { findingsList } from '../../../src/cli/commands/findings.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import { NOW, workshopFindings } from './fixtures.js';

/** The command line's values, validated as `gd-ir findings list` does, then turned into list options. */
const parse = (raw: Record<string, unknown>) => listOptions(parseInput(findingsList, [], raw, { now: NOW }).options);

describe('list options + buildFindingCriteria', () => {
  it('defaults to unarchived findings, 50 of them, by severity', () => {
    const o = parse({});
    expect(o.limit).toBe(50);
    expect(o.sort).toBe('severity');
    expect(buildFindingCriteria(o.filters)).toEqual({ Criterion: { 'service.archived': { Equals: ['false'] } } });
    expect(sortCriteriaFor(o.sort)).toEqual({ AttributeName: 'severity', OrderBy: 'DESC' });
  });

  it('translates every filter into long-typed GuardDuty conditions', () => {
    const o = parse({
      severity: 'high',
      type: ['UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom'],
      user: WORKSHOP.compromised.userName,
      key: WORKSHOP.compromised.accessKeyId,
      since: '24h',
      archived: true,
      limit: '200',
    });
    expect(o.limit).toBe(200);
    expect(buildFindingCriteria(o.filters)).toEqual({
      Criterion: {
        'service.archived': { Equals: ['true'] },
        severity: { GreaterThanOrEqual: 7 },
        type: { Equals: ['UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom'] },
        'resource.accessKeyDetails.userName': { Equals: [WORKSHOP.compromised.userName] },
        'resource.accessKeyDetails.accessKeyId': { Equals: [WORKSHOP.compromised.accessKeyId] },
        updatedAt: { GreaterThanOrEqual: NOW.getTime() - 86_400_000 },
      },
    });
  });

  it('--all drops the archived condition; --all-pages drops the limit; ISO --since is exact', () => {
    const o = parse({ all: true, allPages: true, since: '2026-11-20T10:00:00Z', sort: 'count' });
    expect(o.limit).toBeUndefined();
    expect(buildFindingCriteria(o.filters)).toEqual({ Criterion: { updatedAt: { GreaterThanOrEqual: Date.parse('2026-11-20T10:00:00Z') } } });
    expect(sortCriteriaFor(o.sort)).toEqual({ AttributeName: 'service.count', OrderBy: 'DESC' });
    expect(sortCriteriaFor('updated')).toEqual({ AttributeName: 'updatedAt', OrderBy: 'DESC' });
  });

  it('sends a fractional --min-severity rounded down and refines locally', () => {
    const o = parse({ minSeverity: '5.5' });
    expect(buildFindingCriteria(o.filters).Criterion.severity).toEqual({ GreaterThanOrEqual: 5 });
    expect(needsSeverityRefine(o.filters)).toBe(true);
    expect(needsSeverityRefine(parse({ minSeverity: '5' }).filters)).toBe(false);
  });

  it.each([
    [{ severity: 'severe' }, /invalid severity 'severe': expected one of low, medium, high, critical/],
    [{ minSeverity: '11' }, /expected a number from 0 to 10/],
    [{ severity: 'high', minSeverity: '5' }, /cannot be used together/],
    [{ archived: true, all: true }, /--archived and --all cannot be used together/],
    [{ limit: '0' }, /invalid --limit '0': expected a whole number from 1 to 10000/],
    [{ limit: '10001' }, /from 1 to 10000/],
    [{ limit: 'ten' }, /invalid --limit/],
    [{ limit: '5', allPages: true }, /--limit and --all-pages/],
    [{ user: 'bad user!' }, /invalid user name/],
    [{ key: 'AKIA-nope' }, /invalid access key ID/],
    [{ since: 'yesterday' }, /invalid --since 'yesterday': expected a duration before now/],
    [{ sort: 'name' }, /invalid sort 'name': expected one of severity, updated, count/],
    [{ type: ['Nope:Nothing/'] }, /no known GuardDuty finding type starts with 'Nope:Nothing\/'/],
    [{ type: ['has space'] }, /invalid finding type/],
  ])('rejects %o', (raw, message) => {
    expect(() => parse(raw)).toThrow(UsageError);
    expect(() => parse(raw)).toThrow(message);
  });
});

describe('expandTypes', () => {
  it('expands a prefix against the catalogue and passes exact types through, known or not', () => {
    const e = expandTypes(['UnauthorizedAccess:IAMUser/', 'Brand:New/Type']);
    expect(e.types).toEqual([...FINDING_TYPES.filter((t) => t.startsWith('UnauthorizedAccess:IAMUser/')), 'Brand:New/Type']);
    expect(e.types).toContain('UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom');
    expect(e.prefixes).toEqual(['UnauthorizedAccess:IAMUser/']);
    expect(e.exact).toEqual(['Brand:New/Type']);
    expect(expandTypes(['Recon:*']).types).toEqual(FINDING_TYPES.filter((t) => t.startsWith('Recon:')));
  });

  it('refuses more than GuardDuty takes in one condition', () => {
    expect(() => expandTypes(['Execution:', 'Persistence:', 'Impact:', 'Discovery:'])).toThrow(/GuardDuty accepts at most 50/);
  });
});

describe('matchesFilters (offline input only)', () => {
  const summaries = workshopFindings().map((f) => toFindingSummary(normalizeFinding(f)));
  const ids = (raw: Record<string, unknown>): string[] => summaries.filter((s) => matchesFilters(s, parse(raw).filters)).map((s) => s.id).sort();

  it('applies the same meaning as the GuardDuty criteria', () => {
    expect(ids({})).toHaveLength(summaries.filter((s) => !s.archived).length);
    expect(ids({ archived: true })).toEqual([WORKSHOP.findings.archivedPortProbe, WORKSHOP.findings.archivedBucketPolicy, WORKSHOP.findings.archivedPortscan].sort());
    expect(ids({ all: true })).toHaveLength(summaries.length);
    expect(ids({ type: ['UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom'] })).toEqual([WORKSHOP.findings.unauthorizedAccessCustom]);
    expect(ids({ type: ['Recon:IAMUser/', 'UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom'] })).toEqual(
      [WORKSHOP.findings.unauthorizedAccessCustom, WORKSHOP.findings.reconCustom].sort(),
    );
    expect(ids({ user: WORKSHOP.compromised.userName, severity: 'medium' })).toEqual(
      [WORKSHOP.findings.unauthorizedAccessCustom, WORKSHOP.findings.reconCustom, WORKSHOP.findings.hostileKali].sort(),
    );
    expect(ids({ key: WORKSHOP.compromised.accessKeyId })).toEqual([WORKSHOP.findings.unauthorizedAccessCustom, WORKSHOP.findings.reconCustom].sort());
    expect(ids({ severity: 'high' })).toEqual([WORKSHOP.findings.credentialExfiltration, WORKSHOP.findings.s3Exfiltration, WORKSHOP.findings.bitcoinDns].sort());
    expect(ids({ since: '2h' }).length).toBeGreaterThan(0);
    expect(ids({ since: '2h' }).length).toBeLessThan(ids({}).length);
  });
});
