/**
 * The same trail from two sources: event history (LookupEvents through the real SDK against the
 * sandbox) and the workshop's trail log files as the sandbox exports them. For every workshop finding
 * with a principal, the exported logs give the same management events; the S3 exfiltration finding's
 * role session also shows the objects it read (data events, which LookupEvents never returns).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsClients } from '../../../src/aws/clients.js';
import { getFinding } from '../../../src/aws/guardduty.js';
import { systemClock } from '../../../src/cli/context.js';
import { toFindingSummary } from '../../../src/core/finding/index.js';
import { findingTrailInput, trailRequestForFinding } from '../../../src/core/trail/index.js';
import { SANDBOX_CREDENTIALS, startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import { exportWorld } from '../../../src/sandbox/logs/export.js';
import { EXFIL_OBJECT_KEYS } from '../../../src/sandbox/scenarios/workshop-data-events.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import { LocalLogSource } from '../../../src/sources/local.js';
import { collectSourceTrail as collectLogTrail, collectTrail } from '../../../src/sources/trail.js';

let sandbox: RunningSandbox;
let aws: AwsClients;
let dir: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, cloudTrailRateLimit: false });
  aws = new AwsClients({ region: 'us-west-2', endpointUrl: sandbox.endpoint, credentials: { ...SANDBOX_CREDENTIALS }, env: {}, debug: false, debugLog: () => undefined, version: 'test' });
  dir = mkdtempSync(join(tmpdir(), 'gd-ir-workshop-logs-'));
  exportWorld(dir, sandbox.world);
});

afterAll(async () => {
  await aws.destroy();
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

const F = WORKSHOP.findings;
const cases: Array<[string, string]> = [
  ['UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom', F.unauthorizedAccessCustom],
  ['InstanceCredentialExfiltration (role session)', F.credentialExfiltration],
  ['Exfiltration:S3/MaliciousIPCaller (role session)', F.s3Exfiltration],
  ['PenTest:IAMUser/KaliLinux (derived key, hostile user agent)', F.hostileKali],
];

async function bothSources(findingId: string, follow: boolean) {
  const ctx = { aws, clock: systemClock, signal: new AbortController().signal };
  const { finding } = await getFinding(ctx as never, findingId, { region: 'us-west-2' });
  const request = trailRequestForFinding(findingTrailInput(toFindingSummary(finding)), new Date(), { follow, regions: ['us-west-2', 'us-east-1'] });
  const lookup = await collectTrail(ctx, request);
  const logs = await collectLogTrail(new LocalLogSource([dir]), request);
  return { request, lookup, logs };
}

describe('trail from exported logs = trail from event history (plus data events)', () => {
  for (const [label, id] of cases) {
    it(label, async () => {
      for (const follow of [false, true]) {
        const { lookup, logs } = await bothSources(id, follow);
        expect(lookup.events.length).toBeGreaterThan(0);
        const management = logs.events.filter((e) => !(e.raw.record && e.raw.record.eventCategory === 'Data'));
        expect(management.map((e) => [e.eventId, e.derived])).toEqual(lookup.events.map((e) => [e.eventId, e.derived]));
        expect(management.map((e) => `${e.eventName}|${e.time}|${e.sourceIp}|${e.category}`)).toEqual(lookup.events.map((e) => `${e.eventName}|${e.time}|${e.sourceIp}|${e.category}`));
        expect(logs.derivedCredentials.map((d) => d.accessKeyId)).toEqual(lookup.derivedCredentials.map((d) => d.accessKeyId));
        expect(logs.source?.scan?.skipped).toBe(0);
      }
    });
  }

  it('the S3 exfiltration finding read from trail logs shows the objects read', async () => {
    const { lookup, logs } = await bothSources(F.s3Exfiltration, false);
    expect(lookup.events.some((e) => e.eventName === 'GetObject')).toBe(false);
    const reads = logs.events.filter((e) => e.eventName === 'GetObject');
    expect(reads).toHaveLength(EXFIL_OBJECT_KEYS.length);
    expect(reads.map((e) => (e.requestParameters as { key: string }).key).sort()).toEqual([...EXFIL_OBJECT_KEYS].sort());
    for (const e of reads) {
      expect(e.accessKeyId).toBe(WORKSHOP.role.sessionKeyId);
      expect(e.sourceIp).toBe(WORKSHOP.role.exfilIp);
      expect(e.resources.map((r) => r.type)).toEqual(['AWS::S3::Object', 'AWS::S3::Bucket']);
    }
  });
});
