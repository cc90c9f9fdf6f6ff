/**
 * `gd-ir investigate --logs`: the trail comes from the named source, the data-source section says
 * which and what it cannot contain, and the S3 exfiltration finding's activity shows the objects read.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS, startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import { SANDBOX_TRAIL_BUCKET } from '../../../src/sandbox/logs/bucket.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import { baseEnv, runInProcess } from '../../helpers/cli.js';

let sandbox: RunningSandbox;
let cache: string;
let ahead = 0;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, cloudTrailRateLimit: false, now: () => new Date(Date.now() + ahead) });
  ahead = 30 * 60_000;
  cache = mkdtempSync(join(tmpdir(), 'gd-ir-inv-logs-'));
});
afterAll(async () => {
  await sandbox.close();
  rmSync(cache, { recursive: true, force: true });
});

const run = (args: string[]) =>
  runInProcess(['investigate', WORKSHOP.findings.s3Exfiltration, ...args], {
    env: baseEnv({ AWS_ENDPOINT_URL: sandbox.endpoint, AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey, AWS_REGION: 'us-west-2', XDG_CACHE_HOME: cache }),
  });

describe('investigate --logs', () => {
  it('reads the trail from S3: the report names the source and its limits, and the activity has the objects read', async () => {
    const r = await run(['--logs', `s3://${SANDBOX_TRAIL_BUCKET}`, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { trailSource: { kind: string; description: string; limits: string[]; scan: { files: number } }; activity: { events: Array<{ eventName: string }> } };
    expect(j.trailSource).toMatchObject({ kind: 's3', description: `s3://${SANDBOX_TRAIL_BUCKET}` });
    expect(j.trailSource.limits[0]).toMatch(/not be delivered yet/);
    expect(j.trailSource.scan.files).toBeGreaterThan(0);
    expect(j.activity.events.filter((e) => e.eventName === 'GetObject')).toHaveLength(23);
    const human = await run(['--logs', 'athena:cloudtrail.org_logs']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/CloudTrail read from: athena:cloudtrail\.org_logs · \d+ quer(y|ies) in workgroup primary · [\d.]+ kB scanned · about \$/);
  });

  it('event history says what it cannot contain', async () => {
    const r = await run(['--json']);
    const j = JSON.parse(r.stdout) as { trailSource: { kind: string; limits: string[] }; activity: { events: Array<{ eventName: string }> } };
    expect(j.trailSource.kind).toBe('lookup');
    expect(j.trailSource.limits[0]).toMatch(/no data events/);
    expect(j.activity.events.some((e) => e.eventName === 'GetObject')).toBe(false);
  });

  it('an Athena action denied: the activity section says so, the rest of the report stands (and --strict exits 1)', async () => {
    sandbox.setKnobs({ deny: ['Athena:StartQueryExecution'] });
    try {
      const r = await run(['--logs', 'athena:cloudtrail.org_logs', '--strict']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/activity: CloudTrail could not be read: .*athena:StartQueryExecution/);
      expect(r.stdout).toMatch(/Permissions/);
    } finally {
      sandbox.setKnobs({ deny: [] });
    }
  });
});
