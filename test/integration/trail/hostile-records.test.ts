/**
 * Hostile records in trail logs: a session name and a user agent written to break SQL, terminals or the
 * matcher change nothing but their own row, in a local archive and through Athena (whose values reach
 * SQL only as execution parameters, and only after validation).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS, startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import { exportWorld } from '../../../src/sandbox/logs/export.js';
import type { CloudTrailRecord } from '../../../src/sandbox/model.js';
import { buildScenario } from '../../../src/sandbox/scenarios/index.js';
import { baseEnv, runInProcess } from '../../helpers/cli.js';

const ROLE = 'arn:aws:iam::111122223333:role/app';
const HOSTILE_SESSION = "alice' OR '1'='1";
const HOSTILE_AGENT = "aws-cli/2 \u001b]8;;http://evil.example\u0007click\u001b]8;;\u0007 '); DROP TABLE org_logs; --";
let sandbox: RunningSandbox;
let dir: string;
let ahead = 0;

function rec(id: string, session: string, key: string, agent: string, minutesAgo: number): CloudTrailRecord {
  const t = new Date(Date.now() - minutesAgo * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole', principalId: `AROAEXAMPLEAPPROLE01:${session}`, arn: `arn:aws:sts::111122223333:assumed-role/app/${session}`, accountId: '111122223333', accessKeyId: key,
      sessionContext: { sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEAPPROLE01', arn: ROLE, accountId: '111122223333', userName: 'app' }, attributes: { creationDate: t, mfaAuthenticated: 'false' } },
    },
    eventTime: t, eventSource: 'ssm.amazonaws.com', eventName: 'GetParameters', awsRegion: 'us-west-2', sourceIPAddress: '203.0.113.9', userAgent: agent,
    requestParameters: { names: [`/app/${session}`] }, responseElements: null, requestID: `req-${id}`, eventID: `00000000-0000-4000-8000-00000000000${id}`,
    readOnly: true, eventType: 'AwsApiCall', managementEvent: true, recipientAccountId: '111122223333', eventCategory: 'Management',
  } as unknown as CloudTrailRecord;
}

beforeAll(async () => {
  const world = buildScenario('workshop', { now: new Date() });
  world.regions['us-west-2']?.events.push(
    rec('1', 'alice', 'ASIAEXAMPLEALICE0001', 'aws-cli/2.15.30', 90),
    rec('2', HOSTILE_SESSION, 'ASIAEXAMPLEHOSTILE01', HOSTILE_AGENT, 80),
    rec('3', 'alice', 'ASIAEXAMPLEALICE0001', 'aws-cli/2.15.30', 70),
  );
  sandbox = await startSandbox({ port: 0, world, cloudTrailRateLimit: false, now: () => new Date(Date.now() + ahead) });
  ahead = 30 * 60_000;
  dir = mkdtempSync(join(tmpdir(), 'gd-ir-hostile-'));
  exportWorld(join(dir, 'logs'), sandbox.world);
});
afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

function run(args: string[]) {
  return runInProcess(['trail', '--since', '3h', '--regions', 'us-west-2', ...args], {
    env: baseEnv({ AWS_ENDPOINT_URL: sandbox.endpoint, AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey, AWS_REGION: 'us-west-2', XDG_CACHE_HOME: join(dir, 'cache') }),
  });
}

describe('hostile session names and user agents in trail logs', () => {
  for (const logs of ['local', 'athena:cloudtrail.org_logs'] as const) {
    it(`--user alice finds alice's two calls and nothing of the hostile session (${logs})`, async () => {
      const r = await run(['--user', 'alice', '--json', '--logs', logs === 'local' ? join(dir, 'logs') : logs]);
      expect(r.code, r.stderr).toBe(0);
      const events = (JSON.parse(r.stdout) as { events: Array<{ eventId: string; userName: string }> }).events;
      expect(events.map((e) => e.eventId).sort()).toEqual(['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000003']);
    });

    it(`the hostile session's own key finds its one row, kept raw in JSON and neutralised on the terminal (${logs})`, async () => {
      const source = logs === 'local' ? join(dir, 'logs') : logs;
      const json = await run(['--key', 'ASIAEXAMPLEHOSTILE01', '--json', '--logs', source]);
      const events = (JSON.parse(json.stdout) as { events: Array<{ userAgent: string; userName: string; controlCharacters: boolean }> }).events;
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ userAgent: HOSTILE_AGENT, userName: HOSTILE_SESSION, controlCharacters: true });
      const human = await run(['--key', 'ASIAEXAMPLEHOSTILE01', '--logs', source]);
      expect(human.code).toBe(0);
      expect(human.stdout).not.toMatch(/\u001b\]8/);
      expect(human.stdout).not.toContain('\u0007');
    });
  }

  it('a selector value that is not a valid name never reaches Athena (exit 2, no query started)', async () => {
    const before = sandbox.requests.filter((x) => x.service === 'athena').length;
    const r = await run(['--user', HOSTILE_SESSION, '--logs', 'athena:cloudtrail.org_logs']);
    expect(r.code).toBe(2);
    expect(sandbox.requests.filter((x) => x.service === 'athena').length).toBe(before);
  });
});
