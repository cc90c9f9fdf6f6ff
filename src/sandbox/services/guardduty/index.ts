/**
 * GuardDuty (restJson1, 2017-11-28): the detector and findings of the caller's account in the request's region.
 */
import type { HandlerContext } from '../../context.js';
import { jsonReply, parseJsonObject, restJsonError } from '../../protocols.js';
import type { Operation, ParsedCall, RawRequest } from '../../service.js';
import { defineService } from '../../service.js';
import { ServiceError } from '../../wire.js';
import { GuardDutyCache } from './cache.js';
import { bad } from './criteria.js';
import { NOT_OWNED, epochSeconds, feedback, getFindings, intParam, listFindings, regionDetector, setArchived, statistics } from './findings.js';

/** Maps method + path to an operation, or undefined when no GuardDuty operation lives there. */
export function routeGuardDuty(method: string, path: string): { operation: string; detectorId?: string } | undefined {
  const segs = path
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
  if (segs[0] !== 'detector') return undefined;
  if (segs.length === 1) return method === 'GET' ? { operation: 'ListDetectors' } : undefined;
  const detectorId = segs[1];
  if (segs.length === 2) return method === 'GET' ? { operation: 'GetDetector', detectorId } : undefined;
  if (segs[2] !== 'findings' || method !== 'POST') return undefined;
  if (segs.length === 3) return { operation: 'ListFindings', detectorId };
  if (segs.length !== 4) return undefined;
  const sub: Record<string, string> = {
    get: 'GetFindings',
    statistics: 'GetFindingsStatistics',
    archive: 'ArchiveFindings',
    unarchive: 'UnarchiveFindings',
    feedback: 'UpdateFindingsFeedback',
  };
  const op = sub[segs[3] ?? ''];
  return op ? { operation: op, detectorId } : undefined;
}

function parse(raw: RawRequest): ParsedCall {
  const route = routeGuardDuty(raw.method, raw.url.pathname);
  if (!route) throw new ServiceError('UnknownOperationException', `No GuardDuty operation at ${raw.method} ${raw.url.pathname}.`, 404);
  let input: Record<string, unknown> = {};
  if (raw.method === 'GET') {
    for (const [k, v] of raw.url.searchParams) input[k] = v;
  } else {
    input = parseJsonObject(
      raw.body,
      () => bad('The request is rejected because the request body is not valid JSON.'),
      () => bad('The request is rejected because the request body must be a JSON object.'),
    );
  }
  return route.detectorId === undefined ? { operation: route.operation, input } : { operation: route.operation, input, params: { detectorId: route.detectorId } };
}

type GdOperation = Operation<GuardDutyCache>;

/** An operation on the detector named in the path. */
function onDetector(readOnly: boolean, fn: (ctx: HandlerContext, cache: GuardDutyCache, data: ReturnType<typeof regionDetector>, input: Record<string, unknown>) => unknown): GdOperation {
  return { readOnly, handle: (ctx, call, cache) => fn(ctx, cache, regionDetector(ctx, call.params?.detectorId), call.input) };
}

const FEATURES = ['CLOUD_TRAIL', 'DNS_LOGS', 'FLOW_LOGS', 'S3_DATA_EVENTS'];

/**
 * GuardDuty's 400s name the modelled error in the `x-amzn-ErrorType` header (`BadRequestException`, the only 400
 * shape in botocore's guardduty 2017-11-28 model for these operations) and an internal type in the body:
 * `{"message": "The request is rejected because …", "__type": "InvalidInputException"}` (a real response logged in
 * boto/boto3#3890). botocore and the JS SDK read the header first, so both raise BadRequestException.
 */
const BODY_TYPES: Readonly<Record<string, string>> = { BadRequestException: 'InvalidInputException' };

function guardDutyError(code: string, message: string, status: number): ReturnType<typeof restJsonError> {
  const reply = restJsonError(code, message, status);
  const bodyType = BODY_TYPES[code];
  return bodyType ? { ...reply, body: JSON.stringify({ message, __type: bodyType }) } : reply;
}

const OPERATIONS: Record<string, GdOperation> = {
  ListDetectors: {
    readOnly: true,
    handle(ctx, call) {
      intParam(call.input, 'maxResults', 1, 50, 50);
      const d = ctx.account.regions[ctx.region]?.detector;
      return { detectorIds: d ? [d.detectorId] : [] };
    },
  },
  GetDetector: {
    readOnly: true,
    handle(ctx, call) {
      const d = regionDetector(ctx, call.params?.detectorId).detector;
      if (!d) throw bad(NOT_OWNED);
      return {
        createdAt: d.createdAt,
        updatedAt: d.updatedAt,
        status: d.status,
        findingPublishingFrequency: d.findingPublishingFrequency,
        serviceRole: `arn:aws:iam::${ctx.account.accountId}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`,
        features: FEATURES.map((name) => ({ name, status: 'ENABLED', updatedAt: epochSeconds(d.updatedAt) })),
        tags: d.tags,
      };
    },
  },
  ListFindings: onDetector(true, listFindings),
  GetFindings: onDetector(true, getFindings),
  GetFindingsStatistics: onDetector(true, statistics),
  ArchiveFindings: onDetector(false, (ctx, cache, data, input) => setArchived(ctx, cache, data, input, true)),
  UnarchiveFindings: onDetector(false, (ctx, cache, data, input) => setArchived(ctx, cache, data, input, false)),
  UpdateFindingsFeedback: onDetector(false, feedback),
};

export const GUARDDUTY = defineService<GuardDutyCache>({
  name: 'guardduty',
  label: 'GuardDuty',
  signingName: 'guardduty',
  actionPrefix: 'guardduty',
  eventSource: 'guardduty.amazonaws.com',
  global: false,
  rejectsDisabledRegions: true,
  claimsUnsigned: (raw) => raw.url.pathname.startsWith('/detector'),
  parse,
  operations: OPERATIONS,
  unknownOperation: (op) => new ServiceError('UnknownOperationException', `The sandbox does not implement GuardDuty ${op}.`, 404),
  createState: () => new GuardDutyCache(),
  serialize: (_op, output) => jsonReply(output),
  error: (code, message, status) => guardDutyError(code, message, status),
  errors: {
    missingAuth: { code: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' },
    invalidToken: 'UnrecognizedClientException',
    expiredToken: 'ExpiredTokenException',
    accessDenied: { code: 'AccessDeniedException', status: 403 },
    throttle: { code: 'TooManyRequestsException', status: 429 },
    internal: 'InternalServerErrorException',
    tooLarge: 'RequestEntityTooLargeException',
  },
  // restJson1 members are already lowerCamel; path parameters (detectorId) come first, as CloudTrail shows them.
  requestParameters: (call) => {
    const all = { ...call.params, ...call.input };
    return Object.keys(all).length > 0 ? all : null;
  },
  deniedResource: ({ account, region }, call) => {
    const det = account.regions[region]?.detector?.detectorId;
    return call.operation === 'ListDetectors' || !det
      ? `arn:aws:guardduty:${region}:${account.accountId}:detector/*`
      : `arn:aws:guardduty:${region}:${account.accountId}:detector/${det}`;
  },
});
