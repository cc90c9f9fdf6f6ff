import { describe, expect, it } from 'vitest';
import { runInProcess } from '../../helpers/cli.js';
import { useSandbox } from '../../helpers/sandbox.js';
import type { RequestRecord } from '../../../src/sandbox/index.js';

describe('gd-ir findings list on the large scenario', () => {
  const sb = useSandbox({ scenario: 'large' });

  it('--all-pages --json returns every unarchived finding exactly once, in pages + batches calls', async () => {
    const expected = (sb.get().world.regions['us-west-2']?.findings ?? []).filter((f) => f.service.archived !== true).map((f) => f.id);
    expect(expected.length).toBeGreaterThan(5_000);
    const before = sb.get().requests.length;
    const { code, stdout, stderr } = await runInProcess(['findings', 'list', '--all-pages', '--json'], { env: sb.env() });
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const list = JSON.parse(stdout) as Array<{ id: string; severity: number }>;
    const ids = list.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...expected].sort());
    for (let i = 1; i < list.length; i++) expect(list[i - 1]!.severity).toBeGreaterThanOrEqual(list[i]!.severity);

    const requests = sb.get().requests.slice(before) as RequestRecord[];
    const pages = Math.ceil(expected.length / 50);
    const listCalls = requests.filter((r) => r.operation === 'ListFindings');
    const getCalls = requests.filter((r) => r.operation === 'GetFindings');
    expect(listCalls).toHaveLength(pages);
    expect(getCalls).toHaveLength(pages);
    expect(requests).toHaveLength(1 + pages + pages);
    for (const g of getCalls) expect((g.input as { findingIds: string[] }).findingIds.length).toBeLessThanOrEqual(50);
  });

  it('--limit 120 stops after three pages (50 + 50 + 20)', async () => {
    const before = sb.get().requests.length;
    const { code, stdout } = await runInProcess(['findings', 'list', '--limit', '120', '--json'], { env: sb.env() });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toHaveLength(120);
    const requests = sb.get().requests.slice(before) as RequestRecord[];
    expect(requests.filter((r) => r.operation === 'ListFindings').map((r) => (r.input as { maxResults: number }).maxResults)).toEqual([50, 50, 20]);
    expect(requests.filter((r) => r.operation === 'GetFindings')).toHaveLength(3);
  });
});
