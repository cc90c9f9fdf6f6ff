/**
 * Human output of `gd-ir policies`: the principal, the table of policies, the highlights (admin?
 * high-risk capabilities and the statement granting each, what the boundary and explicit denies take
 * away, conditional statements), the count of granted actions by access level, and with
 * `--documents` every document pretty-printed. Names, tags and documents come from IAM and are
 * attacker-writable: everything is sanitised.
 */
import type { ChalkInstance } from 'chalk';
import { ACCESS_LEVELS } from '../core/iam-catalog.js';
import type { PermissionsResult, PolicyEntry, PrincipalModel } from '../core/permissions.js';
import type { PolicyKind, PolicyRef, RiskFinding } from '../core/policy-eval/index.js';
import { RISK_CATEGORY_LABELS } from '../core/data/risk-catalog.js';
import { displayTime, plural } from './format.js';
import { sanitize } from '../core/sanitize.js';
import { styles } from './styles.js';
import { renderFields, renderTable, type Column } from './table.js';

export interface RenderTarget {
  style: ChalkInstance;
  columns: number | undefined;
  stdoutIsTTY: boolean;
}

export interface PoliciesRenderOptions {
  documents: boolean;
  now: Date;
}

const KIND_LABEL: Record<PolicyKind, string> = {
  'managed-aws': 'managed AWS',
  'managed-customer': 'managed customer',
  inline: 'inline',
};

export function sourceLabel(p: { source: string; group?: string }): string {
  return p.source === 'group' ? `group ${p.group ?? '?'}` : p.source;
}

/** "DeveloperPowerUser statement 0 (Build)" / "developers-dev-secrets (group developers) statement 0". */
function statementLabel(policy: PolicyRef, index: number, sid?: string): string {
  const where = policy.source === 'group' ? ` (group ${policy.group ?? '?'})` : policy.source === 'boundary' ? ' (boundary)' : '';
  return `${sanitize(policy.name)}${sanitize(where)} statement ${index}${sid ? ` (${sanitize(sid)})` : ''}`;
}

/** Trust policy principals as one line each: "Service ec2.amazonaws.com: sts:AssumeRole". */
export function trustSummary(document: unknown): string[] {
  if (!document || typeof document !== 'object') return [];
  const raw = (document as { Statement?: unknown }).Statement;
  const statements = Array.isArray(raw) ? raw : raw ? [raw] : [];
  const lines: string[] = [];
  for (const st of statements) {
    if (!st || typeof st !== 'object') continue;
    const s = st as { Effect?: unknown; Principal?: unknown; Action?: unknown; Condition?: unknown };
    const actions = ([] as unknown[]).concat(s.Action ?? []).map(String).join(', ');
    const principals: string[] = [];
    if (s.Principal === '*') principals.push('* (anyone)');
    else if (s.Principal && typeof s.Principal === 'object') {
      for (const [kind, v] of Object.entries(s.Principal as Record<string, unknown>)) {
        for (const value of ([] as unknown[]).concat(v)) principals.push(`${kind} ${String(value)}`);
      }
    }
    const effect = s.Effect === 'Deny' ? 'deny ' : '';
    const cond = s.Condition ? ' (conditional)' : '';
    for (const p of principals) lines.push(`${effect}${p}: ${actions || '-'}${cond}`);
  }
  return lines;
}

function renderPrincipal(pr: PrincipalModel, target: RenderTarget, now: Date): string {
  const c = target.style;
  const tty = target.stdoutIsTTY;
  const title = `${styles.heading(c, `IAM ${pr.type} ${sanitize(pr.name)}`)}${pr.arn ? `  ${sanitize(pr.arn)}` : ''}`;
  const fields: Array<[string, string | undefined]> = [
    ['Created', pr.created ? displayTime(pr.created, { tty, now }) : undefined],
    ['Boundary', pr.boundaryArn ? `${sanitize(pr.boundaryName ?? '')}  ${sanitize(pr.boundaryArn)}` : 'none'],
    ['Tags', pr.tags.length > 0 ? pr.tags.map((t) => `${sanitize(t.key)}=${sanitize(t.value)}`).join(', ') : undefined],
    ['Password used', pr.passwordLastUsed ? displayTime(pr.passwordLastUsed, { tty, now }) : undefined],
    ['Description', pr.description ? sanitize(pr.description) : undefined],
    ['Last used', pr.lastUsed?.date ? `${displayTime(pr.lastUsed.date, { tty, now })}${pr.lastUsed.region ? ` in ${sanitize(pr.lastUsed.region)}` : ''}` : pr.type === 'role' ? 'never (or not tracked)' : undefined],
  ];
  if (pr.trustPolicy) {
    const lines = pr.trustPolicy.document !== undefined ? trustSummary(pr.trustPolicy.document) : [];
    const text = pr.trustPolicy.parseError ? `unreadable (${sanitize(pr.trustPolicy.parseError)})` : lines.map((l) => sanitize(l)).join('; ') || 'no principals';
    fields.push(['Trusted by', text]);
  }
  return `${title}\n${renderFields(fields, c)}`;
}

function renderPolicyTable(policies: readonly PolicyEntry[], target: RenderTarget): string {
  const c = target.style;
  const columns: Array<Column<PolicyEntry>> = [
    { header: 'SOURCE', value: (p) => sourceLabel(p), shrink: 1, min: 8 },
    { header: 'TYPE', value: (p) => KIND_LABEL[p.kind] },
    { header: 'NAME', value: (p) => (p.parseError !== undefined ? `${p.name} (!)` : p.name), shrink: 2, min: 12, style: (t, p) => (p.parseError !== undefined ? styles.warning(c, t) : t) },
    { header: 'ARN', value: (p) => p.arn ?? '-', shrink: 3, min: 10 },
  ];
  const notes = policies
    .filter((p) => p.parseError !== undefined)
    .map((p) => `  ${styles.warning(c, '(!)')} ${sanitize(p.name)}: ${sanitize(p.parseError)}`);
  return [`${styles.heading(c, `Policies (${policies.length})`)}`, policies.length > 0 ? renderTable(policies, columns, { width: target.columns, style: c }) : '  none', ...notes].join('\n');
}

function riskRows(risks: readonly RiskFinding[], target: RenderTarget): string {
  const c = target.style;
  const columns: Array<Column<RiskFinding>> = [
    { header: 'CATEGORY', value: (r) => RISK_CATEGORY_LABELS[r.category], style: (t) => styles.danger(c, t) },
    { header: 'CAPABILITY', value: (r) => r.capability + (r.conditional ? ' (conditional)' : ''), shrink: 2, min: 16 },
    { header: 'ACTIONS', value: (r) => r.actions.join(', '), shrink: 3, min: 12 },
    { header: 'GRANTED BY', value: (r) => statementLabel(r.policy, r.statementIndex, r.grantedBy[0]?.sid) + (r.grantedBy.length > 1 ? ` +${r.grantedBy.length - 1}` : ''), shrink: 1, min: 12 },
  ];
  // The table is indented by two spaces below: fit it to the terminal minus the indent.
  return renderTable(risks, columns, { width: target.columns === undefined ? undefined : target.columns - 2, style: c })
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

function servicesOf(actions: readonly string[]): string[] {
  return [...new Set(actions.map((a) => a.slice(0, a.indexOf(':'))))].sort();
}

function renderHighlights(result: PermissionsResult, target: RenderTarget): string {
  const c = target.style;
  const a = result.analysis;
  const lines: string[] = [styles.heading(c, 'Highlights')];
  if (a.isAdmin) {
    for (const x of a.admin) {
      const what = x.scope === '*' ? '* on *' : `${x.scope}:* on *`;
      lines.push(`  ${styles.danger(c, 'ADMINISTRATOR-EQUIVALENT')}: ${what} via ${statementLabel(x.policy, x.statementIndex)}`);
    }
  } else {
    lines.push(`  Administrator-equivalent: ${styles.ok(c, 'no')}`);
  }
  if (a.risks.length === 0) {
    lines.push(`  High-risk capabilities: ${styles.ok(c, 'none')}`);
  } else {
    lines.push(`  High-risk capabilities (${a.risks.length}):`);
    lines.push(riskRows(a.risks, target));
  }
  if (a.hasBoundary) {
    const name = sanitize(result.principal.boundaryName ?? 'boundary');
    if (a.boundaryLimited.length === 0) {
      lines.push(`  Boundary ${name}: removes nothing the policies grant`);
    } else {
      const svcs = servicesOf(a.boundaryLimited);
      lines.push(
        `  Boundary ${name}: removes ${plural(a.boundaryLimited.length, 'granted action')} (${svcs.slice(0, 8).join(', ')}${svcs.length > 8 ? `, +${svcs.length - 8} more` : ''})`,
      );
    }
  }
  const blocked = a.blockedRisks;
  if (blocked.length > 0) {
    lines.push(`  Blocked high-risk capabilities (granted by policies, taken away):`);
    for (const b of blocked) {
      lines.push(`    ${b.capability} (${RISK_CATEGORY_LABELS[b.category]}): blocked by ${b.blockedBy === 'boundary' ? 'the permissions boundary' : 'an explicit Deny'}`);
    }
  }
  for (const d of a.denyStatements) {
    const what = d.actions ? d.actions.join(', ') : `every action except ${(d.notActions ?? []).join(', ')}`;
    const on = d.notResources ? ` except on ${d.notResources.join(', ')}` : d.resources && !(d.resources.length === 1 && d.resources[0] === '*') ? ` on ${d.resources.join(', ')}` : '';
    const effect = d.removes > 0 ? `removes ${plural(d.removes, 'granted action')}` : d.mayRemove > 0 ? `may remove ${plural(d.mayRemove, 'granted action')}` : 'removes no granted action';
    lines.push(`  Explicit deny${d.conditional ? ' (conditional)' : ''} in ${statementLabel(d.policy, d.statementIndex, d.sid)}: ${sanitize(what)}${sanitize(on)}; ${effect}`);
  }
  for (const s of a.conditionalStatements) {
    lines.push(`  Conditional ${s.effect}: ${statementLabel(s.policy, s.statementIndex, s.sid)} (${sanitize(s.conditionKeys.join(', ') || 'condition')}; not evaluated)`);
  }
  return lines.join('\n');
}

function renderCounts(result: PermissionsResult, target: RenderTarget): string {
  const c = target.style;
  const n = result.analysis.grantedActionCounts;
  const parts = ACCESS_LEVELS.map((l) => `${l} ${n[l]}`).join(' · ');
  const cond = result.analysis.conditionalActionCount > 0 ? `  (${result.analysis.conditionalActionCount} only under conditions)` : '';
  return `${styles.heading(c, `Granted actions: ${n.total}`)}  ${parts}${cond}`;
}

/** JSON-like pretty print where every key and string value is sanitised (newlines kept) and the structure is ours. */
export function prettyDocument(value: unknown, indent = 0): string {
  const pad = '  '.repeat(indent);
  const inner = '  '.repeat(indent + 1);
  const str = (s: string): string => `"${sanitize(s, { keepNewlines: true }).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return str(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + prettyDocument(v, indent + 1)).join(',\n')}\n${pad}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, v]) => `${inner}${str(k)}: ${prettyDocument(v, indent + 1)}`).join(',\n')}\n${pad}}`;
  }
  return str(String(value));
}

function renderDocuments(result: PermissionsResult, target: RenderTarget): string {
  const c = target.style;
  const blocks: string[] = [];
  if (result.principal.trustPolicy?.document !== undefined) {
    blocks.push(`${styles.heading(c, `Trust policy of ${sanitize(result.principal.name)}`)}\n${prettyDocument(result.principal.trustPolicy.document)}`);
  }
  for (const p of result.policies) {
    const head = `${styles.heading(c, `${sanitize(p.name)}`)}  ${sourceLabel(p) === 'direct' ? '' : `${sanitize(sourceLabel(p))}, `}${KIND_LABEL[p.kind]}${p.versionId ? ` ${sanitize(p.versionId)}` : ''}`;
    const body = p.document !== undefined ? prettyDocument(p.document) : styles.warning(c, `(document not available: ${sanitize(p.parseError ?? 'not read')})`);
    blocks.push(`${head.trimEnd()}\n${body}`);
  }
  return blocks.join('\n\n');
}

export function renderPolicies(result: PermissionsResult, target: RenderTarget, options: PoliciesRenderOptions): string {
  const sections = [
    renderPrincipal(result.principal, target, options.now),
    renderPolicyTable(result.policies, target),
    renderHighlights(result, target),
    renderCounts(result, target),
  ];
  if (options.documents) sections.push(renderDocuments(result, target));
  return sections.join('\n\n');
}
