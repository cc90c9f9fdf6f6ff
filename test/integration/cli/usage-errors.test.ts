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
