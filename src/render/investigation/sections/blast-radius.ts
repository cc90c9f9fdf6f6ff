/** 6. Blast radius: the user's keys, other callers of the key, tags, and what containment breaks. */
import { userAgents as ua, type Block, type SectionContext } from '../blocks.js';

export function blastRadiusBlocks(c: SectionContext): Block[] {
  const inv = c.report.investigation;
  const t = c.time;
  const blocks: Block[] = [];
  const br = inv.blastRadius;
  if (inv.principal.kind !== 'iam-user' && inv.principal.kind !== 'assumed-role') {
    return [{ kind: 'text', text: 'Nothing gd-ir would change, so nothing breaks.', tone: 'dim' }];
  }
  if (inv.accessKeys) {
    blocks.push({ kind: 'subheading', text: `Access keys of ${inv.principal.userName ?? 'the user'} (${inv.accessKeys.length})` });
    blocks.push({
      kind: 'table',
      headers: ['Access key', 'Status', 'Created', 'Last used', 'Service', 'Region'],
      rows: inv.accessKeys.map((k) => [
        k.accessKeyId === inv.principal.accessKeyId ? `${k.accessKeyId} ◀ finding` : k.accessKeyId,
        k.status,
        t(k.createdAt),
        t(k.lastUsed?.date),
        k.lastUsed?.service ?? '-',
        k.lastUsed?.region ?? '-',
      ]),
    });
  }
  blocks.push({ kind: 'subheading', text: `Other callers of ${inv.principal.accessKeyId ?? 'the key'} (${br.otherCallers.length})` });
  if (br.otherCallers.length === 0) blocks.push({ kind: 'text', text: inv.activity ? 'None: only the finding\'s IP used it in the window.' : 'Unknown: the trail was not read.', tone: 'dim' });
  else {
    blocks.push({
      kind: 'table',
      headers: ['IP', 'Calls', 'First', 'Last', 'During attack', 'User agents'],
      align: ['left', 'right', 'left', 'left', 'left', 'left'],
      rows: br.otherCallers.map((x) => [x.ip, String(x.count), t(x.first), t(x.last), x.activeDuringAttack ? 'yes' : 'no', ua(x.userAgents)]),
    });
  }
  if (br.tags.length > 0) blocks.push({ kind: 'fields', fields: [['Tags', br.tags.map((x) => `${x.key}=${x.value}`).join(', ')]] });
  if (br.impact.length > 0) {
    blocks.push({ kind: 'subheading', text: 'Impact of containment' });
    blocks.push({ kind: 'bullets', items: br.impact });
  }
  if (br.automationCaveats.length > 0) {
    blocks.push({ kind: 'subheading', text: 'Why not automate this remediation' });
    blocks.push({ kind: 'bullets', items: br.automationCaveats });
  }
  return blocks;
}
