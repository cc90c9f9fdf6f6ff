/**
 * 5. `gd-ir findings list --all-pages --all --json` over the `large` scenario's 10,000 findings with
 * 50 ms latency per call: wall time against the bound set by the page chain, and the CLI's peak RSS.
 *
 * The bound: ListFindings returns at most 50 IDs and a nextToken, and page k + 1 cannot be asked for
 * before page k's token arrives, so the pages form one chain of n × L. GetFindings for a page can run
 * while the next page is listed; only the last page's GetFindings follows the chain. With the detector
 * lookup first: bound = (ListDetectors + n × ListFindings + 1 × GetFindings) × L. n is taken from the
 * sandbox's request log.
 */
import { median, round, runGdIr, sleep, assertOk } from './lib/measure.js';
import { atMost, exactly, info, type BenchResult } from './lib/report.js';
import { startBenchSandbox } from './lib/sandbox.js';
import type { RequestRecord } from '../src/sandbox/index.js';

const LATENCY_MS = 50;
const RUNS = 3;
export const SCALE_TARGET = 1.5;
export const RSS_TARGET_MB = 200;

interface Run {
  wallMs: number;
  peakRssMb: number;
  boundMs: number;
  listPages: number;
  getBatches: number;
  findings: number;
  uniqueIds: number;
  beforeFirstRequestMs: number;
  afterLastResponseMs: number;
  /** Median time between a ListFindings response and the next page's request (client work per page). */
  medianPageGapMs: number;
}

export function findingsBound(log: readonly RequestRecord[], latencyMs: number): { boundMs: number; listPages: number; getBatches: number } {
  const ok = log.filter((q) => q.service === 'guardduty' && q.status === 200);
  const detector = ok.some((q) => q.operation === 'ListDetectors') ? 1 : 0;
  const listPages = ok.filter((q) => q.operation === 'ListFindings').length;
  const getBatches = ok.filter((q) => q.operation === 'GetFindings').length;
  return { boundMs: (detector + listPages + (getBatches > 0 ? 1 : 0)) * latencyMs, listPages, getBatches };
}

export async function runFindingsScaleBench(): Promise<BenchResult> {
  const began = performance.now();
  const sb = await startBenchSandbox({ scenario: 'large', latencyMs: LATENCY_MS, cloudTrailRateLimit: false });
  const runs: Run[] = [];
  let expected = 0;
  try {
    for (const r of Object.values(sb.sandbox.world.regions)) expected += r.findings.length;
    for (let i = 0; i < RUNS; i++) {
      sb.sandbox.requests.splice(0);
      await sleep(200);
      const r = await runGdIr(['findings', 'list', '--all-pages', '--all', '--json'], { env: sb.env, measureRss: true });
      assertOk('gd-ir findings list --all-pages --all --json', r);
      const log = sb.sandbox.requests.splice(0);
      const findings = JSON.parse(r.stdout) as Array<{ id: string }>;
      const lists = log.filter((q) => q.operation === 'ListFindings' && q.status === 200);
      const gaps = lists.slice(1).map((q, k) => q.start - (lists[k] as RequestRecord).end);
      runs.push({
        wallMs: r.wallMs,
        peakRssMb: r.peakRssMb ?? NaN,
        ...findingsBound(log, LATENCY_MS),
        findings: findings.length,
        uniqueIds: new Set(findings.map((f) => f.id)).size,
        beforeFirstRequestMs: Math.min(...log.map((q) => q.start)) - r.startedAt,
        afterLastResponseMs: r.endedAt - Math.max(...log.map((q) => q.end)),
        medianPageGapMs: median(gaps),
      });
    }
  } finally {
    await sb.close();
  }
  const wall = median(runs.map((r) => r.wallMs));
  const bound = median(runs.map((r) => r.boundMs));
  const rss = median(runs.map((r) => r.peakRssMb));
  const last = runs[runs.length - 1] as Run;
  const exactlyOnce = runs.every((r) => r.findings === expected && r.uniqueIds === expected) ? expected : Math.min(...runs.map((r) => r.uniqueIds));
  const figures = [
    info('wall.ms', `findings list --all-pages, ${expected} findings (median of ${RUNS})`, wall, 'ms'),
    info('bound.ms', `bound: (1 + ${last.listPages} pages + 1) × ${LATENCY_MS} ms`, bound, 'ms'),
    atMost('bound.ratio', 'findings list wall / bound', wall / bound, 'x', SCALE_TARGET),
    atMost('rss.mb', 'peak RSS of the gd-ir process', rss, 'MB', RSS_TARGET_MB),
    exactly('findings.once', 'findings returned, each exactly once', exactlyOnce, 'count', expected),
  ];
  const notes = [
    `per run: ${round(median(runs.map((r) => r.beforeFirstRequestMs)), 0)} ms before the first request, ${last.listPages} ListFindings pages and ${last.getBatches} GetFindings batches, ` +
      `${round(median(runs.map((r) => r.medianPageGapMs)), 1)} ms (median) between a page's response and the next page's request, ${round(median(runs.map((r) => r.afterLastResponseMs)), 0)} ms from the last response to exit (sorting and writing ${expected} findings as JSON)`,
  ];
  return {
    name: 'findings-scale',
    title: 'Findings at scale',
    figures,
    data: { latencyMs: LATENCY_MS, expected, runs },
    notes,
    durationMs: performance.now() - began,
  };
}
