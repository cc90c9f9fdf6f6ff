/**
 * The triage console's decisions, kept pure so every menu is tested without a terminal: which findings
 * the list shows for what the analyst typed, which actions make sense for a finding's principal (and
 * why the others do not), how the timeline is paged, and the commands that repeat or undo what the
 * session did.
 */
import { compareFindings, type FindingSummary } from './finding/index.js';
import { awsCli, gdIr, type Suggestion } from './suggestion.js';
import { CONSOLE_SCREENS, type ConsoleScreen, type InvestigationReport, type Recommendation } from './investigation/index.js';

// -------------------------------------------------------------------------------------------------------------
// The findings list

/** What the list prompt returns: a finding, or one of the entries below the findings. */
export type ListChoice =
  | { kind: 'finding'; id: string }
  | { kind: 'region' }
  | { kind: 'archived' }
  | { kind: 'refresh' }
  | { kind: 'quit' };

/** Most severe first, then most recently seen (the same order as `gd-ir findings list`). */
export function sortForTriage(findings: readonly FindingSummary[]): FindingSummary[] {
  return [...findings].sort(compareFindings('severity'));
}

/** The text a list row is searched by: type, principal, key, instance, IP, ID, title and severity label. */
export function searchText(f: FindingSummary): string {
  return [
    f.type,
    f.principal?.userName,
    f.principal?.accessKeyId,
    f.principal?.userType,
    f.instanceId,
    f.remoteIp,
    f.id,
    f.title,
    f.severityLabel,
    f.resourceType,
  ]
    .filter((s): s is string => typeof s === 'string' && s !== '')
    .join('\n')
    .toLowerCase();
}

/**
 * Findings matching what the analyst typed: every whitespace-separated word must appear somewhere
 * (so "recon alice" narrows to alice's recon findings). An empty term matches everything.
 */
export function filterFindings(findings: readonly FindingSummary[], term: string | undefined): FindingSummary[] {
  const words = (term ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...findings];
  return findings.filter((f) => {
    const text = searchText(f);
    return words.every((w) => text.includes(w));
  });
}

/** The name the list and the header use for a finding's principal or resource. */
export function principalLabel(f: FindingSummary): string {
  const p = f.principal;
  if (p) {
    const who = p.userName ?? p.principalId ?? p.accessKeyId ?? '';
    if (p.userType === 'AssumedRole') return `role ${who}`.trim();
    if (p.userType === 'Root') return 'root';
    return who || (p.userType ?? 'unknown principal');
  }
  if (f.instanceId) return f.instanceId;
  return f.resourceType ?? '-';
}

// -------------------------------------------------------------------------------------------------------------
// What can be done about a finding

export type ActionId =
  | 'timeline'
  | 'policies'
  | 'deactivate'
  | 'revoke-sessions'
  | 'contain'
  | 'export'
  | 'archive'
  | 'commands'
  | 'sections'
  | 'back'
  | 'quit';

export interface ActionAvailability {
  id: ActionId;
  /** Undefined when available; otherwise why not, shown next to the greyed-out choice. */
  disabled?: string;
}

export interface ActionFacts {
  summary: FindingSummary;
  /** The investigation found a trail of events for the principal. */
  hasTimeline: boolean;
  /** The investigation read policy documents. */
  hasPolicies: boolean;
  /** The key's status when the investigation read it ('Active' / 'Inactive'). */
  keyStatus?: string;
}

/** Long-term IAM user keys start AKIA; temporary (STS) keys ASIA. */
function isLongTermKey(id: string | null | undefined): id is string {
  return typeof id === 'string' && id.startsWith('AKIA');
}

/** Why the principal's access key cannot be deactivated, or undefined when it can. */
export function deactivateBlocker(f: FindingSummary, keyStatus?: string): string | undefined {
  if (f.sample) return 'a sample finding: there is no real key to act on';
  const p = f.principal;
  if (!p || (!p.accessKeyId && !p.userName)) return `no access key in this finding (resource: ${f.resourceType ?? 'unknown'})`;
  if (p.userType === 'Root') return 'root credentials: secure the root user in the console (MFA, delete its access keys)';
  if (p.userType === 'AssumedRole') return "a role session: its keys cannot be deactivated; revoke the role's sessions in IAM";
  if (p.userType !== 'IAMUser') return `${p.userType ?? 'unknown'} principals have no IAM user key to deactivate`;
  if (!p.accessKeyId) return 'the finding names no access key';
  if (!isLongTermKey(p.accessKeyId)) return `${p.accessKeyId} is a temporary session key: revoke the sessions instead`;
  if (keyStatus && keyStatus !== 'Active') return `${p.accessKeyId} is already ${keyStatus}`;
  return undefined;
}

/** Why the user's older sessions cannot be revoked from here, or undefined when they can. */
export function revokeBlocker(f: FindingSummary): string | undefined {
  if (f.sample) return 'a sample finding: there is no real user to act on';
  const p = f.principal;
  if (!p || (!p.accessKeyId && !p.userName)) return `no IAM principal in this finding (resource: ${f.resourceType ?? 'unknown'})`;
  if (p.userType === 'Root') return 'root credentials: sessions of the root user cannot be revoked with a policy';
  if (p.userType === 'AssumedRole') return "a role session: use IAM console → Roles → Revoke active sessions (gd-ir acts on users)";
  if (p.userType !== 'IAMUser') return `${p.userType ?? 'unknown'} principals have no IAM user to attach a deny to`;
  if (!p.userName || !p.accessKeyId) return 'the finding names no user and key';
  return undefined;
}

/** Why the whole incident cannot be contained as a plan from here, or undefined when it can. */
export function containBlocker(f: FindingSummary): string | undefined {
  if (f.sample) return 'a sample finding: there is nothing to contain';
  const p = f.principal;
  if (!p || (!p.accessKeyId && !p.userName)) return `no IAM principal in this finding (resource: ${f.resourceType ?? 'unknown'})`;
  if (p.userType === 'Root') return 'root credentials: secure the root user in the console';
  if (p.userType !== 'IAMUser' && p.userType !== 'AssumedRole') return `${p.userType ?? 'unknown'} principals are not contained by gd-ir`;
  return undefined;
}

/** The action menu after a report, in order, each with why it is unavailable when it is. */
export function availableActions(facts: ActionFacts): ActionAvailability[] {
  const { summary } = facts;
  const list: ActionAvailability[] = [
    { id: 'sections' },
    { id: 'timeline', disabled: facts.hasTimeline ? undefined : 'no CloudTrail events for this principal' },
    { id: 'policies', disabled: facts.hasPolicies ? undefined : 'no IAM policies read for this principal' },
    { id: 'deactivate', disabled: deactivateBlocker(summary, facts.keyStatus) },
    { id: 'revoke-sessions', disabled: revokeBlocker(summary) },
    { id: 'contain', disabled: containBlocker(summary) },
    { id: 'export' },
    { id: 'archive', disabled: summary.archived ? 'already archived' : undefined },
    { id: 'commands' },
    { id: 'back' },
    { id: 'quit' },
  ];
  return list;
}

/** The console actions the investigation's recommendation asks for, in order (marked ★ in the menu). */
export function recommendedActions(rec: Pick<Recommendation, 'action' | 'commands'>): ActionId[] {
  const revoke = rec.commands.some((c) => c.tool === 'gd-ir' && c.argv.includes('--revoke-sessions'));
  if (rec.action === 'deactivate-key') return revoke ? ['deactivate', 'revoke-sessions'] : ['deactivate'];
  if (rec.action === 'revoke-user-sessions') return ['revoke-sessions'];
  if (rec.action === 'contain-incident') return ['contain'];
  return [];
}

// -------------------------------------------------------------------------------------------------------------
// Paging

export interface Page<T> {
  items: T[];
  /** 0-based. */
  index: number;
  count: number;
  /** 1-based positions of the first and last item shown. */
  from: number;
  to: number;
  total: number;
}

export const TIMELINE_PAGE_SIZE = 30;

/** One page of `items` (the index is clamped, so "next" past the end shows the last page). */
export function pageOf<T>(items: readonly T[], index: number, size = TIMELINE_PAGE_SIZE): Page<T> {
  const count = Math.max(1, Math.ceil(items.length / size));
  const i = Math.min(Math.max(0, index), count - 1);
  const slice = items.slice(i * size, (i + 1) * size);
  return { items: slice, index: i, count, from: slice.length ? i * size + 1 : 0, to: i * size + slice.length, total: items.length };
}

// -------------------------------------------------------------------------------------------------------------
// What the session did, as commands

export type SessionAction =
  /** `accountId`: the member account the key is in (absent: the caller's own). */
  | { kind: 'deactivate'; findingId: string; accessKeyId: string; userName: string; accountId?: string }
  | { kind: 'revoke-sessions'; findingId: string; accessKeyId: string; userName: string; cutoff?: string; accountId?: string }
  | { kind: 'archive'; findingId: string; detectorId: string; region: string }
  | { kind: 'contain'; findingId: string; planId: string; steps: number; region: string; accountId?: string }
  | { kind: 'export'; findingId: string; path: string };

export interface SessionCommand {
  /** What was done, in words. */
  done: string;
  /** The command that does the same from a script. */
  repeat: Suggestion;
  /** The command that undoes it, when it can be undone. */
  undo?: Suggestion;
}

/** What the session did, as the commands that repeat (and undo) it; IAM is global, findings are regional. */
export function sessionCommands(actions: readonly SessionAction[], region: string): SessionCommand[] {
  return actions.map((a): SessionCommand => {
    switch (a.kind) {
      case 'deactivate': {
        const account = a.accountId !== undefined ? ['--account', a.accountId] : [];
        return {
          done: `Deactivated access key ${a.accessKeyId} of user ${a.userName}${a.accountId !== undefined ? ` in account ${a.accountId}` : ''}`,
          repeat: gdIr(['remediate', '--key', a.accessKeyId, ...account, '--yes'], 'repeat', true),
          undo: gdIr(['remediate', '--key', a.accessKeyId, ...account, '--reactivate', '--yes'], 'undo', true),
        };
      }
      case 'revoke-sessions': {
        const user = a.accessKeyId.startsWith('ASIA') ? ['--user', a.userName] : [];
        const account = a.accountId !== undefined ? ['--account', a.accountId] : [];
        return {
          done: `Revoked sessions of user ${a.userName}${a.accountId !== undefined ? ` in account ${a.accountId}` : ''} issued before ${a.cutoff ?? 'the revocation'}`,
          repeat: gdIr(['remediate', '--key', a.accessKeyId, ...user, ...account, '--revoke-sessions', '--yes'], 'repeat', true),
          undo: gdIr(['remediate', '--key', a.accessKeyId, ...user, ...account, '--restore-sessions', '--yes'], 'undo', true),
        };
      }
      case 'archive':
        return {
          done: `Archived finding ${a.findingId}`,
          repeat: awsCli(['guardduty', 'archive-findings', '--detector-id', a.detectorId, '--finding-ids', a.findingId, '--region', a.region], 'repeat', true),
          undo: awsCli(['guardduty', 'unarchive-findings', '--detector-id', a.detectorId, '--finding-ids', a.findingId, '--region', a.region], 'undo', true),
        };
      case 'contain': {
        const account = a.accountId !== undefined ? ['--account', a.accountId] : [];
        return {
          done: `Contained finding ${a.findingId}${a.accountId !== undefined ? ` in account ${a.accountId}` : ''}: plan ${a.planId}, ${a.steps} step${a.steps === 1 ? '' : 's'} verified`,
          repeat: gdIr(['contain', a.findingId, ...account, '--all', '--yes'], 'repeat', true, a.region),
          undo: gdIr(['contain', '--undo', a.planId, ...account, '--yes'], 'undo', true),
        };
      }
      case 'export':
        return {
          done: `Exported the report of ${a.findingId} to ${a.path}`,
          repeat: gdIr(['investigate', a.findingId, '--region', region, '--report', a.path, '--force'], 'repeat', false),
        };
    }
  });
}

/** The default file name of an exported report, in the current directory. */
export function defaultExportPath(findingId: string): string {
  return `./gd-ir-${findingId}.md`;
}

/** The region entries offered by "switch region": the current one first, then the rest in order. */
export function regionChoices(current: string, known: readonly string[]): string[] {
  return [current, ...known.filter((r) => r !== current)];
}

// -------------------------------------------------------------------------------------------------------------
// The report, in sections

/** The console's report screens (src/core/investigation/sections.ts), in menu order. */
export type ReportSection = ConsoleScreen;
export const REPORT_SECTIONS: readonly ReportSection[] = CONSOLE_SCREENS.map((x) => x.id);

/** Whether a section has anything to show (a sample finding has no trail and no permissions). */
export function sectionAvailable(report: InvestigationReport, section: ReportSection): boolean {
  const inv = report.investigation;
  switch (section) {
    case 'activity':
      return inv.activity !== undefined || inv.warnings.some((w) => w.section === 'activity');
    case 'changes':
      return inv.changes !== undefined || inv.warnings.some((w) => w.section === 'changes' || w.section === 'activity');
    case 'permissions':
      return inv.permissions !== undefined || inv.warnings.some((w) => w.section === 'permissions' || w.section === 'accessKeys');
    default:
      return true;
  }
}

/** Every CloudTrail event the investigation gathered, newest first (the trail's own order). */
export function timelineEvents<E>(report: { trail?: { events: readonly E[] } }): readonly E[] {
  return report.trail?.events ?? [];
}
