import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseEnv, runInProcess } from '../../helpers/cli.js';

describe('usage errors caught before any AWS call', () => {
  it('a malformed global --region exits 2 naming the value, instead of a runtime "no detector" error', async () => {
    const r = await runInProcess(['--region', 'xx', 'findings', 'list'], { env: baseEnv() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("invalid region 'xx': expected a region name such as us-west-2");
  });

  it('a mistyped option: the error, the did-you-mean, the one usage line and where the help is; not the whole help', async () => {
    const r = await runInProcess(['findings', 'list', '--sevrity', 'high'], { env: baseEnv() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      "error: unknown option '--sevrity'\n(Did you mean --severity?)\nUsage: gd-ir findings list [options]\nRun 'gd-ir findings list --help' for its options and examples.\n",
    );
    const cmd = await runInProcess(['findings', 'lst'], { env: baseEnv() });
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toBe("error: unknown command 'lst'\n(Did you mean list?)\nUsage: gd-ir findings [options] [command]\nRun 'gd-ir findings --help' for its commands.\n");
    const missing = await runInProcess(['trail', '--key'], { env: baseEnv() });
    expect(missing.code).toBe(2);
    expect(missing.stderr.split('\n').filter(Boolean)).toEqual([
      "error: option '--key <accessKeyId>' argument missing",
      'Usage: gd-ir trail [options]',
      "Run 'gd-ir trail --help' for its options and examples.",
    ]);
  });

  it('trail --ip with a malformed address exits 2 before any AWS call', async () => {
    const r = await runInProcess(['trail', '--key', 'AKIAQCOMPROMISED0EX1', '--ip', 'not-an-ip'], { env: baseEnv() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("error: invalid --ip 'not-an-ip': expected an IPv4 or IPv6 address, an AWS service name such as cloudformation.amazonaws.com, or 'AWS Internal'");
  });

  it('an unknown sandbox action exits 2 rather than starting the server', async () => {
    const r = await runInProcess(['sandbox', 'rest'], { env: baseEnv() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("unknown sandbox action 'rest'");
  });
});

describe('gd-ir sandbox (serving)', () => {
  it('prints export lines that work for gd-ir, the AWS CLI v2 and v1, then serves until interrupted', async () => {
    const controller = new AbortController();
    const state = mkdtempSync(join(tmpdir(), 'gd-ir-serve-'));
    // Interrupt once the export lines are out (not after a fixed delay, which a slow machine can outrun).
    const r = await runInProcess(['sandbox', '--port', '0', '--no-rate-limit'], {
      env: baseEnv({ XDG_STATE_HOME: state }),
      signal: controller.signal,
      onStdout: (text) => {
        if (/AWS_DEFAULT_REGION=\S+\n/.test(text)) controller.abort();
      },
    });
    rmSync(state, { recursive: true, force: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^export AWS_ENDPOINT_URL=http:\/\/127\.0\.0\.1:\d+\nexport AWS_ACCESS_KEY_ID=AKIAANALYST000EXAMPLE\nexport AWS_SECRET_ACCESS_KEY=\S+\nexport AWS_REGION=us-west-2\nexport AWS_DEFAULT_REGION=us-west-2\n$/,
    );
  });
});
