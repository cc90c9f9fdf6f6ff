/**
 * Local trail logs: 1,000,000 CloudTrail events in about 1,000 `.json.gz` files (the organisation
 * layout, written by the sandbox's exporter), searched for one access key.
 *
 *   floor   parallel `zcat` of the same files to /dev/null, one process per CPU (`xargs -P nproc`)
 *   gd-ir   `gd-ir trail --key K --since … --until … --regions … --logs <dir> --json`, the built binary as a
 *           user runs it (start-up included): walk, read, gunzip, match, parse candidates, the one pipeline
 *   jq      `zcat … | jq -c '.Records[] | select(.userIdentity.accessKeyId == KEY)'`
 *   duckdb  DuckDB's read_json over the same files, only the columns needed (for the engine decision)
 *
 * Targets: gd-ir ≤ 1.5× the floor, ≥ 5× faster than jq, peak RSS ≤ 300 MB, every event found. The
 * floor and gd-ir runs interleave (median of 3); jq and DuckDB run once (they take longest).
 * jq: `apt-get install jq` (Debian); without it the jq figure is left out, not faked.
 *
 *   node --import tsx bench/logs-local.ts [--events=N]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportRecords } from '../src/sandbox/logs/export.js';
import { SYNTHETIC_DEFAULTS, syntheticRecords, syntheticWindow, type SyntheticParams } from '../src/sandbox/logs/synthetic.js';
import { LARGE } from '../src/sandbox/scenarios/large-facts.js';
import { cleanEnv, median, round, runGdIr, runProcess, type ProcResult } from './lib/measure.js';
import { atLeast, atMost, exactly, info, ROOT, type BenchResult, type Figure } from './lib/report.js';

const CHILD = `${ROOT}bench/lib/logs-child.mjs`;
const END = new Date('2026-11-30T00:00:00Z');

function nproc(): number {
  try {
    return Number(execFileSync('nproc', { encoding: 'utf8' }).trim()) || cpus().length;
  } catch {
    return cpus().length;
  }
}

function hasJq(): boolean {
  try {
    execFileSync('jq', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The corpus, generated once per parameter set and kept in the temp directory between runs. */
function corpus(params: SyntheticParams): { dir: string; list: string; files: number; bytes: number; seconds: number } {
  const dir = join(tmpdir(), `gd-ir-bench-logs-${params.events}-${params.files}-${params.seed}`);
  const marker = join(dir, 'corpus.json');
  const list = join(dir, 'files.txt');
  if (existsSync(marker)) {
    const m = JSON.parse(readFileSync(marker, 'utf8')) as { files: number; bytes: number; seconds: number };
    return { dir, list, ...m };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const s = exportRecords(join(dir, 'logs'), syntheticRecords(params), { orgId: 'o-exampleorgid', defaultAccountId: LARGE.accountId });
  const seconds = (performance.now() - t0) / 1000;
  const files = execFileSync('find', [join(dir, 'logs'), '-name', '*.json.gz', '-print0'], { maxBuffer: 1 << 28 });
  writeFileSync(list, files);
  writeFileSync(marker, JSON.stringify({ files: s.files, bytes: s.bytes, seconds }));
  return { dir, list, files: s.files, bytes: s.bytes, seconds };
}

const sh = (script: string): Promise<ProcResult> => runProcess('sh', ['-c', script], { captureStdout: true, timeoutMs: 600_000 });

export async function runLogsLocalBench(options: { events?: number } = {}): Promise<BenchResult> {
  const began = performance.now();
  const events = options.events ?? SYNTHETIC_DEFAULTS.events;
  const params: SyntheticParams = { ...SYNTHETIC_DEFAULTS, events, files: Math.max(1, Math.round(events / 1000)), end: END };
  const c = corpus(params);
  const window = syntheticWindow(params);
  const expected = Math.floor(events / params.busyEvery);
  const cores = nproc();
  const key = LARGE.busy.accessKeyId;
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

  const floor: number[] = [];
  const gdir: number[] = [];
  const rss: number[] = [];
  let found = -1;
  let scanned: unknown;
  for (let i = 0; i < 3; i++) {
    const z = await sh(`xargs -0 -P ${cores} -n 50 zcat < ${q(c.list)} > /dev/null`);
    if (z.code !== 0) throw new Error(`zcat failed: ${z.stderr.slice(0, 300)}`);
    floor.push(z.wallMs);
    const g = await runGdIr(
      ['trail', '--key', key, '--since', window.start.toISOString(), '--until', END.toISOString(), '--regions', params.regions.join(','), '--logs', join(c.dir, 'logs'), '--max-events', '1000000', '--json', '--region', 'us-west-2'],
      { measureRss: true, timeoutMs: 600_000, captureStdout: true, env: cleanEnv({ XDG_CACHE_HOME: join(c.dir, 'cache') }) },
    );
    if (g.code !== 0) throw new Error(`gd-ir trail --logs failed: ${g.stderr.slice(0, 500)}`);
    gdir.push(g.wallMs);
    if (g.peakRssMb !== undefined) rss.push(g.peakRssMb);
    const out = JSON.parse(g.stdout) as { events: unknown[]; source: { scan: unknown } };
    found = out.events.length;
    scanned = out.source.scan;
  }
  const floorMs = median(floor);
  const gdirMs = median(gdir);
  const peak = Math.max(...rss);

  let jqMs: number | undefined;
  let jqFound: number | undefined;
  if (hasJq()) {
    const j = await sh(`xargs -0 zcat < ${q(c.list)} | jq -c '.Records[] | select(.userIdentity.accessKeyId == "${key}")' | wc -l`);
    if (j.code === 0) {
      jqMs = j.wallMs;
      jqFound = Number(j.stdout.trim());
    }
  }
  const d = await runProcess(process.execPath, [CHILD, 'duckdb', join(c.dir, 'logs'), key], { measureRss: true, timeoutMs: 600_000 });
  const duckMs = d.code === 0 ? d.wallMs : undefined;

  const figures: Figure[] = [
    info('floorMs', `parallel zcat to /dev/null, ${cores} processes (median of 3)`, Math.round(floorMs), 'ms'),
    info('gdirMs', `gd-ir trail --logs <dir> --key, ${c.files} files (median of 3)`, Math.round(gdirMs), 'ms'),
    atMost('gdirOverFloor', 'gd-ir / decompression floor', round(gdirMs / floorMs, 2), 'x', 1.5),
    atMost('peakRss', 'peak RSS of the gd-ir process', Math.round(peak), 'MB', 300),
    exactly('eventsFound', `events of the key found (of ${events.toLocaleString('en-US')})`, found, 'count', expected),
  ];
  if (jqMs !== undefined) {
    figures.push(info('jqMs', 'zcat | jq select (once)', Math.round(jqMs), 'ms'));
    figures.push(atLeast('jqOverGdir', 'speed-up over zcat | jq', round(jqMs / gdirMs, 2), 'x', 5));
  }
  if (duckMs !== undefined) figures.push(info('duckdbOverFloor', 'DuckDB read_json (3 columns, once) / floor', round(duckMs / floorMs, 2), 'x'));
  return {
    name: 'logs-local',
    title: `gd-ir over local trail logs: ${events.toLocaleString('en-US')} events in ${c.files} .json.gz files (${round(c.bytes / 1e6, 1)} MB)`,
    figures,
    data: { corpus: { ...c, events, window: { start: window.start.toISOString(), end: END.toISOString() } }, floorMs: floor, gdirMs: gdir, rssMb: rss, jqMs, jqFound, duckMs, duckRssMb: d.peakRssMb, scanned },
    notes: [
      `Corpus written once by the sandbox exporter in ${round(c.seconds, 1)} s and kept in ${c.dir} (delete it to regenerate).`,
      jqMs === undefined ? 'jq is not installed (apt-get install jq): the jq comparison was skipped.' : `jq found ${jqFound ?? '?'} events.`,
    ],
    durationMs: Math.round(performance.now() - began),
  };
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const arg = process.argv.find((a) => a.startsWith('--events='));
  const r = await runLogsLocalBench(arg ? { events: Number(arg.slice('--events='.length)) } : {});
  for (const f of r.figures) console.log(`${f.label.padEnd(56)} ${String(f.value).padStart(10)} ${f.unit.padEnd(6)} ${f.target ?? ''} ${f.verdict === 'INFO' ? '' : f.verdict}`);
  for (const n of r.notes) console.log(`  ${n}`);
}
