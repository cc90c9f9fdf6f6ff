/** The client-side filters of a trail (--event, --source, --ip, --errors-only, --read-only/--write-only). */
import { sameEventName } from '../event-names.js';
import type { TrailEvent, TrailFilters } from './model.js';

/** `iam`, `IAM` or `iam.amazonaws.com` → `iam.amazonaws.com`. */
export function normaliseEventSource(value: string): string {
  const v = value.trim().toLowerCase();
  return v.includes('.') ? v : `${v}.amazonaws.com`;
}

export function matchesTrailFilters(e: TrailEvent, f: TrailFilters): boolean {
  if (f.events.length > 0 && !f.events.some((n) => sameEventName(n, e.eventName))) return false;
  if (f.source && e.eventSource.toLowerCase() !== f.source) return false;
  // IPv6 and service names in any case: CloudTrail writes them in lower case.
  if (f.ip && e.sourceIp?.toLowerCase() !== f.ip.toLowerCase()) return false;
  if (f.errorsOnly && !e.failed) return false;
  if (f.access === 'read' && e.readOnly !== true) return false;
  if (f.access === 'write' && e.readOnly !== false) return false;
  return true;
}

export function hasActiveFilters(f: TrailFilters): boolean {
  return f.events.length > 0 || !!f.source || !!f.ip || f.errorsOnly || !!f.access;
}

