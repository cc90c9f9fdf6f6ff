import { describe, expect, it } from 'vitest';
import {
  buildFindingCriteria,
  matchesFilters,
  parseTypeFilters,
  resolveTypeFilter,
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
    // The type condition is the exact types the selection stands for where it is applied (an exact type: itself).
    const { types } = resolveTypeFilter(o.filters, []);
    expect(types).toEqual(['UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom']);
    expect(buildFindingCriteria(o.filters)).not.toHaveProperty('Criterion.type');
    expect(buildFindingCriteria(o.filters, types)).toEqual({
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
    [{ type: ['has space'] }, /invalid finding type/],
    [{ type: ['*'] }, /invalid finding type '\*'/],
  ])('rejects %o', (raw, message) => {
    expect(() => parse(raw)).toThrow(UsageError);
    expect(() => parse(raw)).toThrow(message);
  });
});

describe('--type: parse, then resolve against the types that exist where it is applied', () => {
  it('parses exact types and prefixes (a trailing * is a prefix), shape only: a type newer than the catalogue is fine', () => {
    expect(parseTypeFilters(['UnauthorizedAccess:IAMUser/', 'Brand:New/Type', 'Recon:*', 'Nope:Nothing/', 'Recon:*'])).toEqual({
      prefixes: ['UnauthorizedAccess:IAMUser/', 'Recon:', 'Nope:Nothing/'],
      exact: ['Brand:New/Type'],
    });
  });

  it("expands a prefix against the available types (online: the detector's), exact types pass through", () => {
    const available = ['UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom', 'UnauthorizedAccess:IAMUser/ANewType2027', 'Recon:IAMUser/MaliciousIPCaller'];
    const filters = { typePrefixes: ['UnauthorizedAccess:IAMUser/', 'Nope:'], exactTypes: ['Brand:New/Type'] };
    expect(resolveTypeFilter(filters, available)).toEqual({
      types: ['Brand:New/Type', 'UnauthorizedAccess:IAMUser/ANewType2027', 'UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom'],
      unmatched: ['Nope:'],
    });
    // The same prefix over the catalogue: the types gd-ir knows.
    expect(resolveTypeFilter({ typePrefixes: ['Recon:'], exactTypes: [] }, FINDING_TYPES).types).toEqual(FINDING_TYPES.filter((t) => t.startsWith('Recon:')).sort());
  });

  it('refuses more than GuardDuty takes in one condition', () => {
    expect(() => resolveTypeFilter({ typePrefixes: ['Execution:', 'Persistence:', 'Impact:', 'Discovery:'], exactTypes: [] }, FINDING_TYPES)).toThrow(/GuardDuty accepts at most 50/);
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

  it('a prefix means startsWith offline, whatever the catalogue knows', () => {
    const renamed = summaries.map((s) => (s.id === WORKSHOP.findings.reconCustom ? { ...s, type: 'Recon:IAMUser/BrandNewType' } : s));
    const o = parse({ type: ['Recon:IAMUser/'] });
    expect(renamed.filter((s) => matchesFilters(s, o.filters)).map((s) => s.id)).toEqual([WORKSHOP.findings.reconCustom]);
  });
});
