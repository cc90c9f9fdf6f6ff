import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ArchiveFindingsCommand,
  BadRequestException,
  GetDetectorCommand,
  GetFindingsCommand,
  GetFindingsStatisticsCommand,
  ListDetectorsCommand,
  ListFindingsCommand,
  UnarchiveFindingsCommand,
  paginateListFindings,
} from '@aws-sdk/client-guardduty';
import type { FindingCriteria, SortCriteria } from '@aws-sdk/client-guardduty';
import { startSandbox } from '../../../src/sandbox/index.js';
import type { RunningSandbox } from '../../../src/sandbox/index.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import type { Clients } from './helpers.js';
import { TINY, TINY_CREDENTIALS, caught, clients, destroy, tinyWorld } from './helpers.js';

const DET = WORKSHOP.detectors['us-west-2'] as string;

describe('GuardDuty on the workshop scenario', () => {
  let sb: RunningSandbox;
  let c: Clients;
  beforeAll(async () => {
    sb = await startSandbox({ port: 0 });
    c = clients(sb);
  });
  afterAll(async () => {
    destroy(c);
    await sb.close();
  });

  it('lists and describes the detector per region', async () => {
    expect((await c.gd.send(new ListDetectorsCommand({}))).DetectorIds).toEqual([DET]);
    const d = await c.gd.send(new GetDetectorCommand({ DetectorId: DET }));
    expect(d.Status).toBe('ENABLED');
    expect(d.ServiceRole).toContain('AWSServiceRoleForAmazonGuardDuty');
    expect(typeof d.CreatedAt).toBe('string');
    const east = clients(sb, { region: 'us-east-1' });
    expect((await east.gd.send(new ListDetectorsCommand({}))).DetectorIds).toEqual([WORKSHOP.detectors['us-east-1']]);
    const none = clients(sb, { region: 'ap-south-1' });
    expect((await none.gd.send(new ListDetectorsCommand({}))).DetectorIds).toEqual([]);
    destroy(east);
    destroy(none);
  });

  it('rejects a detector the account does not own', async () => {
    const err = await caught(() => c.gd.send(new ListFindingsCommand({ DetectorId: 'deadbeef' })));
    expect(err).toBeInstanceOf(BadRequestException);
    expect(err.message).toBe('The request is rejected because the input detectorId is not owned by the current account.');
    expect(err.$metadata?.httpStatusCode).toBe(400);
    // us-east-1's detector does not exist in us-west-2
    const err2 = await caught(() => c.gd.send(new GetDetectorCommand({ DetectorId: WORKSHOP.detectors['us-east-1'] })));
    expect(err2).toBeInstanceOf(BadRequestException);
  });

  it('filters by type, archived state, access key and threat list', async () => {
    const list = async (criterion: FindingCriteria['Criterion']): Promise<string[]> =>
      (await c.gd.send(new ListFindingsCommand({ DetectorId: DET, FindingCriteria: { Criterion: criterion } }))).FindingIds ?? [];
    expect(await list({ type: { Equals: ['UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom'] } })).toEqual([WORKSHOP.findings.unauthorizedAccessCustom]);
    const all = await list({});
    const unarchived = await list({ 'service.archived': { Equals: ['false'] } });
    const archived = await list({ 'service.archived': { Equals: ['true'] } });
    expect(unarchived.length + archived.length).toBe(all.length);
    expect(archived.length).toBeGreaterThan(0);
    const byKey = await list({ 'resource.accessKeyDetails.accessKeyId': { Equals: [WORKSHOP.compromised.accessKeyId] } });
    expect(byKey).toEqual(expect.arrayContaining([WORKSHOP.findings.unauthorizedAccessCustom, WORKSHOP.findings.reconCustom]));
    const byList = await list({ 'service.additionalInfo.threatListName': { Equals: [WORKSHOP.threatListName] } });
    expect(byList).toEqual(expect.arrayContaining([WORKSHOP.findings.unauthorizedAccessCustom, WORKSHOP.findings.reconCustom]));
    const byIp = await list({ 'service.action.awsApiCallAction.remoteIpDetails.ipAddressV4': { Equals: [WORKSHOP.threatListIp] } });
    expect(byIp).toContain(WORKSHOP.findings.unauthorizedAccessCustom);
    // no prefix matching: equals is exact
    expect(await list({ type: { Equals: ['UnauthorizedAccess'] } })).toEqual([]);
  });

  it('sorts by severity DESC and pages with an opaque token bound to the request', async () => {
    const sort: SortCriteria = { AttributeName: 'severity', OrderBy: 'DESC' };
    const ids: string[] = [];
    for await (const page of paginateListFindings({ client: c.gd, pageSize: 3 }, { DetectorId: DET, SortCriteria: sort })) ids.push(...(page.FindingIds ?? []));
    const full = (await c.gd.send(new ListFindingsCommand({ DetectorId: DET, SortCriteria: sort }))).FindingIds ?? [];
    expect(ids).toEqual(full);
    expect(new Set(ids).size).toBe(ids.length);
    const findings = [];
    for (let i = 0; i < ids.length; i += 50) findings.push(...((await c.gd.send(new GetFindingsCommand({ DetectorId: DET, FindingIds: ids.slice(i, i + 50) }))).Findings ?? []));
    const sev = findings.map((f) => f.Severity ?? 0);
    expect([...sev].sort((a, b) => b - a)).toEqual(sev);
    const first = await c.gd.send(new ListFindingsCommand({ DetectorId: DET, SortCriteria: sort, MaxResults: 2 }));
    expect(first.NextToken).toBeTruthy();
    const err = await caught(() => c.gd.send(new ListFindingsCommand({ DetectorId: DET, MaxResults: 2, NextToken: first.NextToken })));
    expect(err).toBeInstanceOf(BadRequestException);
    const garbage = await caught(() => c.gd.send(new ListFindingsCommand({ DetectorId: DET, NextToken: 'not-a-token' })));
    expect(garbage).toBeInstanceOf(BadRequestException);
  });

  it('validates maxResults and the number of finding IDs', async () => {
    for (const n of [0, 51]) {
      const err = await caught(() => c.gd.send(new ListFindingsCommand({ DetectorId: DET, MaxResults: n })));
      expect(err).toBeInstanceOf(BadRequestException);
      expect(err.message).toMatch(/maxResults/);
    }
    const tooMany = Array.from({ length: 51 }, (_, i) => `id${i}`);
    const err = await caught(() => c.gd.send(new GetFindingsCommand({ DetectorId: DET, FindingIds: tooMany })));
    expect(err).toBeInstanceOf(BadRequestException);
  });

  it('GetFindings returns wire-shaped findings and omits unknown IDs', async () => {
    const r = await c.gd.send(new GetFindingsCommand({ DetectorId: DET, FindingIds: [WORKSHOP.findings.unauthorizedAccessCustom, 'nope'] }));
    expect(r.Findings).toHaveLength(1);
    const f = r.Findings?.[0];
    expect(f?.Type).toBe('UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom');
    expect(f?.Resource?.AccessKeyDetails?.AccessKeyId).toBe(WORKSHOP.compromised.accessKeyId);
    expect(f?.Service?.Action?.AwsApiCallAction?.RemoteIpDetails?.IpAddressV4).toBe(WORKSHOP.threatListIp);
    expect(typeof f?.UpdatedAt).toBe('string');
  });

  it('computes statistics by severity and finding type', async () => {
    const all = (await c.gd.send(new ListFindingsCommand({ DetectorId: DET }))).FindingIds ?? [];
    const s1 = await c.gd.send(new GetFindingsStatisticsCommand({ DetectorId: DET, FindingStatisticTypes: ['COUNT_BY_SEVERITY'] }));
    const counts = s1.FindingStatistics?.CountBySeverity ?? {};
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(all.length);
    const s2 = await c.gd.send(new GetFindingsStatisticsCommand({ DetectorId: DET, GroupBy: 'SEVERITY' }));
    expect((s2.FindingStatistics?.GroupedBySeverity ?? []).reduce((a, g) => a + (g.TotalFindings ?? 0), 0)).toBe(all.length);
    expect(s2.FindingStatistics?.GroupedBySeverity?.[0]?.LastGeneratedAt).toBeInstanceOf(Date);
    const s3 = await c.gd.send(new GetFindingsStatisticsCommand({ DetectorId: DET, GroupBy: 'FINDING_TYPE', FindingCriteria: { Criterion: { 'service.archived': { Equals: ['false'] } } } }));
    const types = s3.FindingStatistics?.GroupedByFindingType ?? [];
    expect(types.map((t) => t.FindingType)).toContain('Recon:IAMUser/MaliciousIPCaller.Custom');
    const err = await caught(() => c.gd.send(new GetFindingsStatisticsCommand({ DetectorId: DET })));
    expect(err).toBeInstanceOf(BadRequestException);
  });

  it('archives and unarchives findings (state change, updatedAt bumped)', async () => {
    const id = WORKSHOP.findings.reconCustom;
    const before = (await c.gd.send(new GetFindingsCommand({ DetectorId: DET, FindingIds: [id] }))).Findings?.[0];
    await c.gd.send(new ArchiveFindingsCommand({ DetectorId: DET, FindingIds: [id] }));
    const after = (await c.gd.send(new GetFindingsCommand({ DetectorId: DET, FindingIds: [id] }))).Findings?.[0];
    expect(after?.Service?.Archived).toBe(true);
    expect(Date.parse(after?.UpdatedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(before?.UpdatedAt ?? ''));
    const open = (await c.gd.send(new ListFindingsCommand({ DetectorId: DET, FindingCriteria: { Criterion: { 'service.archived': { Equals: ['false'] } } } }))).FindingIds;
    expect(open).not.toContain(id);
    await c.gd.send(new UnarchiveFindingsCommand({ DetectorId: DET, FindingIds: [id] }));
    const open2 = (await c.gd.send(new ListFindingsCommand({ DetectorId: DET, FindingCriteria: { Criterion: { 'service.archived': { Equals: ['false'] } } } }))).FindingIds;
    expect(open2).toContain(id);
  });
});

describe('GuardDuty criteria semantics on a tiny world', () => {
  let sb: RunningSandbox;
  let c: Clients;
  const now = new Date();
  beforeAll(async () => {
    sb = await startSandbox({ world: tinyWorld(now) });
    c = clients(sb, { credentials: TINY_CREDENTIALS });
  });
  afterAll(async () => {
    destroy(c);
    await sb.close();
  });
  const list = async (criterion: FindingCriteria['Criterion'], sort?: SortCriteria): Promise<string[]> =>
    (await c.gd.send(new ListFindingsCommand({ DetectorId: TINY.detectorId, FindingCriteria: { Criterion: criterion }, SortCriteria: sort }))).FindingIds ?? [];
  const ids = (...n: number[]): string[] => n.map((i) => `f${String(i).padStart(3, '0')}`);

  it('default order is stable by id; unset service.archived lists all', async () => {
    expect(await list({})).toEqual(ids(...Array.from({ length: 20 }, (_, i) => i)));
    expect(await list({ 'service.archived': { Equals: ['true'] } })).toEqual(ids(10, 11, 12, 13, 14, 15, 16, 17, 18, 19));
  });

  it('supports numeric operators, both generations', async () => {
    expect(await list({ severity: { GreaterThanOrEqual: 7 } })).toEqual(ids(0, 3, 6, 9, 12, 15, 18));
    expect(await list({ severity: { Gte: 7 } })).toEqual(ids(0, 3, 6, 9, 12, 15, 18));
    expect(await list({ severity: { Lt: 7 } })).toHaveLength(13);
    expect(await list({ 'service.count': { GreaterThan: 18 } })).toEqual(ids(18, 19));
  });

  it('compares updatedAt as epoch milliseconds', async () => {
    const cutoff = now.getTime() - 4.5 * 60_000;
    expect(await list({ updatedAt: { GreaterThanOrEqual: cutoff } })).toEqual(ids(0, 1, 2, 3, 4));
    expect(await list({ updatedAt: { LessThan: cutoff } })).toHaveLength(15);
  });

  it('supports equals/notEquals (and eq/neq) on nested paths and JSON additionalInfo', async () => {
    expect(await list({ 'resource.accessKeyDetails.accessKeyId': { Eq: ['AKIABAD'] } })).toEqual(ids(0, 1, 2, 3, 4));
    expect(await list({ 'resource.accessKeyDetails.accessKeyId': { NotEquals: ['AKIAOTHER'] } })).toEqual(ids(0, 1, 2, 3, 4));
    expect(await list({ 'service.additionalInfo.threatListName': { Equals: ['ListA'] } })).toEqual(ids(0, 1, 2));
    expect(await list({ 'service.action.awsApiCallAction.api': { Neq: ['ListBuckets'] }, 'service.archived': { Equals: ['false'] } })).toEqual(ids(1, 3, 5, 7, 9));
    expect(await list({ severity: { Equals: ['8'] }, type: { Equals: ['Recon:IAMUser/MaliciousIPCaller.Custom'] } })).toEqual(ids(0, 6, 12, 18));
  });

  it('sorts by any path, ASC and DESC, ties by id', async () => {
    expect(await list({}, { AttributeName: 'updatedAt', OrderBy: 'ASC' })).toEqual(ids(...Array.from({ length: 20 }, (_, i) => 19 - i)));
    const bySev = await list({}, { AttributeName: 'severity', OrderBy: 'DESC' });
    expect(bySev.slice(0, 7)).toEqual(ids(0, 3, 6, 9, 12, 15, 18));
    expect(await list({ 'service.archived': { Equals: ['false'] } }, { AttributeName: 'service.count', OrderBy: 'DESC' })).toEqual(ids(9, 8, 7, 6, 5, 4, 3, 2, 1, 0));
  });

  it('rejects invalid criteria with a clear BadRequestException', async () => {
    const err = await caught(() => list({ severity: { Matches: ['x'] } }));
    expect(err).toBeInstanceOf(BadRequestException);
    expect(err.message).toMatch(/matches/);
  });
});
