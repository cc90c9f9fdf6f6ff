/** Reading values out of a normalised finding: typed accessors that never throw. */
import type { JsonObject } from './model.js';

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}


export function str(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

export function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

export function obj(v: unknown): JsonObject {
  return isObject(v) ? v : {};
}

/** Reads a dotted path from a lowerCamel object. */
export function at(root: unknown, path: string): unknown {
  let cur: unknown = root;
  for (const seg of path.split('.')) {
    if (!isObject(cur)) return undefined;
    cur = cur[seg];
  }
  return cur;
}

/** additionalInfo: flattened keys (real wire), `value` (a JSON string, the only part the SDK keeps), or an old plain object. */
