/** Small helpers the investigation's modules share. */
import type { ActivityEvent } from './model.js';

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
