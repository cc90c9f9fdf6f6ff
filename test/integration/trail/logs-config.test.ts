/**
 * The configuration file's `[logs] source` is the default of `--logs` for `trail` and `investigate`: with event
 * history denied, a run without --logs reads the configured directory and says so on stderr; `--logs lookup` reads
 * event history again; a bad value stops the run with the file and line (exit 2) before any AWS call.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS, startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import { exportWorld } from '../../../src/sandbox/logs/export.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import { baseEnv, runInProcess } from '../../helpers/cli.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let sandbox: RunningSandbox;
let dir: string;
let ahead = 0;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, cloudTrailRateLimit: false, now: () => new Date(Date.now() + ahead) });
  ahead = 30 * 60_000;
  dir = mkdtempSync(join(tmpdir(), 'gd-ir-logs-config-'));
  exportWorld(join(dir, 'logs'), sandbox.world);
});
afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

function env(config: string) {
  const path = join(dir, 'config.ini');
  writeFileSync(path, config);
  return baseEnv({
    AWS_ENDPOINT_URL: sandbox.endpoint,
    AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'us-west-2',
    GD_IR_CONFIG: path,
  });
}

const F = WORKSHOP.findings.s3Exfiltration;

describe('[logs] source in the configuration file', () => {
  it('trail and investigate read the configured directory without --logs, and say so', async () => {
    const e = env(`[logs]\nsource = ${join(dir, 'logs')}\n`);
    sandbox.setKnobs({ deny: ['CloudTrail:LookupEvents'] });
    try {
      const t = await runInProcess(['trail', '--finding', F], { env: e });
      expect(t.code, t.stderr).toBe(0);
      expect(t.stderr).toContain(`Reading CloudTrail from ${join(dir, 'logs')}, the [logs] source of ${join(dir, 'config.ini')}:2 (--logs lookup reads event history instead).`);
      expect(t.stdout).toContain('GetObject');
      const j = JSON.parse((await runInProcess(['investigate', F, '--json'], { env: e })).stdout) as Json;
      expect(j.trailSource.kind).toBe('local');
      expect(j.activity.events.filter((x: Json) => x.eventName === 'GetObject').length).toBeGreaterThan(0);
    } finally {
      sandbox.setKnobs({ deny: [] });
    }
  });

  it('--logs lookup reads event history whatever the file says', async () => {
    const r = await runInProcess(['trail', '--finding', F, '--logs', 'lookup', '--json'], { env: env(`[logs]\nsource = ${join(dir, 'logs')}\n`) });
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as Json;
    expect(j.source.kind).toBe('lookup');
    expect(r.stderr).not.toContain('[logs] source');
  });

  it('a bad value: exit 2 with the file and line, nothing read', async () => {
    const from = sandbox.requests.length;
    const r = await runInProcess(['trail', '--finding', F], { env: env('[logs]\n# the archive\nsource = ftp://archive/trail\n') });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(dir, 'config.ini')}:3: source: invalid --logs 'ftp://archive/trail'`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(sandbox.requests.length).toBe(from);
  });
});
