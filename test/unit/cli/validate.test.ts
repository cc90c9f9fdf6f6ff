import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import {
  parseAccessKeyId, parseDuration, parseFindingId, parseInteger, parseRegion, parseRegionList,
  parseSeverityLevel, parseSeverityNumber, parseTimeArg, parseUserName,
} from '../../../src/core/validate.js';

const now = new Date('2026-11-27T12:00:00Z');

describe('validators', () => {
  it('finding IDs: 32 lowercase hex', () => {
    expect(parseFindingId('0ac1e1b4c6f24d27a1c1d2e3f4a5b6c7')).toBe('0ac1e1b4c6f24d27a1c1d2e3f4a5b6c7');
    for (const bad of ['', 'abc', '0AC1E1B4C6F24D27A1C1D2E3F4A5B6C7', '0ac1e1b4c6f24d27a1c1d2e3f4a5b6c7x', 'zzc1e1b4c6f24d27a1c1d2e3f4a5b6c7']) {
      expect(() => parseFindingId(bad)).toThrow(UsageError);
    }
    expect(() => parseFindingId('nope')).toThrow(/expected 32 lowercase hexadecimal characters/);
  });

  it('access key IDs: AKIA/ASIA + uppercase alphanumerics, 16–128 chars', () => {
    expect(parseAccessKeyId('AKIAIOSFODNN7EXAMPLE')).toBe('AKIAIOSFODNN7EXAMPLE');
    expect(parseAccessKeyId('ASIAQDERIVEDSESSION01')).toBe('ASIAQDERIVEDSESSION01');
    for (const bad of ['AKIA123', 'akiaiosfodnn7example', 'AKIDIOSFODNN7EXAMPLE', 'AKIAIOSFODNN7EXAMPL!', `AKIA${'A'.repeat(125)}`]) {
      expect(() => parseAccessKeyId(bad)).toThrow(UsageError);
    }
  });

  it('user names', () => {
    expect(parseUserName('GuardDuty-Example-Compromised-Simulated')).toBe('GuardDuty-Example-Compromised-Simulated');
    expect(() => parseUserName('bad name')).toThrow(UsageError);
    expect(() => parseUserName('x'.repeat(65))).toThrow(UsageError);
  });

  it('regions and region lists', () => {
    expect(parseRegion('us-west-2')).toBe('us-west-2');
    expect(parseRegion('us-gov-west-1')).toBe('us-gov-west-1');
    for (const r of ['cn-north-1', 'us-isob-east-1', 'eusc-de-east-1', 'ap-southeast-5', 'il-central-1']) expect(parseRegion(r)).toBe(r);
    expect(() => parseRegion('US-WEST-2')).toThrow(UsageError);
    expect(() => parseRegion('mars-1')).toThrow(UsageError);
    expect(parseRegionList('us-west-2, us-east-1,us-west-2')).toEqual(['us-west-2', 'us-east-1']);
    expect(parseRegionList('all')).toBe('all');
    expect(() => parseRegionList('us-west-2,,')).toThrow(UsageError);
  });

  it('severities', () => {
    expect(parseSeverityLevel('HIGH')).toBe('high');
    expect(() => parseSeverityLevel('severe')).toThrow(/expected one of low, medium, high, critical/);
    expect(parseSeverityNumber('7.5')).toBe(7.5);
    expect(() => parseSeverityNumber('11')).toThrow(UsageError);
    expect(() => parseSeverityNumber('')).toThrow(UsageError);
  });

  it('integers with bounds', () => {
    expect(parseInteger('50', 'limit', 1, 100)).toBe(50);
    for (const bad of ['0', '101', '-1', '1.5', 'ten', '']) expect(() => parseInteger(bad, 'limit', 1, 100)).toThrow(UsageError);
  });

  it('durations', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('7d')).toBe(604_800_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    for (const bad of ['', '10', 'h', '5x', '-5m', '0m', '1h 30m']) expect(() => parseDuration(bad)).toThrow(UsageError);
  });

  it('times: durations before now or ISO dates (UTC when no zone)', () => {
    expect(parseTimeArg('24h', '--since', now).toISOString()).toBe('2026-11-26T12:00:00.000Z');
    expect(parseTimeArg('2026-11-20', '--since', now).toISOString()).toBe('2026-11-20T00:00:00.000Z');
    expect(parseTimeArg('2026-11-20T10:30:00Z', '--since', now).toISOString()).toBe('2026-11-20T10:30:00.000Z');
    expect(parseTimeArg('2026-11-20T10:30', '--since', now).toISOString()).toBe('2026-11-20T10:30:00.000Z');
    expect(parseTimeArg('2026-11-20T10:30:00+02:00', '--since', now).toISOString()).toBe('2026-11-20T08:30:00.000Z');
    for (const bad of ['yesterday', '2026-13-45', '2026-11-20T25:00:00Z', '']) {
      expect(() => parseTimeArg(bad, '--since', now)).toThrow(/invalid --since/);
    }
  });
});
