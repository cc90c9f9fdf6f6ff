import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { parseTrailOptions } from '../../../src/commands/trail.js';
import { matchesTrailFilters, normaliseEventSource, NO_FILTERS, type TrailFilters } from '../../../src/core/trail/index.js';
import { trailEvent } from './fixtures.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const f = (over: Partial<TrailFilters>): TrailFilters => ({ ...NO_FILTERS, events: [], ...over });

describe('client-side filters', () => {
  const getParams = trailEvent({ id: '1', time: '2026-11-27T10:00:00Z', name: 'GetParameters', ip: '203.0.113.10' });
  const createUser = trailEvent({ id: '2', time: '2026-11-27T10:00:01Z', source: 'iam.amazonaws.com', name: 'CreateUser', readOnly: false, errorCode: 'AccessDenied' });

  it('keeps everything without filters', () => {
    expect([getParams, createUser].filter((e) => matchesTrailFilters(e, f({})))).toHaveLength(2);
  });

  it('--event matches names case-insensitively, any of several', () => {
    expect(matchesTrailFilters(getParams, f({ events: ['getparameters'] }))).toBe(true);
    expect(matchesTrailFilters(createUser, f({ events: ['GetParameters', 'CreateUser'] }))).toBe(true);
    expect(matchesTrailFilters(createUser, f({ events: ['GetUser'] }))).toBe(false);
  });

  it('--source, --ip, --errors-only, --read-only, --write-only', () => {
    expect(matchesTrailFilters(createUser, f({ source: 'iam.amazonaws.com' }))).toBe(true);
    expect(matchesTrailFilters(getParams, f({ source: 'iam.amazonaws.com' }))).toBe(false);
    expect(matchesTrailFilters(getParams, f({ ip: '203.0.113.10' }))).toBe(true);
    expect(matchesTrailFilters(createUser, f({ ip: '203.0.113.10' }))).toBe(false);
    expect(matchesTrailFilters(getParams, f({ errorsOnly: true }))).toBe(false);
    expect(matchesTrailFilters(createUser, f({ errorsOnly: true }))).toBe(true);
    expect(matchesTrailFilters(getParams, f({ access: 'read' }))).toBe(true);
    expect(matchesTrailFilters(createUser, f({ access: 'read' }))).toBe(false);
    expect(matchesTrailFilters(createUser, f({ access: 'write' }))).toBe(true);
  });

  it('normalises service names to event sources', () => {
    expect(normaliseEventSource('IAM')).toBe('iam.amazonaws.com');
    expect(normaliseEventSource('s3.amazonaws.com')).toBe('s3.amazonaws.com');
  });
});

describe('parseTrailOptions', () => {
  it('parses every option', () => {
    const o = parseTrailOptions(
      {
        key: 'AKIAQCOMPROMISED0EX1', since: '2h', until: '2026-11-27T11:30:00Z', regions: 'us-west-2,eu-west-1', event: ['GetParameters', 'CreateUser'],
        source: 'ssm', ip: '198.51.100.77', errorsOnly: true, readOnly: true, follow: true, maxEvents: '500', rate: '1.5', oldestFirst: true, raw: true, jsonl: true,
      },
      NOW,
    );
    expect(o).toEqual({
      key: 'AKIAQCOMPROMISED0EX1', user: undefined, finding: undefined, detectorId: undefined,
      since: new Date('2026-11-27T10:00:00Z'), until: new Date('2026-11-27T11:30:00Z'), regions: ['us-west-2', 'eu-west-1'],
      filters: { events: ['GetParameters', 'CreateUser'], source: 'ssm.amazonaws.com', ip: '198.51.100.77', errorsOnly: true, access: 'read' },
      follow: true, maxEvents: 500, rate: 1.5, oldestFirst: true, raw: true, jsonl: true, logs: { kind: 'lookup' }, source: { rate: 1.5, cache: true }, changes: false,
    });
  });

  it('defaults: 10,000 events, 2 requests/s', () => {
    const o = parseTrailOptions({ user: 'dev-alice' }, NOW);
    expect(o.maxEvents).toBe(10_000);
    expect(o.rate).toBe(2);
    expect(o.filters).toEqual({ events: [], errorsOnly: false });
  });

  it.each([
    [{}, /--key <accessKeyId>, --user <userName> or --finding/],
    [{ key: 'AKIAQCOMPROMISED0EX1', readOnly: true, writeOnly: true }, /--read-only and --write-only exclude each other/],
    [{ finding: '0ac1e1b4c6f24d27a1c1d2e3f4a5b6c7', key: 'AKIAQCOMPROMISED0EX1' }, /--finding takes the key and user from the finding/],
    [{ key: 'not-a-key' }, /invalid access key ID/],
    [{ finding: 'XYZ' }, /invalid finding ID/],
    [{ key: 'AKIAQCOMPROMISED0EX1', rate: '0' }, /invalid --rate '0'/],
    [{ key: 'AKIAQCOMPROMISED0EX1', rate: 'fast' }, /invalid --rate/],
    [{ key: 'AKIAQCOMPROMISED0EX1', maxEvents: '0' }, /invalid --max-events/],
    [{ key: 'AKIAQCOMPROMISED0EX1', event: ['Get Parameters'] }, /invalid --event/],
    [{ key: 'AKIAQCOMPROMISED0EX1', source: 'ssm/x' }, /invalid --source/],
    [{ key: 'AKIAQCOMPROMISED0EX1', ip: '1.2.3.4\u001b[2J' }, /invalid --ip/],
    [{ key: 'AKIAQCOMPROMISED0EX1', ip: 'not-an-ip' }, /invalid --ip 'not-an-ip': expected an IPv4 or IPv6 address, an AWS service name/],
    [{ key: 'AKIAQCOMPROMISED0EX1', ip: '1.2.3.4.5' }, /invalid --ip/],
    [{ key: 'AKIAQCOMPROMISED0EX1', ip: '256.1.1.1' }, /invalid --ip/],
    [{ key: 'AKIAQCOMPROMISED0EX1', ip: 'example.com' }, /invalid --ip/],
    [{ key: 'AKIAQCOMPROMISED0EX1', since: 'yesterday' }, /invalid --since/],
    [{ key: 'AKIAQCOMPROMISED0EX1', regions: 'us-west-2,,' }, /invalid region list/],
  ])('rejects %j (exit 2)', (options, message) => {
    let err: unknown;
    try {
      parseTrailOptions(options as Record<string, unknown>, NOW);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(message);
  });
});

describe('--ip: what CloudTrail writes in sourceIPAddress', () => {
  it.each([
    ['198.51.100.77', '198.51.100.77'],
    ['2001:db8::1', '2001:db8::1'],
    // Anonymised published records write octets with leading zeros (stratus-*.json).
    ['075.050.255.67', '075.050.255.67'],
    // Calls an AWS service made for the principal (elastic-assumerole-awsservice-ec2.json) and service events.
    ['cloudformation.amazonaws.com', 'cloudformation.amazonaws.com'],
    ['EC2.amazonaws.com', 'ec2.amazonaws.com'],
    ['aws internal', 'AWS Internal'],
  ])('%s is accepted', (value, expected) => {
    expect(parseTrailOptions({ key: 'AKIAQCOMPROMISED0EX1', ip: value }, NOW).filters.ip).toBe(expected);
  });

  it('matches IPv6 and names whatever their case', () => {
    const e = trailEvent({ id: '6', time: '2026-11-27T10:00:00Z', name: 'GetParameters', ip: '2001:db8::a' });
    expect(matchesTrailFilters(e, { events: [], errorsOnly: false, ip: '2001:DB8::A' })).toBe(true);
  });
});
