import { describe, expect, it } from 'vitest';
import { findDerivedCredentials } from '../../../src/core/trail/index.js';
import { KEY, trailEvent } from './fixtures.js';

describe('findDerivedCredentials', () => {
  const sts = 'sts.amazonaws.com';
  const events = [
    trailEvent({
      id: 'a', time: '2026-11-27T10:06:31Z', source: sts, name: 'GetSessionToken', region: 'us-east-1', ip: '198.51.100.77', userAgent: 'aws-cli/1.18.147',
      request: { durationSeconds: 43200 },
      response: { credentials: { accessKeyId: 'ASIAQDERIVEDSESSION01', sessionToken: 'x', expiration: 'Nov 27, 2026, 10:06:31 PM' } },
    }),
    trailEvent({
      id: 'b', time: '2026-11-27T10:20:00Z', source: sts, name: 'AssumeRole', region: 'us-west-2', ip: '198.51.100.77',
      response: {
        credentials: { accessKeyId: 'ASIAQASSUMEDROLE0001', expiration: 'Nov 27, 2026, 11:20:00 AM' },
        assumedRoleUser: { arn: 'arn:aws:sts::111122223333:assumed-role/Admin/x', assumedRoleId: 'AROA:x' },
      },
    }),
    // Denied: minted nothing.
    trailEvent({ id: 'c', time: '2026-11-27T10:21:00Z', source: sts, name: 'GetFederationToken', errorCode: 'AccessDenied' }),
    // Not a minting call.
    trailEvent({ id: 'd', time: '2026-11-27T10:22:00Z', source: sts, name: 'GetCallerIdentity' }),
  ];

  it('lists each derived key with when, where and how long, oldest first', () => {
    expect(findDerivedCredentials([...events].reverse())).toEqual([
      {
        accessKeyId: 'ASIAQDERIVEDSESSION01', via: 'GetSessionToken', parentAccessKeyId: KEY, issuedAt: '2026-11-27T10:06:31Z', region: 'us-east-1',
        sourceIp: '198.51.100.77', userAgent: 'aws-cli/1.18.147', expiration: 'Nov 27, 2026, 10:06:31 PM', expiresAt: '2026-11-27T22:06:31Z', assumedArn: undefined, eventId: 'a',
      },
      {
        accessKeyId: 'ASIAQASSUMEDROLE0001', via: 'AssumeRole', parentAccessKeyId: KEY, issuedAt: '2026-11-27T10:20:00Z', region: 'us-west-2',
        sourceIp: '198.51.100.77', userAgent: 'aws-cli/1.18.147 Python/2.7.18 Linux/4.14', expiration: 'Nov 27, 2026, 11:20:00 AM', expiresAt: '2026-11-27T11:20:00Z',
        assumedArn: 'arn:aws:sts::111122223333:assumed-role/Admin/x', eventId: 'b',
      },
    ]);
  });

  it("reads CloudTrail's zone-less expiration as UTC, not in the local time zone (the suite also runs under TZ=Asia/Tokyo and America/New_York)", () => {
    // Real record (test/fixtures/real/cloudtrail/stratus-assumerole-credentials.json): AssumeRole at 21:31:15Z for 900 s.
    const [d] = findDerivedCredentials([
      trailEvent({
        id: 'r', time: '2024-07-30T21:31:15Z', source: sts, name: 'AssumeRole', request: { durationSeconds: 900 },
        response: { credentials: { accessKeyId: 'ASIAQREALRECORD00001', expiration: 'Jul 30, 2024, 9:46:15 PM' } },
      }),
    ]);
    expect(d?.expiresAt).toBe('2024-07-30T21:46:15Z');
  });

  it('returns nothing without minting calls', () => {
    expect(findDerivedCredentials([events[3]!])).toEqual([]);
  });
});
