/**
 * 2. `gd-ir investigate <id> --json` against an analyst's AWS CLI script gathering the same information
 *    (bench/aws-cli-investigation.sh), and
 * 3. the same gd-ir runs against their critical path (bench/critical-path.ts),
 * both on one sandbox with 100 ms latency per call and CloudTrail's 2 LookupEvents/s per region.
 * gd-ir and the script run interleaved, as processes, timed from spawn to exit.
 */
import { ORG } from '../src/sandbox/scenarios/org-facts.js';
import { WORKSHOP } from '../src/sandbox/scenarios/workshop-facts.js';
import type { RequestRecord } from '../src/sandbox/index.js';
import { criticalPathBound, type CriticalPath } from './critical-path.js';
import { assertOk, median, round, runGdIr, runProcess, sleep, type ProcResult } from './lib/measure.js';
import { atLeast, atMost, info, ROOT, type BenchResult } from './lib/report.js';
import { startBenchSandbox } from './lib/sandbox.js';

const LATENCY_MS = 100;
const LOOKUP_RATE = 2;
const GD_IR_RUNS = 5;
const CLI_RUNS = 3;
export const CLI_SPEEDUP_TARGET = 10;
export const CRITICAL_PATH_TARGET = 1.3;
/** Time for the sandbox's per-region token bucket to refill between runs, so every run starts alike. */
const REFILL_MS = 1200;

interface GdIrRun {
  wallMs: number;
  /** Spawn → first request: process start, CLI start, SDK load, client set-up. */
  beforeFirstRequestMs: number;
  /** First request start → last response. */
  requestSpanMs: number;
  /** Last response → exit: assembling, rendering, exiting. */
  afterLastResponseMs: number;
  bound: CriticalPath;
  calls: number;
  throttled: number;
  events: number;
}

interface CliRun {
  wallMs: number;
  calls: number;
  throttled: number;
  /** Sum of the requests' own durations (latency included). */
  inRequestsMs: number;
  events: number;
  summary: string;
}

function takeLog(records: RequestRecord[]): RequestRecord[] {
  return records.splice(0, records.length);
}

function timing(r: ProcResult, log: RequestRecord[]): Pick<GdIrRun, 'beforeFirstRequestMs' | 'requestSpanMs' | 'afterLastResponseMs'> {
  const first = Math.min(...log.map((q) => q.start));
  const last = Math.max(...log.map((q) => q.end));
  return { beforeFirstRequestMs: first - r.startedAt, requestSpanMs: last - first, afterLastResponseMs: r.endedAt - last };
}

/** One `investigate --json` run: its times, the critical-path bound of the calls it made, and what it read. */
function gdIrRun(r: ProcResult, log: RequestRecord[]): GdIrRun {
  const report = JSON.parse(r.stdout) as { activity?: { events?: unknown[] } };
  return {
    wallMs: r.wallMs,
    ...timing(r, log),
    bound: criticalPathBound(log, { latencyMs: LATENCY_MS, lookupRate: LOOKUP_RATE }),
    calls: log.length,
    throttled: log.filter((q) => q.fault === 'ratelimit').length,
    events: report.activity?.events?.length ?? -1,
  };
}

/**
 * The member-account case: a GuardDuty administrator investigating a member's IAMUser finding through the member's
 * read role (`org` scenario): the same calls plus GetCallerIdentity (while the finding is read) and one AssumeRole
 * before the member's trail and IAM, which the bound includes (bench/critical-path.ts).
 */
async function memberRuns(): Promise<GdIrRun[]> {
  const sb = await startBenchSandbox({ scenario: 'org', latencyMs: LATENCY_MS, cloudTrailRateLimit: LOOKUP_RATE });
  const runs: GdIrRun[] = [];
  try {
    for (let i = 0; i <= GD_IR_RUNS; i++) {
      takeLog(sb.sandbox.requests);
      await sleep(REFILL_MS);
      const r = await runGdIr(['investigate', ORG.prod.findingId, '--read-role', ORG.readRoleName, '--json'], { env: sb.env });
      assertOk('gd-ir investigate (member account) --json', r);
      const log = takeLog(sb.sandbox.requests);
      if (!log.some((q) => q.operation === 'AssumeRole' && q.status === 200)) throw new Error('the member investigation assumed no role');
      if (i === 0) continue; // warm-up
      runs.push(gdIrRun(r, log));
    }
  } finally {
    await sb.close();
  }
  return runs;
}

export async function runInvestigationBench(): Promise<BenchResult> {
  const began = performance.now();
  const findingId = WORKSHOP.findings.unauthorizedAccessCustom;
  const sb = await startBenchSandbox({ scenario: 'workshop', latencyMs: LATENCY_MS, cloudTrailRateLimit: LOOKUP_RATE });
  const gdIr: GdIrRun[] = [];
  const cli: CliRun[] = [];
  try {
    const investigate = async (): Promise<{ r: ProcResult; log: RequestRecord[] }> => {
      takeLog(sb.sandbox.requests);
      await sleep(REFILL_MS);
      const r = await runGdIr(['investigate', findingId, '--json'], { env: sb.env });
      assertOk('gd-ir investigate --json', r);
      return { r, log: takeLog(sb.sandbox.requests) };
    };

    // Warm-up (page cache, sandbox JIT), and the window and regions gd-ir chose, so the script asks the same.
    const warm = await investigate();
    const keyLookups = warm.log.filter(
      (q) => q.operation === 'LookupEvents' && JSON.stringify(q.input).includes(WORKSHOP.compromised.accessKeyId) && q.status === 200,
    );
    const firstLookup = keyLookups[0]?.input as { StartTime?: number; EndTime?: number } | undefined;
    if (!firstLookup?.StartTime || !firstLookup.EndTime) throw new Error('gd-ir investigate made no LookupEvents call for the key');
    const start = String(Math.floor(firstLookup.StartTime));
    const end = String(Math.ceil(firstLookup.EndTime));
    const regions = [...new Set(keyLookups.map((q) => q.region))];

    for (let i = 0; i < GD_IR_RUNS; i++) {
      const { r, log } = await investigate();
      gdIr.push(gdIrRun(r, log));
      if (i < CLI_RUNS) {
        takeLog(sb.sandbox.requests);
        await sleep(REFILL_MS);
        const c = await runProcess('bash', [`${ROOT}bench/aws-cli-investigation.sh`, sb.sandbox.endpoint, findingId, 'us-west-2', start, end, ...regions], {
          env: sb.env,
        });
        assertOk('bench/aws-cli-investigation.sh', c);
        const log = takeLog(sb.sandbox.requests);
        const summary = c.stdout.trim();
        cli.push({
          wallMs: c.wallMs,
          calls: log.length,
          throttled: log.filter((q) => q.fault === 'ratelimit').length,
          inRequestsMs: log.reduce((s, q) => s + (q.end - q.start), 0),
          events: Number(/events=(\d+)/.exec(summary)?.[1] ?? -1),
          summary,
        });
      }
    }
  } finally {
    await sb.close();
  }

  const member = await memberRuns();
  const memberWall = median(member.map((x) => x.wallMs));
  const memberBound = median(member.map((x) => x.bound.boundMs));
  const memberSample = member[Math.floor(member.length / 2)]?.bound;

  const gdWall = median(gdIr.map((x) => x.wallMs));
  const bound = median(gdIr.map((x) => x.bound.boundMs));
  const span = median(gdIr.map((x) => x.requestSpanMs));
  const cliWall = median(cli.map((x) => x.wallMs));
  const cliInRequests = median(cli.map((x) => x.inRequestsMs));
  const cliCalls = median(cli.map((x) => x.calls));
  const before = median(gdIr.map((x) => x.beforeFirstRequestMs));
  const after = median(gdIr.map((x) => x.afterLastResponseMs));
  const sample = gdIr[Math.floor(gdIr.length / 2)]?.bound;

  const figures = [
    info('cli.ms', 'AWS CLI script (median of 3)', cliWall, 'ms'),
    info('gdir.ms', 'gd-ir investigate --json (median of 5)', gdWall, 'ms'),
    atLeast('speedup', 'speed-up: AWS CLI script / gd-ir', cliWall / gdWall, 'x', CLI_SPEEDUP_TARGET),
    info('speedup.ceiling', 'most any client could reach: CLI / critical path', cliWall / bound, 'x'),
    info('bound.ms', 'critical-path bound (from the request log)', bound, 'ms'),
    atMost('criticalPath.ratio', 'gd-ir wall / critical-path bound', gdWall / bound, 'x', CRITICAL_PATH_TARGET),
    info('requestSpan.ratio', 'gd-ir first request → last response / bound', span / bound, 'x'),
    info('member.ms', 'member account (read role): gd-ir investigate --json (median of 5)', memberWall, 'ms'),
    info('member.bound.ms', 'member account: critical-path bound, AssumeRole included', memberBound, 'ms'),
    atMost('member.criticalPath.ratio', 'member account: gd-ir wall / critical-path bound', memberWall / memberBound, 'x', CRITICAL_PATH_TARGET),
  ];
  const notes: string[] = [];
  if (sample) {
    notes.push(
      `critical path: ${sample.finding.detail} (${sample.finding.ms} ms), then the slowest of ${sample.chains
        .map((c) => `${c.name} ${Math.round(c.ms)} ms [${c.detail}]`)
        .join('; ')} → ${Math.round(sample.boundMs)} ms`,
    );
  }
  notes.push(
    `gd-ir time: ${round(before, 0)} ms before its first request (process, CLI and SDK start), ${round(span, 0)} ms of requests, ${round(after, 0)} ms after the last response; ` +
      `${median(gdIr.map((x) => x.calls))} calls, ${median(gdIr.map((x) => x.throttled))} throttled`,
  );
  notes.push(
    `AWS CLI time: ${cliCalls} calls (${median(cli.map((x) => x.throttled))} of them throttled and retried by botocore), ${round(cliInRequests, 0)} ms inside requests, ` +
      `${round(cliWall - cliInRequests, 0)} ms outside them (≈ ${round((cliWall - cliInRequests) / Math.max(1, cliCalls), 0)} ms per call: the CLI's Python start-up, the shell and jq, botocore's back-off after a throttle)`,
  );
  if (memberSample) {
    notes.push(
      `member account: ${memberSample.finding.detail} (${memberSample.finding.ms} ms), then the slowest of ${memberSample.chains
        .map((c) => `${c.name} ${Math.round(c.ms)} ms [${c.detail}]`)
        .join('; ')} → ${Math.round(memberSample.boundMs)} ms; ${median(member.map((x) => x.calls))} calls, ${member[0]?.events ?? -1} events`,
    );
  }
  const gdEvents = gdIr[0]?.events;
  const cliEvents = cli[0]?.events;
  notes.push(
    gdEvents === cliEvents
      ? `same information: both gathered ${gdEvents} CloudTrail events (key and derived session), the user's policies and keys`
      : `event counts differ: gd-ir ${gdEvents}, AWS CLI script ${cliEvents} — check the window and regions`,
  );
  if (cliWall / bound < CLI_SPEEDUP_TARGET) {
    notes.push(
      `the ${CLI_SPEEDUP_TARGET}× target is above what the API allows here: even a client with zero overhead needs the critical path (${round(bound, 0)} ms, CloudTrail's 2 req/s), so the best possible speed-up over this script is ${round(cliWall / bound, 1)}×; gd-ir reaches ${round((cliWall / gdWall / (cliWall / bound)) * 100, 0)} % of it`,
    );
  }
  return {
    name: 'investigation',
    title: 'Investigation vs the AWS CLI and vs its critical path',
    figures,
    data: { latencyMs: LATENCY_MS, lookupRate: LOOKUP_RATE, gdIrRuns: gdIr, cliRuns: cli, memberRuns: member },
    notes,
    durationMs: performance.now() - began,
  };
}
