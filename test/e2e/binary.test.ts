import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseEnv } from '../helpers/cli.js';
import { BIN, ROOT, runBin } from '../helpers/bin.js';
import { WORKSHOP } from '../../src/sandbox/scenarios/workshop-facts.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

describe('the built binary', () => {
  it('--version prints the package version only, exit 0', async () => {
    const r = await runBin(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
    expect(r.stderr).toBe('');
  });

  it('--version and --help load no @aws-sdk module (nor ora, inquirer or cli-table3)', async () => {
    // `--help` alone is answered from the stored help; `--no-color --help` and a command's help build commander's program.
    for (const args of [['--version'], ['--help'], ['--no-color', '--help'], ['trail', '--help']]) {
      const trace = join(mkdtempSync(join(tmpdir(), 'gd-ir-trace-')), 'imports.txt');
      const r = await runBin(args, {
        env: baseEnv({ GD_IR_TRACE_IMPORTS: trace }),
        nodeArgs: ['--import', join(ROOT, 'test/helpers/trace-imports.mjs')],
      });
      expect(r.code).toBe(0);
      const loaded = readFileSync(trace, 'utf8');
      // The trace works: it saw the binary and the bundle `npm run build` writes (commander inside it for the
      // full CLI's help); the SDK and the interactive libraries are never loaded.
      expect(loaded).toContain('bin/gd-ir.js');
      if (args.includes('--help')) expect(loaded).toMatch(/dist\/(bundle|cli)\/entry\.js/);
      expect(loaded).not.toContain('@aws-sdk');
      expect(loaded).not.toContain('@smithy');
      expect(loaded).not.toMatch(/node_modules\/(ora|@inquirer|cli-table3)\//);
    }
  });

  it('--help prints the command list on stdout', async () => {
    const r = await runBin(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: gd-ir');
    expect(r.stdout).toContain('Commands:');
    expect(r.stderr).toBe('');
  });

  it('`--version | true` and `--help | true` (the reader gone before the first byte): exit 0, nothing on stderr', () => {
    for (const flag of ['--version', '-v', '--help', '-h']) {
      const r = spawnSync('bash', ['-c', 'set -o pipefail; "$0" "$1" "$2" | true', process.execPath, BIN, flag], { env: baseEnv() as NodeJS.ProcessEnv, encoding: 'utf8' });
      expect({ flag, status: r.status, stderr: r.stderr }).toEqual({ flag, status: 0, stderr: '' });
    }
  });

  it('an unknown command exits 2 with help on stderr and nothing on stdout', async () => {
    const r = await runBin(['nosuchcommand']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("error: unknown command 'nosuchcommand'");
    expect(r.stderr).toContain('Usage: gd-ir');
  });

  it('with --json the error is JSON on stderr', async () => {
    const r = await runBin(['nosuchcommand', '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr)).toEqual({ error: { code: 'usage', message: expect.stringContaining("unknown command 'nosuchcommand'") } });
  });

  it('--regions all (more concurrent requests than Node\'s default listener limit) prints no Node warning on stderr', async () => {
    const state = mkdtempSync(join(tmpdir(), 'gd-ir-regions-all-'));
    const r = await runBin(['--sandbox', 'trail', '--key', 'AKIAQCOMPROMISED0EX1', '--since', '1h', '--regions', 'all', '--json'], { env: baseEnv({ XDG_STATE_HOME: state }) });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { regions: string[] }).regions.length).toBeGreaterThan(10);
    expect(r.stderr).not.toContain('MaxListenersExceededWarning');
    expect(r.stderr).toBe('');
  });
});

describe('the built binary talking to AWS', () => {
  it("keeps the AWS SDK's Node-version notice off the terminal on Node 20 (and exits cleanly)", async () => {
    const state = mkdtempSync(join(tmpdir(), 'gd-ir-state-'));
    const r = await runBin(['findings', 'list', '--sandbox', '--json'], { env: baseEnv({ XDG_STATE_HOME: state }) });
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as Array<{ id: string }>;
    expect(list.length).toBeGreaterThan(0);
    expect(list.map((f) => f.id)).toContain(WORKSHOP.findings.unauthorizedAccessCustom);
    expect(r.stderr).not.toContain('NodeVersionSupportWarning');
    expect(r.stderr).not.toMatch(/Warning:/);
  });
});

describe('the built binary in another time zone', () => {
  interface Derived { accessKeyId: string; via: string; issuedAt: string; expiration: string | null; expiresAt: string | null; eventId: string }
  interface TrailJson { derivedCredentials: Derived[]; events: Array<{ eventId: string; requestParameters: { durationSeconds?: number } | null }> }

  const followTrail = (tz: string): Promise<TrailJson> => {
    const state = mkdtempSync(join(tmpdir(), `gd-ir-tz-${tz.replace('/', '-')}-`));
    return runBin(['--sandbox', 'trail', '--finding', WORKSHOP.findings.unauthorizedAccessCustom, '--follow', '--json'], {
      env: baseEnv({ XDG_STATE_HOME: state, TZ: tz }),
    }).then((r) => {
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as TrailJson;
    });
  };

  it('TZ=Asia/Tokyo gd-ir --sandbox trail --finding <workshop finding> --follow --json gives the expiry instants of TZ=UTC', async () => {
    const [utc, tokyo] = await Promise.all([followTrail('UTC'), followTrail('Asia/Tokyo')]);
    // The sandbox writes the expiration as CloudTrail does ("Jul 30, 2024, 9:46:15 PM", UTC without a zone), so
    // this is the path a real record takes.
    expect(utc.derivedCredentials.length).toBeGreaterThan(0);
    for (const run of [utc, tokyo]) {
      for (const d of run.derivedCredentials) {
        expect(d.expiration).toMatch(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2} [AP]M$/);
        // The instant: issued + the requested duration (GetSessionToken durationSeconds 43200), in every time zone.
        const minted = run.events.find((e) => e.eventId === d.eventId);
        const seconds = minted?.requestParameters?.durationSeconds;
        expect(seconds).toBe(43_200);
        expect(d.expiresAt).toBe(new Date(Date.parse(d.issuedAt) + (seconds as number) * 1000).toISOString().replace('.000Z', 'Z'));
      }
    }
    // Same keys, same lifetimes; the scenario is anchored at each run's own start, so compare instants to issuance.
    const lifetimes = (run: TrailJson): Array<[string, number]> =>
      run.derivedCredentials.map((d) => [d.accessKeyId, Date.parse(d.expiresAt ?? '') - Date.parse(d.issuedAt)]);
    expect(lifetimes(tokyo)).toEqual(lifetimes(utc));
  });
});
