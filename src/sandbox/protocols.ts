/**
 * The AWS wire protocols the sandbox speaks, shared by the services: replies and errors in each dialect, request
 * body parsing, and each protocol's default CloudTrail `requestParameters` (the operation input with the member
 * names in CloudTrail's lowerCamel form: `UserName` → `userName`, `AccessKeyId` → `accessKeyId`).
 */
import type { ParsedCall, RawRequest } from './service.js';
import type { Reply } from './types.js';
import type { XmlValue } from './wire.js';
import { ServiceError, isRecord, parseForm, toXml, xmlEscape } from './wire.js';

// ---------------------------------------------------------------------------------------------------------------
// restJson1 (GuardDuty) and awsJson1_1 (CloudTrail)

export function jsonReply(body: unknown, contentType = 'application/json'): Reply {
  return { status: 200, contentType, body: JSON.stringify(body) };
}

/** restJson1 error: status, `x-amzn-ErrorType` header and `__type` + `message` in the body. */
export function restJsonError(code: string, message: string, status: number): Reply {
  return {
    status,
    contentType: 'application/json',
    headers: { 'x-amzn-ErrorType': code },
    body: JSON.stringify({ __type: code, message }),
  };
}

/** awsJson1_1 error: botocore reads only the body `__type`; the header is for the JS SDK too. */
export function awsJsonError(code: string, message: string, status: number): Reply {
  return {
    status,
    contentType: 'application/x-amz-json-1.1',
    headers: { 'x-amzn-ErrorType': code },
    body: JSON.stringify({ __type: code, Message: message, message }),
  };
}

/** Parses a JSON object body ('' is `{}`); anything else throws `error`. */
export function parseJsonObject(body: string, invalid: () => ServiceError, notObject: () => ServiceError = invalid): Record<string, unknown> {
  if (body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw invalid();
  }
  if (!isRecord(parsed)) throw notObject();
  return parsed;
}

// ---------------------------------------------------------------------------------------------------------------
// awsQuery (IAM, STS): form in, XML out

/** The request's form: query string and body parameters (the body wins). */
export function queryForm(raw: RawRequest): Record<string, string> {
  return { ...parseForm(raw.url.search.slice(1)), ...parseForm(raw.body) };
}

/** Whether an unsigned request looks like awsQuery (a form, or a GET with `Action`). */
export function looksLikeQuery(raw: RawRequest): boolean {
  const contentType = String(raw.headers['content-type'] ?? '');
  return contentType.includes('x-www-form-urlencoded') || (raw.method === 'GET' && raw.url.searchParams.has('Action')) || raw.body.includes('Action=');
}

/** awsQuery request → operation (`Action`) and input (every other parameter but `Version`). */
export function parseQuery(raw: RawRequest): ParsedCall {
  const form = queryForm(raw);
  const operation = form.Action ?? '';
  if (!operation) throw new ServiceError('MissingAction', 'Missing Action', 400);
  const input: Record<string, string> = { ...form };
  delete input.Action;
  delete input.Version;
  return { operation, input };
}

/** The `<OperationResponse>` envelope; `result` undefined omits the `<OperationResult>` element. */
export function queryReply(ns: string, operation: string, requestId: string, result: Record<string, XmlValue> | undefined): Reply {
  const inner = result === undefined ? '' : toXml(`${operation}Result`, result) || `<${operation}Result/>`;
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<${operation}Response xmlns="${ns}">${inner}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`;
  return { status: 200, contentType: 'text/xml', body };
}

/** awsQuery error envelope. */
export function queryError(ns: string, code: string, message: string, status: number, requestId: string): Reply {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${ns}"><Error><Type>${type}</Type><Code>${xmlEscape(code)}</Code>` +
    `<Message>${xmlEscape(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { status, contentType: 'text/xml', body };
}

// ---------------------------------------------------------------------------------------------------------------
// CloudTrail requestParameters

/** CloudTrail's member naming: the model's member name with its first letter in lower case. */
export function lowerFirst(name: string): string {
  return name.length === 0 ? name : name.charAt(0).toLowerCase() + name.slice(1);
}

/** awsJson input (PascalCase members, nested structures) → lowerCamel members at every level. */
export function lowerCamelDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lowerCamelDeep);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[lowerFirst(k)] = lowerCamelDeep(v);
  return out;
}

type Tree = { [segment: string]: Tree | string };

function finalize(node: Tree | string): unknown {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  // `Name.member.N…`: a list, in index order.
  if (keys.length === 1 && keys[0] === 'member' && typeof node.member === 'object') {
    const items = node.member;
    return Object.keys(items)
      .filter((k) => /^\d+$/.test(k))
      .sort((a, b) => Number(a) - Number(b))
      .map((k) => finalize(items[k] as Tree | string));
  }
  // `Name.entry.N.key` / `.value`: a map.
  if (keys.length === 1 && keys[0] === 'entry' && typeof node.entry === 'object') {
    const out: Record<string, unknown> = {};
    for (const e of Object.values(node.entry)) {
      if (typeof e === 'object' && typeof e.key === 'string') out[e.key] = finalize(e.value ?? '');
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) out[lowerFirst(k)] = finalize(node[k] as Tree | string);
  return out;
}

/**
 * awsQuery form (flat `Tags.member.1.Key=…`) → CloudTrail requestParameters (`{tags: [{key: …}]}`).
 * Values stay strings: awsQuery carries no types, so an operation with numeric or boolean members declares its own
 * `requestParameters` (CloudTrail records e.g. `durationSeconds: 3600` as a number).
 */
export function queryParameters(form: Record<string, unknown>): Record<string, unknown> | null {
  const root: Tree = {};
  for (const [key, value] of Object.entries(form)) {
    if (typeof value !== 'string') continue;
    const segs = key.split('.');
    let node: Tree = root;
    let ok = true;
    for (const seg of segs.slice(0, -1)) {
      const next = node[seg];
      if (next === undefined) node = node[seg] = {};
      else if (typeof next === 'object') node = next;
      else {
        ok = false;
        break;
      }
    }
    const leaf = segs[segs.length - 1] as string;
    if (ok && node[leaf] === undefined) node[leaf] = value;
  }
  const out = finalize(root) as Record<string, unknown>;
  return Object.keys(out).length > 0 ? out : null;
}

/** The error codes awsQuery services (IAM, STS) answer with for the server's own refusals. */
export const QUERY_PROTOCOL_ERRORS = {
  missingAuth: { code: 'MissingAuthenticationToken', message: 'Request is missing Authentication Token' },
  invalidToken: 'InvalidClientTokenId',
  expiredToken: 'ExpiredToken',
  accessDenied: { code: 'AccessDenied', status: 403 },
  throttle: { code: 'Throttling', status: 400 },
  internal: 'InternalFailure',
  tooLarge: 'RequestEntityTooLarge',
} as const;
