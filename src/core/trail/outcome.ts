/**
 * The one rule for "this call failed". Most failed calls carry `errorCode`. Console sign-in events do not: a failed
 * `ConsoleLogin` has `responseElements: {"ConsoleLogin": "Failure"}` and an `errorMessage` ("Failed authentication",
 * "No username found in supplied account") and no `errorCode`; `CheckMfa` records its outcome the same way
 * (CloudTrail User Guide, "AWS Management Console sign-in events",
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html;
 * test/fixtures/real/cloudtrail/docs-consolelogin-*-failure.json, elastic-consolelogin-assumedrole-failure.json).
 * gd-ir keeps `errorCode` as CloudTrail wrote it (absent) and says `failed` instead.
 */

const SIGNIN_SOURCE = 'signin.amazonaws.com';

export interface OutcomeFields {
  eventSource: string;
  eventName: string;
  errorCode?: string;
  errorMessage?: string;
  responseElements?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The outcome a sign-in style event writes under its own name (`{"ConsoleLogin": "Failure"}`), when it does. */
export function recordedOutcome(e: Pick<OutcomeFields, 'eventName' | 'responseElements'>): string | undefined {
  if (!isObject(e.responseElements)) return undefined;
  const v = e.responseElements[e.eventName];
  return typeof v === 'string' ? v : undefined;
}

/** True when the call failed: an `errorCode`, a recorded `Failure` outcome, or a sign-in event with an error message. */
export function isFailedCall(e: OutcomeFields): boolean {
  if (e.errorCode) return true;
  if (recordedOutcome(e)?.toLowerCase() === 'failure') return true;
  return e.eventSource === SIGNIN_SOURCE && !!e.errorMessage;
}

/**
 * What to show for a failure in human output: the error code, else the event's error message (a failed sign-in
 * says "Failed authentication"), else "Failure". Undefined when the call did not fail.
 */
export function failureLabel(e: { errorCode?: string; errorMessage?: string; failed?: boolean }): string | undefined {
  if (e.errorCode) return e.errorCode;
  if (!e.failed) return undefined;
  return e.errorMessage ?? 'Failure';
}

/** Sign-in events that record their outcome under their own name ({"ConsoleLogin": "Success"}). */
const OUTCOME_EVENTS = new Set(['ConsoleLogin', 'CheckMfa']);

/**
 * True when the call succeeded: it did not fail, and a sign-in that records its outcome recorded "Success"
 * (an outcome-less ConsoleLogin proves nothing). The changes sweep and `watch` judge success by this rule.
 */
export function isSuccessfulCall(e: OutcomeFields & { failed?: boolean }): boolean {
  if (e.failed ?? isFailedCall(e)) return false;
  if (e.eventSource === SIGNIN_SOURCE && OUTCOME_EVENTS.has(e.eventName)) return recordedOutcome(e) === 'Success';
  return true;
}
