/**
 * `--profile` / AWS_PROFILE read the shared config and credentials files the run's environment names
 * (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, ~/.aws), in-process exactly as in the built binary, and a profile
 * that is in neither file is named with both paths before any AWS call (exit 4).
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS } from '../../../src/sandbox/index.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import { runBin } from '../../helpers/bin.js';
import { baseEnv, runInProcess } from '../../helpers/cli.js';
import { useSandbox } from '../../helpers/sandbox.js';

describe('AWS profiles from the shared files of the run\'s environment', () => {
  const sb = useSandbox();
  const dir = mkdtempSync(join(tmpdir(), 'gd-ir-profiles-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const config = join(dir, 'config');
  const credentials = join(dir, 'credentials');
  writeFileSync(config, '# analyst profiles\n[default]\nregion = eu-central-1\n\n[profile ir]\nregion = us-west-2\ns3 =\n  max_concurrent_requests = 20\n\n[sso-session corp]\nsso_region = us-east-1\n');
  writeFileSync(credentials, `[ir]\naws_access_key_id = ${SANDBOX_CREDENTIALS.accessKeyId}\naws_secret_access_key = ${SANDBOX_CREDENTIALS.secretAccessKey}\n`);
  /** No static keys, no region in the environment: everything comes from the files. */
  const env = (extra: Record<string, string | undefined> = {}): Record<string, string | undefined> =>
    baseEnv({ AWS_ENDPOINT_URL: sb.get().endpoint, AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials, ...extra });

  it('--profile takes its region and its key from the files AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE name (in-process)', async () => {
    const r = await runInProcess(['--profile', 'ir', 'findings', 'list', '--json'], { env: env() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Array<{ id: string; region: string }>).map((f) => f.id)).toContain(WORKSHOP.findings.unauthorizedAccessCustom);
    const last = sb.get().requests.at(-1);
    expect(last).toMatchObject({ region: 'us-west-2', accessKeyId: SANDBOX_CREDENTIALS.accessKeyId });
  });

  it('AWS_PROFILE does the same; ~ in the paths is the environment\'s HOME', async () => {
    const home = join(dir, 'home');
    mkdirSync(join(home, '.aws'), { recursive: true });
    writeFileSync(join(home, '.aws', 'config'), '[profile ir]\nregion = us-west-2\n');
    writeFileSync(join(home, '.aws', 'credentials'), `[ir]\naws_access_key_id = ${SANDBOX_CREDENTIALS.accessKeyId}\naws_secret_access_key = ${SANDBOX_CREDENTIALS.secretAccessKey}\n`);
    const r = await runInProcess(['findings', 'list', '--json'], { env: env({ HOME: home, AWS_PROFILE: 'ir', AWS_CONFIG_FILE: '~/.aws/config', AWS_SHARED_CREDENTIALS_FILE: undefined }) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('--profile nosuch: names the profile and where profiles are read from, exit 4, no AWS call', async () => {
    const before = sb.get().requests.length;
    const r = await runInProcess(['--profile', 'nosuch', 'findings', 'list'], { env: env() });
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`error: AWS profile 'nosuch' (--profile) is not in ${config} nor in ${credentials}`);
    expect(r.stderr).toContain('hint: profiles are read from AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/config and ~/.aws/credentials)');
    expect(r.stderr).not.toContain('no AWS region configured');
    expect(sb.get().requests.length).toBe(before);
    // A region from the environment does not hide it, and AWS_PROFILE is named as such.
    const viaEnv = await runInProcess(['trail', '--key', WORKSHOP.compromised.accessKeyId, '--json'], { env: env({ AWS_PROFILE: 'nosuch', AWS_REGION: 'us-west-2' }) });
    expect(viaEnv.code).toBe(4);
    expect(JSON.parse(viaEnv.stderr)).toMatchObject({ error: { code: 'credentials', message: `AWS profile 'nosuch' (AWS_PROFILE) is not in ${config} nor in ${credentials}` } });
  });

  it('the built binary answers the same', async () => {
    const ok = await runBin(['--profile', 'ir', 'findings', 'list', '--json'], { env: env() });
    expect(ok.code, ok.stderr).toBe(0);
    const missing = await runBin(['--profile', 'nosuch', 'findings', 'list'], { env: env() });
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain(`error: AWS profile 'nosuch' (--profile) is not in ${config} nor in ${credentials}`);
  });
});
