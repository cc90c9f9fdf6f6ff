/** 4. Activity: the trail's evidence, source IPs, APIs by category, errors, derived credentials, timeline. */
import { CATEGORY_LABELS, type EventCategory } from '../../../core/event-classification.js';
import { plural } from '../../format.js';
import { userAgents as ua, type Block, type SectionContext } from '../blocks.js';

export function activityBlocks(c: SectionContext): Block[] {
  const inv = c.report.investigation;
  const t = c.time;
  const blocks: Block[] = [];
  const a = inv.activity;
  const trail = c.report.trail;
  if (!a) {
    if (!inv.warnings.some((w) => w.section === 'activity')) {
      blocks.push({ kind: 'text', text: inv.principal.actionable || inv.principal.kind === 'root' ? 'No trail: the finding names no key or user to look up.' : `Not gathered: ${inv.principal.notActionableReason ?? 'nothing to look up'}.`, tone: 'dim' });
    }
    return blocks;
  }
  const ev = a.evidence;
  const regions = trail ? trail.summary.regions.map((r) => `${r.region} ${r.count}`).join(', ') : '';
  const window = trail ? `${t(trail.request.window.start.toISOString())} → ${t(trail.request.window.end.toISOString())}` : '';
  blocks.push({
    kind: 'text',
    text: `${plural(ev.total, 'event')}${regions ? ` (${regions})` : ''}${window ? ` in the window ${window}` : ''}${trail ? `, looked up by ${trail.request.lookup.attribute} ${trail.request.lookup.value}` : ''}.`,
  });
  if (a.truncated) blocks.push({ kind: 'warning', text: 'the trail hit --max-events: older events were not fetched' });
  if (ev.findings.length > 0) {
    blocks.push({ kind: 'subheading', text: 'Evidence' });
    blocks.push({ kind: 'bullets', items: ev.findings });
  }
  if (ev.ips.length > 0) {
    blocks.push({ kind: 'subheading', text: 'Source IPs' });
    blocks.push({
      kind: 'table',
      headers: ['IP', 'Calls', 'Errors', 'First', 'Last', 'User agents'],
      align: ['left', 'right', 'right', 'left', 'left', 'left'],
      rows: ev.ips.map((i) => [i.findingIp ? `${i.ip} ◀ finding` : i.ip, String(i.count), String(i.errors), t(i.first), t(i.last), ua(i.userAgents)]),
      flagged: ev.ips.map((i) => i.findingIp),
    });
  }
  if (trail && trail.summary.categories.length > 0) {
    blocks.push({ kind: 'subheading', text: 'APIs by category' });
    blocks.push({
      kind: 'table',
      headers: ['Category', 'Calls', 'APIs'],
      align: ['left', 'right', 'left'],
      rows: trail.summary.categories.map((x) => [CATEGORY_LABELS[x.category as EventCategory] ?? x.category, String(x.count), x.apis.join(', ')]),
      flagged: trail.summary.categories.map((x) => x.category !== 'ordinary'),
    });
  }
  if (ev.errors.length > 0) {
    blocks.push({ kind: 'subheading', text: 'Errors' });
    blocks.push({
      kind: 'table',
      headers: ['Error', 'API', 'Calls'],
      align: ['left', 'left', 'right'],
      rows: ev.errors.map((e) => [e.failure, e.eventName, String(e.count)]),
    });
  }
  blocks.push({ kind: 'subheading', text: `Derived credentials (${a.derivedCredentials.length})` });
  if (a.derivedCredentials.length === 0) blocks.push({ kind: 'text', text: 'None minted in the window (no successful GetSessionToken, AssumeRole or GetFederationToken).', tone: 'dim' });
  else {
    blocks.push({
      kind: 'table',
      headers: ['Access key', 'Via', 'Issued', 'From', 'Expires'],
      rows: a.derivedCredentials.map((d) => [d.accessKeyId, d.via, t(d.issuedAt), d.sourceIp ?? '-', t(d.expiresAt)]),
      flagged: a.derivedCredentials.map(() => true),
    });
  }
  if (a.timeline.length > 0) {
    blocks.push({ kind: 'subheading', text: 'Timeline' });
    blocks.push({
      kind: 'table',
      headers: ['Time', 'What'],
      rows: a.timeline.map((e) => [t(e.time), e.text]),
      flagged: a.timeline.map((e) => e.kind === 'malicious' || e.kind === 'derived'),
    });
  }
  return blocks;
}
