/**
 * Offline input for `findings list/show --from-file`: the bytes of a file (or stdin) → findings. Pure.
 * Accepted shapes: a GetFindings response (wire `{"findings":[…]}` or AWS CLI `{"Findings":[…]}`), one finding
 * in either casing, an array of findings, an EventBridge event whose detail-type is "GuardDuty Finding", or the
 * SNS notification wrapping such an event (the workshop's e-mail path). Anything else is a usage error (exit 2).
 */
import { UsageError } from './errors.js';
import { sanitize } from './sanitize.js';
import { normalizeFinding, type Finding } from './finding/index.js';

/** Larger than any real export of findings we expect to read at once (10,000 findings ≈ 60 MiB is --all-pages' job). */
export const MAX_INPUT_BYTES = 20 * 1024 * 1024;

export const EXPECTED_SHAPES =
  'expected a GetFindings response ({"findings":[…]} or {"Findings":[…]}), a single finding, an array of findings, or an EventBridge event with detail-type "GuardDuty Finding"';

type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Bytes → text: size-checked, strict UTF-8 (a binary file fails here with one clear line), BOM dropped. */
export function decodeInput(bytes: Uint8Array, source: string): string {
  if (bytes.byteLength > MAX_INPUT_BYTES) {
    throw new UsageError(`${source} is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB: split the findings into smaller files`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError(`${source} is not UTF-8 text: ${EXPECTED_SHAPES}`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\u0000')) throw new UsageError(`${source} looks binary (it contains NUL bytes): ${EXPECTED_SHAPES}`);
  if (text.trim() === '') throw new UsageError(`${source} is empty: ${EXPECTED_SHAPES}`);
  return text;
}

function looksLikeFinding(v: JsonObject): boolean {
  return ('id' in v || 'Id' in v) && ('type' in v || 'Type' in v);
}

function isEvent(v: JsonObject): boolean {
  return 'detail-type' in v && 'detail' in v;
}

/** Unwraps one value into raw finding objects (with their position, for messages). */
function collect(value: unknown, source: string, depth: number): unknown[] {
  if (Array.isArray(value)) {
    return value.flatMap((item) => (isObject(item) && (isEvent(item) || isSns(item)) && depth < 2 ? collect(item, source, depth + 1) : [item]));
  }
  if (!isObject(value)) throw new UsageError(`${source} holds a JSON ${value === null ? 'null' : typeof value}: ${EXPECTED_SHAPES}`);
  if (Array.isArray(value.findings)) return value.findings;
  if (Array.isArray(value.Findings)) return value.Findings;
  if (isEvent(value)) {
    const dt = value['detail-type'];
    if (dt !== 'GuardDuty Finding') {
      throw new UsageError(`${source} is an EventBridge event of type '${sanitize(dt, { maxLength: 80 })}', not "GuardDuty Finding"`);
    }
    return [value.detail];
  }
  if (isSns(value) && depth < 2) {
    let inner: unknown;
    try {
      inner = JSON.parse(value.Message as string);
    } catch {
      throw new UsageError(`${source} is an SNS notification whose Message is not JSON: ${EXPECTED_SHAPES}`);
    }
    return collect(inner, source, depth + 1);
  }
  if (looksLikeFinding(value)) return [value];
  const keys = Object.keys(value).slice(0, 5).map((k) => sanitize(k, { maxLength: 30 }));
  throw new UsageError(`${source} is not GuardDuty findings (an object with keys ${keys.join(', ') || 'none'}): ${EXPECTED_SHAPES}`);
}

function isSns(v: JsonObject): boolean {
  return v.Type === 'Notification' && typeof v.Message === 'string';
}

/** Parses the text of a findings file. `source` names it in messages ("findings.json", "stdin"). */
export function parseFindingsDocument(text: string, source: string): Finding[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? sanitize(err.message, { maxLength: 120 }) : 'parse error';
    throw new UsageError(`${source} is not valid JSON (${why}): ${EXPECTED_SHAPES}`);
  }
  const raws = collect(value, source, 0);
  return raws.map((raw, i) => normalizeFinding(raw, raws.length === 1 ? `${source}: the finding` : `${source}: finding #${i + 1}`));
}

/** Bytes → findings (decode + parse). */
export function readFindingsInput(bytes: Uint8Array, source: string): Finding[] {
  return parseFindingsDocument(decodeInput(bytes, source), source);
}
