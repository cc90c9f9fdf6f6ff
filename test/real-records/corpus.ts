/**
 * The corpus of records published from real AWS accounts (test/fixtures/real/, origins in ORIGINS.md) and the
 * runs the real-records harness makes of them. Shared by the tests (in-process, TZ=UTC) and by child.ts, which
 * repeats the same runs under another TZ so the outputs can be compared.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox, SANDBOX_CREDENTIALS, type World } from '../../src/sandbox/index.js';
import { buildScenario } from '../../src/sandbox/scenarios/index.js';
import type { CloudTrailRecord } from '../../src/sandbox/model.js';
import { baseEnv, runInProcess, type CapturedRun } from '../helpers/cli.js';

export const REAL_DIR = fileURLToPath(new URL('../fixtures/real/', import.meta.url));
/** Paths as the commands are given them (relative to the repository root, the tests' working directory). */
export const REAL_REL = 'test/fixtures/real/';

export interface IndexEntry {
  file: string;
  kind: 'guardduty' | 'cloudtrail';
  shape: string;
  principalType: string | null;
  resourceType?: string | null;
  findingType?: string | null;
  eventName?: string;
  source: string;
  records?: number;
}

export function loadIndex(): IndexEntry[] {
  return (JSON.parse(readFileSync(join(REAL_DIR, 'index.json'), 'utf8')) as { files: IndexEntry[] }).files;
}

type Json = Record<string, unknown>;

/** The CloudTrail records a corpus file holds, whatever its shape (one record, a log file, an array, lookup-events output). */
export function recordsOf(entry: IndexEntry): Json[] {
  const data = JSON.parse(readFileSync(join(REAL_DIR, entry.file), 'utf8')) as unknown;
  switch (entry.shape) {
    case 'record':
      return [data as Json];
    case 'records-file':
      return (data as { Records: Json[] }).Records;
    case 'array':
      return data as Json[];
    case 'lookup-events':
      return (data as { Events: Array<{ CloudTrailEvent: string }> }).Events.map((e) => JSON.parse(e.CloudTrailEvent) as Json);
    default:
      throw new Error(`unknown CloudTrail shape ${entry.shape} (${entry.file})`);
  }
}

/** The account and region the sandbox plays; every corpus record is served from this region's event history. */
export const WORLD_REGION = 'us-east-1';
/** A fixed instant for the finding runs (the findings are all older; nothing in the output depends on today). */
export const FINDINGS_NOW = new Date('2026-06-01T00:00:00Z');

/**
 * The workshop's IAM (so the analyst's sandbox key authenticates) with no findings and, in us-east-1, every
 * corpus record exactly as published. Records keep their own `awsRegion` (some sources anonymised it); they are
 * all served from one region so one lookup finds each, which is what this harness tests: how gd-ir reads them.
 */
export function buildRecordsWorld(): World {
  const w = buildScenario('workshop', { now: FINDINGS_NOW });
  for (const r of Object.values(w.regions)) {
    r.findings = [];
    r.events = [];
  }
  const region = w.regions[WORLD_REGION];
  if (!region) throw new Error(`the workshop world has no ${WORLD_REGION}`);
  for (const e of loadIndex().filter((x) => x.kind === 'cloudtrail')) {
    for (const rec of recordsOf(e)) region.events.push(rec as CloudTrailRecord);
  }
  return w;
}

// ---------------------------------------------------------------------------------------------------------------
// Runs

export interface Case {
  /** Unique, also the golden's file name (without extension). */
  id: string;
  argv: string[];
  /** The instant gd-ir and the sandbox take as now. */
  now: string;
  json: boolean;
}

const ACCESS_KEY = /^(AKIA|ASIA)[A-Z0-9]{16}$/;
const MINTING = new Set(['GetSessionToken', 'AssumeRole', 'GetFederationToken']);

/** The LookupEvents Username a record is indexed under (as the sandbox indexes it: userName, root, session name). */
function lookupUsername(rec: Json): string | undefined {
  const ui = (rec.userIdentity ?? {}) as Json;
  if (typeof ui.userName === 'string' && ui.userName !== '') return ui.userName;
  if (ui.type === 'Root') return 'root';
  if ((ui.type === 'AssumedRole' || ui.type === 'FederatedUser') && typeof ui.arn === 'string') return ui.arn.split('/').pop();
  return undefined;
}

/** gd-ir trail's --user accepts IAM user names only ([\w+=,.@-], 1–64). */
const USER_NAME = /^[\w+=,.@-]{1,64}$/;

export interface TrailTarget {
  file: string;
  index: number;
  eventID: string | undefined;
  eventName: string;
  /** How the record is looked up, or why it cannot be. */
  lookup: { flag: '--key' | '--user'; value: string } | { unreachable: string };
  time: string;
  minting: boolean;
}

export function trailTargets(): TrailTarget[] {
  const out: TrailTarget[] = [];
  for (const e of loadIndex().filter((x) => x.kind === 'cloudtrail')) {
    recordsOf(e).forEach((rec, index) => {
      const ui = (rec.userIdentity ?? {}) as Json;
      const key = typeof ui.accessKeyId === 'string' && ACCESS_KEY.test(ui.accessKeyId) ? ui.accessKeyId : undefined;
      const user = lookupUsername(rec);
      let lookup: TrailTarget['lookup'];
      if (key) lookup = { flag: '--key', value: key };
      else if (user && USER_NAME.test(user)) lookup = { flag: '--user', value: user };
      else {
        lookup = {
          unreachable: `userIdentity ${String(ui.type ?? '(no type)')} carries no access key ID in AKIA/ASIA form${user ? ` and its name '${user}' is not an IAM user name` : ' and no user name'}: gd-ir trail looks up by --key or --user only`,
        };
      }
      out.push({
        file: e.file,
        index,
        eventID: typeof rec.eventID === 'string' ? rec.eventID : undefined,
        eventName: String(rec.eventName),
        lookup,
        time: String(rec.eventTime),
        minting: rec.eventSource === 'sts.amazonaws.com' && MINTING.has(String(rec.eventName)) && !rec.errorCode,
      });
    });
  }
  return out;
}

const HOUR = 3_600_000;

/** Only the first record of a multi-record file gets its own runs (the rest come back in the same trail). */
export function trailCases(): Case[] {
  const seen = new Set<string>();
  const cases: Case[] = [];
  for (const t of trailTargets()) {
    if (!('flag' in t.lookup)) continue;
    const key = `${t.file}|${t.lookup.flag}|${t.lookup.value}|${t.time}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const at = Date.parse(t.time);
    const base = [
      'trail',
      t.lookup.flag,
      t.lookup.value,
      '--regions',
      WORLD_REGION,
      '--since',
      new Date(at - HOUR).toISOString(),
      '--until',
      new Date(at + HOUR).toISOString(),
    ];
    const stem = `${t.file.replace(/^cloudtrail\//, '').replace(/\.json$/, '')}.${t.index}`;
    const now = new Date(at + 24 * HOUR).toISOString();
    cases.push({ id: `${stem}.text`, argv: base, now, json: false });
    cases.push({ id: `${stem}.json`, argv: [...base, '--json'], now, json: true });
    if (t.minting) cases.push({ id: `${stem}.follow.json`, argv: [...base, '--follow', '--json'], now, json: true });
  }
  return cases;
}

export function findingCases(): Case[] {
  const now = FINDINGS_NOW.toISOString();
  return loadIndex()
    .filter((e) => e.kind === 'guardduty')
    .flatMap((e) => {
      const path = `${REAL_REL}${e.file}`;
      const stem = e.file.replace(/^guardduty\//, '').replace(/\.json$/, '');
      return [
        { id: `${stem}.show.text`, argv: ['findings', 'show', '--from-file', path], now, json: false },
        { id: `${stem}.show.json`, argv: ['findings', 'show', '--from-file', path, '--json'], now, json: true },
        { id: `${stem}.list.text`, argv: ['findings', 'list', '--from-file', path], now, json: false },
        { id: `${stem}.list.json`, argv: ['findings', 'list', '--from-file', path, '--json'], now, json: true },
        { id: `${stem}.investigate.text`, argv: ['investigate', '--from-file', path], now, json: false },
        { id: `${stem}.investigate.json`, argv: ['investigate', '--from-file', path, '--json'], now, json: true },
      ];
    });
}

/** Fields that measure this run rather than describe the records (wall-clock durations). */
function stableJson(stdout: string): string {
  if (stdout.trim() === '') return stdout;
  const scrub = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(scrub);
    if (v && typeof v === 'object') {
      const o: Json = {};
      for (const [k, x] of Object.entries(v as Json)) o[k] = k === 'elapsedMs' || k === 'throttleWaitMs' ? 0 : scrub(x);
      return o;
    }
    return v;
  };
  return `${JSON.stringify(scrub(JSON.parse(stdout)), null, 2)}\n`;
}

/** What a golden holds: the exit code, stdout and stderr of one run. */
export function goldenText(c: Case, run: CapturedRun): string {
  const stdout = c.json && run.code === 0 ? stableJson(run.stdout) : run.stdout;
  return `$ gd-ir ${c.argv.join(' ')}\nexit ${run.code}\n--- stdout\n${stdout}--- stderr\n${run.stderr}`;
}

/**
 * Runs the cases against one sandbox serving the corpus world (its clock moved to each case's `now`), gd-ir
 * in-process with the same clock. Returns the golden text of each case.
 */
export async function runCases(cases: readonly Case[]): Promise<Record<string, string>> {
  let current = new Date(FINDINGS_NOW.getTime());
  const sandbox = await startSandbox({ port: 0, world: buildRecordsWorld(), cloudTrailRateLimit: false, now: () => new Date(current.getTime()) });
  const stateDir = mkdtempSync(join(tmpdir(), 'gd-ir-real-'));
  const env = baseEnv({
    AWS_ENDPOINT_URL: sandbox.endpoint,
    AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey,
    AWS_REGION: WORLD_REGION,
    XDG_STATE_HOME: stateDir,
  });
  const clock = {
    now: (): Date => new Date(current.getTime()),
    sleep: (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms)),
  };
  const out: Record<string, string> = {};
  try {
    for (const c of cases) {
      current = new Date(c.now);
      const run = await runInProcess(c.argv, { env, clock, maxAttempts: 1 });
      out[c.id] = goldenText(c, run);
    }
  } finally {
    await sandbox.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
  return out;
}
