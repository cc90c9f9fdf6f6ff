import { describe, expect, it } from 'vitest';
import { listFindings } from '../../../src/aws/guardduty.js';
import type { Context } from '../../../src/cli/context.js';
import { AwsError } from '../../../src/core/errors.js';

/** A fake GuardDuty client: ListFindings answers at once, GetFindings after a tick, and the test watches the queue. */
function fakeClient(total: number, opts: { failOnBatch?: number } = {}) {
  const ids = Array.from({ length: total }, (_, i) => i.toString(16).padStart(32, '0'));
  const stats = { listed: 0, fetched: 0, inFlight: 0, maxInFlight: 0, maxWaiting: 0, listCalls: 0, getCalls: 0 };
  const client = {
    async send(cmd: { input: Record<string, unknown> }): Promise<unknown> {
      const input = cmd.input;
      if ('FindingIds' in input) {
        stats.getCalls++;
        if (opts.failOnBatch === stats.getCalls) throw Object.assign(new Error('boom'), { name: 'InternalServerErrorException' });
        stats.inFlight++;
        stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
        await new Promise((r) => setTimeout(r, 2));
        stats.inFlight--;
        const batch = input.FindingIds as string[];
        stats.fetched += 1;
        return { Findings: batch.map((id) => ({ Id: id, Type: 'Recon:EC2/Portscan', Severity: 2, Service: { Archived: false } })) };
      }
      stats.listCalls++;
      const offset = typeof input.NextToken === 'string' ? Number(input.NextToken) : 0;
      const max = input.MaxResults as number;
      const page = ids.slice(offset, offset + max);
      stats.listed += 1;
      // Pages listed whose GetFindings has not finished yet: the IDs held in memory.
      stats.maxWaiting = Math.max(stats.maxWaiting, stats.listed - stats.fetched);
      const next = offset + max < ids.length ? String(offset + max) : undefined;
      return { FindingIds: page, NextToken: next };
    },
  };
  const ctx = { aws: { guardDuty: async () => client }, signal: new AbortController().signal } as unknown as Context;
  return { ctx, stats, ids };
}

describe('listFindings pipeline', () => {
  it('keeps at most one page waiting per worker and makes exactly pages + batches calls', async () => {
    const { ctx, stats, ids } = fakeClient(1_234);
    const res = await listFindings(ctx, { region: 'us-west-2', detectorId: 'd', criteria: { Criterion: {} }, concurrency: 4 });
    expect(res.findings.map((f) => f.id)).toEqual(ids);
    expect(stats.listCalls).toBe(25);
    expect(stats.getCalls).toBe(25);
    expect(res).toMatchObject({ listCalls: 25, getCalls: 25, truncated: false });
    expect(stats.maxInFlight).toBeLessThanOrEqual(4);
    expect(stats.maxInFlight).toBeGreaterThan(1);
    expect(stats.maxWaiting).toBeLessThanOrEqual(4);
  });

  it('stops at the limit and reports that more exist', async () => {
    const { ctx, stats } = fakeClient(500);
    const res = await listFindings(ctx, { region: 'us-west-2', detectorId: 'd', criteria: { Criterion: {} }, limit: 75 });
    expect(res.findings).toHaveLength(75);
    expect(res.truncated).toBe(true);
    expect(stats.listCalls).toBe(2);
  });

  it('a failed batch fails the whole list (typed error) and stops paging', async () => {
    const { ctx, stats } = fakeClient(5_000, { failOnBatch: 3 });
    await expect(listFindings(ctx, { region: 'us-west-2', detectorId: 'd', criteria: { Criterion: {} } })).rejects.toBeInstanceOf(AwsError);
    expect(stats.listCalls).toBeLessThan(10);
  });
});
