/** `gd-ir setup roles`: the template on stdout (JSON), how to deploy it on stderr, no AWS call, bad input exit 2. */
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../../helpers/cli.js';

describe('gd-ir setup roles', () => {
  it('prints the StackSet template with the given defaults, and the deployment steps on stderr', async () => {
    const r = await runInProcess(['setup', 'roles', '--security-account', '111122223333', '--external-id', 'gd-ir-7f3c9a1e', '--read-role-name', 'IR-Read', '--no-color'], {
      env: { HOME: '/nonexistent', PATH: process.env.PATH, AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' },
    });
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout) as { Parameters: Record<string, { Default?: unknown }>; Resources: Record<string, { Type: string }> };
    expect([t.Parameters.SecurityAccountId?.Default, t.Parameters.ExternalId?.Default, t.Parameters.ReadRoleName?.Default, t.Parameters.WriteRoleName?.Default]).toEqual([
      '111122223333',
      'gd-ir-7f3c9a1e',
      'IR-Read',
      'gd-ir-write',
    ]);
    expect(Object.keys(t.Resources)).toEqual(['ReadRole', 'WriteRole']);
    expect(r.stderr).toContain('aws cloudformation create-stack-set --stack-set-name gd-ir-roles');
    expect(r.stderr).toContain('ParameterKey=SecurityAccountId,ParameterValue=111122223333');
    expect(r.stderr).toContain('"Resource":["arn:aws:iam::*:role/IR-Read","arn:aws:iam::*:role/gd-ir-write"]');
  });

  it('--json prints the template alone; a malformed account ID is exit 2', async () => {
    const j = await runInProcess(['setup', 'roles', '--json']);
    expect(j.code).toBe(0);
    expect(j.stderr).toBe('');
    expect((JSON.parse(j.stdout) as { Parameters: { SecurityAccountId: { Default?: string } } }).Parameters.SecurityAccountId.Default).toBeUndefined();
    const bad = await runInProcess(['setup', 'roles', '--security-account', '1111']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("invalid account ID '1111'");
  });
});
