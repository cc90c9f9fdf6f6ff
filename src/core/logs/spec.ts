/**
 * `--logs`: where a trail is read from. `lookup` (event history, the default), one or more local paths,
 * `s3://bucket[/prefix]`, or `athena:<database>.<table>`. Validated here, before anything is read;
 * bucket names, prefixes and table names reach S3 keys and SQL only after these checks. Pure.
 */
import { UsageError } from '../errors.js';
import { sanitize } from '../sanitize.js';
import type { LogsSpec } from '../trail/source.js';
import { parseAthenaTable } from './athena-sql.js';

/** S3 bucket names (S3 User Guide, "General purpose bucket naming rules"): 3–63 of a-z 0-9 . -, alphanumeric at both ends. */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const show = (v: string): string => `'${sanitize(v, { maxLength: 120 })}'`;

/** `s3://bucket[/prefix]` → bucket and prefix (no leading slash; a trailing one removed). */
export function parseS3Url(value: string, option = '--logs'): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(value);
  if (!m) throw new UsageError(`invalid ${option} ${show(value)}: expected s3://bucket[/prefix]`);
  const bucket = m[1] as string;
  if (!BUCKET.test(bucket) || bucket.includes('..')) {
    throw new UsageError(`invalid ${option} ${show(value)}: '${sanitize(bucket, { maxLength: 80 })}' is not an S3 bucket name (3–63 lower-case letters, digits, dots and hyphens)`);
  }
  const prefix = (m[2] ?? '').replace(/\/+$/, '');
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (prefix.length > 900 || /[\u0000-\u001f\u007f]/.test(prefix) || prefix.startsWith('/') || prefix.split('/').some((p) => p === '..' || p === '.')) {
    throw new UsageError(`invalid ${option} ${show(value)}: the key prefix must be a plain S3 key prefix (no control characters, no . or .. segments, at most 900 characters)`);
  }
  return { bucket, prefix };
}

/** Every `--logs` value given (repeatable for local paths) → one source. */
export function parseLogsOption(values: readonly string[]): LogsSpec {
  if (values.length === 0) return { kind: 'lookup' };
  for (const v of values) if (v.trim() === '') throw new UsageError('--logs needs a value: lookup, a path, s3://bucket[/prefix] or athena:<database>.<table>');
  const special = values.filter((v) => v === 'lookup' || v.startsWith('s3://') || v.startsWith('athena:'));
  if (special.length > 0 && values.length > 1) {
    throw new UsageError(`--logs ${show(special[0] as string)} is a source of its own: give it once, without other --logs values`, {
      remedy: 'several --logs values are for local paths only (--logs ./2026-05 --logs ./2026-06)',
    });
  }
  const [first] = values as [string];
  if (first === 'lookup') return { kind: 'lookup' };
  if (first.startsWith('s3://')) return { kind: 's3', ...parseS3Url(first) };
  if (first.startsWith('athena:')) return { kind: 'athena', ...parseAthenaTable(first.slice('athena:'.length)) };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(first)) throw new UsageError(`invalid --logs ${show(first)}: only s3:// URLs are read (or a local path, lookup, athena:<database>.<table>)`);
  return { kind: 'local', paths: [...values] };
}

/** `--athena-output s3://bucket/prefix/`: where Athena writes query results. */
export function parseAthenaOutput(value: string): string {
  const { bucket, prefix } = parseS3Url(value, '--athena-output');
  return `s3://${bucket}/${prefix ? `${prefix}/` : ''}`;
}

/** Athena workgroup names: 1–128 of letters, digits, `.`, `_`, `-` (Athena API reference, WorkGroup). */
export function parseWorkgroup(value: string): string {
  if (!/^[a-zA-Z0-9._-]{1,128}$/.test(value)) throw new UsageError(`invalid --athena-workgroup ${show(value)}: expected 1–128 letters, digits, '.', '_' or '-'`);
  return value;
}

/** The `--logs` value that names a source again (for suggested commands). */
export function logsArgument(spec: LogsSpec): string[] {
  switch (spec.kind) {
    case 'lookup':
      return [];
    case 'local':
      return spec.paths.flatMap((p) => ['--logs', p]);
    case 's3':
      return ['--logs', `s3://${spec.bucket}${spec.prefix ? `/${spec.prefix}` : ''}`];
    case 'athena':
      return ['--logs', `athena:${spec.database}.${spec.table}`];
    default: {
      const never: never = spec;
      return [String(never)];
    }
  }
}
