/**
 * S3 (REST-XML, 2006-03-01), path-style (`/bucket/key`), read-only, over the organisation trail bucket
 * (src/sandbox/logs/bucket.ts): ListObjectsV2, GetObject, HeadObject. Shapes, members and errors follow
 * the botocore s3 model (ListBucketResult with flattened Contents and CommonPrefixes, EncodingType=url,
 * ContinuationToken/NextContinuationToken; errors as `<Error><Code/><Message/>…<RequestId/></Error>`).
 *
 * Only the primary account (the organisation's log archive) may read the bucket; other buckets do not
 * exist. Objects are encrypted with SSE-KMS, so S3 decrypts as the caller: `deny: ['KMS:Decrypt']` makes
 * GetObject fail as AWS does when the caller lacks kms:Decrypt.
 */
import type { HandlerContext } from '../../context.js';
import { SANDBOX_TRAIL_BUCKET, trailKmsKeyArn, trailObject, trailObjects, type BucketObject } from '../../logs/bucket.js';
import type { Operation, ParsedCall, RawRequest } from '../../service.js';
import { defineService } from '../../service.js';
import type { Reply } from '../../types.js';
import { ServiceError, xmlEscape } from '../../wire.js';

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** A reply a handler builds itself (S3 bodies are bytes, headers carry the metadata). */
interface S3Output {
  reply: Reply;
}

function parse(raw: RawRequest): ParsedCall {
  const path = raw.url.pathname;
  const slash = path.indexOf('/', 1);
  const bucket = decodeURIComponent(slash < 0 ? path.slice(1) : path.slice(1, slash));
  let key: string;
  try {
    key = slash < 0 ? '' : decodeURIComponent(path.slice(slash + 1));
  } catch {
    throw new ServiceError('InvalidURI', 'Couldn\'t parse the specified URI.', 400);
  }
  if (!bucket) throw new ServiceError('NotImplemented', 'The sandbox does not implement ListBuckets.', 501);
  const query = Object.fromEntries(raw.url.searchParams);
  const range = typeof raw.headers.range === 'string' ? raw.headers.range : undefined;
  const ifMatch = typeof raw.headers['if-match'] === 'string' ? raw.headers['if-match'] : undefined;
  const params = { bucket, key };
  if (key === '') {
    if (raw.method === 'GET' && query['list-type'] === '2') return { operation: 'ListObjectsV2', input: { Bucket: bucket, ...query }, params };
    if (raw.method === 'GET' && Object.keys(query).length === 0) return { operation: 'ListObjects', input: { Bucket: bucket }, params };
    if (raw.method === 'HEAD') return { operation: 'HeadBucket', input: { Bucket: bucket }, params };
    return { operation: `${raw.method} bucket`, input: { Bucket: bucket, ...query }, params };
  }
  const input = { Bucket: bucket, Key: key, ...(range ? { Range: range } : {}), ...(ifMatch ? { IfMatch: ifMatch } : {}) };
  if (raw.method === 'GET' && !Object.keys(query).some((q) => q !== 'x-id')) return { operation: 'GetObject', input, params };
  if (raw.method === 'HEAD') return { operation: 'HeadObject', input, params };
  return { operation: `${raw.method} object`, input, params };
}

/** Only the trail bucket exists, and only its own account may read it. */
function checkBucket(ctx: HandlerContext, call: ParsedCall, action: string): void {
  const bucket = call.params?.bucket ?? '';
  if (bucket !== SANDBOX_TRAIL_BUCKET) throw new ServiceError('NoSuchBucket', 'The specified bucket does not exist', 404);
  if (ctx.account.accountId !== ctx.world.accountId) {
    throw new ServiceError('AccessDenied', `User: ${ctx.caller.arn} is not authorized to perform: ${action} on resource: "arn:aws:s3:::${bucket}" because no resource-based policy allows the ${action} action`, 403);
  }
}

/** The bucket's delivered objects, for a caller allowed to read them. */
function bucketObjects(ctx: HandlerContext, call: ParsedCall): BucketObject[] {
  checkBucket(ctx, call, 's3:ListBucket');
  return trailObjects(ctx.world, ctx.now.getTime());
}

const enc = (s: string, url: boolean): string => xmlEscape(url ? encodeURIComponent(s).replace(/%2F/g, '/') : s);

function listObjectsV2(ctx: HandlerContext, call: ParsedCall): S3Output {
  const objects = bucketObjects(ctx, call);
  const q = call.input as Record<string, string | undefined>;
  const prefix = q.prefix ?? '';
  const delimiter = q.delimiter || undefined;
  const url = q['encoding-type'] === 'url';
  if (q['encoding-type'] !== undefined && !url) throw new ServiceError('InvalidArgument', 'Invalid Encoding Method specified in Request', 400);
  const maxKeys = q['max-keys'] === undefined ? 1000 : Number(q['max-keys']);
  if (!Number.isInteger(maxKeys) || maxKeys < 0) throw new ServiceError('InvalidArgument', 'Provided max-keys not an integer or within integer range', 400);
  let after = q['start-after'] ?? '';
  const token = q['continuation-token'];
  if (token !== undefined) {
    const decoded = Buffer.from(token, 'base64').toString('utf8');
    if (!decoded.startsWith('v1:')) throw new ServiceError('InvalidArgument', 'The continuation token provided is incorrect', 400);
    after = decoded.slice(3);
  }
  const contents: BucketObject[] = [];
  const prefixes: string[] = [];
  let last = '';
  let truncated = false;
  for (const o of objects) {
    if (!o.key.startsWith(prefix) || o.key <= after) continue;
    let entry: string | BucketObject = o;
    if (delimiter) {
      const at = o.key.indexOf(delimiter, prefix.length);
      if (at >= 0) {
        const common = o.key.slice(0, at + delimiter.length);
        if (common <= after || prefixes[prefixes.length - 1] === common) continue;
        entry = common;
      }
    }
    if (contents.length + prefixes.length >= Math.min(maxKeys, 1000)) {
      truncated = true;
      break;
    }
    if (typeof entry === 'string') {
      prefixes.push(entry);
      // Skip past every key under this common prefix.
      last = `${entry}\uffff`;
    } else {
      contents.push(entry);
      last = entry.key;
    }
  }
  const parts = [
    `<ListBucketResult xmlns="${NS}">`,
    `<Name>${xmlEscape(SANDBOX_TRAIL_BUCKET)}</Name>`,
    `<Prefix>${enc(prefix, url)}</Prefix>`,
    ...(delimiter ? [`<Delimiter>${enc(delimiter, url)}</Delimiter>`] : []),
    `<MaxKeys>${maxKeys}</MaxKeys>`,
    `<KeyCount>${contents.length + prefixes.length}</KeyCount>`,
    `<IsTruncated>${truncated}</IsTruncated>`,
    ...(url ? ['<EncodingType>url</EncodingType>'] : []),
    ...(token !== undefined ? [`<ContinuationToken>${xmlEscape(token)}</ContinuationToken>`] : []),
    ...(truncated ? [`<NextContinuationToken>${Buffer.from(`v1:${last}`, 'utf8').toString('base64')}</NextContinuationToken>`] : []),
    ...(q['start-after'] !== undefined ? [`<StartAfter>${enc(q['start-after'], url)}</StartAfter>`] : []),
    ...contents.map(
      (o) =>
        `<Contents><Key>${enc(o.key, url)}</Key><LastModified>${new Date(o.lastModifiedMs).toISOString()}</LastModified><ETag>${xmlEscape(o.etag)}</ETag><Size>${o.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
    ),
    ...prefixes.map((p) => `<CommonPrefixes><Prefix>${enc(p, url)}</Prefix></CommonPrefixes>`),
    '</ListBucketResult>',
  ];
  return { reply: { status: 200, contentType: 'application/xml', body: XML_HEAD + parts.join('') } };
}

/** Headers of an object: CloudTrail writes its logs as gzip JSON (Content-Encoding gzip, Content-Type application/json), SSE-KMS here. */
function objectHeaders(ctx: HandlerContext, o: BucketObject): Record<string, string> {
  return {
    'Last-Modified': new Date(o.lastModifiedMs).toUTCString(),
    ETag: o.etag,
    'Accept-Ranges': 'bytes',
    'Content-Encoding': 'gzip',
    'x-amz-server-side-encryption': 'aws:kms',
    'x-amz-server-side-encryption-aws-kms-key-id': trailKmsKeyArn(ctx.world),
  };
}

function findObject(ctx: HandlerContext, call: ParsedCall, head: boolean): BucketObject {
  checkBucket(ctx, call, 's3:GetObject');
  const o = trailObject(ctx.world, call.params?.key ?? '', ctx.now.getTime());
  // HEAD replies carry no body: the SDKs name a 404 NotFound.
  if (!o) throw head ? new ServiceError('NotFound', 'Not Found', 404) : new ServiceError('NoSuchKey', 'The specified key does not exist.', 404);
  const ifMatch = (call.input as { IfMatch?: string }).IfMatch;
  if (ifMatch !== undefined && ifMatch !== '*' && ifMatch.replace(/"/g, '') !== o.etag.replace(/"/g, '')) {
    throw new ServiceError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412);
  }
  if (!head && ctx.denies?.('KMS', 'Decrypt')) {
    throw new ServiceError('AccessDenied', `User: ${ctx.caller.arn} is not authorized to perform: kms:Decrypt on resource: ${trailKmsKeyArn(ctx.world)} because no identity-based policy allows the kms:Decrypt action`, 403);
  }
  return o;
}

function getObject(ctx: HandlerContext, call: ParsedCall): S3Output {
  const o = findObject(ctx, call, false);
  const headers = objectHeaders(ctx, o);
  const range = (call.input as { Range?: string }).Range;
  const m = range ? /^bytes=(\d*)-(\d*)$/.exec(range) : null;
  if (m && (m[1] !== '' || m[2] !== '')) {
    const size = o.size;
    const start = m[1] === '' ? Math.max(0, size - Number(m[2])) : Number(m[1]);
    const end = m[1] === '' || m[2] === '' ? size - 1 : Math.min(size - 1, Number(m[2]));
    if (start >= size || start > end) throw new ServiceError('InvalidRange', 'The requested range is not satisfiable', 416);
    return { reply: { status: 206, contentType: 'application/json', body: o.body.subarray(start, end + 1), headers: { ...headers, 'Content-Range': `bytes ${start}-${end}/${size}` } } };
  }
  return { reply: { status: 200, contentType: 'application/json', body: o.body, headers } };
}

function headObject(ctx: HandlerContext, call: ParsedCall): S3Output {
  const o = findObject(ctx, call, true);
  return { reply: { status: 200, contentType: 'application/json', body: o.body, headers: objectHeaders(ctx, o) } };
}

const OPERATIONS: Record<string, Operation<undefined>> = {
  ListObjectsV2: { readOnly: true, dataEvent: true, handle: (ctx, call) => listObjectsV2(ctx, call) },
  GetObject: { readOnly: true, dataEvent: true, handle: (ctx, call) => getObject(ctx, call) },
  HeadObject: { readOnly: true, dataEvent: true, handle: (ctx, call) => headObject(ctx, call) },
};

function xmlError(code: string, message: string, status: number, requestId: string): Reply {
  const body = `${XML_HEAD}<Error><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message><RequestId>${requestId}</RequestId><HostId>${Buffer.from(requestId).toString('base64')}</HostId></Error>`;
  return { status, contentType: 'application/xml', body };
}

export const S3 = defineService<undefined>({
  name: 's3',
  label: 'S3',
  signingName: 's3',
  actionPrefix: 's3',
  eventSource: 's3.amazonaws.com',
  global: false,
  rejectsDisabledRegions: false,
  parse,
  operations: OPERATIONS,
  unknownOperation: (op) => new ServiceError('NotImplemented', `The sandbox does not implement S3 ${op}.`, 501),
  createState: () => undefined,
  serialize: (_op, output) => (output as S3Output).reply,
  error: xmlError,
  errors: {
    missingAuth: { code: 'AccessDenied', message: 'Access Denied' },
    invalidToken: 'InvalidAccessKeyId',
    expiredToken: 'ExpiredToken',
    accessDenied: { code: 'AccessDenied', status: 403 },
    throttle: { code: 'SlowDown', status: 503 },
    internal: 'InternalError',
    tooLarge: 'EntityTooLarge',
  },
  requestParameters: (call) => ({ bucketName: call.params?.bucket ?? null, ...(call.params?.key ? { key: call.params.key } : {}) }),
  responseHeaders: (requestId) => ({ 'x-amz-request-id': requestId, 'x-amz-id-2': Buffer.from(requestId).toString('base64') }),
});
