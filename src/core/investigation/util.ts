/** Small helpers the investigation's modules share. */
import type { ActivityEvent } from './model.js';
import { failureLabel } from '../trail/outcome.js';

export function byTime(a: Pick<ActivityEvent, 'time'>, b: Pick<ActivityEvent, 'time'>): number {
  return a.time < b.time ? -1 : a.time > b.time ? 1 : 0;
}

export function pushUnique(list: string[], value: string | undefined): void {
  if (value && !list.includes(value)) list.push(value);
}

/** ISO time without milliseconds, as sentences show it ("2026-11-27T21:56:02Z"). */
export function isoShort(value: string): string {
  return value.replace(/\.\d{3}Z$/, 'Z');
}

/** Whether an event failed: its `failed` flag (failed console sign-ins carry no errorCode), else an errorCode. */
export function eventFailed(e: Pick<ActivityEvent, 'failed' | 'errorCode'>): boolean {
  return e.failed ?? !!e.errorCode;
}

/** " (AccessDenied)", " (Failed authentication)" for a failed call, "" otherwise: how sentences cite a failure. */
export function failureSuffix(e: Pick<ActivityEvent, 'failed' | 'errorCode' | 'errorMessage'>): string {
  const label = failureLabel({ errorCode: e.errorCode, errorMessage: e.errorMessage, failed: eventFailed(e) });
  return label ? ` (${label})` : '';
}
