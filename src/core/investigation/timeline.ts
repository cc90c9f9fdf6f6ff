/** The timeline: the moments that matter (first call per IP, first of each category, derived keys), not every event. */
import { CATEGORY_LABELS, classifyEvent, type EventCategory } from '../event-classification.js';
import type { ActivityEvent, DerivedCredential, InvestigationFinding } from './model.js';
import { byTime, eventFailed, failureSuffix } from './util.js';

export interface TimelineEntry {
  time: string;
  text: string;
  /** 'malicious' for the finding's IP, 'derived' for derived credentials. */
  kind: 'ordinary' | 'malicious' | 'derived' | 'finding';
}

export function buildTimeline(
  events: readonly ActivityEvent[],
  derived: readonly DerivedCredential[],
  finding: InvestigationFinding,
  principalKey: string | undefined,
  limit = 12,
): TimelineEntry[] {
  const sorted = [...events].sort(byTime);
  const entries: TimelineEntry[] = [];
  const seenIp = new Set<string>();
  const seenCategory = new Set<string>();
  const derivedKeys = new Set(derived.map((d) => d.accessKeyId));
  const seenDerivedUse = new Set<string>();
  for (const e of sorted) {
    const isBad = e.sourceIp !== undefined && e.sourceIp === finding.remoteIp;
    const who = e.accessKeyId && e.accessKeyId !== principalKey ? ` with ${e.accessKeyId}` : '';
    if (e.sourceIp && !seenIp.has(e.sourceIp)) {
      seenIp.add(e.sourceIp);
      entries.push({
        time: e.time,
        kind: isBad ? 'malicious' : 'ordinary',
        text: `first call from ${e.sourceIp}${isBad ? ' (the finding\'s IP)' : ''}: ${e.eventName}${failureSuffix(e)}${who}`,
      });
      continue;
    }
    const category = e.category ?? classifyEvent(e.eventSource, e.eventName, { failed: eventFailed(e) });
    if (isBad && category !== 'ordinary' && !seenCategory.has(category)) {
      seenCategory.add(category);
      entries.push({ time: e.time, kind: 'malicious', text: `first ${(CATEGORY_LABELS[category as EventCategory] ?? category).toLowerCase()}: ${e.eventName}${failureSuffix(e)}${who}` });
      continue;
    }
    if (e.accessKeyId && derivedKeys.has(e.accessKeyId) && !seenDerivedUse.has(e.accessKeyId)) {
      seenDerivedUse.add(e.accessKeyId);
      entries.push({ time: e.time, kind: 'derived', text: `first use of derived key ${e.accessKeyId}: ${e.eventName}${failureSuffix(e)}` });
    }
  }
  for (const d of derived) {
    entries.push({ time: d.issuedAt, kind: 'derived', text: `${d.via} minted temporary key ${d.accessKeyId}${d.sourceIp ? ` from ${d.sourceIp}` : ''}` });
  }
  if (finding.firstSeen) entries.push({ time: finding.firstSeen, kind: 'finding', text: `GuardDuty: first activity of this finding (${finding.api ?? finding.type})` });
  const last = sorted[sorted.length - 1];
  if (last) entries.push({ time: last.time, kind: last.sourceIp === finding.remoteIp ? 'malicious' : 'ordinary', text: `last call: ${last.eventName} from ${last.sourceIp ?? '?'}${failureSuffix(last)}` });
  entries.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  // Keep the first entries and the very last one (the "still going on?" answer).
  if (entries.length > limit) return [...entries.slice(0, limit - 1), entries[entries.length - 1] as TimelineEntry];
  return entries;
}
