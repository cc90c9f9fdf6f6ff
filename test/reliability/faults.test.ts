/**
 * Part 1, transient faults: with 20 % of requests failing (500, 503, throttling, connection reset),
 * findings list, trail and investigate print exactly what a fault-free run prints (timing fields aside).
 *
 * The runs use a fixed clock whose sleep returns at once: gd-ir's CloudTrail pacer then costs no wall
 * time, while the SDK's own retry strategy (standard mode, 8 attempts) runs with its real backoff.
 * Pacing under a rate limit is part 7's and the trail tests' business.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { LARGE } from '../../src/sandbox/scenarios/large-facts.js';
import { WORKSHOP } from '../../src/sandbox/scenarios/workshop-facts.js';
import { mapLimit } from '../../src/core/concurrency.js';
import { sandboxEnv } from '../helpers/sandbox.js';
import { FIXED_NOW, STACK_FRAME, assertNoLeaks, gd, printSummary, stripTiming } from './harness.js';

const SEEDS = [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233];
const TRANSIENT = new Set(['error500', 'error503', 'throttle', 'reset']);
const F = WORKSHOP.findings;

const instantClock = { now: () => new Date(FIXED_NOW.getTime()), sleep: async (_ms: number, signal?: AbortSignal) => signal?.throwIfAborted() };

interface Case {
  name: string;
  scenario: 'workshop' | 'large';
  argv: string[];
}

const CASES: Case[] = [
  { name: 'findings list', scenario: 'workshop', argv: ['findings', 'list', '--json', '--all'] },
  { name: 'findings list (1000 findings, every page)', scenario: 'large', argv: ['findings', 'list', '--json', '--all', '--all-pages'] },
  { name: 'trail --finding', scenario: 'workshop', argv: ['trail', '--json', '--finding', F.unauthorizedAccessCustom, '--follow'] },
  { name: 'trail --key', scenario: 'workshop', argv: ['trail', '--json', '--key', WORKSHOP.compromised.accessKeyId, '--since', '2d', '--regions', 'us-west-2,us-east-1'] },
  { name: 'trail --key (busy key, 1500 events)', scenario: 'large', argv: ['trail', '--json', '--key', LARGE.busy.accessKeyId, '--since', '1d', '--regions', 'us-west-2,us-east-1,eu-west-1'] },
  { name: 'investigate', scenario: 'workshop', argv: ['investigate', '--json', F.unauthorizedAccessCustom] },
  { name: 'investigate (role)', scenario: 'workshop', argv: ['investigate', '--json', F.credentialExfiltration] },
];

const LARGE_PARAMS = { findings: 1000, users: 20, eventsPerKey: 1500 };

async function sandboxFor(scenario: Case['scenario'], knobs: { faultRate?: number; faultSeed?: number }): Promise<RunningSandbox> {
  return startSandbox({
    port: 0,
    scenario,
    ...(scenario === 'large' ? { scenarioParams: LARGE_PARAMS } : {}),
    cloudTrailRateLimit: false,
    now: () => new Date(FIXED_NOW.getTime()),
    ...knobs,
  });
}

async function runCase(sb: RunningSandbox, c: Case) {
  const from = sb.requests.length;
  const run = await gd(c.argv, { env: sandboxEnv(sb, { XDG_STATE_HOME: '/nonexistent-state' }), clock: instantClock });
  return { run, requests: sb.requests.slice(from) };
}

const totals = { seeds: 0, runs: 0, requests: 0, injected: 0, survived: 0 };

describe('transient faults (faultRate 0.2)', () => {
  afterAll(() => {
    const scanned = assertNoLeaks();
    printSummary('transient faults', { seeds: totals.seeds, runs: totals.runs, requests: totals.requests, 'faults injected': totals.injected, survived: totals.survived, 'outputs scanned for secrets': scanned });
  });

  it('findings list, trail and investigate give the fault-free output over every seed', { timeout: 170_000 }, async () => {
    // Baselines: one fault-free run per case.
    const baseline = new Map<string, unknown>();
    for (const scenario of ['workshop', 'large'] as const) {
      const sb = await sandboxFor(scenario, {});
      try {
        for (const c of CASES.filter((x) => x.scenario === scenario)) {
          const { run, requests } = await runCase(sb, c);
          expect(run.code, `${c.name}: ${run.stderr}`).toBe(0);
          expect(requests.some((r) => r.fault !== undefined)).toBe(false);
          const json = JSON.parse(run.stdout) as unknown;
          baseline.set(c.name, stripTiming(json));
        }
      } finally {
        await sb.close();
      }
    }
    // Sanity: the baselines hold real data, so "identical" cannot mean "both empty".
    expect((baseline.get('findings list') as unknown[]).length).toBeGreaterThan(5);
    expect((baseline.get('findings list (1000 findings, every page)') as unknown[]).length).toBe(LARGE_PARAMS.findings);
    expect((baseline.get('trail --finding') as { events: unknown[] }).events.length).toBeGreaterThan(300);
    expect((baseline.get('trail --key (busy key, 1500 events)') as { events: unknown[] }).events.length).toBe(LARGE_PARAMS.eventsPerKey);

    const failures: string[] = [];
    await mapLimit(SEEDS, 3, async (seed) => {
      for (const scenario of ['workshop', 'large'] as const) {
        const sb = await sandboxFor(scenario, { faultRate: 0.2, faultSeed: seed });
        try {
          for (const c of CASES.filter((x) => x.scenario === scenario)) {
            const { run, requests } = await runCase(sb, c);
            const injected = requests.filter((r) => r.fault !== undefined && TRANSIENT.has(r.fault)).length;
            totals.runs++;
            totals.requests += requests.length;
            totals.injected += injected;
            let same = false;
            try {
              same = run.code === 0 && JSON.stringify(stripTiming(JSON.parse(run.stdout))) === JSON.stringify(baseline.get(c.name));
            } catch {
              same = false;
            }
            if (same && !STACK_FRAME.test(run.stderr)) totals.survived += injected;
            else failures.push(`seed ${seed} ${c.name}: exit ${run.code}, ${injected} faults, stderr ${run.stderr.slice(0, 400)}`);
          }
        } finally {
          await sb.close();
        }
      }
      totals.seeds++;
    });
    expect(failures).toEqual([]);
    expect(totals.seeds).toBeGreaterThanOrEqual(10);
    // At 20 % over thousands of requests, faults are certain; a suite that injected none proved nothing.
    expect(totals.injected).toBeGreaterThan(100);
    expect(totals.survived).toBe(totals.injected);
  });

  it('a fault that outlasts every retry is an error (exit 1), never "no results"', async () => {
    const sb = await sandboxFor('workshop', { faultRate: 1, faultSeed: 7 });
    try {
      for (const argv of [
        ['findings', 'list', '--json'],
        ['trail', '--json', '--key', WORKSHOP.compromised.accessKeyId],
        ['investigate', '--json', F.unauthorizedAccessCustom],
      ]) {
        const run = await gd(argv, { env: sandboxEnv(sb), clock: instantClock, maxAttempts: 2 });
        expect(run.code, `${argv.join(' ')}: ${run.stderr}`).toBe(1);
        expect(run.stdout).toBe('');
        expect(run.stderr).not.toMatch(STACK_FRAME);
        expect(JSON.parse(run.stderr.trim().split('\n').pop() ?? '')).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
      }
    } finally {
      await sb.close();
    }
  });
});
