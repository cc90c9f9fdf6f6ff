/**
 * One trail, four sources: for the workshop's findings, `gd-ir trail --finding <id> --json` (the CLI,
 * in process, through the real SDK against the sandbox) gives the same management events from event
 * history, the exported log directory, the trail bucket (s3://) and the Athena table, and the same data
 * events from the three log sources. The S3 exfiltration finding shows the objects read.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS, startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import { SANDBOX_TRAIL_BUCKET } from '../../../src/sandbox/logs/bucket.js';
import { exportWorld } from '../../../src/sandbox/logs/export.js';
import { EXFIL_OBJECT_KEYS } from '../../../src/sandbox/scenarios/workshop-data-events.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import { baseEnv, runInProcess } from '../../helpers/cli.js';

let sandbox: RunningSandbox;
let dir: string;
let cache: string;

/** The sandbox's clock runs 30 minutes ahead once the scenario is built: every log file, even the last, is delivered. */
let ahead = 0;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, cloudTrailRateLimit: false, now: () => new Date(Date.now() + ahead) });
  ahead = 30 * 60_000;
  dir = mkdtempSync(join(tmpdir(), 'gd-ir-sources-'));
  cache = mkdtempSync(join(tmpdir(), 'gd-ir-sources-cache-'));
  exportWorld(join(dir, 'logs'), sandbox.world);
});

afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
});

interface EventJson {
  eventId: string;
  time: string;
  eventName: string;
  eventSource: string;
  sourceIp: string | null;
  accessKeyId: string | null;
  userName: string | null;
  errorCode: string | null;
  readOnly: boolean | null;
  category: string;
  derived: boolean;
  viaKey: string | null;
  requestParameters: unknown;
  raw?: { cloudTrailEvent: Record<string, unknown> | null };
}

async function trail(findingId: string, logs: string | undefined): Promise<{ events: EventJson[]; source: { kind: string; scan: Record<string, number> | null; athena: { queries: unknown[]; scannedBytes: number } | null }; derivedCredentials: Array<{ accessKeyId: string }> }> {
  const env = baseEnv({
    AWS_ENDPOINT_URL: sandbox.endpoint,
    AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'us-west-2',
    XDG_CACHE_HOME: cache,
  });
  const r = await runInProcess(['trail', '--finding', findingId, '--follow', '--raw', '--json', ...(logs ? ['--logs', logs] : [])], { env });
  expect(r.stderr.split('\n').filter((l) => l.includes('"warning"') && !l.includes('us-east-1'))).toEqual([]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as never;
}

const isData = (e: EventJson): boolean => e.raw?.cloudTrailEvent?.eventCategory === 'Data';
const facts = (e: EventJson): unknown[] => [e.eventId, e.time, e.eventSource, e.eventName, e.sourceIp, e.accessKeyId, e.userName, e.errorCode, e.readOnly, e.category, e.derived, e.viaKey, JSON.stringify(e.requestParameters)];

const F = WORKSHOP.findings;
const cases: Array<[string, string]> = [
  ['UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom (key, derived session)', F.unauthorizedAccessCustom],
  ['InstanceCredentialExfiltration (role session)', F.credentialExfiltration],
  ['Exfiltration:S3/MaliciousIPCaller (role session, data events)', F.s3Exfiltration],
  ['PenTest:IAMUser/KaliLinux (hostile user agent)', F.hostileKali],
];

describe('trail --finding --json: the same events from lookup, a log directory, s3:// and athena:', () => {
  for (const [label, id] of cases) {
    it(label, async () => {
      const lookup = await trail(id, undefined);
      const local = await trail(id, join(dir, 'logs'));
      const s3 = await trail(id, `s3://${SANDBOX_TRAIL_BUCKET}`);
      const athena = await trail(id, 'athena:cloudtrail.org_logs');
      expect(lookup.events.length).toBeGreaterThan(0);
      expect(lookup.source.kind).toBe('lookup');
      expect([local.source.kind, s3.source.kind, athena.source.kind]).toEqual(['local', 's3', 'athena']);
      expect(lookup.events.some(isData)).toBe(false);
      for (const other of [local, s3, athena]) {
        expect(other.events.filter((e) => !isData(e)).length, other.source.kind).toBe(lookup.events.length);
        expect(other.events.filter((e) => !isData(e)).map(facts)).toEqual(lookup.events.map(facts));
        expect(other.derivedCredentials.map((d) => d.accessKeyId)).toEqual(lookup.derivedCredentials.map((d) => d.accessKeyId));
      }
      // Data events: the same in every log source.
      expect(s3.events.filter(isData).map(facts)).toEqual(local.events.filter(isData).map(facts));
      expect(athena.events.filter(isData).map(facts)).toEqual(local.events.filter(isData).map(facts));
      expect(athena.source.athena?.queries.length).toBeGreaterThanOrEqual(1);
      expect(s3.source.scan?.skipped).toBe(0);
    });
  }

  it('the S3 exfiltration finding read from trail logs shows the objects read, from every log source', async () => {
    for (const logs of [join(dir, 'logs'), `s3://${SANDBOX_TRAIL_BUCKET}`, 'athena:cloudtrail.org_logs']) {
      const r = await trail(F.s3Exfiltration, logs);
      const reads = r.events.filter((e) => e.eventName === 'GetObject');
      expect(reads.map((e) => (e.requestParameters as { key: string }).key).sort()).toEqual([...EXFIL_OBJECT_KEYS].sort());
      expect(reads.every((e) => e.accessKeyId === WORKSHOP.role.sessionKeyId && e.sourceIp === WORKSHOP.role.exfilIp && e.category === 'exfiltration-impact')).toBe(true);
    }
  });

  it('Athena: one query per selector, the derived keys after the principal; data scanned is reported', async () => {
    const r = await trail(F.unauthorizedAccessCustom, 'athena:cloudtrail.org_logs');
    const queries = r.source.athena?.queries as Array<{ selector: string; scannedBytes: number; state: string }>;
    expect(queries[0]?.selector).toBe(`AccessKeyId=${WORKSHOP.compromised.accessKeyId}`);
    expect(queries.length).toBe(1 + r.derivedCredentials.length);
    expect(queries.every((q) => q.state === 'SUCCEEDED' && q.scannedBytes > 0)).toBe(true);
  });
});
