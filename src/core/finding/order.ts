/** Ordering findings, and the list view (summary + detail kept together). */
import type { Finding, FindingSort, FindingSummary } from './model.js';
import { findingTarget, toFindingSummary } from './views.js';



function time(s: string | null): number {
  const t = s ? Date.parse(s) : NaN;
  return Number.isNaN(t) ? -Infinity : t;
}

/**
 * Final order of a list: `severity` = severity desc, then last seen desc; `updated` = updatedAt desc, then severity;
 * `count` = count desc, then severity. Ties end on the ID so the order is total (stable output, golden tests).
 */
export function compareFindings(sort: FindingSort): (a: FindingSummary, b: FindingSummary) => number {
  const bySeverity = (a: FindingSummary, b: FindingSummary): number => b.severity - a.severity;
  const byLastSeen = (a: FindingSummary, b: FindingSummary): number => time(b.lastSeen ?? b.updatedAt) - time(a.lastSeen ?? a.updatedAt);
  const byId = (a: FindingSummary, b: FindingSummary): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const chain = (...fns: Array<(a: FindingSummary, b: FindingSummary) => number>) => (a: FindingSummary, b: FindingSummary): number => {
    for (const fn of fns) {
      const c = fn(a, b);
      if (c !== 0) return c;
    }
    return 0;
  };
  switch (sort) {
    case 'updated':
      return chain((a, b) => time(b.updatedAt) - time(a.updatedAt), bySeverity, byId);
    case 'count':
      return chain((a, b) => b.count - a.count, bySeverity, byLastSeen, byId);
    default:
      return chain(bySeverity, byLastSeen, byId);
  }
}

/** A row of a findings list: the summary plus the one-column "principal or resource" label. */
export interface FindingListItem {
  summary: FindingSummary;
  target: string | null;
}

export function toFindingListItem(f: Finding): FindingListItem {
  return { summary: toFindingSummary(f), target: findingTarget(f) };
}
