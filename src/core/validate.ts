/**
 * Validators for command-line input. Pure: each returns the parsed value or throws a UsageError whose
 * message names the input and the accepted forms, so bad input fails before any AWS call (exit 2).
 */
import { UsageError } from './errors.js';
import { sanitize } from './sanitize.js';
import { isSeverityLevel, SEVERITY_LEVELS, type SeverityLevel } from './severity.js';

const show = (value: string): string => `'${sanitize(value, { maxLength: 80 })}'`;

/** GuardDuty finding IDs are 32 lowercase hexadecimal characters. */
const FINDING_ID = /^[0-9a-f]{32}$/;
export function parseFindingId(value: string): string {
  if (!FINDING_ID.test(value)) {
    throw new UsageError(`invalid finding ID ${show(value)}: expected 32 lowercase hexadecimal characters`);
  }
  return value;
}

/** Detector IDs: 1–300 alphanumerics (real ones are 32 hex characters). */
export function parseDetectorId(value: string): string {
  if (!/^[A-Za-z0-9]{1,300}$/.test(value)) {
    throw new UsageError(`invalid detector ID ${show(value)}: expected the 32-character ID from 'aws guardduty list-detectors'`);
  }
  return value;
}

/** Access key IDs: AKIA (long-term) or ASIA (temporary) followed by uppercase letters/digits, 16–128 chars. */
const ACCESS_KEY_ID = /^(AKIA|ASIA)[A-Z0-9]{12,124}$/;
export function parseAccessKeyId(value: string): string {
  if (!ACCESS_KEY_ID.test(value)) {
    throw new UsageError(
      `invalid access key ID ${show(value)}: expected AKIA or ASIA followed by uppercase letters and digits (16–128 characters)`,
    );
  }
  return value;
}

export function isTemporaryAccessKeyId(value: string): boolean {
  return value.startsWith('ASIA');
}

/** IAM user and role names: 1–64 of [A-Za-z0-9+=,.@_-]. */
const IAM_NAME = /^[\w+=,.@-]{1,64}$/;
export function parseUserName(value: string): string {
  if (!IAM_NAME.test(value)) {
    throw new UsageError(`invalid user name ${show(value)}: expected 1–64 characters of letters, digits and + = , . @ _ -`);
  }
  return value;
}
export function parseRoleName(value: string): string {
  if (!IAM_NAME.test(value)) {
    throw new UsageError(`invalid role name ${show(value)}: expected 1–64 characters of letters, digits and + = , . @ _ -`);
  }
  return value;
}

/**
 * AWS region names in every partition: us-west-2, eu-central-1, us-gov-west-1, cn-north-1,
 * us-isob-east-1, eusc-de-east-1 (a prefix, one or more words, a number).
 */
const REGION = /^[a-z]{2,4}(?:-[a-z]+)+-\d{1,2}$/;
export function parseRegion(value: string): string {
  if (!REGION.test(value)) {
    throw new UsageError(`invalid region ${show(value)}: expected a region name such as us-west-2`);
  }
  return value;
}

/** `--regions r1,r2` or `all`; duplicates removed, order kept. */
export function parseRegionList(value: string): string[] | 'all' {
  if (value.trim() === 'all') return 'all';
  const parts = value.split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => p === '')) {
    throw new UsageError(`invalid region list ${show(value)}: expected comma-separated regions (us-west-2,us-east-1) or 'all'`);
  }
  return [...new Set(parts.map(parseRegion))];
}

export function parseSeverityLevel(value: string): SeverityLevel {
  const v = value.toLowerCase();
  if (!isSeverityLevel(v)) {
    throw new UsageError(`invalid severity ${show(value)}: expected one of ${SEVERITY_LEVELS.join(', ')}`);
  }
  return v;
}

export function parseSeverityNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 10) {
    throw new UsageError(`invalid minimum severity ${show(value)}: expected a number from 0 to 10`);
  }
  return n;
}

export function parseInteger(value: string, name: string, min: number, max: number): number {
  if (!/^\d+$/.test(value.trim())) {
    throw new UsageError(`invalid ${name} ${show(value)}: expected a whole number from ${min} to ${max}`);
  }
  const n = Number(value.trim());
  if (n < min || n > max) {
    throw new UsageError(`invalid ${name} ${show(value)}: expected a whole number from ${min} to ${max}`);
  }
  return n;
}

const DURATION_UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^(\d+(?:\.\d+)?)(s|m|h|d|w)/;

/** "90s", "15m", "24h", "7d", "2w", or combinations such as "1h30m". Returns milliseconds (> 0). */
export function parseDuration(value: string): number {
  let rest = value.trim();
  if (rest === '') throw durationError(value);
  let total = 0;
  while (rest.length > 0) {
    const m = DURATION.exec(rest);
    if (!m) throw durationError(value);
    total += Number(m[1]) * (DURATION_UNITS[m[2] ?? 's'] ?? 0);
    rest = rest.slice(m[0].length);
  }
  if (!(total > 0) || !Number.isFinite(total)) throw durationError(value);
  return Math.round(total);
}

function durationError(value: string): UsageError {
  return new UsageError(`invalid duration ${show(value)}: expected a number with a unit (s, m, h, d, w), e.g. 30m, 24h, 7d or 1h30m`);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A point in time: a duration meaning "that long before now" (`24h`), or an ISO-8601 date/time
 * (`2026-11-20`, `2026-11-20T10:00:00Z`; no zone means UTC). `name` is the flag, for the message.
 */
export function parseTimeArg(value: string, name: string, now: Date): Date {
  const v = value.trim();
  if (/^\d/.test(v) && !ISO_DATE.test(v)) {
    try {
      return new Date(now.getTime() - parseDuration(v));
    } catch {
      /* fall through to the combined message */
    }
  } else if (ISO_DATE.test(v)) {
    const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(v) && v.length > 10;
    const normalised = v.length === 10 ? `${v}T00:00:00Z` : hasZone ? v.replace(' ', 'T') : `${v.replace(' ', 'T')}Z`;
    const d = new Date(normalised);
    // Date() rolls 2026-02-30 over to March 2nd; a calendar date that does not exist is a typo, not a time.
    const [y, m, day] = v.slice(0, 10).split('-').map(Number) as [number, number, number];
    const calendar = new Date(Date.UTC(y, m - 1, day));
    if (!Number.isNaN(d.getTime()) && calendar.getUTCMonth() === m - 1 && calendar.getUTCDate() === day) return d;
  }
  throw new UsageError(
    `invalid ${name} ${show(value)}: expected a duration before now (30m, 24h, 7d) or an ISO-8601 date/time (2026-11-20 or 2026-11-20T10:00:00Z)`,
  );
}
