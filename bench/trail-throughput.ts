/**
 * Trail throughput: `collectTrail` for the `large` scenario's busy key (5,000 events over 3 regions)
 * against the sandbox with CloudTrail's real limit on (2 LookupEvents requests/s per region).
 * The ceiling is 2 requests/s × 50 events per page = 100 events/s per region; the target is ≥ 90 % of
 * it, with no throttle surfaced and every event exactly once.
 *
 *   node --import tsx bench/trail-throughput.ts          (writes bench/results/trail-throughput.json)
 *
 * `runTrailThroughputBench()` returns bench/lib/report.ts's BenchResult.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AwsClients } from '../src/aws/clients.js';
import { collectTrail } from '../src/sources/trail.js';
import { systemClock } from '../src/cli/context.js';
import { NO_FILTERS, type TrailRequest } from '../src/core/trail/index.js';
import { SANDBOX_CREDENTIALS, startSandbox } from '../src/sandbox/index.js';
import { LARGE } from '../src/sandbox/scenarios/large-facts.js';
import type { BenchResult, Figure } from './lib/report.js';

export const TRAIL_TARGET_PERCENT = 90;
const EVENTS_PER_SECOND_PER_REGION = 100;
const REGIONS = ['us-west-2', 'us-east-1', 'eu-west-1'];

/** The shared benchmark result shape, so bench/run.ts lists this one with the others. */
export type TrailThroughputResult = BenchResult;

export async function runTrailThroughputBench(options: { eventsPerKey?: number; latencyMs?: number } = {}): Promise<TrailThroughputResult> {
  const began = performance.now();
  const eventsPerKey = options.eventsPerKey ?? 5_000;
  // Few findings and users: this benchmark measures CloudTrail, not the scenario build.
  const sandbox = await startSandbox({
    port: 0,
    scenario: 'large',
    scenarioParams: { eventsPerKey, findings: 10, users: 5, regions: REGIONS },
    cloudTrailRateLimit: 2,
    latencyMs: options.latencyMs ?? 0,
  });
  try {
    const aws = new AwsClients({
      region: 'us-west-2',
      endpointUrl: sandbox.endpoint,
      credentials: { ...SANDBOX_CREDENTIALS },
      env: {},
      debug: false,
      debugLog: () => undefined,
      version: 'bench',
    });
    const now = new Date();
    const request: TrailRequest = {
      principal: { accessKeyId: LARGE.busy.accessKeyId },
      lookup: { attribute: 'AccessKeyId', value: LARGE.busy.accessKeyId },
      window: { start: new Date(now.getTime() - 24 * 3_600_000), end: now },
      regions: REGIONS,
      follow: false,
      maxEvents: 100_000,
      filters: { ...NO_FILTERS, events: [] },
      warnings: [],
    };
    const ctx = { aws, clock: systemClock, signal: new AbortController().signal };
    // Warm the SDK (module load, first connection) outside the measurement, without using LookupEvents' quota.
    await aws.cloudTrail('us-west-2', { maxAttempts: 1 });
    await import('@aws-sdk/client-cloudtrail');
    const requestsBefore = sandbox.requests.length;

    let surfaced = 0;
    let errorText: string | undefined;
    const t0 = performance.now();
    const result = await collectTrail(ctx, request).catch((err: unknown) => {
      surfaced++;
      errorText = err instanceof Error ? err.message : String(err);
      return undefined;
    });
    const seconds = (performance.now() - t0) / 1000;
    await aws.destroy();

    const expected = new Set<string>();
    for (const r of REGIONS) {
      for (const e of sandbox.world.regions[r]?.events ?? []) {
        if (e.userIdentity.accessKeyId === LARGE.busy.accessKeyId) expected.add(e.eventID);
      }
    }
    const seen = new Map<string, number>();
    for (const e of result?.events ?? []) seen.set(e.eventId, (seen.get(e.eventId) ?? 0) + 1);
    const duplicates = [...seen.values()].reduce((n, c) => n + (c - 1), 0);
    const missing = [...expected].filter((id) => !seen.has(id)).length;
    const unexpected = [...seen.keys()].filter((id) => !expected.has(id)).length;
    const lookups = sandbox.requests.slice(requestsBefore).filter((r) => r.service === 'cloudtrail' && r.operation === 'LookupEvents');
    const serverThrottles = lookups.filter((r) => r.errorCode === 'ThrottlingException').length;
    const events = result?.events.length ?? 0;
    const eventsPerSecond = events / seconds;
    const ceiling = EVENTS_PER_SECOND_PER_REGION * REGIONS.length;
    const percent = (eventsPerSecond / ceiling) * 100;
    const perRegion = (result?.stats.regions ?? []).map((r) => ({ ...r }));

    const figures: Figure[] = [
      { id: 'eventsPerSecond', label: `events/s (${REGIONS.length} regions, ceiling ${ceiling})`, value: round(eventsPerSecond, 1), unit: 'events/s', verdict: 'INFO' },
      {
        id: 'percentOfCeiling',
        label: 'share of the 100 events/s/region ceiling',
        value: round(percent, 1),
        unit: '%',
        target: `≥ ${TRAIL_TARGET_PERCENT} %`,
        verdict: percent >= TRAIL_TARGET_PERCENT ? 'PASS' : 'SHORT',
      },
      { id: 'throttlesSurfaced', label: 'throttles surfaced as errors', value: surfaced, unit: 'count', target: '= 0', verdict: surfaced === 0 ? 'PASS' : 'SHORT' },
      { id: 'throttlesReceived', label: 'ThrottlingException answers absorbed', value: serverThrottles, unit: 'count', verdict: 'INFO' },
      { id: 'duplicates', label: 'duplicate events', value: duplicates, unit: 'count', target: '= 0', verdict: duplicates === 0 ? 'PASS' : 'SHORT' },
      { id: 'missing', label: 'missing events', value: missing + unexpected, unit: 'count', target: '= 0', verdict: missing + unexpected === 0 ? 'PASS' : 'SHORT' },
    ];
    return {
      name: 'trail-throughput',
      title: `gd-ir trail: ${eventsPerKey} events of one key over ${REGIONS.length} regions, LookupEvents limited to 2 requests/s/region`,
      figures,
      data: {
        eventsExpected: expected.size,
        eventsFetched: events,
        seconds: round(seconds, 2),
        requests: lookups.length,
        pages: result?.stats.pages ?? 0,
        serverThrottles,
        limiterThrottles: result?.stats.throttles ?? 0,
        slices: result?.stats.slices ?? 0,
        latencyMs: options.latencyMs ?? 0,
        perRegion,
        ...(errorText ? { error: errorText } : {}),
      },
      notes: [
        `${lookups.length} LookupEvents requests in ${seconds.toFixed(1)} s; the minimum at 2/s is ${((Math.ceil(expected.size / REGIONS.length / 50) - 1) / 2).toFixed(1)} s per region plus one round trip.`,
        'Each region paginates sequentially (NextToken chains the pages); its limiter hands out the next slot exactly 500 ms after the previous one.',
      ],
      durationMs: Math.round(performance.now() - began),
    };
  } finally {
    await sandbox.close();
  }
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const latencyArg = process.argv.find((a) => a.startsWith('--latency='));
  const r = await runTrailThroughputBench(latencyArg ? { latencyMs: Number(latencyArg.slice('--latency='.length)) } : {});
  for (const f of r.figures) {
    console.log(`${f.label.padEnd(48)} ${String(f.value).padStart(8)} ${f.unit.padEnd(8)} ${f.target ?? ''} ${f.verdict === 'INFO' ? '' : f.verdict}`);
  }
  for (const n of r.notes) console.log(`  ${n}`);
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}trail-throughput.json`, JSON.stringify(r, null, 2) + '\n');
  console.log(`wrote bench/results/trail-throughput.json`);
  if (r.figures.some((f) => f.verdict === 'SHORT')) process.exitCode = 1;
}
