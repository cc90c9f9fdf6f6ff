/** 5. Changes: every successful write of the principal and of the credentials it minted or created, and its state now. */
import { CHANGE_CATEGORY_LABELS, type Change } from '../../../core/changes/index.js';
import { commandLine, gdIr } from '../../../core/suggestion.js';
import { plural } from '../../format.js';
import type { Block, SectionContext } from '../blocks.js';

const STATUS_TEXT: Record<Change['state']['status'], string> = { present: 'IN PLACE', gone: 'undone', changed: 'changed since', unknown: 'not read' };

function actorText(c: Change): string {
  const kind = c.actor.kind === 'principal' ? 'the key' : c.actor.kind === 'session' ? 'session' : `created key${c.actor.hop > 1 ? ` (hop ${c.actor.hop})` : ''}`;
  return `${c.actor.accessKeyId ?? '?'} (${kind})`;
}

export function changesBlocks(c: SectionContext): Block[] {
  const inv = c.report.investigation;
  const ch = inv.changes;
  if (!ch) {
    if (inv.warnings.some((w) => w.section === 'changes')) return [];
    if (inv.warnings.some((w) => w.section === 'activity')) return [{ kind: 'text', text: 'Not swept: the trail could not be read (see Activity).', tone: 'dim' }];
    return [{ kind: 'text', text: 'Not gathered: there is no trail to sweep for this principal.', tone: 'dim' }];
  }
  const blocks: Block[] = [];
  const credentials = ch.followed.length;
  const swept = `the principal${credentials > 1 ? ` and ${plural(credentials - 1, 'credential')} it minted or created` : ''}`;
  if (ch.changes.length === 0) {
    blocks.push({ kind: 'text', text: `No successful writes by ${swept}: nothing to undo.`, tone: 'dim' });
    return blocks;
  }
  const n = ch.counts;
  const parts = [`${n.present} still in place`, n.changed ? `${n.changed} changed since` : '', n.gone ? `${n.gone} undone` : '', n.unknown ? `${n.unknown} not read` : ''].filter(Boolean);
  blocks.push({ kind: 'text', text: `${plural(ch.changes.length, 'successful write')} by ${swept}: ${parts.join(', ')}.`, tone: n.present > 0 ? 'danger' : undefined });
  blocks.push({
    kind: 'table',
    headers: ['State', 'Time', 'Category', 'Change', 'By'],
    rows: ch.changes.map((x) => [STATUS_TEXT[x.state.status], c.time(x.time), CHANGE_CATEGORY_LABELS[x.category], `${x.summary} (${x.eventName}, ${x.region})`, actorText(x)]),
    flagged: ch.changes.map((x) => x.state.status === 'present'),
  });
  const read = ch.changes.filter((x) => x.state.read || x.state.status !== 'unknown');
  if (read.length > 0) {
    blocks.push({ kind: 'subheading', text: 'Read back now' });
    blocks.push({ kind: 'bullets', items: read.map((x) => `${x.eventName} ${x.time}: ${STATUS_TEXT[x.state.status]}: ${x.state.detail}`) });
  }
  const unread = ch.changes.filter((x) => !x.state.read && x.state.status === 'unknown');
  if (unread.length > 0) {
    blocks.push({ kind: 'subheading', text: 'Not read by gd-ir: check by hand' });
    blocks.push({ kind: 'bullets', items: unread.map((x) => `${x.summary} (${x.service}, ${x.region}): ${x.state.detail}`) });
    const checks = unread.map((x) => x.check).filter((s) => s !== undefined);
    if (checks.length > 0) blocks.push({ kind: 'commands', lines: checks.map((s) => commandLine(s, c.scope)) });
  }
  if (ch.notFollowed.length > 0) {
    blocks.push({ kind: 'warning', text: `keys created two hops away were not followed (their own activity is not in this report): ${ch.notFollowed.join(', ')}` });
  }
  const f = c.report.investigation.finding;
  if (n.present > 0) {
    blocks.push({ kind: 'subheading', text: 'Contain the whole incident (one verified, audited plan)' });
    blocks.push({ kind: 'commands', lines: [commandLine(gdIr(['contain', f.id], 'contain', true, f.region), c.scope)] });
  }
  return blocks;
}
