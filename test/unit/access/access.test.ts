import { describe, expect, it } from 'vitest';
import { ENV, accessSettings } from '../../../src/access/settings.js';
import { refreshingProvider, REFRESH_MARGIN_MS, type AssumeSpec } from '../../../src/access/assume.js';
import { parseConfig } from '../../../src/config/index.js';
import {
  accessFlagsOf,
  analystName,
  describeAccess,
  explainAssumeFailure,
  parseRoleRef,
  parseSessionDuration,
  roleArnFor,
  type AssumeAttempt,
} from '../../../src/core/access.js';
import { UsageError } from '../../../src/core/errors.js';
import type { Context } from '../../../src/cli/context.js';

const empty = parseConfig('', '/c.ini');

describe('core/access', () => {
  it('names the analyst from the caller ARN, within STS rules (2–64 of [\\w+=,.@-])', () => {
    expect(analystName('arn:aws:iam::111122223333:user/security/ir-analyst')).toBe('ir-analyst');
    expect(analystName('arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0a1b/alice@example.com')).toBe('alice@example.com');
    expect(analystName('arn:aws:sts::111122223333:federated-user/bob')).toBe('bob');
    expect(analystName('arn:aws:sts::111122223333:assumed-role/R/x')).toBe('gd-ir-x');
    expect(analystName('arn:aws:sts::111122223333:assumed-role/R/a b:c')).toBe('a-b-c');
    expect(analystName(`arn:aws:iam::111122223333:user/${'n'.repeat(80)}`)).toHaveLength(64);
    expect(analystName('arn:aws:iam::111122223333:root')).toBe('root');
  });

  it('expands a role name in the account and partition; takes an ARN as is; rejects anything else', () => {
    expect(roleArnFor('gd-ir-read', '444455556666', 'aws')).toBe('arn:aws:iam::444455556666:role/gd-ir-read');
    expect(roleArnFor('ir/gd-ir-read', '444455556666', 'aws-us-gov')).toBe('arn:aws-us-gov:iam::444455556666:role/ir/gd-ir-read');
    expect(parseRoleRef('arn:aws:iam::444455556666:role/x')).toBe('arn:aws:iam::444455556666:role/x');
    expect(() => parseRoleRef('arn:aws:iam::444455556666:user/x')).toThrow(UsageError);
    expect(() => parseRoleRef('bad name')).toThrow(/invalid --read-role/);
    expect(parseSessionDuration('1h')).toBe(3600);
    expect(parseSessionDuration('900')).toBe(900);
    expect(() => parseSessionDuration('10m')).toThrow(/900–43200/);
  });

  it('reads the access flags of any command; a read-only command given an MFA device uses it for the read role', () => {
    expect(accessFlagsOf({ readRole: 'r', writeRole: undefined, mfaSerial: 'arn:aws:iam::1:mfa/a', sessionDuration: 900 })).toEqual({ readRole: 'r', mfaSerial: 'arn:aws:iam::1:mfa/a', sessionDuration: 900 });
    expect(accessFlagsOf({ readRole: 'r', mfaSerial: 'arn:aws:iam::1:mfa/a' })).toEqual({ readRole: 'r', mfaSerial: 'arn:aws:iam::1:mfa/a', readMfa: true });
    expect(accessFlagsOf({ key: 'x' })).toEqual({});
  });

  describe('why an AssumeRole failed', () => {
    const a: AssumeAttempt = { roleArn: 'arn:aws:iam::444455556666:role/gd-ir-write', account: '444455556666', purpose: 'write', callerArn: 'arn:aws:iam::111122223333:user/ir-analyst', sent: { sourceIdentity: 'ir-analyst' } };
    const denied = 'User: arn:aws:iam::111122223333:user/ir-analyst is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::444455556666:role/gd-ir-write';
    it('a trust policy refusal names the role, the account, the likely conditions and the policy that allows it', () => {
      const f = explainAssumeFailure(a, 'AccessDenied', denied);
      expect(f.reason).toBe('not-trusted');
      expect(f.message).toContain('cannot assume the write role arn:aws:iam::444455556666:role/gd-ir-write in account 444455556666');
      expect(f.remedy).toContain('if the role requires an ExternalId, pass --external-id; if it requires MFA, pass --mfa-serial');
      expect(f.trustPolicy).toEqual({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'], Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } },
        ],
      });
      const withId = explainAssumeFailure({ ...a, purpose: 'read', sent: { externalId: 'x-1', sourceIdentity: 'ir-analyst' } }, 'AccessDenied', denied);
      expect(withId.trustPolicy?.Statement).toEqual([expect.objectContaining({ Condition: { StringEquals: { 'sts:ExternalId': 'x-1' } } })]);
    });
    it('tells SCPs, boundaries, its own policies, MFA, durations and its own credentials apart', () => {
      const cases: Array<[string, string, string]> = [
        ['AccessDenied', `${denied} with an explicit deny in a service control policy`, 'scp'],
        ['AccessDenied', `${denied} because no permissions boundary allows the sts:AssumeRole action`, 'boundary'],
        ['AccessDenied', `${denied} because no identity-based policy allows the sts:AssumeRole action`, 'caller-permission'],
        ['AccessDenied', `${denied} with an explicit deny in an identity-based policy`, 'caller-deny'],
        ['AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code.', 'mfa-code'],
        ['AccessDenied', 'MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.', 'mfa-missing'],
        ['AccessDenied', 'MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.', 'mfa-device'],
        ['ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.', 'duration'],
        ['ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.', 'chaining'],
        ['InvalidClientTokenId', 'The security token included in the request is invalid.', 'caller-credentials'],
        ['RegionDisabledException', 'STS is not activated in this region', 'region'],
        ['AccessDenied', 'User: x is not authorized to perform: sts:SetSourceIdentity on resource: arn:aws:iam::444455556666:role/gd-ir-write', 'source-identity'],
      ];
      for (const [code, message, reason] of cases) expect(explainAssumeFailure(a, code, message).reason, message).toBe(reason);
    });
  });

  it('describes how an account is reached', () => {
    expect(describeAccess({ account: '4', purpose: 'read', via: 'role', roleArn: 'arn:r', sessionName: 'alice' })).toBe('account 4 through role arn:r as session alice');
    expect(describeAccess({ account: '4', purpose: 'write', via: 'none' })).toBe('account 4: no write role configured (--write-role, GD_IR_WRITE_ROLE or the configuration file)');
  });
});

describe('the configuration file', () => {
  it('parses defaults and accounts; keeps other sections for their owners', () => {
    const c = parseConfig(
      ['# comment', '[defaults]', 'read_role = gd-ir-read  # inline comment', 'mfa_serial=arn:aws:iam::111122223333:mfa/alice', '', '[account 444455556666]', 'profile = prod-ir', 'session_duration = 2h', '[logs]', 'bucket = x'].join('\n'),
      '/c.ini',
    );
    expect(c.defaults).toEqual({ readRole: 'gd-ir-read', mfaSerial: 'arn:aws:iam::111122223333:mfa/alice' });
    expect(c.accounts['444455556666']).toEqual({ profile: 'prod-ir', sessionDuration: 7200 });
    expect(c.section('logs')?.values.bucket?.value).toBe('x');
  });
  it('errors name the file and the line (exit 2)', () => {
    const bad = (text: string): string => {
      try {
        parseConfig(text, '/c.ini');
      } catch (err) {
        expect(err).toBeInstanceOf(UsageError);
        return (err as Error).message;
      }
      throw new Error('parsed');
    };
    expect(bad('[defaults]\nread_rol = x')).toMatch(/^\/c\.ini:2: unknown key read_rol/);
    expect(bad('read_role = x')).toBe('/c.ini:1: a key outside any section: start with [defaults] or [account <id>]');
    expect(bad('[account 123]\n')).toMatch(/^\/c\.ini:1: \[account 123\]: expected \[account <12-digit account ID>\]/);
    expect(bad('[defaults]\nread_role = a\nread_role = b')).toBe('/c.ini:3: read_role is set twice in this section');
    expect(bad('[defaults]\nsession_duration = 5m')).toMatch(/^\/c\.ini:2: --session-duration '5m'/);
    expect(bad('[defaults]\njust text')).toBe('/c.ini:2: expected [section] or key = value');
  });
});

describe('which role reaches an account', () => {
  const config = parseConfig(
    ['[defaults]', 'read_role = d-read', 'external_id = d-ext', '[account 444455556666]', 'write_role = p-write', 'mfa_serial = arn:aws:iam::111122223333:mfa/a', '[account 777788889999]', 'profile = data-ir'].join('\n'),
    '/c.ini',
  );
  it('flags, then environment, then the account section, then defaults; the write role defaults to the read role', () => {
    expect(accessSettings('444455556666', 'read', {}, {}, config)).toMatchObject({ route: { kind: 'role', role: 'd-read', source: 'config' }, externalId: 'd-ext' });
    expect(accessSettings('444455556666', 'read', {}, {}, config).mfaSerial).toBeUndefined();
    expect(accessSettings('444455556666', 'write', {}, {}, config)).toMatchObject({ route: { kind: 'role', role: 'p-write' }, mfaSerial: 'arn:aws:iam::111122223333:mfa/a' });
    expect(accessSettings('444455556666', 'write', { writeRole: 'flag' }, { [ENV.writeRole]: 'env' }, config).route).toEqual({ kind: 'role', role: 'flag', source: 'flag' });
    expect(accessSettings('444455556666', 'write', {}, { [ENV.writeRole]: 'env' }, config).route).toEqual({ kind: 'role', role: 'env', source: 'env' });
    expect(accessSettings('123456789012', 'write', { readRole: 'r' }, {}, empty).route).toEqual({ kind: 'role', role: 'r', source: 'flag' });
    expect(accessSettings('777788889999', 'read', {}, {}, config).route).toEqual({ kind: 'profile', profile: 'data-ir' });
    expect(accessSettings('777788889999', 'read', { readRole: 'r' }, {}, config).route).toEqual({ kind: 'role', role: 'r', source: 'flag' });
    expect(accessSettings('123456789012', 'read', {}, {}, empty)).toEqual({ route: { kind: 'none' }, sessionDuration: 3600 });
    expect(() => accessSettings('1', 'read', {}, { [ENV.readRole]: 'bad name' }, empty)).toThrow(/GD_IR_READ_ROLE/);
  });
});

describe('role credentials for the run', () => {
  it('are kept until shortly before they expire, then the role is assumed again', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    let calls = 0;
    const sts = {
      send: async () => {
        calls++;
        return {
          Credentials: { AccessKeyId: `ASIA${calls}`, SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(now.getTime() + 15 * 60_000) },
          AssumedRoleUser: { Arn: 'arn:aws:sts::444455556666:assumed-role/r/a' },
        };
      },
    };
    const ctx = { aws: { sts: async () => sts }, signal: new AbortController().signal, clock: { now: () => now, sleep: async () => undefined } } as unknown as Pick<Context, 'aws' | 'signal' | 'clock'>;
    const spec: AssumeSpec = { roleArn: 'arn:aws:iam::444455556666:role/r', account: '444455556666', purpose: 'read', sessionName: 'a', sourceIdentity: 'a', durationSeconds: 900 };
    const first = { credentials: { accessKeyId: 'ASIA0', secretAccessKey: 's', expiration: new Date(now.getTime() + 15 * 60_000) }, arn: 'x' };
    const provider = refreshingProvider(ctx, spec, first, { next: async () => '000000' });
    expect((await provider()).accessKeyId).toBe('ASIA0');
    now = new Date(now.getTime() + 15 * 60_000 - REFRESH_MARGIN_MS - 1000);
    expect((await provider()).accessKeyId).toBe('ASIA0');
    now = new Date(now.getTime() + 2000);
    const [a, b] = await Promise.all([provider(), provider()]);
    expect([a.accessKeyId, b.accessKeyId, calls]).toEqual(['ASIA1', 'ASIA1', 1]);
  });
});
