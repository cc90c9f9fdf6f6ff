/**
 * 1. Start-up: `gd-ir --version` and `gd-ir --help` against `node -e 0`, interleaved in the same loop
 * so that machine noise hits all of them alike; plus the cost of the first AWS call (loading the SDK
 * clients a command needs), decomposed for `findings list`. `--help` is answered from the help stored at
 * build time (src/cli/help-store.ts); `--no-color --help` prints the same help through the full CLI
 * (commander's program built), which is what the first-call decomposition subtracts.
 */
import { hasCommand } from './lib/commands.js';
import { assertOk, cleanEnv, median, round, runGdIr, runProcess } from './lib/measure.js';
import { atMost, info, type BenchResult, type Figure } from './lib/report.js';
import { startBenchSandbox } from './lib/sandbox.js';

const RUNS = 20;
const SDK_RUNS = 10;
export const STARTUP_TARGET = 1.5;

const importScript = (pkgs: string[]): string => `await Promise.all([${pkgs.map((p) => `import('${p}')`).join(', ')}])`;

export async function runStartupBench(): Promise<BenchResult> {
  const began = performance.now();
  const env = cleanEnv();
  const node = (args: string[]) => runProcess(process.execPath, args, { env, captureStdout: false });
  const samples: Record<string, number[]> = { node: [], version: [], help: [], helpFull: [], sdkGuardDuty: [], sdkInvestigate: [] };

  // Warm the page cache once so the first sample is not an outlier of disk reads.
  assertOk('gd-ir --help', await runGdIr(['--help'], { env }));
  await node(['--input-type=module', '-e', importScript(['@aws-sdk/client-guardduty', '@aws-sdk/client-cloudtrail', '@aws-sdk/client-iam'])]);

  for (let i = 0; i < RUNS; i++) {
    samples.node!.push((await node(['-e', '0'])).wallMs);
    const v = await runGdIr(['--version'], { env });
    assertOk('gd-ir --version', v);
    samples.version!.push(v.wallMs);
    const h = await runGdIr(['--help'], { env, captureStdout: false });
    assertOk('gd-ir --help', h);
    samples.help!.push(h.wallMs);
    const f = await runGdIr(['--no-color', '--help'], { env, captureStdout: false });
    assertOk('gd-ir --no-color --help', f);
    samples.helpFull!.push(f.wallMs);
    if (i < SDK_RUNS) {
      samples.sdkGuardDuty!.push((await node(['--input-type=module', '-e', importScript(['@aws-sdk/client-guardduty'])])).wallMs);
      samples.sdkInvestigate!.push(
        (await node(['--input-type=module', '-e', importScript(['@aws-sdk/client-guardduty', '@aws-sdk/client-cloudtrail', '@aws-sdk/client-iam'])])).wallMs,
      );
    }
  }

  const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])) as Record<string, number>;
  const nodeMs = m.node!;
  const figures: Figure[] = [
    info('node.ms', `node -e 0 (median of ${RUNS})`, nodeMs, 'ms'),
    atMost('version.ratio', 'gd-ir --version / node -e 0', m.version! / nodeMs, 'x', STARTUP_TARGET),
    atMost('help.ratio', 'gd-ir --help / node -e 0', m.help! / nodeMs, 'x', STARTUP_TARGET),
    info('helpFull.ratio', 'gd-ir --no-color --help (full CLI) / node -e 0', m.helpFull! / nodeMs, 'x'),
    info('sdk.guardduty.ms', 'load @aws-sdk/client-guardduty (over node)', m.sdkGuardDuty! - nodeMs, 'ms'),
    info('sdk.investigate.ms', 'load GuardDuty+CloudTrail+IAM clients (over node)', m.sdkInvestigate! - nodeMs, 'ms'),
  ];
  const notes: string[] = [];
  const data: Record<string, unknown> = { runs: RUNS, sdkRuns: SDK_RUNS, samplesMs: samples, mediansMs: m };

  if (hasCommand('findings', 'list')) {
    // The first AWS call, decomposed on one clock (the sandbox runs in this process and logs every
    // request): spawn → first request is process start + CLI start + loading the GuardDuty client +
    // context, credentials and signing; the full CLI's --help time is the same minus everything AWS.
    const sb = await startBenchSandbox({ scenario: 'workshop', latencyMs: 0, cloudTrailRateLimit: false });
    try {
      const runs: Array<{ wallMs: number; beforeFirstRequestMs: number; requestsMs: number; afterLastResponseMs: number }> = [];
      for (let i = 0; i < SDK_RUNS; i++) {
        sb.sandbox.requests.splice(0);
        const r = await runGdIr(['findings', 'list', '--json'], { env: sb.env, captureStdout: false });
        assertOk('gd-ir findings list --json', r);
        const log = sb.sandbox.requests.splice(0);
        const first = Math.min(...log.map((q) => q.start));
        const last = Math.max(...log.map((q) => q.end));
        runs.push({ wallMs: r.wallMs, beforeFirstRequestMs: first - r.startedAt, requestsMs: last - first, afterLastResponseMs: r.endedAt - last });
      }
      const total = median(runs.map((x) => x.wallMs));
      const before = median(runs.map((x) => x.beforeFirstRequestMs));
      const firstCall = before - m.helpFull!;
      figures.push(
        info('findingsList.ms', 'gd-ir findings list --json, 0 ms latency', total, 'ms'),
        info('firstCall.ms', 'first AWS call overhead: spawn → first request, minus full --help', firstCall, 'ms'),
      );
      data.findingsList = { runs, mediansMs: { total: round(total), beforeFirstRequest: round(before), helpFull: round(m.helpFull!), firstCallOverhead: round(firstCall) } };
      notes.push(
        `findings list (0 ms latency, median ${round(total, 0)} ms): ${round(before, 0)} ms from spawn to its first request (of which the full CLI's --help takes ${round(m.helpFull!, 0)} ms, so ≈ ${round(firstCall, 0)} ms load the GuardDuty client and build the context), ` +
          `${round(median(runs.map((x) => x.requestsMs)), 0)} ms of requests, ${round(median(runs.map((x) => x.afterLastResponseMs)), 0)} ms to render and exit`,
      );
    } finally {
      await sb.close();
    }
  } else {
    notes.push('findings list is not in the command table yet: first-call decomposition skipped');
  }
  return { name: 'startup', title: 'Start-up', figures, data, notes, durationMs: performance.now() - began };
}
