/**
 * The changes sweep on every source: for the persistence incident, the attacker's changes (with the backdoor key
 * followed one hop further, to the key it made for reporting-svc) are the same whether the trail is read from event
 * history, the exported log directory, the trail bucket (s3://) or the Athena table: in `investigate --json` (with
 * the state read back) and in `trail --changes --follow --json` (classified only). Event history is denied while a
 * log source is read, so the keys followed are read from that source.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS, startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import { SANDBOX_TRAIL_BUCKET } from '../../../src/sandbox/logs/bucket.js';
import { exportWorld } from '../../../src/sandbox/logs/export.js';
import { PERSISTENCE as P } from '../../../src/sandbox/scenarios/persistence-facts.js';
import { baseEnv, runInProcess } from '../../helpers/cli.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let sandbox: RunningSandbox;
let dir: string;
let cache: string;
/** Once the scenario is built the sandbox's clock runs 30 minutes ahead: every log file is delivered. */
let ahead = 0;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, cloudTrailRateLimit: false, scenario: 'persistence', attackerIntervalMs: 0, now: () => new Date(Date.now() + ahead) });
  ahead = 30 * 60_000;
  dir = mkdtempSync(join(tmpdir(), 'gd-ir-changes-sources-'));
  cache = mkdtempSync(join(tmpdir(), 'gd-ir-changes-sources-cache-'));
  exportWorld(join(dir, 'logs'), sandbox.world);
});

afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
});

const env = () =>
  baseEnv({
    AWS_ENDPOINT_URL: sandbox.endpoint,
    AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'us-west-2',
    XDG_CACHE_HOME: cache,
  });

/**
 * With --logs, event history is denied: whatever the sweep reads (the created keys' activity) must come from the
 * named source.
 */
async function run(args: string[], logs: string | undefined): Promise<Json> {
  sandbox.setKnobs({ deny: logs ? ['CloudTrail:LookupEvents'] : [] });
  try {
    const r = await runInProcess([...args, '--json', ...(logs ? ['--logs', logs] : [])], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr, r.stderr).not.toMatch(/LookupEvents|could not be read/);
    return JSON.parse(r.stdout) as Json;
  } finally {
    sandbox.setKnobs({ deny: [] });
  }
}

const F = P.findings.maliciousIp;
const sources = (): Array<[string, string]> => [
  ['a log directory', join(dir, 'logs')],
  ['s3://', `s3://${SANDBOX_TRAIL_BUCKET}`],
  ['athena:', 'athena:cloudtrail.org_logs'],
];
/** A change as a fact, whatever the source: what was done, by which credential, to what, and its state now. */
const fact = (c: Json) => [c.time, c.eventName, c.region, c.actor.kind, c.actor.accessKeyId ?? null, c.actor.hop ?? null, c.resource.type, c.resource.id, c.category, c.state.status, c.state.detail];

describe('the changes sweep: the same changes from every source', () => {
  it('investigate: every change, the backdoor key followed, the same state read back', async () => {
    const lookup = await run(['investigate', F], undefined);
    const changes = lookup.changes as Json[];
    expect(changes).toHaveLength(10);
    // The key the backdoor key made is only seen by following the backdoor key's own trail.
    expect(changes.find((c) => c.eventName === 'CreateAccessKey' && c.resource.id === P.loginUser.attackerKeyId)?.actor).toMatchObject({ kind: 'created-key', accessKeyId: P.backdoor.accessKeyId });
    for (const [label, logs] of sources()) {
      const other = await run(['investigate', F], logs);
      expect(other.trailSource.kind, label).not.toBe('lookup');
      expect((other.changes as Json[]).map(fact), label).toEqual(changes.map(fact));
      if (other.trailSource.kind === 'athena') {
        // Athena bills every query: the report counts the sweep's (the backdoor key's) with the principal's.
        const queries = other.trailSource.athena.queries as Array<{ selector: string; scannedBytes: number; costUsd: number }>;
        expect(queries.map((q) => q.selector)).toContain(`AccessKeyId=${P.backdoor.accessKeyId}`);
        expect(other.trailSource.athena.scannedBytes).toBe(queries.reduce((n, q) => n + q.scannedBytes, 0));
      }
    }
  });

  it('trail --changes --follow: the same classified changes and the same credentials followed', async () => {
    const lookup = await run(['trail', '--finding', F, '--changes', '--follow'], undefined);
    expect(lookup.followed.map((f: Json) => f.accessKeyId)).toContain(P.backdoor.accessKeyId);
    expect(lookup.changes.some((c: Json) => c.resource.id === P.loginUser.attackerKeyId)).toBe(true);
    for (const [label, logs] of sources()) {
      const other = await run(['trail', '--finding', F, '--changes', '--follow'], logs);
      expect(other.changes.map(fact), label).toEqual(lookup.changes.map(fact));
      expect(other.followed, label).toEqual(lookup.followed);
      expect(other.notFollowed, label).toEqual(lookup.notFollowed);
    }
  });

  it('s3:// with --no-cache: the sweep reads the objects the trail already fetched, each object fetched once in the run', async () => {
    const from = sandbox.requests.length;
    const r = await run(['trail', '--finding', F, '--changes', '--follow', '--no-cache'], `s3://${SANDBOX_TRAIL_BUCKET}`);
    expect(r.followed.map((f: Json) => f.accessKeyId)).toContain(P.backdoor.accessKeyId);
    const gets = new Map<string, number>();
    for (const q of sandbox.requests.slice(from)) {
      if (q.service !== 's3' || q.operation !== 'GetObject') continue;
      const key = (q.input as { Key: string }).Key;
      gets.set(key, (gets.get(key) ?? 0) + 1);
    }
    expect(gets.size).toBeGreaterThan(0);
    expect([...gets].filter(([, n]) => n > 1)).toEqual([]);
  });
});
