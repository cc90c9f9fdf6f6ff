/**
 * CloudTrail (awsJson1_1, 2013-11-01): LookupEvents over the caller's account's event history, and its trails
 * (src/sandbox/services/cloudtrail/trails.ts).
 */
import { awsJsonError, jsonReply, lowerCamelDeep, parseJsonObject } from '../../protocols.js';
import type { Operation, ParsedCall, RawRequest, TrailFields } from '../../service.js';
import { defineService } from '../../service.js';
import { ServiceError } from '../../wire.js';
import { CloudTrailCache } from './cache.js';
import { lookupEvents } from './lookup.js';
import { TRAIL_OPERATIONS } from './trails.js';

/** botocore's targetPrefix (sent by the AWS CLI) and the Smithy shape name (sent by the JS SDK v3). */
export const CLOUDTRAIL_TARGET_PREFIXES = ['com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101', 'CloudTrail_20131101'] as const;

function parse(raw: RawRequest): ParsedCall {
  const target = typeof raw.headers['x-amz-target'] === 'string' ? raw.headers['x-amz-target'] : '';
  const operation = target ? (target.split('.').pop() ?? '') : '';
  if (raw.method !== 'POST' || !operation) throw new ServiceError('UnknownOperationException', 'CloudTrail requests are POST / with an X-Amz-Target header.', 400);
  const invalid = (): ServiceError => new ServiceError('SerializationException', 'The request body is not valid JSON.', 400);
  const notObject = (): ServiceError => new ServiceError('SerializationException', 'The request body must be a JSON object.', 400);
  return { operation, input: parseJsonObject(raw.body, invalid, notObject) };
}

const OPERATIONS: Record<string, Operation<CloudTrailCache>> = {
  LookupEvents: { readOnly: true, rateLimited: true, handle: (ctx, call, cache) => lookupEvents(ctx, cache, call.input) },
  ...TRAIL_OPERATIONS,
};

export const CLOUDTRAIL = defineService<CloudTrailCache>({
  name: 'cloudtrail',
  label: 'CloudTrail',
  signingName: 'cloudtrail',
  actionPrefix: 'cloudtrail',
  eventSource: 'cloudtrail.amazonaws.com',
  global: false,
  rejectsDisabledRegions: true,
  targetPrefixes: CLOUDTRAIL_TARGET_PREFIXES,
  parse,
  operations: OPERATIONS,
  unknownOperation: (op) => new ServiceError('UnknownOperationException', `The sandbox does not implement CloudTrail ${op}.`, 400),
  createState: () => new CloudTrailCache(),
  serialize: (_op, output) => jsonReply(output, 'application/x-amz-json-1.1'),
  error: (code, message, status) => awsJsonError(code, message, status),
  errors: {
    missingAuth: { code: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' },
    invalidToken: 'UnrecognizedClientException',
    expiredToken: 'ExpiredTokenException',
    // CloudTrail's error shapes carry no httpStatusCode, so AccessDenied and throttles are awsJson's default 400.
    accessDenied: { code: 'AccessDeniedException', status: 400 },
    throttle: { code: 'ThrottlingException', status: 400 },
    internal: 'InternalFailure',
    tooLarge: 'RequestEntityTooLargeException',
  },
  // A trail operation names the trail's ARN (LookupEvents and DescribeTrails act on no one resource).
  deniedResource: ({ account, region }, call) => {
    const name = call.input.Name;
    if (typeof name !== 'string' || name === '') return '*';
    return name.startsWith('arn:') ? name : `arn:aws:cloudtrail:${region}:${account.accountId}:trail/${name}`;
  },
  requestParameters: (call): TrailFields => {
    const params = lowerCamelDeep(call.input) as Record<string, unknown>;
    return Object.keys(params).length > 0 ? params : null;
  },
});
