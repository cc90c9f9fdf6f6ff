/**
 * Wire helpers shared by the sandbox services: SigV4 scope parsing, form decoding, XML building,
 * Python-style URL quoting, opaque paging tokens and the service error type.
 */
import { createHash } from 'node:crypto';

export type ServiceName = 'guardduty' | 'cloudtrail' | 'iam' | 'sts' | 's3' | 'athena';

/** An error a service handler throws; the server renders it in the service's wire shape. */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export interface SigV4Scope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

/** Parses `Credential=AKID/yyyymmdd/region/service/aws4_request` from an Authorization header or presigned query. */
export function parseCredentialScope(authorization: string | undefined, query: URLSearchParams): SigV4Scope | undefined {
  let credential: string | undefined;
  if (authorization) {
    const m = /Credential=([^,\s]+)/.exec(authorization);
    if (m) credential = m[1];
  }
  if (!credential) credential = query.get('X-Amz-Credential') ?? undefined;
  if (!credential) return undefined;
  const parts = credential.split('/');
  if (parts.length < 5) return undefined;
  const [accessKeyId, date, region, service] = parts as [string, string, string, string];
  if (!accessKeyId) return undefined;
  return { accessKeyId, date, region, service };
}

/** Decodes an application/x-www-form-urlencoded body into a flat map (awsQuery keys like `Tags.member.1.Key`). */
export function parseForm(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(text)) out[k] = v;
  return out;
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' };

export function xmlEscape(s: string): string {
  return s.replace(/[&<>"'\r]/g, (c) => XML_ESCAPES[c] ?? c);
}

/** A value the tiny XML serializer understands: arrays become `<member>` lists. */
export type XmlValue = string | number | boolean | undefined | null | XmlValue[] | { [k: string]: XmlValue };

/** Serializes `value` as the element `name` (awsQuery style: lists wrap `<member>` items; undefined is omitted). */
export function toXml(name: string, value: XmlValue): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) {
    if (value.length === 0) return `<${name}/>`;
    return `<${name}>${value.map((v) => toXml('member', v)).join('')}</${name}>`;
  }
  if (typeof value === 'object') {
    const inner = Object.entries(value)
      .map(([k, v]) => toXml(k, v))
      .join('');
    return inner ? `<${name}>${inner}</${name}>` : `<${name}/>`;
  }
  return `<${name}>${xmlEscape(String(value))}</${name}>`;
}

/** URL-encodes like Python's `urllib.parse.quote(s)` (safe='/'), which is what IAM emulators (moto) emit. */
export function pyQuote(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%2F/g, '/');
}

/** IAM/XML timestamps: ISO 8601 UTC without milliseconds when they are zero. */
export function isoSeconds(value: string | Date): string {
  const d = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) return String(value);
  return d.toISOString().replace('.000Z', 'Z');
}

export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 16);
}

/** An opaque paging token: offset into a result list, bound to a hash of the request that produced it. */
export interface PageToken {
  /** hash of the request parameters (criteria/sort/filters) the token belongs to */
  h: string;
  /** offset of the next item */
  o: number;
  /** snapshot id of the cached result list (optional) */
  s?: string;
}

export function encodeToken(t: PageToken): string {
  return Buffer.from(JSON.stringify(t), 'utf8').toString('base64');
}

export function decodeToken(token: string): PageToken | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const rec = parsed as Record<string, unknown>;
    if (typeof rec.h !== 'string' || typeof rec.o !== 'number' || !Number.isInteger(rec.o) || rec.o < 0) return undefined;
    const out: PageToken = { h: rec.h, o: rec.o };
    if (typeof rec.s === 'string') out.s = rec.s;
    return out;
  } catch {
    return undefined;
  }
}

/** Stable JSON (sorted object keys) so equal requests produce equal cache keys. */
export function stableStringify(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const rec = value as Record<string, unknown>;
  return `{${Object.keys(rec)
    .sort()
    .filter((k) => rec[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${stableStringify(rec[k])}`)
    .join(',')}}`;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A small bounded map (insertion-ordered, evicts the oldest). */
export class BoundedCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly limit: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, v: V): void {
    this.map.delete(key);
    this.map.set(key, v);
    while (this.map.size > this.limit) {
      const oldest = this.map.keys().next().value;
      if (oldest === undefined) break;
      this.map.delete(oldest);
    }
  }
  clear(): void {
    this.map.clear();
  }
}
