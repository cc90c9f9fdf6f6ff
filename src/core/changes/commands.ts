/**
 * The AWS CLI commands a change report offers: a read-only check of the current state (for what gd-ir does not
 * read), and the call that reverts a change. Suggestions (src/core/suggestion.ts), scoped by whoever prints them.
 * Only values that are safe in a shell word are put in a command; anything else yields no command.
 */
import { awsCli, type Suggestion } from '../suggestion.js';

/** Characters AWS names and IDs use (plus ARN punctuation): anything else is not built into a command. */
const SAFE = /^[A-Za-z0-9_+=,.@:/$-]{1,2048}$/;

export function safe(...values: Array<string | undefined>): boolean {
  return values.every((v) => v !== undefined && SAFE.test(v));
}

/** A read-only AWS CLI command, or undefined when a value is not safe to paste. */
export function check(argv: Array<string | undefined>, region?: string): Suggestion | undefined {
  if (!safe(...argv)) return undefined;
  return awsCli(argv as string[], 'read', false, region);
}

/** A write that reverts a change, or undefined when a value is not safe to paste. */
export function revert(argv: Array<string | undefined>, region?: string): Suggestion | undefined {
  if (!safe(...argv)) return undefined;
  return awsCli(argv as string[], 'contain', true, region);
}

/** The record itself, for changes no other read can show: lookup-events by event ID, in the event's region. */
export function lookupRecord(eventId: string, region: string): Suggestion | undefined {
  return check(['cloudtrail', 'lookup-events', '--lookup-attributes', safe(eventId) ? `AttributeKey=EventId,AttributeValue=${eventId}` : undefined], region);
}
