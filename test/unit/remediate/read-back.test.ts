import { describe, expect, it } from 'vitest';
import type { Context } from '../../../src/cli/context.js';
import { decodePolicyDocument, readBack } from '../../../src/aws/iam-writes.js';

function fakeCtx() {
  let t = Date.parse('2026-11-27T10:00:00Z');
  const sleeps: number[] = [];
  const ctx = {
    signal: new AbortController().signal,
    clock: {
      now: () => new Date(t),
      sleep: async (ms: number) => {
        sleeps.push(ms);
        t += ms;
      },
    },
  } as unknown as Context;
  return { ctx, sleeps };
}

describe('readBack', () => {
  it('stops as soon as the state reads as intended', async () => {
    const { ctx, sleeps } = fakeCtx();
    const reads = ['Active', 'Active', 'Inactive'];
    const r = await readBack(ctx, async () => reads.shift(), (s) => s === 'Inactive');
    expect(r).toEqual({ verified: true, observed: 'Inactive', attempts: 3 });
    expect(sleeps).toEqual([200, 400]);
  });

  it('gives up at the deadline with what it last read (backoff doubling, capped at 2 s)', async () => {
    const { ctx, sleeps } = fakeCtx();
    const r = await readBack(ctx, async () => 'Active', (s) => s === 'Inactive');
    expect(r.verified).toBe(false);
    expect(r.observed).toBe('Active');
    expect(sleeps.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(sleeps.slice(0, 5)).toEqual([200, 400, 800, 1600, 2000]);
  });

  it('keeps trying through failed reads and reports the last error', async () => {
    const { ctx } = fakeCtx();
    const r = await readBack(ctx, async () => {
      throw new Error('Rate exceeded');
    }, () => true, { timeoutMs: 1000 });
    expect(r).toMatchObject({ verified: false, observed: undefined, error: 'Rate exceeded' });
  });

  it('stops at once when interrupted', async () => {
    const { ctx } = fakeCtx();
    const abort = Object.assign(new Error('Interrupted'), { name: 'AbortError' });
    await expect(readBack(ctx, async () => Promise.reject(abort), () => true)).rejects.toBe(abort);
  });
});

describe('decodePolicyDocument', () => {
  it('decodes IAM URL-encoding and leaves raw JSON alone', () => {
    expect(decodePolicyDocument('%7B%22Version%22%3A%222012-10-17%22%7D')).toBe('{"Version":"2012-10-17"}');
    expect(decodePolicyDocument('{"a":"100%"}')).toBe('{"a":"100%"}');
  });
});
