/** Suggested commands carry the member account and the roles; the table of which command takes what matches the declarations. */
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/cli/commands/index.js';
import { attributeName } from '../../../src/cli/options.js';
import { runScope } from '../../../src/cli/invocation.js';
import { reconcileCommand, type AuditRecord } from '../../../src/core/audit.js';
import { ACCESS_OPTIONS, awsCli, commandLine, gdIr } from '../../../src/core/suggestion.js';
import { redactBody, redactValue } from '../../../src/aws/redact.js';

describe('suggested commands in a member account', () => {
  const ctx = { globals: { sandbox: false, profile: 'security' }, accessFlags: { readRole: 'gd-ir-read', writeRole: 'gd-ir-write', mfaCode: '123456' } };
  const scope = runScope(ctx, 'us-west-2', { account: '444455556666', via: 'role' });

  it('carry --account (not with --finding), the roles given as flags, never the MFA code', () => {
    expect(commandLine(gdIr(['remediate', '--key', 'AKIAPRODCIDEPLOYER01'], 'contain', true), scope)).toBe(
      'gd-ir remediate --key AKIAPRODCIDEPLOYER01 --account 444455556666 --read-role gd-ir-read --write-role gd-ir-write --profile security',
    );
    expect(commandLine(gdIr(['remediate', '--finding', 'a1b2c3d4e5f60718293a4b5c6d7e8f90'], 'contain', true), scope)).not.toContain('--account');
    expect(commandLine(gdIr(['trail', '--key', 'AKIAPRODCIDEPLOYER01'], 'watch', false), scope)).toBe(
      'gd-ir trail --key AKIAPRODCIDEPLOYER01 --account 444455556666 --read-role gd-ir-read --profile security',
    );
    expect(commandLine(gdIr(['investigate', 'a1b2c3d4e5f60718293a4b5c6d7e8f90'], 'investigate', false), scope)).toBe(
      'gd-ir investigate a1b2c3d4e5f60718293a4b5c6d7e8f90 --read-role gd-ir-read --write-role gd-ir-write --profile security',
    );
    expect(commandLine(gdIr(['audit'], 'read', false), scope)).toBe('gd-ir audit --profile security');
  });

  it('an AWS CLI command acting in the member never gets the caller profile: the account profile, or a placeholder', () => {
    expect(commandLine(awsCli(['iam', 'put-role-policy', '--role-name', 'x'], 'contain', true), scope)).toBe("aws iam put-role-policy --role-name x --profile '<profile-for-444455556666>'");
    const viaProfile = runScope(ctx, 'us-west-2', { account: '444455556666', via: 'profile', profile: 'prod-ir' });
    expect(commandLine(awsCli(['iam', 'put-role-policy'], 'contain', true), viaProfile)).toBe('aws iam put-role-policy --profile prod-ir');
    // GuardDuty is answered by the administrator: the caller's own profile.
    expect(commandLine(awsCli(['guardduty', 'unarchive-findings'], 'undo', true), scope)).toBe('aws guardduty unarchive-findings --profile security');
  });

  it('the caller account adds nothing', () => {
    const own = runScope({ globals: { sandbox: true } }, 'us-west-2', { account: '111122223333', via: 'caller' });
    expect(commandLine(gdIr(['remediate', '--key', 'AKIAQCOMPROMISED0EX1'], 'contain', true), own)).toBe('gd-ir remediate --key AKIAQCOMPROMISED0EX1 --sandbox');
  });

  it('ACCESS_OPTIONS says exactly which declared command takes --account, --read-role and --write-role', () => {
    for (const c of COMMANDS) {
      const path = c.path.join(' ');
      const names = new Set((c.options ?? []).map((o) => attributeName(o.flags)));
      const takes = ACCESS_OPTIONS[path];
      const flags = { account: names.has('account') && path !== 'findings list', read: names.has('readRole'), write: names.has('writeRole') };
      if (!takes) expect(flags, path).toEqual({ account: false, read: false, write: false });
      else expect(flags, path).toEqual(takes);
    }
  });

  it('the command that reconciles a member account operation names the account and its roles', () => {
    const r = {
      v: 1, kind: 'intent', time: 't', operationId: 'o', action: 'deactivate', accessKeyId: 'AKIAPRODCIDEPLOYER01', userName: 'ci-deployer', findingId: null,
      accountId: '444455556666', region: 'us-west-2', callerArn: 'x', statusBefore: 'Active', statusAfter: 'Inactive', verified: null, error: null, gdIrVersion: '0',
      roleArn: 'arn:aws:iam::444455556666:role/gd-ir-write', readRoleArn: 'arn:aws:iam::444455556666:role/gd-ir-read',
    } satisfies AuditRecord;
    expect(reconcileCommand(r)).toBe(
      'gd-ir remediate --key AKIAPRODCIDEPLOYER01 --account 444455556666 --read-role arn:aws:iam::444455556666:role/gd-ir-read --write-role arn:aws:iam::444455556666:role/gd-ir-write',
    );
    const { roleArn: _r, readRoleArn: _x, ...own } = r;
    expect(reconcileCommand(own)).toBe('gd-ir remediate --key AKIAPRODCIDEPLOYER01');
  });
});

describe('--debug redaction of STS', () => {
  it('hides the MFA code in a request and the Credentials of a response', () => {
    expect(redactBody('Action=AssumeRole&RoleArn=arn%3Aaws&SerialNumber=arn%3Aaws%3Aiam%3A%3A1%3Amfa%2Fa&TokenCode=123456&Version=2011-06-15')).toBe(
      'Action=AssumeRole&RoleArn=arn%3Aaws&SerialNumber=arn%3Aaws%3Aiam%3A%3A1%3Amfa%2Fa&TokenCode=[redacted]&Version=2011-06-15',
    );
    expect(redactValue({ TokenCode: '123456', RoleArn: 'r' })).toEqual({ TokenCode: '[redacted]', RoleArn: 'r' });
    expect(redactValue({ Credentials: { AccessKeyId: 'ASIA', SecretAccessKey: 's', SessionToken: 't' }, AssumedRoleUser: { Arn: 'a' } })).toEqual({
      Credentials: '[redacted]',
      AssumedRoleUser: { Arn: 'a' },
    });
  });
});
