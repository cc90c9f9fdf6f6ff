/** 3. Which log GuardDuty read, and what that log can and cannot show. */
import type { Block, SectionContext } from '../blocks.js';

export function dataSourceBlocks(c: SectionContext): Block[] {
  const inv = c.report.investigation;
  return [
    { kind: 'text', text: inv.dataSource ?? 'unknown (GuardDuty does not record it for this finding type)' },
    { kind: 'bullets', items: inv.dataSourceAdvice },
  ];
}
