/** 2. The finding in detail, then the other open findings about the same principal. */
import type { Block, SectionContext } from '../blocks.js';

export function findingBlocks(c: SectionContext): Block[] {
  const related = c.report.related;
  const blocks: Block[] = [{ kind: 'pre', text: c.detailText }];
  if (related === undefined) return blocks;
  blocks.push({ kind: 'subheading', text: `Other open findings about this principal (${related.length})` });
  if (related.length === 0) blocks.push({ kind: 'text', text: 'None.', tone: 'dim' });
  else {
    blocks.push({
      kind: 'table',
      headers: ['Severity', 'Type', 'Key', 'Count', 'Last seen', 'ID'],
      align: ['left', 'left', 'left', 'right', 'left', 'left'],
      rows: related.map((r) => [r.severityLabel, `${r.sample ? '[SAMPLE] ' : ''}${r.type}`, r.principal?.accessKeyId ?? '-', String(r.count), c.time(r.lastSeen ?? r.updatedAt), r.id]),
    });
  }
  return blocks;
}
