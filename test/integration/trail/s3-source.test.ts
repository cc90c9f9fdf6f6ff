/**
 * `--logs s3://…` against the sandbox through the real SDK: the plan is said before the scan, each
 * object is fetched at most once per run (with --follow's second pass too), the cache serves the next
 * run, --no-cache leaves nothing behind, and access problems exit 4 with what to grant (kms:Decrypt for
 * SSE-KMS trails).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS, startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import { SANDBOX_TRAIL_BUCKET } from '../../../src/sandbox/logs/bucket.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import { baseEnv, runInProcess } from '../../helpers/cli.js';

let sandbox: RunningSandbox;
let cache: string;
let ahead = 0;
const BUCKET = `s3://${SANDBOX_TRAIL_BUCKET}`;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, cloudTrailRateLimit: false, now: () => new Date(Date.now() + ahead) });
  ahead = 30 * 60_000;
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => {
  cache = mkdtempSync(join(tmpdir(), 'gd-ir-s3-cache-'));
  sandbox.setKnobs({ deny: [] });
  return () => rmSync(cache, { recursive: true, force: true });
});

function run(args: string[], opts: { stderrTTY?: boolean } = {}) {
  const env = baseEnv({
    AWS_ENDPOINT_URL: sandbox.endpoint,
    AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'us-west-2',
    XDG_CACHE_HOME: cache,
  });
  return runInProcess(['trail', '--finding', WORKSHOP.findings.unauthorizedAccessCustom, '--follow', ...args], { env, ...opts });
}

/** GetObject requests per key since `from`. */
function gets(from: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of sandbox.requests.slice(from)) {
    if (r.service !== 's3' || r.operation !== 'GetObject') continue;
    const key = (r.input as { Key: string }).Key;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

describe('--logs s3://', () => {
  it('says what it will read, fetches each object once per run (both passes of --follow), then serves the next run from the cache', async () => {
    const before = sandbox.requests.length;
    const r = await run(['--logs', BUCKET, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const first = gets(before);
    expect(first.size).toBeGreaterThan(0);
    expect([...first.values()].every((n) => n === 1)).toBe(true);
    const out = JSON.parse(r.stdout) as { derivedCredentials: unknown[]; source: { scan: { fetched: number; cached: number; files: number } } };
    expect(out.derivedCredentials.length).toBeGreaterThan(0);
    // The second (derived) pass read files the first had fetched: from the cache.
    expect(out.source.scan.fetched).toBe(first.size);
    expect(out.source.scan.cached).toBeGreaterThan(0);
    expect(readdirSync(join(cache, 'gd-ir', 's3')).length).toBe(first.size);

    const again = sandbox.requests.length;
    const human = await run(['--logs', BUCKET]);
    expect(human.code).toBe(0);
    expect(gets(again).size).toBe(0);
    expect(human.stderr).toMatch(/Reading \d+ log files \([\d.]+ kB\) from s3:\/\/example-corp-org-cloudtrail/);
    expect(human.stdout).toMatch(/Source {5}s3:\/\/example-corp-org-cloudtrail · \d+ files read .* · 0 fetched, \d+ from the cache/);
  });

  it('--no-cache: still one fetch per object, and no cache directory afterwards', async () => {
    const before = sandbox.requests.length;
    const r = await run(['--logs', BUCKET, '--no-cache', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect([...gets(before).values()].every((n) => n === 1)).toBe(true);
    expect(existsSync(join(cache, 'gd-ir'))).toBe(false);
  });

  it('shows a progress bar of files, bytes and events on a terminal', async () => {
    const r = await run(['--logs', BUCKET], { stderrTTY: true });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Reading s3:\/\/example-corp-org-cloudtrail \[[█░]+\] +\d+% · \d+\/\d+ files · .* · \d+ events matched/);
  });

  it('an SSE-KMS trail without kms:Decrypt: exit 4, naming kms:Decrypt and the remedy', async () => {
    sandbox.setKnobs({ deny: ['KMS:Decrypt'] });
    const r = await run(['--logs', BUCKET]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/encrypted with SSE-KMS/);
    expect(r.stderr).toMatch(/kms:Decrypt on the trail's KMS key/);
  });

  it('no s3:ListBucket: exit 4 with what to grant', async () => {
    sandbox.setKnobs({ deny: ['S3:ListObjectsV2'] });
    const r = await run(['--logs', BUCKET]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/s3:ListBucket on arn:aws:s3:::example-corp-org-cloudtrail/);
  });

  it('a bucket without CloudTrail logs, or that does not exist, is said plainly', async () => {
    const none = await run(['--logs', `${BUCKET}/not-the-prefix`]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no CloudTrail logs under s3:\/\/example-corp-org-cloudtrail\/not-the-prefix\/AWSLogs\//);
    const missing = await run(['--logs', 's3://no-such-bucket-here']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/NoSuchBucket/);
  });
});
