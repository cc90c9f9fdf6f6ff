/**
 * CloudTrail's times, read as the instants they are, whatever the analyst's time zone. CloudTrail writes UTC
 * everywhere, but not in one format:
 * - `eventTime`, `sessionContext.attributes.creationDate`: ISO 8601 with `Z` (`2024-07-30T21:31:15Z`); older
 *   records also the basic form (`20131102T010628Z`, CloudTrail User Guide examples);
 * - service response elements echo their API's own text: Lambda's `lastModified` is ISO with a `+0000` offset,
 *   LookupEvents through the AWS CLI prints `EventTime` with the local offset (`2021-11-18T09:41:02-08:00`);
 * - STS and IAM response elements carry a Java-style date without any zone: `credentials.expiration` is
 *   `"Jul 30, 2024, 9:46:15 PM"` (2019+ records) and `accessKey.createDate` / `user.createDate` also
 *   `"Aug 1, 2024 1:33:28 PM"` (no comma after the year; both styles in 2024 records). These are UTC: an AssumeRole
 *   at 21:31:15Z with `durationSeconds` 900 expires "9:46:15 PM" (test/fixtures/real, ORIGINS.md:
 *   stratus-assumerole-credentials.json; IAM User Guide, "Logging IAM and AWS STS API calls with AWS CloudTrail").
 *   Newer Java runtimes put a narrow no-break space (U+202F) before AM/PM; it is accepted too.
 * `Date.parse` must not read any of these: it takes a zone-less text in the local time zone.
 */

const MONTHS: Readonly<Record<string, number>> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
};

/** ISO 8601, extended or basic form; a missing zone means UTC (CloudTrail writes no local times). */
const ISO =
  /^(\d{4})-?(\d{2})-?(\d{2})[T ](\d{2}):?(\d{2}):?(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
/** `Jul 30, 2024, 9:46:15 PM` or `Aug 1, 2024 1:33:28 PM` (any space, including U+00A0/U+202F, before AM/PM). */
const JAVA_MEDIUM = /^([A-Za-z]{3})[a-z]*\.? (\d{1,2}), (\d{4}),? (\d{1,2}):(\d{2}):(\d{2})[\s\u00a0\u202f]*([AaPp])\.?[Mm]\.?$/;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms = 0): number | undefined {
  if (mo < 0 || mo > 11 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || s > 60) return undefined;
  return Date.UTC(y, mo, d, h, mi, Math.min(s, 59), ms);
}

function zoneOffsetMs(zone: string | undefined): number | undefined {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) return undefined;
  const h = Number(m[2]);
  const mi = Number(m[3] ?? '0');
  if (h > 23 || mi > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * (h * 60 + mi) * 60_000;
}

/** The instant (epoch milliseconds) a CloudTrail time text names, or undefined when it is not one of its formats. */
export function parseCloudTrailTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text.length === 0 || text.length > 64) return undefined;
  const iso = ISO.exec(text);
  if (iso) {
    const [, y, mo, d, h, mi, s, frac, zone] = iso;
    const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
    const base = utc(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
    const offset = zoneOffsetMs(zone);
    return base === undefined || offset === undefined ? undefined : base - offset;
  }
  const java = JAVA_MEDIUM.exec(text);
  if (java) {
    const [, mon, d, y, h, mi, s, half] = java;
    const month = MONTHS[(mon ?? '').toLowerCase()];
    const hour12 = Number(h);
    if (month === undefined || hour12 < 1 || hour12 > 12) return undefined;
    const hour = (hour12 % 12) + ((half ?? '').toLowerCase() === 'p' ? 12 : 0);
    return utc(Number(y), month, Number(d), hour, Number(mi), Number(s));
  }
  return undefined;
}

/** ISO 8601 UTC, seconds precision unless the time has milliseconds: `2024-07-30T21:46:15Z`. */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

/** A CloudTrail time text as ISO 8601 UTC, or undefined when it does not parse. */
export function cloudTrailTimeIso(value: unknown): string | undefined {
  const ms = parseCloudTrailTime(value);
  return ms === undefined ? undefined : isoUtc(ms);
}
