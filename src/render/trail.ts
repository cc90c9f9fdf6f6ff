/**
 * Human rendering of a trail: the summary an analyst reads first (what the principal did, from where,
 * with what, what failed, which temporary credentials it minted), then the timeline. Every string
 * from CloudTrail is attacker-controllable and goes through sanitize (the tables do it per cell).
 */
import type { ChalkInstance } from 'chalk';
import { sourceLine } from './trail-progress.js';
import { CATEGORY_LABELS, type EventCategory } from '../core/event-classification.js';
import { failureLabel, hasActiveFilters, type TrailEvent, type TrailResult } from '../core/trail/index.js';
import { displayTime, humanDuration, isoSeconds, plural, wrapText } from './format.js';
import { hasControlCharacters, sanitize } from '../core/sanitize.js';
import { renderFields, renderTable, type Column } from './table.js';

export interface TrailRenderOptions {
  style: ChalkInstance;
  /** Terminal width (undefined when piped). */
  columns: number | undefined;
  /** Relative times on a TTY, ISO-8601 otherwise. */
  tty: boolean;
  now: Date;
  oldestFirst?: boolean;
  /** How many rows the "by API" table shows. */
  topApis?: number;
}

const CONTROL_MARK = '[!] ';

const CATEGORY_STYLE: Record<EventCategory, (c: ChalkInstance) => ChalkInstance> = {
  'credential-access': (c) => c.red,
  persistence: (c) => c.red,
  'privilege-escalation': (c) => c.red,
  'defense-evasion': (c) => c.red,
  'exfiltration-impact': (c) => c.red,
  reconnaissance: (c) => c.yellow,
  ordinary: (c) => c.dim,
};

/** `iam.amazonaws.com` → `iam`. */
export function shortSource(eventSource: string): string {
  return eventSource.replace(/\.amazonaws\.com$/, '');
}

/** The tool and its version, then the platform: `aws-cli/2.15.30 Python/3.11.8` (40 characters at most). */
export function shortUserAgent(userAgent: string | undefined): string {
  if (!userAgent) return '';
  const clean = sanitize(userAgent);
  const tokens = clean.split(/\s+/).filter(Boolean);
  const short = tokens.slice(0, 2).join(' ');
  return short.length > 40 ? `${short.slice(0, 39)}…` : short;
}

export function describePrincipal(result: TrailResult): string {
  const p = result.principal;
  const lookup = result.request.lookup;
  if (lookup.attribute === 'AccessKeyId') {
    return `access key ${sanitize(lookup.value)}${p.userName ? ` (${sanitize(p.userName)})` : ''}`;
  }
  return `user ${sanitize(lookup.value)}`;
}

function filtersText(result: TrailResult): string | undefined {
  const f = result.request.filters;
  if (!hasActiveFilters(f)) return undefined;
  const parts: string[] = [];
  if (f.events.length > 0) parts.push(`event ${f.events.map((e) => sanitize(e)).join(', ')}`);
  if (f.source) parts.push(`source ${sanitize(f.source)}`);
  if (f.ip) parts.push(`IP ${sanitize(f.ip)}`);
  if (f.errorsOnly) parts.push('errors only');
  if (f.access === 'read') parts.push('read-only calls');
  if (f.access === 'write') parts.push('write calls');
  return parts.join(' · ');
}

export function renderTrail(result: TrailResult, opts: TrailRenderOptions): string {
  const c = opts.style;
  const t = (v: string | undefined): string => displayTime(v, { tty: opts.tty, now: opts.now });
  const s = result.summary;
  const out: string[] = [];
  const heading = (text: string): string => c.bold(text);
  const table = <Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string =>
    renderTable(rows, columns, { width: opts.columns === undefined ? undefined : opts.columns - 2, style: c })
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n');

  out.push(heading(`CloudTrail activity of ${describePrincipal(result)}`));
  const req = result.request;
  const windowMs = req.window.end.getTime() - req.window.start.getTime();
  const eventsLine =
    s.totalEvents === 0
      ? 'none'
      : `${s.totalEvents}${hasActiveFilters(req.filters) ? ` of ${result.fetchedEvents} fetched` : ''} · ${s.readOnlyEvents} read · ${s.writeEvents} write · ${plural(s.errorEvents, 'error')}` +
        (s.derivedEvents > 0 ? ` · ${s.derivedEvents} with derived credentials` : '');
  out.push(
    renderFields(
      [
        ['Principal', result.principal.arn ? sanitize(result.principal.arn) : undefined],
        ['Lookup', `${req.lookup.attribute} = ${sanitize(req.lookup.value)}`],
        ['Window', `${isoSeconds(req.window.start)} → ${isoSeconds(req.window.end)} (${humanDuration(windowMs)})`],
        ['Regions', req.regions.join(', ')],
        ['Finding', req.findingId ? `${req.findingId}${req.findingIp ? ` (remote IP ${sanitize(req.findingIp)})` : ''}` : undefined],
        ['Source', result.source && result.source.kind !== 'lookup' ? sanitize(sourceLine(result.source)) : undefined],
        ['Filters', filtersText(result)],
        ['Events', eventsLine + (result.truncated ? c.yellow(' (truncated at --max-events)') : '')],
        ['First', s.firstEvent ? t(s.firstEvent) : undefined],
        ['Last', s.lastEvent ? t(s.lastEvent) : undefined],
      ],
      c,
    ),
  );

  if (s.controlCharacterEvents > 0) {
    out.push('');
    out.push(
      c.yellow(
        `${CONTROL_MARK}${plural(s.controlCharacterEvents, 'event')} had terminal control characters in user agent or parameters (raw in --json)`,
      ),
    );
  }

  if (s.totalEvents > 0) {
    out.push('', heading('What it did'));
    out.push(
      table(s.categories, [
        { header: 'Category', value: (r) => CATEGORY_LABELS[r.category], style: (text, r) => CATEGORY_STYLE[r.category](c)(text) },
        { header: 'Events', value: (r) => String(r.count), align: 'right' },
        { header: 'APIs', value: (r) => r.apis.join(', '), shrink: 1 },
      ]),
    );

    out.push('', heading('Source IPs'));
    out.push(
      table(s.sourceIps, [
        { header: 'Source IP', value: (r) => r.ip, style: (text, r) => (r.findingIp ? c.red.bold(text) : text) },
        { header: 'Events', value: (r) => String(r.count), align: 'right' },
        { header: 'First', value: (r) => t(r.first) },
        { header: 'Last', value: (r) => t(r.last) },
        { header: 'Note', value: (r) => (r.findingIp ? "the finding's remote IP" : ''), style: (text) => c.red(text) },
      ]),
    );

    out.push('', heading('User agents'));
    out.push(
      table(s.userAgents, [
        { header: 'User agent', value: (r) => (hasControlCharacters(r.userAgent) ? CONTROL_MARK : '') + sanitize(r.userAgent), shrink: 1, min: 20 },
        { header: 'Events', value: (r) => String(r.count), align: 'right' },
        { header: 'First', value: (r) => t(r.first) },
        { header: 'Last', value: (r) => t(r.last) },
      ]),
    );

    const top = opts.topApis ?? 15;
    out.push('', heading(s.byApi.length > top ? `Calls by API (top ${top} of ${s.byApi.length})` : 'Calls by API'));
    out.push(
      table(s.byApi.slice(0, top), [
        { header: 'API', value: (r) => r.eventName },
        { header: 'Service', value: (r) => shortSource(r.eventSource) },
        { header: 'Events', value: (r) => String(r.count), align: 'right' },
        { header: 'Errors', value: (r) => (r.errors > 0 ? String(r.errors) : ''), align: 'right' },
        { header: 'Category', value: (r) => CATEGORY_LABELS[r.category], style: (text, r) => CATEGORY_STYLE[r.category](c)(text) },
      ]),
    );
    out.push(
      renderFields(
        [
          ['By service', s.byService.map((x) => `${sanitize(shortSource(x.eventSource))} ${x.count}`).join(' · ')],
          ['By region', s.regions.map((x) => `${sanitize(x.region)} ${x.count}`).join(' · ')],
        ],
        c,
      ),
    );

    if (s.errors.total > 0) {
      out.push('', heading(`Errors (${s.errors.total})`));
      const parts = [
        ...s.errors.byCode.map((e) => `${sanitize(e.code)} ${e.count}`),
        // Failures recorded without an errorCode (a failed console sign-in): the event, its message, the count.
        ...s.errors.withoutCode.map((w) => `${sanitize(w.eventName)} failed${w.message ? ` (${sanitize(w.message)})` : ''} ${w.count}`),
      ];
      const lines = [wrapText(parts.join(' · '), opts.columns, '  ', '  ')];
      for (const b of s.errors.accessDeniedBursts.filter((x) => x.count > 1)) {
        lines.push(
          wrapText(`${b.count} calls ${t(b.first)} → ${t(b.last)} (${b.apis.map((a) => sanitize(a)).join(', ')})`, opts.columns, `  ${c.red('Access-denied burst')}: `, '    '),
        );
      }
      out.push(lines.join('\n'));
    }
  }

  if (result.derivedCredentials.length > 0) {
    out.push('', heading(`Derived credentials (${result.derivedCredentials.length}) — still valid after the key is deactivated, until they expire`));
    out.push(
      table(result.derivedCredentials, [
        { header: 'Access key', value: (r) => r.accessKeyId, style: (text) => c.cyan(text) },
        { header: 'Via', value: (r) => r.via },
        { header: 'Issued', value: (r) => t(r.issuedAt) },
        { header: 'Expires', value: (r) => (r.expiresAt ? t(r.expiresAt) : (r.expiration ?? '')) },
        { header: 'Region', value: (r) => r.region },
        { header: 'Source IP', value: (r) => r.sourceIp ?? '' },
        { header: 'User agent', value: (r) => shortUserAgent(r.userAgent), shrink: 1 },
      ]),
    );
    if (!req.follow) out.push(c.dim(`  add --follow to include their activity in this trail`));
  }

  out.push('', heading(`Timeline (${opts.oldestFirst ? 'oldest' : 'newest'} first, ${plural(result.events.length, 'event')})`));
  if (result.events.length === 0) {
    out.push(`  No events${hasActiveFilters(req.filters) ? ' match the filters' : ''} in this window.`);
  } else {
    const rows = opts.oldestFirst ? [...result.events].reverse() : result.events;
    out.push(renderTimelineTable(rows, opts, req.findingIp));
  }
  return out.join('\n');
}

/** The timeline table alone (one row per event, indented), for the trail and the triage console's pages. */
export function renderTimelineTable(rows: readonly TrailEvent[], opts: TrailRenderOptions, findingIp?: string): string {
  const c = opts.style;
  const t = (v: string | undefined): string => displayTime(v, { tty: opts.tty, now: opts.now });
  const anyDerived = rows.some((e) => e.derived);
  const columns: Column<TrailEvent>[] = [
    { header: 'Time', value: (e) => t(e.time) },
    { header: 'Region', value: (e) => e.region },
    { header: 'Source', value: (e) => shortSource(e.eventSource) },
    { header: 'API', value: (e) => e.eventName, style: (text, e) => (e.category === 'ordinary' ? text : CATEGORY_STYLE[e.category](c)(text)), shrink: 1, min: 14 },
    { header: 'Source IP', value: (e) => e.sourceIp ?? '', style: (text, e) => (findingIp && e.sourceIp === findingIp ? c.red(text) : text) },
    { header: 'User agent', value: (e) => (e.controlCharacters ? CONTROL_MARK : '') + shortUserAgent(e.userAgent), shrink: 2, min: 12 },
    { header: 'Error', value: (e) => failureLabel(e) ?? '', style: (text) => c.red(text), shrink: 1, min: 6 },
  ];
  // The minimum widths add up to 96 columns with the derived-key column (gaps included), so the table fits
  // a 100-column terminal after its 2-column indent.
  if (anyDerived) {
    // On a terminal the key is abbreviated: the Derived credentials table above has it in full.
      const key = (k: string | undefined): string => (opts.columns !== undefined && k && k.length > 12 ? `${k.slice(0, 4)}…${k.slice(-5)}` : (k ?? '?'));
      columns.push({ header: 'Derived key', value: (e) => (e.derived ? key(e.accessKeyId) : ''), style: (text) => c.cyan(text) });
  }
  return renderTable(rows, columns, { width: opts.columns === undefined ? undefined : opts.columns - 2, style: c })
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
