/**
 * `gd-ir trail --logs s3://…` against the sandbox with 50 ms of latency on every request: how close the
 * object fetches come to what the configured concurrency allows (S3_CONCURRENCY requests in flight,
 * each taking at least the latency), and that no object is fetched twice in a run (--follow's second
 * pass reads the cache).
 *
 *   allowed   S3_CONCURRENCY / 50 ms objects per second (what the concurrency allows in theory)
 *   floor     the same objects fetched by a bare SDK client with the same concurrency that only drains
 *             the bodies (bench/lib/s3-fetch-child.mjs): what it allows on this machine, measured in
 *             the same run (the sandbox shares the CPUs with the client)
 *   measured  objects fetched / (last GetObject reply − first GetObject request), from the sandbox's log
 *
 * The built binary runs as a user runs it (child process, --no-cache so every object is fetched); the
 * sandbox runs in this process with the large scenario plus a synthetic stream in its trail bucket.
 *
 *   node --import tsx bench/logs-s3.ts [--events=N]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SANDBOX_CREDENTIALS, startSandbox } from '../src/sandbox/index.js';
import { allTrailObjects, SANDBOX_TRAIL_BUCKET } from '../src/sandbox/logs/bucket.js';
import { SYNTHETIC_DEFAULTS, syntheticRecords, syntheticWindow, type SyntheticParams } from '../src/sandbox/logs/synthetic.js';
import { buildScenario } from '../src/sandbox/scenarios/index.js';
import { LARGE } from '../src/sandbox/scenarios/large-facts.js';
import { S3_CONCURRENCY } from '../src/sources/s3.js';
import { cleanEnv, round, runGdIr, runProcess } from './lib/measure.js';
import { atLeast, exactly, info, ROOT as _root, type BenchResult } from './lib/report.js';

const LATENCY_MS = 50;

export async function runLogsS3Bench(options: { events?: number } = {}): Promise<BenchResult> {
  const began = performance.now();
  const events = options.events ?? 200_000;
  const now = new Date();
  // Records up to an hour ago: every file is delivered.
  const params: SyntheticParams = { ...SYNTHETIC_DEFAULTS, events, files: Math.max(1, Math.round(events / 250)), end: new Date(now.getTime() - 3_600_000) };
  const world = buildScenario('large', { now });
  for (const r of syntheticRecords(params)) {
    const region = (world.regions[r.awsRegion] ??= { findings: [], events: [] });
    (region.dataEvents ??= []).push(r);
  }
  const objects = allTrailObjects(world).length;
  const sandbox = await startSandbox({ world, cloudTrailRateLimit: false, now: () => new Date() });
  const cache = mkdtempSync(join(tmpdir(), 'gd-ir-bench-s3-'));
  try {
    sandbox.setKnobs({ latencyMs: LATENCY_MS });
    const window = syntheticWindow(params);
    const from = sandbox.requests.length;
    const r = await runGdIr(
      ['trail', '--key', LARGE.busy.accessKeyId, '--since', window.start.toISOString(), '--until', now.toISOString(), '--regions', params.regions.join(','), '--follow', '--logs', `s3://${SANDBOX_TRAIL_BUCKET}`, '--no-cache', '--max-events', '1000000', '--json'],
      {
        timeoutMs: 600_000,
        env: cleanEnv({ AWS_ENDPOINT_URL: sandbox.endpoint, AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey, AWS_REGION: 'us-west-2', XDG_CACHE_HOME: cache }),
      },
    );
    if (r.code !== 0) throw new Error(`gd-ir trail --logs s3:// failed: ${r.stderr.slice(0, 500)}`);
    const out = JSON.parse(r.stdout) as { events: unknown[]; source: { scan: { files: number; fetched: number; cached: number } } };
    const requests = sandbox.requests.slice(from).filter((x) => x.service === 's3');
    const gets = requests.filter((x) => x.operation === 'GetObject');
    const perKey = new Map<string, number>();
    for (const g of gets) {
      const key = (g.input as { Key: string }).Key;
      perKey.set(key, (perKey.get(key) ?? 0) + 1);
    }
    const twice = [...perKey.values()].filter((n) => n > 1).length;
    const phaseMs = Math.max(...gets.map((g) => g.end)) - Math.min(...gets.map((g) => g.start));
    const measured = gets.length / (phaseMs / 1000);
    const allowed = S3_CONCURRENCY / (LATENCY_MS / 1000);
    // The floor on this machine: the same keys, the same concurrency, bodies only drained.
    const keysFile = join(cache, 'keys.txt');
    writeFileSync(keysFile, [...perKey.keys()].join('\n'));
    const f = await runProcess('sh', ['-c', `node ${_root}bench/lib/s3-fetch-child.mjs ${SANDBOX_TRAIL_BUCKET} ${S3_CONCURRENCY} < ${keysFile}`], {
      timeoutMs: 600_000,
      captureStdout: true,
      env: cleanEnv({ AWS_ENDPOINT_URL: sandbox.endpoint, AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey }),
    });
    if (f.code !== 0) throw new Error(`the S3 floor client failed: ${f.stderr.slice(0, 300)}`);
    const floor = JSON.parse(f.stdout) as { objects: number; ms: number };
    const floorRate = floor.objects / (floor.ms / 1000);
    return {
      name: 'logs-s3',
      title: `gd-ir trail --logs s3:// with ${LATENCY_MS} ms latency: ${gets.length} objects (of ${objects} in the bucket), concurrency ${S3_CONCURRENCY}`,
      figures: [
        info('objects', 'objects fetched (listing pruned to the window, accounts and regions)', gets.length, 'count'),
        info('fetchMs', 'fetch phase: first GetObject sent → last answered', Math.round(phaseMs), 'ms'),
        info('allowed', `throughput the concurrency allows (${S3_CONCURRENCY} / ${LATENCY_MS} ms)`, round(allowed, 1), 'obj/s'),
        info('measured', 'measured throughput', round(measured, 1), 'obj/s'),
        atLeast('efficiency', 'measured / allowed', round(measured / allowed, 2), 'x', 0.8),
        info('floor', 'bare SDK client, same keys and concurrency, bodies drained', round(floorRate, 1), 'obj/s'),
        info('overFloor', 'measured / bare client on this machine', round(measured / floorRate, 2), 'x'),
        exactly('fetchedTwice', 'objects fetched more than once in the run (--follow reads twice)', twice, 'count', 0),
        info('listRequests', 'ListObjectsV2 requests', requests.filter((x) => x.operation === 'ListObjectsV2').length, 'count'),
        info('wallMs', 'whole command (start-up, listing, fetches, both passes)', Math.round(r.wallMs), 'ms'),
      ],
      data: { events, objects, fetched: gets.length, phaseMs, scan: out.source.scan, eventsFound: out.events.length },
      notes: [`The busy key's ${out.events.length} events found; the derived pass read ${out.source.scan.cached} objects from the run's temporary cache.`],
      durationMs: Math.round(performance.now() - began),
    };
  } finally {
    await sandbox.close();
    rmSync(cache, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const arg = process.argv.find((a) => a.startsWith('--events='));
  const r = await runLogsS3Bench(arg ? { events: Number(arg.slice('--events='.length)) } : {});
  for (const f of r.figures) console.log(`${f.label.padEnd(64)} ${String(f.value).padStart(10)} ${f.unit.padEnd(6)} ${f.target ?? ''} ${f.verdict === 'INFO' ? '' : f.verdict}`);
  for (const n of r.notes) console.log(`  ${n}`);
}
