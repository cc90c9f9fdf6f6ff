/**
 * An opt-in region the account has not enabled answers every call with UnrecognizedClientException
 * (AWS: "The security token included in the request is invalid."). That is no credentials problem:
 * a multi-region list skips the region with a warning instead of failing with exit 4.
 */
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../../helpers/cli.js';
import { useSandbox } from '../../helpers/sandbox.js';
import type { Clock } from '../../../src/cli/context.js';

const NOW = new Date('2026-11-27T12:00:00.000Z');
const clock: Clock = { now: () => new Date(NOW), sleep: async () => {} };

describe('gd-ir findings list with a disabled opt-in region', () => {
  const sb = useSandbox({ now: () => new Date(NOW), disabledRegions: ['af-south-1'] });

  it('--regions us-west-2,af-south-1: af-south-1 is skipped with a warning, us-west-2 is listed (exit 0)', async () => {
    const before = sb.get().requests.length;
    const res = await runInProcess(['findings', 'list', '--regions', 'us-west-2,af-south-1', '--json'], { env: sb.env(), clock });
    expect(res.stderr).toMatch(/af-south-1 skipped: an opt-in region this account has not enabled \(UnrecognizedClientException\)/);
    expect(res.code).toBe(0);
    const list = JSON.parse(res.stdout) as Array<{ region: string }>;
    expect(list.length).toBeGreaterThan(0);
    expect(new Set(list.map((f) => f.region))).toEqual(new Set(['us-west-2']));
    const refused = sb.get().requests.slice(before).filter((r) => r.region === 'af-south-1');
    expect(refused.map((r) => r.errorCode)).toEqual(['UnrecognizedClientException']);
  });

  it('the disabled region alone is still a credentials error (exit 4), whose remedy names the opt-in region', async () => {
    const res = await runInProcess(['findings', 'list', '--region', 'af-south-1'], { env: sb.env(), clock });
    expect(res.code).toBe(4);
    expect(res.stderr).toContain('AWS did not accept the credentials in af-south-1 (UnrecognizedClientException)');
    expect(res.stderr).toContain('af-south-1 is an opt-in region: enable it for this account');
  });
});
