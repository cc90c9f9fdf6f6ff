/**
 * CloudTrail's time formats (src/core/trail/time.ts). Every expectation is an instant built with Date.UTC, so the
 * test means the same in every time zone; `npm test` also runs it under TZ=Asia/Tokyo and TZ=America/New_York.
 */
import { describe, expect, it } from 'vitest';
import { cloudTrailTimeIso, parseCloudTrailTime } from '../../../src/core/trail/index.js';
import { responseElementTime } from '../../../src/sandbox/recorder.js';

const at = (y: number, mo: number, d: number, h: number, mi: number, s: number, ms = 0): number => Date.UTC(y, mo - 1, d, h, mi, s, ms);

describe('parseCloudTrailTime', () => {
  it.each([
    // eventTime
    ['2024-07-30T21:31:15Z', at(2024, 7, 30, 21, 31, 15)],
    // sessionContext.attributes.creationDate, basic form (CloudTrail User Guide example, elastic-consolelogin-assumedrole-failure.json)
    ['20131102T010628Z', at(2013, 11, 2, 1, 6, 28)],
    // Lambda responseElements.lastModified (elastic-createfunction20150331.json)
    ['2024-08-01T13:33:28.123+0000', at(2024, 8, 1, 13, 33, 28, 123)],
    // LookupEvents EventTime as the AWS CLI prints it (awscli-lookup-events-consolelogin.json)
    ['2021-11-18T09:41:02-08:00', at(2021, 11, 18, 17, 41, 2)],
    // No zone at all: UTC, as everything CloudTrail writes
    ['2024-07-30T21:31:15', at(2024, 7, 30, 21, 31, 15)],
    // credentials.expiration (stratus-assumerole-credentials.json, IAM User Guide examples)
    ['Jul 30, 2024, 9:46:15 PM', at(2024, 7, 30, 21, 46, 15)],
    ['Oct 2, 2019, 11:12:29 PM', at(2019, 10, 2, 23, 12, 29)],
    ['Nov 30, 2024, 8:43:17 PM', at(2024, 11, 30, 20, 43, 17)],
    // the spelling, without the comma after the year, and accessKey.createDate (stratus-createaccesskey.json)
    ['Oct 2, 2019 11:12:29 PM', at(2019, 10, 2, 23, 12, 29)],
    ['Aug 1, 2024 1:33:28 PM', at(2024, 8, 1, 13, 33, 28)],
    // 12 AM is midnight, 12 PM noon
    ['Mar 24, 2014 12:05:00 AM', at(2014, 3, 24, 0, 5, 0)],
    ['Mar 24, 2014 12:05:00 PM', at(2014, 3, 24, 12, 5, 0)],
    // newer Java runtimes: a narrow no-break space before PM
    ['Jul 30, 2024, 9:46:15\u202fPM', at(2024, 7, 30, 21, 46, 15)],
  ])('%s', (text, expected) => {
    expect(parseCloudTrailTime(text)).toBe(expected);
  });

  it.each(['', 'soon', 'Jul 32, 2024, 9:46:15 PM', 'Foo 3, 2024, 9:46:15 PM', 'Jul 3, 2024, 13:46:15 PM', '2024-02-30T00:00:00Z', '2024-07-30T25:00:00Z', 12345, null])(
    'refuses %s',
    (text) => {
      expect(parseCloudTrailTime(text)).toBeUndefined();
    },
  );

  it('gives ISO 8601 UTC', () => {
    expect(cloudTrailTimeIso('Jul 30, 2024, 9:46:15 PM')).toBe('2024-07-30T21:46:15Z');
    expect(cloudTrailTimeIso('nope')).toBeUndefined();
  });
});

describe("the sandbox writes CloudTrail's response-element times as real records do", () => {
  it('credentials.expiration with a comma after the year, createDate without', () => {
    const t = new Date(at(2024, 7, 30, 21, 46, 15));
    expect(responseElementTime(t)).toBe('Jul 30, 2024, 9:46:15 PM');
    expect(responseElementTime(new Date(at(2024, 8, 1, 13, 33, 28)), { comma: false })).toBe('Aug 1, 2024 1:33:28 PM');
    expect(responseElementTime(new Date(at(2024, 8, 1, 0, 3, 8)))).toBe('Aug 1, 2024, 12:03:08 AM');
  });

  it('round-trips through the parser at every hour', () => {
    for (let h = 0; h < 24; h++) {
      const t = at(2026, 1, 31, h, 7, 9);
      expect(parseCloudTrailTime(responseElementTime(new Date(t)))).toBe(t);
      expect(parseCloudTrailTime(responseElementTime(new Date(t), { comma: false }))).toBe(t);
    }
  });
});
