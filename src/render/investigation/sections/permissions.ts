/** 5. Permissions: policies, admin access, high-risk capabilities, and used vs granted in the window. */
import { plural } from '../../format.js';
import type { Block, SectionContext } from '../blocks.js';

export function permissionsBlocks(c: SectionContext): Block[] {
  const inv = c.report.investigation;
  const blocks: Block[] = [];
  const p = inv.permissions;
  const pr = c.report.permissionsResult;
  if (p && pr) {
    blocks.push({
      kind: 'fields',
      fields: [
        ['Principal', `${pr.principal.type} ${pr.principal.name}${pr.principal.arn ? ` (${pr.principal.arn})` : ''}`],
        ['Administrator', p.isAdmin ? 'YES: administrator-equivalent access' : 'no'],
        ['Granted', p.grantedCount !== undefined ? plural(p.grantedCount, 'action') : '-'],
        ['Boundary', pr.principal.boundaryArn ?? 'none'],
      ],
    });
    blocks.push({ kind: 'subheading', text: `Policies (${p.policies.length})` });
    if (p.policies.length === 0) blocks.push({ kind: 'text', text: 'None.', tone: 'dim' });
    else blocks.push({ kind: 'table', headers: ['Source', 'Kind', 'Name'], rows: p.policies.map((x) => [x.group ? `group ${x.group}` : x.source, x.kind, x.name]) });
    blocks.push({ kind: 'subheading', text: 'High-risk capabilities' });
    if (p.risks.length === 0) blocks.push({ kind: 'text', text: 'None found.', tone: 'dim' });
    else blocks.push({ kind: 'bullets', items: p.risks.map((r) => `${r.capability} (${r.category}): ${r.actions.join(', ')}${r.policy ? ` — ${r.policy}` : ''}`) });
  } else if (!inv.warnings.some((w) => w.section === 'permissions')) {
    blocks.push({
      kind: 'text',
      tone: 'dim',
      text:
        inv.principal.kind === 'root'
          ? 'The root user has unrestricted access to the account; IAM policies do not limit it.'
          : `Not gathered: ${inv.principal.notActionableReason ?? 'no IAM principal to read'}.`,
    });
  }
  const u = inv.usage;
  if (!u) return blocks;
  blocks.push({ kind: 'subheading', text: 'Used vs granted (in the window)' });
  if (u.used.length > 0) {
    blocks.push({
      kind: 'table',
      headers: ['Used action', 'Calls', 'Granted', 'Last'],
      align: ['left', 'right', 'left', 'left'],
      rows: u.used.map((x) => [x.action, String(x.count), !x.needsPermission ? 'not needed' : x.granted === undefined ? '?' : x.granted ? 'yes' : 'no', c.time(x.last)]),
    });
  } else blocks.push({ kind: 'text', text: 'No call succeeded.', tone: 'dim' });
  if (u.denied.length > 0) {
    blocks.push({
      kind: 'table',
      headers: ['Tried and denied', 'Calls', 'Error', 'From finding IP'],
      align: ['left', 'right', 'left', 'left'],
      rows: u.denied.map((x) => [x.action, String(x.count), x.errorCodes.join(', '), x.fromFindingIp ? 'yes' : 'no']),
      flagged: u.denied.map((x) => x.fromFindingIp),
    });
  }
  if (u.grantedUnused !== undefined) blocks.push({ kind: 'text', text: `${plural(u.grantedUnused, 'granted action')} not used in the window.`, tone: 'dim' });
  return blocks;
}
