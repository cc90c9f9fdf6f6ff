import { describe, expect, it } from 'vitest';
import { base32Decode, hotp, totp, verifyTotp } from '../../../src/sandbox/mfa.js';
import { conditionsHold, identityDecision, resourcePolicyDecision, wildcardMatch } from '../../../src/sandbox/trust-policy.js';

const who = { arn: 'arn:aws:iam::111122223333:user/ir-analyst', accountId: '111122223333' };
const trust = (statement: Record<string, unknown>): string => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });

describe('trust policies', () => {
  it('an account principal (root ARN or bare ID) names every principal of that account, not others', () => {
    for (const p of ['arn:aws:iam::111122223333:root', '111122223333']) {
      const doc = trust({ Effect: 'Allow', Principal: { AWS: p }, Action: 'sts:AssumeRole' });
      expect(resourcePolicyDecision(doc, who, 'sts:AssumeRole', {})).toEqual({ decision: 'allow', direct: false });
      expect(resourcePolicyDecision(doc, { ...who, accountId: '999999999999', arn: 'arn:aws:iam::999999999999:user/x' }, 'sts:AssumeRole', {}).decision).toBe('none');
    }
  });

  it('a principal named directly is "direct"; a role ARN names its sessions', () => {
    expect(resourcePolicyDecision(trust({ Effect: 'Allow', Principal: { AWS: who.arn }, Action: 'sts:AssumeRole' }), who, 'sts:AssumeRole', {})).toEqual({ decision: 'allow', direct: true });
    const session = { arn: 'arn:aws:iam::111122223333:role/Admin', sessionArn: 'arn:aws:sts::111122223333:assumed-role/Admin/bob', accountId: '111122223333' };
    expect(resourcePolicyDecision(trust({ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:role/Admin'] }, Action: 'sts:*' }), session, 'sts:AssumeRole', {}).decision).toBe('allow');
  });

  it('conditions: ExternalId, MFA (absent key fails Bool, BoolIfExists skips), SetSourceIdentity as its own action', () => {
    const doc = trust({
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:root' },
      Action: ['sts:AssumeRole'],
      Condition: { StringEquals: { 'sts:ExternalId': 'x-1' }, Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
    });
    expect(resourcePolicyDecision(doc, who, 'sts:AssumeRole', { 'sts:externalid': 'x-1' }).decision).toBe('none');
    expect(resourcePolicyDecision(doc, who, 'sts:AssumeRole', { 'sts:externalid': 'x-1', 'aws:multifactorauthpresent': 'true' }).decision).toBe('allow');
    expect(resourcePolicyDecision(doc, who, 'sts:SetSourceIdentity', { 'sts:externalid': 'x-1', 'aws:multifactorauthpresent': 'true' }).decision).toBe('none');
    expect(conditionsHold({ BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } }, {})).toBe(true);
    expect(conditionsHold({ StringNotEquals: { 'aws:PrincipalAccount': '1' } }, {})).toBe(true);
    expect(conditionsHold({ Null: { 'sts:ExternalId': 'true' } }, {})).toBe(true);
    expect(conditionsHold({ Null: { 'sts:ExternalId': 'false' } }, {})).toBe(false);
    expect(conditionsHold({ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }, { 'aws:multifactorauthage': '0' })).toBe(true);
    expect(conditionsHold({ StringLike: { 'sts:RoleSessionName': '${aws:username}' } }, { 'sts:rolesessionname': 'x' })).toBe(false);
    expect(conditionsHold({ NoSuchOperator: { a: 'b' } }, { a: 'b' })).toBe(false);
  });

  it('an explicit deny wins', () => {
    const doc = JSON.stringify({
      Statement: [
        { Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'sts:AssumeRole' },
        { Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } },
      ],
    });
    expect(resourcePolicyDecision(doc, who, 'sts:AssumeRole', { 'aws:multifactorauthpresent': 'false' }).decision).toBe('deny');
    expect(resourcePolicyDecision(doc, who, 'sts:AssumeRole', {}).decision).toBe('allow');
  });

  it('identity policies: action and resource wildcards, NotResource, deny', () => {
    const allow = JSON.stringify({ Statement: { Effect: 'Allow', Action: 'sts:Assume*', Resource: 'arn:aws:iam::*:role/gd-ir-*' } });
    expect(identityDecision([allow], 'sts:AssumeRole', 'arn:aws:iam::444455556666:role/gd-ir-read', {})).toBe('allow');
    expect(identityDecision([allow], 'sts:AssumeRole', 'arn:aws:iam::444455556666:role/Admin', {})).toBe('none');
    const deny = JSON.stringify({ Statement: { Effect: 'Deny', Action: '*', NotResource: 'arn:aws:iam::444455556666:role/*' } });
    expect(identityDecision([allow, deny], 'sts:AssumeRole', 'arn:aws:iam::777788889999:role/gd-ir-read', {})).toBe('deny');
    expect(wildcardMatch('a?c*', 'abcdef')).toBe(true);
    expect(wildcardMatch('STS:assumerole', 'sts:AssumeRole', true)).toBe(true);
  });
});

describe('TOTP (RFC 6238 / RFC 4226)', () => {
  // RFC 6238 appendix B, SHA-1 seed "12345678901234567890": 94287082 at T=59 s, 07081804 at 1111111109 (last 6 digits).
  const seed = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  it('matches the RFC test vectors', () => {
    expect(base32Decode(seed).toString('ascii')).toBe('12345678901234567890');
    expect(hotp(base32Decode(seed), 0)).toBe('755224');
    expect(totp(seed, new Date(59_000))).toBe('287082');
    expect(totp(seed, new Date(1_111_111_109_000))).toBe('081804');
  });
  it('accepts one step of drift either way, nothing more', () => {
    const at = new Date(1_111_111_109_000);
    expect(verifyTotp(seed, totp(seed, new Date(at.getTime() - 30_000)), at)).toBe(true);
    expect(verifyTotp(seed, totp(seed, new Date(at.getTime() + 30_000)), at)).toBe(true);
    expect(verifyTotp(seed, totp(seed, new Date(at.getTime() - 90_000)), at)).toBe(false);
    expect(verifyTotp(seed, '12345', at)).toBe(false);
  });
});
