/** Reading CloudTrail request parameters and response elements: any shape may be null or unexpected. */

export type Fields = Record<string, unknown>;

export const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A non-empty string at `key`, or undefined. */
export function str(o: unknown, key: string): string | undefined {
  if (!isObject(o) || !Object.hasOwn(o, key)) return undefined;
  const v = o[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The object at `key`, or undefined. */
export function obj(o: unknown, key: string): Fields | undefined {
  if (!isObject(o) || !Object.hasOwn(o, key)) return undefined;
  const v = o[key];
  return isObject(v) ? v : undefined;
}

/** A boolean at `key` (CloudTrail writes booleans; some producers write "true"). */
export function bool(o: unknown, key: string): boolean | undefined {
  if (!isObject(o) || !Object.hasOwn(o, key)) return undefined;
  const v = o[key];
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  return undefined;
}

/** The last path segment of an ARN or name (`arn:…:trail/x` → `x`). */
export function lastSegment(value: string): string {
  const i = Math.max(value.lastIndexOf('/'), value.lastIndexOf(':'));
  return i >= 0 ? value.slice(i + 1) : value;
}
