/**
 * The records of one decompressed file that can match a query, found without parsing the rest.
 *
 * A CloudTrail log file is compact `{"Records":[{"eventVersion":…},{"eventVersion":…}]}`. Inside JSON
 * text a string cannot hold a bare `"`, so the bytes `{"eventVersion":` occur only where an object
 * opens with that key: at each record's start (CloudTrail writes eventVersion first). For every
 * occurrence of a needle (the key or name sought), the record around it runs from the previous
 * anchor to the next one; only that slice is parsed. Any surprise (no anchor, a slice that does not
 * parse on its own, a nested object opening with eventVersion, a file that does not end in `]}`) falls
 * back to parsing the whole file, so the result never depends on the shortcut.
 *
 * JSON lines (one record per line) are cut at newlines the same way; anything else (saved
 * `lookup-events` output, arrays, pretty-printed files) is parsed whole. Pure.
 */
import { isCloudTrailRecord, recordsOfDocument, type CloudTrailRecord, type DocumentKind } from './record.js';

export const MAX_RECORD_BYTES = 1024 * 1024;

const ANCHOR = Buffer.from('{"eventVersion":');
const HEAD = Buffer.from('{"Records":[');
const NL = 0x0a;

export type FileFormat = DocumentKind | 'json-lines';

export interface Extracted {
  format: FileFormat;
  /** Records that contain a needle (all records when no needles are given). */
  records: CloudTrailRecord[];
  /** Records (or lines) dropped: not records, over the size cap, or unparsable lines. */
  invalid: number;
}

export class NotCloudTrailError extends Error {}

const isSpace = (b: number | undefined): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

function trimEnd(buf: Buffer, end: number, start: number): number {
  while (end > start && isSpace(buf[end - 1])) end--;
  return end;
}

function firstNonSpace(buf: Buffer): number {
  let i = 0;
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) i = 3;
  while (i < buf.length && isSpace(buf[i])) i++;
  return i;
}

function parseWhole(buf: Buffer): Extracted {
  let doc: unknown;
  try {
    doc = JSON.parse(buf.toString('utf8'));
  } catch (err) {
    throw new NotCloudTrailError(`not JSON (${err instanceof Error ? err.message.replace(/\s+/g, ' ').slice(0, 80) : 'parse error'})`);
  }
  const r = recordsOfDocument(doc);
  if (!r) throw new NotCloudTrailError('JSON, but not CloudTrail records (no Records, Events or record fields)');
  return { format: r.kind, records: r.records, invalid: r.invalid };
}

function containsAny(buf: Buffer, needles: readonly Buffer[], start: number, end: number): boolean {
  for (const n of needles) {
    const p = buf.indexOf(n, start);
    if (p >= 0 && p + n.length <= end) return true;
  }
  return false;
}

/** The fast path over a compact trail log file; undefined when a shortcut assumption fails. */
function extractTrailLog(buf: Buffer, start: number, needles: readonly Buffer[]): Extracted | undefined {
  let end = trimEnd(buf, buf.length, start);
  if (buf[end - 1] !== 0x7d) return undefined; // }
  end = trimEnd(buf, end - 1, start);
  if (buf[end - 1] !== 0x5d) return undefined; // ]
  const arrayEnd = end - 1;
  const records: CloudTrailRecord[] = [];
  let invalid = 0;
  const seen = new Set<number>();
  for (const needle of needles) {
    let pos = buf.indexOf(needle, start);
    while (pos >= 0 && pos < arrayEnd) {
      const s = buf.lastIndexOf(ANCHOR, pos);
      if (s < start) return undefined;
      const next = buf.indexOf(ANCHOR, pos);
      let e = next < 0 || next > arrayEnd ? arrayEnd : next;
      e = trimEnd(buf, e, s);
      if (next >= 0 && next < arrayEnd) {
        if (buf[e - 1] !== 0x2c) return undefined; // ,
        e = trimEnd(buf, e - 1, s);
      }
      if (!seen.has(s)) {
        seen.add(s);
        if (e - s > MAX_RECORD_BYTES) invalid++;
        else {
          let rec: unknown;
          try {
            rec = JSON.parse(buf.toString('utf8', s, e));
          } catch {
            return undefined;
          }
          if (isCloudTrailRecord(rec)) records.push(rec);
          else invalid++;
        }
      }
      pos = next < 0 ? -1 : buf.indexOf(needle, next);
    }
  }
  return { format: 'trail-log', records, invalid };
}

function extractJsonLines(buf: Buffer, start: number, needles: readonly Buffer[] | undefined): Extracted {
  const records: CloudTrailRecord[] = [];
  let invalid = 0;
  let lineStart = start;
  while (lineStart < buf.length) {
    let lineEnd = buf.indexOf(NL, lineStart);
    if (lineEnd < 0) lineEnd = buf.length;
    if (lineEnd > lineStart && (!needles || containsAny(buf, needles, lineStart, lineEnd))) {
      const e = trimEnd(buf, lineEnd, lineStart);
      if (e > lineStart) {
        if (e - lineStart > MAX_RECORD_BYTES) invalid++;
        else {
          try {
            const rec: unknown = JSON.parse(buf.toString('utf8', lineStart, e));
            if (isCloudTrailRecord(rec)) records.push(rec);
            else invalid++;
          } catch {
            invalid++;
          }
        }
      }
    }
    lineStart = lineEnd + 1;
  }
  return { format: 'json-lines', records, invalid };
}

/**
 * The candidate records of a decompressed file: those whose text holds one of `needles` (every record
 * when `needles` is undefined). Throws NotCloudTrailError for anything that is not CloudTrail.
 */
export function extractRecords(buf: Buffer, needles?: readonly string[]): Extracted {
  const start = firstNonSpace(buf);
  if (start >= buf.length) throw new NotCloudTrailError('empty');
  const needleBufs = needles?.map((n) => Buffer.from(n, 'utf8'));
  if (needleBufs && buf.compare(HEAD, 0, HEAD.length, start, start + HEAD.length) === 0) {
    const fast = extractTrailLog(buf, start, needleBufs);
    if (fast) return fast;
  }
  if (buf[start] === 0x7b) {
    const nl = buf.indexOf(NL, start);
    if (nl > 0 && trimEnd(buf, nl, start) > start) {
      let first: unknown;
      try {
        first = JSON.parse(buf.toString('utf8', start, trimEnd(buf, nl, start)));
      } catch {
        first = undefined;
      }
      if (isCloudTrailRecord(first)) return extractJsonLines(buf, start, needleBufs);
    }
  }
  const whole = parseWhole(buf);
  if (!needleBufs) return whole;
  // The shortcut's rule applied to whole documents too: keep what can match, so callers see one behaviour.
  return { ...whole, records: whole.records.filter((r) => needles?.some((n) => JSON.stringify(r).includes(n))) };
}
