/** 3. Which log GuardDuty read, what that log can and cannot show, and which CloudTrail source gd-ir read. */
import { trailSourceFacts } from '../../../core/investigation/data-source.js';
import { commandLine } from '../../../core/suggestion.js';
import { sourceLine } from '../../trail-progress.js';
import type { Block, SectionContext } from '../blocks.js';

export function dataSourceBlocks(c: SectionContext): Block[] {
  const inv = c.report.investigation;
  const blocks: Block[] = [
    { kind: 'text', text: inv.dataSource ?? 'unknown (GuardDuty does not record it for this finding type)' },
    { kind: 'bullets', items: inv.dataSourceAdvice },
  ];
  const trail = c.report.trail;
  const facts = trailSourceFacts(trail?.source, trail !== undefined);
  if (trail && facts) {
    blocks.push({ kind: 'text', text: `CloudTrail read from: ${trail.source ? sourceLine(trail.source) : facts.description}` });
    blocks.push({ kind: 'bullets', items: facts.limits });
    const next = trail.source?.suggestions ?? [];
    if (next.length > 0) blocks.push({ kind: 'bullets', items: next.map((x) => `A long scan: an Athena table over the bucket reads only the window's partitions. Set it up once with ${commandLine(x, c.scope)}`) });
  }
  return blocks;
}
