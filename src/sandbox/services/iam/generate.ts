/**
 * Values IAM generates (IDs, secrets) and the date format CloudTrail uses inside IAM `responseElements`.
 * Generated values are drawn here, carried by the effect that uses them, and journaled: replay draws nothing.
 */
import { randomBytes } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function upperId(prefix: string, length: number): string {
  const bytes = randomBytes(length);
  let s = prefix;
  for (let i = 0; s.length < length; i++) s += BASE32[(bytes[i] as number) % 32];
  return s;
}

/** An access key ID as IAM makes them: `AKIA` and 16 upper-case base32 characters (20 in all). */
export function newAccessKeyId(): string {
  return upperId('AKIA', 20);
}

/** A user's unique ID: `AIDA` and 17 characters (21 in all). */
export function newUserId(): string {
  return upperId('AIDA', 21);
}

/** A 40-character secret access key (sandbox-only; never logged, never recorded in CloudTrail). */
export function newSecretAccessKey(): string {
  return randomBytes(30).toString('base64').replace(/[+/]/g, 'A').slice(0, 40);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A date inside IAM `responseElements` as CloudTrail writes it: `"Aug 1, 2024 1:33:28 PM"`, UTC, no zone (the
 * published CreateUser, CreateAccessKey and CreateLoginProfile records in test/fixtures/real/cloudtrail/stratus-*).
 * STS credential expirations of 2019+ records put a comma after the year (`"Jul 30, 2024, 9:46:15 PM"`): `commaAfterYear`.
 */
export function trailDate(value: string | Date, commaAfterYear = false): string {
  const d = typeof value === 'string' ? new Date(value) : value;
  const h = d.getUTCHours();
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}${commaAfterYear ? ',' : ''} ${h % 12 === 0 ? 12 : h % 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}
