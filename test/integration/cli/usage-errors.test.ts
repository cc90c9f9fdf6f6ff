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
