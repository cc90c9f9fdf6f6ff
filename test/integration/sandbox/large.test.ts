import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetFindingsCommand, ListDetectorsCommand, paginateListFindings } from '@aws-sdk/client-guardduty';
import { paginateLookupEvents } from '@aws-sdk/client-cloudtrail';
import { startSandbox } from '../../../src/sandbox/index.js';
import type { RunningSandbox } from '../../../src/sandbox/index.js';
import { LARGE } from '../../../src/sandbox/scenarios/large-facts.js';
import type { Clients } from './helpers.js';
import { clients, destroy } from './helpers.js';

const REGIONS = ['us-west-2', 'us-east-1', 'eu-west-1'];

describe('the large scenario: exact pagination at scale', () => {
  let sb: RunningSandbox;
  let c: Clients;
  beforeAll(async () => {
    sb = await startSandbox({ scenario: 'large', cloudTrailRateLimit: false });
    c = clients(sb);
  }, 120_000);
  afterAll(async () => {
    destroy(c);
    await sb.close();
  });

  it('pages through all 10,000 findings exactly once, default and sorted', async () => {
    const det = (await c.gd.send(new ListDetectorsCommand({}))).DetectorIds?.[0] as string;
    const total = sb.world.regions['us-west-2']?.findings.length ?? 0;
    expect(total).toBe(10_000);
    const ids: string[] = [];
    for await (const page of paginateListFindings({ client: c.gd, pageSize: 50 }, { DetectorId: det })) ids.push(...(page.FindingIds ?? []));
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
    const sorted: string[] = [];
    for await (const page of paginateListFindings({ client: c.gd, pageSize: 50 }, { DetectorId: det, SortCriteria: { AttributeName: 'updatedAt', OrderBy: 'DESC' } })) {
      sorted.push(...(page.FindingIds ?? []));
    }
    expect(new Set(sorted).size).toBe(total);
    const head = await c.gd.send(new GetFindingsCommand({ DetectorId: det, FindingIds: sorted.slice(0, 50) }));
    const byId = new Map((head.Findings ?? []).map((f) => [f.Id, Date.parse(f.UpdatedAt ?? '')]));
    const times = sorted.slice(0, 50).map((id) => byId.get(id) ?? 0);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const busy: string[] = [];
    for await (const page of paginateListFindings(
      { client: c.gd, pageSize: 50 },
      { DetectorId: det, FindingCriteria: { Criterion: { 'resource.accessKeyDetails.accessKeyId': { Equals: [LARGE.busy.accessKeyId] } } } },
    )) {
      busy.push(...(page.FindingIds ?? []));
    }
    expect(busy).toContain(LARGE.busyFindingId);
  }, 120_000);

  it('pages through all 5,000 events of the busy key across the three regions', async () => {
    let total = 0;
    const ids = new Set<string>();
    for (const region of REGIONS) {
      const rc = clients(sb, { region });
      let prev = Infinity;
      for await (const page of paginateLookupEvents({ client: rc.ct, pageSize: 50 }, { LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: LARGE.busy.accessKeyId }] })) {
        for (const e of page.Events ?? []) {
          const t = e.EventTime?.getTime() ?? 0;
          expect(t).toBeLessThanOrEqual(prev);
          prev = t;
          ids.add(e.EventId ?? '');
          total++;
        }
      }
      destroy(rc);
    }
    expect(total).toBe(5_000);
    expect(ids.size).toBe(5_000);
  }, 120_000);
});
