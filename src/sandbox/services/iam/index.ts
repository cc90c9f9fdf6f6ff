/**
 * IAM (awsQuery, 2010-05-08): the caller's account's users, keys, groups, roles and policies. XML responses.
 * A global service: CloudTrail records its calls in us-east-1.
 */
import { looksLikeQuery, parseQuery, QUERY_PROTOCOL_ERRORS, queryError, queryParameters, queryReply } from '../../protocols.js';
import { defineService } from '../../service.js';
import type { XmlValue } from '../../wire.js';
import { ServiceError } from '../../wire.js';
import type { IamOperation } from './common.js';
import { ATTACHMENT_OPERATIONS } from './attachments.js';
import { IDENTITY_OPERATIONS } from './identities.js';
import { LOGIN_PROFILE_OPERATIONS } from './login-profiles.js';
import { POLICY_OPERATIONS } from './policies.js';
import { POLICY_VERSION_OPERATIONS } from './policy-versions.js';
import { ROLE_OPERATIONS } from './roles.js';
import { USER_OPERATIONS } from './users.js';

export const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';

/**
 * CloudTrail records an IAM error under the modeled exception's shape name, not the wire code: a GetRole for a
 * missing role has `"errorCode": "NoSuchEntityException"` (public CloudTrail records). The pairs are the
 * `error.code` → shape name of the exceptions in botocore's iam/2010-05-08/service-2.json; unmodeled codes
 * (AccessDenied, ValidationError, …) are recorded as sent.
 */
export const IAM_TRAIL_ERROR_CODES: Readonly<Record<string, string>> = {
  ConcurrentModification: 'ConcurrentModificationException',
  DeleteConflict: 'DeleteConflictException',
  DuplicateCertificate: 'DuplicateCertificateException',
  DuplicateSSHPublicKey: 'DuplicateSSHPublicKeyException',
  EntityAlreadyExists: 'EntityAlreadyExistsException',
  EntityTemporarilyUnmodifiable: 'EntityTemporarilyUnmodifiableException',
  FeatureDisabled: 'FeatureDisabledException',
  FeatureEnabled: 'FeatureEnabledException',
  InvalidAuthenticationCode: 'InvalidAuthenticationCodeException',
  InvalidCertificate: 'InvalidCertificateException',
  InvalidInput: 'InvalidInputException',
  InvalidPublicKey: 'InvalidPublicKeyException',
  InvalidUserType: 'InvalidUserTypeException',
  KeyPairMismatch: 'KeyPairMismatchException',
  LimitExceeded: 'LimitExceededException',
  MalformedCertificate: 'MalformedCertificateException',
  MalformedPolicyDocument: 'MalformedPolicyDocumentException',
  NoSuchEntity: 'NoSuchEntityException',
  NotSupportedService: 'ServiceNotSupportedException',
  OpenIdIdpCommunicationError: 'OpenIdIdpCommunicationErrorException',
  PasswordPolicyViolation: 'PasswordPolicyViolationException',
  PolicyEvaluation: 'PolicyEvaluationException',
  PolicyNotAttachable: 'PolicyNotAttachableException',
  ReportExpired: 'CredentialReportExpiredException',
  ReportGenerationLimitExceeded: 'ReportGenerationLimitExceededException',
  ReportInProgress: 'CredentialReportNotReadyException',
  ReportNotPresent: 'CredentialReportNotPresentException',
  ServiceFailure: 'ServiceFailureException',
  UnmodifiableEntity: 'UnmodifiableEntityException',
  UnrecognizedPublicKeyEncoding: 'UnrecognizedPublicKeyEncodingException',
};

/** Every IAM operation the sandbox implements, by area. */
export const IAM_OPERATIONS: Readonly<Record<string, IamOperation>> = {
  ...USER_OPERATIONS,
  ...POLICY_OPERATIONS,
  ...ROLE_OPERATIONS,
  ...IDENTITY_OPERATIONS,
  ...LOGIN_PROFILE_OPERATIONS,
  ...ATTACHMENT_OPERATIONS,
  ...POLICY_VERSION_OPERATIONS,
};

export const IAM = defineService<undefined>({
  name: 'iam',
  label: 'IAM',
  signingName: 'iam',
  actionPrefix: 'iam',
  eventSource: 'iam.amazonaws.com',
  global: true,
  rejectsDisabledRegions: false,
  claimsUnsigned: looksLikeQuery,
  parse: parseQuery,
  operations: IAM_OPERATIONS,
  unknownOperation: (op) => new ServiceError('InvalidAction', `Could not find operation ${op} for version 2010-05-08`, 400),
  createState: () => undefined,
  serialize: (op, output, requestId) => queryReply(IAM_NS, op, requestId, output as Record<string, XmlValue> | undefined),
  error: (code, message, status, requestId) => queryError(IAM_NS, code, message, status, requestId),
  errors: QUERY_PROTOCOL_ERRORS,
  requestParameters: (call) => queryParameters(call.input),
  trailErrorCode: (code) => IAM_TRAIL_ERROR_CODES[code] ?? code,
  deniedResource: ({ account, caller }, call) => {
    const acct = account.accountId;
    const form = call.input;
    const userName = typeof form.UserName === 'string' ? form.UserName : caller.userName;
    if (typeof form.RoleName === 'string') return `arn:aws:iam::${acct}:role/${form.RoleName}`;
    if (typeof form.GroupName === 'string') return `arn:aws:iam::${acct}:group/${form.GroupName}`;
    if (typeof form.PolicyArn === 'string') return form.PolicyArn;
    if (userName) return (Object.hasOwn(account.iam.users, userName) ? account.iam.users[userName]?.arn : undefined) ?? `arn:aws:iam::${acct}:user/${userName}`;
    return `arn:aws:iam::${acct}:user/`;
  },
  responseHeaders: (requestId) => ({ 'x-amz-request-id': requestId }),
});
