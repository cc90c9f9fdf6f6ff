/**
 * STS (awsQuery, 2011-06-15): GetCallerIdentity and AssumeRole (services/sts-assume-role.ts). CloudTrail records STS
 * calls in the region of the endpoint called (the global endpoint is signed for us-east-1), so STS is not a
 * "global" service here.
 */
import { looksLikeQuery, parseQuery, QUERY_PROTOCOL_ERRORS, queryError, queryForm, queryParameters, queryReply } from '../protocols.js';
import type { Operation } from '../service.js';
import { defineService } from '../service.js';
import { ServiceError } from '../wire.js';
import type { XmlValue } from '../wire.js';
import { ASSUME_ROLE } from './sts-assume-role.js';

export const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

const OPERATIONS: Record<string, Operation<undefined>> = {
  // "No permissions are required to perform this operation" (STS API reference): a revoked session still gets an answer.
  GetCallerIdentity: {
    readOnly: true,
    alwaysAllowed: true,
    handle: (ctx) => ({ UserId: ctx.caller.userId, Account: ctx.account.accountId, Arn: ctx.caller.arn }),
  },
  AssumeRole: ASSUME_ROLE,
};

export const STS = defineService<undefined>({
  name: 'sts',
  label: 'STS',
  signingName: 'sts',
  actionPrefix: 'sts',
  eventSource: 'sts.amazonaws.com',
  global: false,
  rejectsDisabledRegions: false,
  claimsUnsigned: (raw) => looksLikeQuery(raw) && Object.hasOwn(OPERATIONS, queryForm(raw).Action ?? ''),
  parse: parseQuery,
  operations: OPERATIONS,
  unknownOperation: (op) => new ServiceError('InvalidAction', `Could not find operation ${op} for version 2011-06-15`, 400),
  createState: () => undefined,
  serialize: (op, output, requestId) => queryReply(STS_NS, op, requestId, output as Record<string, XmlValue>),
  error: (code, message, status, requestId) => queryError(STS_NS, code, message, status, requestId),
  errors: QUERY_PROTOCOL_ERRORS,
  requestParameters: (call) => queryParameters(call.input),
  responseHeaders: (requestId) => ({ 'x-amz-request-id': requestId }),
});
