/**
 * `npm run bench [-- name…]`: runs the benchmarks (all by default) one after another, prints each
 * figure next to its target, and writes bench/results/<name>.json and bench/results/summary.json.
 * Not part of `npm test`: it takes minutes and measures this machine, not correctness.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { renderTable, RESULTS_DIR, writeResult, type BenchResult } from './lib/report.js';
import { runFindingsScaleBench } from './findings-scale.js';
import { runInvestigationBench } from './investigation.js';
import { runLogsLocalBench } from './logs-local.js';
import { runLogsS3Bench } from './logs-s3.js';
import { runStartupBench } from './startup.js';
import { runTrailThroughputBench } from './trail-throughput.js';

interface Bench {
  name: string;
  run: () => Promise<BenchResult>;
}

const BENCHES: Bench[] = [
  { name: 'startup', run: runStartupBench },
  { name: 'investigation', run: runInvestigationBench },
  // The trail engineer's benchmark (bench/trail-throughput.ts): collectTrail at CloudTrail's rate limit.
  { name: 'trail', run: () => runTrailThroughputBench() },
  { name: 'findings', run: runFindingsScaleBench },
  // Local trail logs: 1M events in ~1,000 .json.gz files vs parallel zcat and zcat | jq (bench/logs-local.ts).
  { name: 'logs', run: () => runLogsLocalBench() },
  // Trail logs in S3: the sandbox with 50 ms latency, fetches vs what the concurrency allows, none twice (bench/logs-s3.ts).
  { name: 'logs-s3', run: () => runLogsS3Bench() },
];

function machine(): Record<string, unknown> {
  let cpuModel = cpus()[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m?.[1]) cpuModel = m[1].trim();
  } catch {
    /* not Linux */
  }
  let nproc = cpus().length;
  try {
    nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
  } catch {
    /* keep os.cpus() */
  }
  let awsCli = 'not installed';
  try {
    awsCli = execFileSync('aws', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    /* reported as missing */
  }
  return { nproc, cpuModel, node: process.version, awsCli, date: new Date().toISOString() };
}

/** The SDK's Node-version notice (loaded in-process by the trail benchmark) is noise in a results table. */
function quietSdkNotice(): void {
  const original = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : `${warning.name}: ${warning.message}`;
    if (/NodeVersionSupportWarning/.test(text)) return;
    original(warning, ...rest);
  }) as typeof process.emitWarning;
}

async function main(): Promise<number> {
  quietSdkNotice();
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !BENCHES.some((b) => b.name === w));
  if (unknown.length) {
    console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${BENCHES.map((b) => b.name).join(', ')}`);
    return 2;
  }
  const selected = wanted.length ? BENCHES.filter((b) => wanted.includes(b.name)) : BENCHES;
  const env = machine();
  console.log(`gd-ir benchmarks — ${env.cpuModel as string}, ${env.nproc as number} CPUs, Node ${env.node as string}, ${env.date as string}`);
  const began = performance.now();
  const results: BenchResult[] = [];
  const failures: Array<{ name: string; error: string }> = [];
  for (const b of selected) {
    console.error(`… ${b.name}`);
    try {
      const r = await b.run();
      results.push(r);
      writeResult(r);
      console.error(`  ${b.name} done in ${(r.durationMs / 1000).toFixed(1)} s`);
    } catch (err) {
      const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
      failures.push({ name: b.name, error: message });
      console.error(`  ${b.name} FAILED: ${message}`);
    }
  }
  const totalMs = performance.now() - began;
  console.log('');
  console.log(renderTable(results));
  for (const r of results) {
    for (const n of r.notes) console.log(`\n[${r.name}] ${n}`);
  }
  for (const f of failures) console.log(`\n[${f.name}] FAILED: ${f.error.split('\n')[0]}`);
  const verdicts = results.flatMap((r) => r.figures.filter((f) => f.verdict !== 'INFO'));
  const passed = verdicts.filter((f) => f.verdict === 'PASS').length;
  console.log(`\n${passed}/${verdicts.length} targets met, ${failures.length} benchmark(s) failed, ${(totalMs / 1000).toFixed(1)} s in all`);
  const summary = {
    schemaVersion: 1,
    machine: env,
    totalMs: Math.round(totalMs),
    results: results.map((r) => ({ name: r.name, title: r.title, durationMs: Math.round(r.durationMs), figures: r.figures, notes: r.notes })),
    failures,
  };
  writeFileSync(`${RESULTS_DIR}summary.json`, JSON.stringify(summary, null, 2) + '\n');
  return failures.length ? 1 : 0;
}

process.exitCode = await main();
