/** 7. Recommendation: what to do now, the exact commands (scoped to the run), why, manual steps, what to watch. */
import { commandLines } from '../../../core/suggestion.js';
import type { Block, SectionContext } from '../blocks.js';

export function recommendationBlocks(c: SectionContext): Block[] {
  const rec = c.report.investigation.recommendation;
  const blocks: Block[] = [{ kind: 'text', text: rec.summary, tone: rec.action === 'none' ? 'dim' : 'warning' }];
  if (rec.commands.length > 0) blocks.push({ kind: 'commands', lines: commandLines(rec.commands, c.scope) });
  const rationale = rec.rationale.filter(Boolean);
  if (rationale.length > 0) {
    blocks.push({ kind: 'subheading', text: 'Why' });
    blocks.push({ kind: 'bullets', items: rationale });
  }
  if (rec.manualSteps.length > 0) {
    blocks.push({ kind: 'subheading', text: rec.commands.length > 0 ? 'Also' : 'Steps' });
    blocks.push({ kind: 'bullets', items: rec.manualSteps });
  }
  if (rec.watch.length > 0) {
    blocks.push({ kind: 'subheading', text: 'Afterwards, watch the key' });
    blocks.push({ kind: 'commands', lines: commandLines(rec.watch, c.scope) });
  }
  return blocks;
}
