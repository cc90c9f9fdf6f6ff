/**
 * `--logs s3://` against an independent S3 implementation: moto's server (Apache-2.0, the Python AWS
 * mock; present on this project's machines) reached through AWS_ENDPOINT_URL_S3, while GuardDuty and
 * CloudTrail stay on the sandbox. The workshop's trail log files are uploaded with the SDK, then
 * `gd-ir trail --finding --json` reads them: the same events as event history, plus the data events.
 * No sandbox-only path is involved. Skipped when moto's server cannot be started.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS, startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import { exportWorld } from '../../../src/sandbox/logs/export.js';
import { EXFIL_OBJECT_KEYS } from '../../../src/sandbox/scenarios/workshop-data-events.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import { baseEnv, runInProcess } from '../../helpers/cli.js';
import { HAS_MOTO, startMoto, type Moto } from '../../helpers/moto.js';

const SUITE = HAS_MOTO ? 'an independent S3 (moto) through AWS_ENDPOINT_URL_S3' : 'an independent S3 (moto) through AWS_ENDPOINT_URL_S3 (skipped: moto[server] is not installed)';
const BUCKET = 'independent-org-trail';

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else yield p;
  }
}

describe.skipIf(!HAS_MOTO)(SUITE, () => {
  let moto: Moto;
  let motoUrl: string;
  let sandbox: RunningSandbox;
  let dir: string;

  beforeAll(async () => {
    moto = await startMoto();
    motoUrl = moto.url;
    sandbox = await startSandbox({ port: 0, cloudTrailRateLimit: false });
    dir = mkdtempSync(join(tmpdir(), 'gd-ir-moto-'));
    exportWorld(join(dir, 'logs'), sandbox.world);
    const { CreateBucketCommand, PutObjectCommand, S3Client } = await import('@aws-sdk/client-s3');
    const s3 = new S3Client({ endpoint: motoUrl, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    for (const f of files(join(dir, 'logs'))) {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: relative(join(dir, 'logs'), f), Body: readFileSync(f), ContentType: 'application/json', ContentEncoding: 'gzip' }));
    }
    s3.destroy();
  }, 60_000);

  afterAll(async () => {
    moto?.close();
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('trail --finding --logs s3://… reads the trail from it: event history\'s events plus the objects read', async () => {
    const cache = join(dir, 'cache');
    const env = baseEnv({
      AWS_ENDPOINT_URL: sandbox.endpoint,
      AWS_ENDPOINT_URL_S3: motoUrl,
      AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey,
      AWS_REGION: 'us-west-2',
      XDG_CACHE_HOME: cache,
    });
    const args = ['trail', '--finding', WORKSHOP.findings.s3Exfiltration, '--follow', '--raw', '--json'];
    const lookup = await runInProcess(args, { env });
    const logs = await runInProcess([...args, '--logs', `s3://${BUCKET}`], { env });
    expect(logs.code, logs.stderr).toBe(0);
    type E = { eventId: string; eventName: string; derived: boolean; requestParameters: { key?: string } | null; raw: { cloudTrailEvent: { eventCategory?: string } | null } };
    const a = JSON.parse(lookup.stdout) as { events: E[] };
    const b = JSON.parse(logs.stdout) as { events: E[]; source: { kind: string; scan: { fetched: number; files: number } } };
    expect(b.source.kind).toBe('s3');
    expect(b.source.scan.fetched).toBeGreaterThan(0);
    const management = b.events.filter((e) => e.raw.cloudTrailEvent?.eventCategory !== 'Data');
    expect(management.map((e) => [e.eventId, e.eventName, e.derived])).toEqual(a.events.map((e) => [e.eventId, e.eventName, e.derived]));
    const reads = b.events.filter((e) => e.eventName === 'GetObject');
    expect(reads.map((e) => e.requestParameters?.key).sort()).toEqual([...EXFIL_OBJECT_KEYS].sort());
  });
});
