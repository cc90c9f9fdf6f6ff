/**
 * Human output of `findings list` (summary line + table) and `findings show` (the detail view that
 * `investigate` reuses). Every value from GuardDuty or a file is untrusted: tables sanitise cells, the
 * detail view sanitises each value and says when a value carried terminal control sequences.
 */
import type { ChalkInstance } from 'chalk';
import { accessVia, type AccountAccess } from '../core/access.js';
import type { FindingDetail, FindingListItem } from '../core/finding/index.js';
import { SEVERITY_ORDER, severityLevel, type SeverityLevel } from '../core/severity.js';
import { commandLine, gdIr, type RunScope, type Suggestion } from '../core/suggestion.js';
import { displayTime, isoSeconds, relativeTime, wrapText } from './format.js';
import { hasControlCharacters, sanitize } from '../core/sanitize.js';
import { styleSeverity, styleSeverityLevel, styles } from './styles.js';
import { displayWidth, renderTable, type Column } from './table.js';

/** The parts of IO a renderer needs (kept narrow so tests can pass a plain object). */
export interface RenderTarget {
  style: ChalkInstance;
  /** Terminal width, undefined when piped. */
  columns: number | undefined;
  stdoutIsTTY: boolean;
  /** Where the run acted: suggested commands are printed scoped to it (absent: printed bare). */
  scope?: RunScope;
}

export const SAMPLE_MARK = '[SAMPLE]';

/** "Total: 12  High 3 · Medium 8 · Low 1" (Critical first when there is any). */
export function renderSeveritySummary(severities: readonly number[], style: ChalkInstance): string {
  const counts: Record<SeverityLevel, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const s of severities) counts[severityLevel(s)]++;
  const parts = SEVERITY_ORDER.filter((l) => l !== 'critical' || counts.critical > 0).map((l) =>
    styleSeverityLevel(style, l, `${LEVEL_LABEL[l]} ${counts[l]}`),
  );
  return `${style.bold(`Total: ${severities.length}`)}  ${parts.join(' · ')}`;
}

const LEVEL_LABEL: Record<SeverityLevel, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' };

export interface ListRenderOptions {
  /** Add a REGION column (several regions were listed). */
  showRegion: boolean;
  /** Add an ACCOUNT column (the findings span several accounts: a GuardDuty administrator's view). */
  showAccount?: boolean;
  now: Date;
}

type Row = FindingListItem;

/** On a narrow terminal these give way, in this order, so TYPE stays readable and the ID stays whole (copyable). */
const OPTIONAL_COLUMNS = ['REMOTE IP', 'COUNT', 'PRINCIPAL/RESOURCE', 'LAST SEEN'];

export function renderFindingsTable(items: readonly Row[], target: RenderTarget, options: ListRenderOptions): string {
  const tty = target.stdoutIsTTY;
  const all: Array<Column<Row>> = [
    { header: 'SEVERITY', value: (r) => r.summary.severityLabel, style: (t, r) => styleSeverityLevel(target.style, severityLevel(r.summary.severity), t) },
    ...(options.showAccount ? [{ header: 'ACCOUNT', value: (r: Row) => r.summary.accountId } satisfies Column<Row>] : []),
    ...(options.showRegion ? [{ header: 'REGION', value: (r: Row) => r.summary.region } satisfies Column<Row>] : []),
    { header: 'TYPE', value: (r) => (r.summary.sample ? `${SAMPLE_MARK} ${r.summary.type}` : r.summary.type), shrink: 1, min: 16 },
    { header: 'PRINCIPAL/RESOURCE', value: (r) => r.target ?? '-', shrink: 2, min: 10 },
    { header: 'REMOTE IP', value: (r) => r.summary.remoteIp ?? '-', shrink: 1, min: 7 },
    { header: 'COUNT', value: (r) => String(r.summary.count), align: 'right' },
    { header: 'LAST SEEN', value: (r) => displayTime(r.summary.lastSeen ?? r.summary.updatedAt, { tty, now: options.now }) },
    { header: 'ID', value: (r) => r.summary.id, style: (t) => styles.id(target.style, t) },
  ];
  let columns = all;
  if (target.columns !== undefined) {
    for (const drop of OPTIONAL_COLUMNS) {
      if (minimumWidth(items, columns) <= target.columns) break;
      columns = columns.filter((c) => c.header !== drop);
    }
  }
  return renderTable(items, columns, { width: target.columns, style: target.style });
}

/** Below these widths TYPE and PRINCIPAL stop being readable; an optional column goes first. */
const COMFORTABLE: Record<string, number> = { TYPE: 24, 'PRINCIPAL/RESOURCE': 16 };

/** Width of the table with TYPE and PRINCIPAL at a readable width and the other columns whole. */
function minimumWidth(items: readonly Row[], columns: ReadonlyArray<Column<Row>>): number {
  const widths = columns.map((c) => {
    const natural = Math.max(displayWidth(c.header), ...items.map((r) => displayWidth(sanitize(c.value(r)))));
    const comfortable = COMFORTABLE[c.header];
    return comfortable === undefined ? natural : Math.min(natural, comfortable);
  });
  return widths.reduce((a, b) => a + b, 0) + 2 * (columns.length - 1);
}

/** The whole list view: summary line, blank line, table. Empty lists are the caller's business ("No findings match."). */
export function renderFindingsList(items: readonly Row[], target: RenderTarget, options: ListRenderOptions): string {
  return `${renderSeveritySummary(items.map((i) => i.summary.severity), target.style)}\n\n${renderFindingsTable(items, target, options)}`;
}

// -------------------------------------------------------------------------------------------------------------
// Detail view

export const CONTROL_NOTE = 'contained terminal control sequences — shown sanitised';

export interface DetailRenderOptions {
  /** Where the run acted (the suggested commands carry its account, and the finding's region when it differs). */
  scope?: RunScope;
  /** How gd-ir reaches (or would reach) the finding's account to read (trail, IAM) and to act (containment). */
  access?: { read: AccountAccess; write?: AccountAccess };
}

/** "yours", or the role/profile gd-ir would use, for reads and for changes. */
function accessLines(access: { read: AccountAccess; write?: AccountAccess }): Field[] {
  const { read, write } = access;
  if (read.via === 'caller') return [['Reached with', 'your own credentials (this is your account)']];
  if (read.via === 'none') return [['Reached with', `member account: ${accessVia(read)}; see docs/multi-account.md`]];
  const how = (a: AccountAccess): string => accessVia(a);
  if (!write) return [['Read with', `${how(read)} (member account)`]];
  const same = read.via === write.via && read.roleArn === write.roleArn && read.profile === write.profile;
  return same ? [['Reached with', `${how(read)} (member account; reads and changes)`]] : [['Read with', `${how(read)} (member account)`], ['Act with', how(write)]];
}

type Field = [string, string | undefined];

/** Sanitised value, flagged when the raw value carried control characters or bidi overrides. */
function v(style: ChalkInstance, value: string | number | null | undefined): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const text = sanitize(value);
  return hasControlCharacters(value) ? `${text}  ${styles.warning(style, `⚠ ${CONTROL_NOTE}`)}` : text;
}

function when(value: string | null, target: RenderTarget, now: Date): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return sanitize(value);
  return target.stdoutIsTTY ? `${isoSeconds(d)} (${relativeTime(d, now)})` : isoSeconds(d);
}

function section(style: ChalkInstance, title: string, fields: readonly Field[], label: number, width?: number): string | undefined {
  const present = fields.filter(([, val]) => val !== undefined && val !== '');
  if (present.length === 0) return undefined;
  const lines = present.map(([k, val]) => wrapText(val ?? '', width, `  ${style.dim(k.padEnd(label))}  `, ' '.repeat(label + 4)));
  return `${styles.heading(style, title)}\n${lines.join('\n')}`;
}

function yesNo(b: boolean | null): string | undefined {
  return b === null ? undefined : b ? 'yes' : 'no';
}

const ACTION_TYPES: Record<string, string> = {
  AWS_API_CALL: 'AWS API call',
  NETWORK_CONNECTION: 'network connection',
  DNS_REQUEST: 'DNS request',
  PORT_PROBE: 'port probe',
  KUBERNETES_API_CALL: 'Kubernetes API call',
  RDS_LOGIN_ATTEMPT: 'RDS login attempt',
  KUBERNETES_PERMISSION_CHECKED: 'Kubernetes permission check',
  KUBERNETES_ROLE_BINDING_DETAILS: 'Kubernetes role binding',
  KUBERNETES_ROLE_DETAILS: 'Kubernetes role',
};

/**
 * The detail view, top to bottom in the GuardDuty console's order but denser: what happened, severity, when,
 * resource affected, action, actor, threat intelligence, data source, status (archived, account, region),
 * then the commands to run next.
 */
export function renderFindingDetail(d: FindingDetail, target: RenderTarget, now: Date, options: DetailRenderOptions = {}): string {
  const s = target.style;
  const out: string[] = [];
  const L = 15;
  const sample = d.sample ? `${s.bold.yellow(SAMPLE_MARK)} ` : '';
  out.push(`${sample}${s.bold(v(s, d.type) ?? '')}  ${styleSeverity(s, d.severity)} (${d.severity})`);
  if (d.title) out.push(v(s, d.title) ?? '');
  if (d.sample) out.push(styles.warning(s, 'This is a sample finding (generated by CreateSampleFindings), not real activity.'));

  const blocks: Array<string | undefined> = [];
  const what: string[] = [styles.heading(s, 'What happened')];
  if (d.description) {
    what.push(wrapText(v(s, d.description) ?? '', target.columns, '  ', '  '));
  }
  what.push(wrapText(v(s, d.typeExplained.text) ?? '', target.columns, `  ${s.dim('Type'.padEnd(L))}  `, ' '.repeat(L + 4)));
  blocks.push(what.join('\n'));

  blocks.push(
    section(
      s,
      'When',
      [
        ['First seen', when(d.firstSeen, target, now)],
        ['Last seen', when(d.lastSeen, target, now)],
        ['Count', String(d.count)],
        ['Created', when(d.createdAt, target, now)],
        ['Updated', when(d.updatedAt, target, now)],
      ],
      L,
      target.columns,
    ),
  );

  const r = d.resource;
  const resourceFields: Field[] = [
    ['Resource type', v(s, r.resourceType)],
    ['Resource role', v(s, r.resourceRole)],
  ];
  if (r.accessKey) {
    resourceFields.push(
      ['User name', v(s, r.accessKey.userName)],
      ['User type', v(s, r.accessKey.userType)],
      ['Access key ID', v(s, r.accessKey.accessKeyId)],
      ['Principal ID', v(s, r.accessKey.principalId)],
    );
  }
  if (r.instance) {
    const i = r.instance;
    resourceFields.push(
      ['Instance ID', v(s, i.instanceId)],
      ['Name', v(s, i.name)],
      ['Instance type', v(s, i.instanceType)],
      ['State', v(s, i.instanceState)],
      ['Zone', v(s, i.availabilityZone)],
      ['Image', v(s, i.imageId)],
      ['Launched', when(i.launchTime, target, now)],
      ['Profile', v(s, i.iamInstanceProfileArn)],
      ['Public IP', v(s, i.publicIps.join(', '))],
      ['Private IP', v(s, i.privateIps.join(', '))],
      ['VPC / subnet', v(s, [i.vpcId, i.subnetId].filter(Boolean).join(' / '))],
      ['Security groups', v(s, i.securityGroups.join(', '))],
    );
    for (const t of i.tags) if (t.key !== 'Name') resourceFields.push([`Tag ${sanitize(t.key, { maxLength: 20 })}`, v(s, t.value)]);
  }
  for (const b of r.s3Buckets) {
    resourceFields.push(['Bucket', v(s, [b.name, b.type ? `(${b.type})` : null, b.effectivePermission ? `access ${b.effectivePermission}` : null].filter(Boolean).join(' '))]);
  }
  if (r.eksCluster) {
    resourceFields.push(['EKS cluster', v(s, r.eksCluster.name)], ['Cluster ARN', v(s, r.eksCluster.arn)], ['Cluster VPC', v(s, r.eksCluster.vpcId)]);
  }
  if (r.kubernetesUser) {
    resourceFields.push(['Kubernetes user', v(s, r.kubernetesUser.username)], ['Groups', v(s, r.kubernetesUser.groups.join(', '))]);
  }
  blocks.push(section(s, 'Resource affected', resourceFields, L, target.columns));

  blocks.push(...runtimeSections(d, s, target, now, L));

  const a = d.action;
  blocks.push(
    section(
      s,
      'Action',
      [
        ['Action type', a.actionType ? (ACTION_TYPES[a.actionType] ?? v(s, a.actionType)) : undefined],
        ['API', v(s, a.api)],
        ['Service', v(s, a.serviceName)],
        ['Caller type', v(s, a.callerType)],
        ['Error code', v(s, a.errorCode)],
        ['Domain', v(s, a.domain)],
        ['Direction', v(s, a.connectionDirection)],
        ['Protocol', v(s, a.protocol)],
        ['Local port', v(s, a.localPort)],
        ['Remote port', v(s, a.remotePort)],
        ['Blocked', yesNo(a.blocked)],
        ['Verb', v(s, a.verb)],
        ['Request URI', v(s, a.requestUri)],
        ['User agent', v(s, a.userAgent)],
      ],
      L,
      target.columns,
    ),
  );

  const actor = d.actor;
  if (actor) {
    const location = [actor.city, actor.country].filter((x): x is string => !!x).join(', ');
    const code = actor.countryCode ? ` (${actor.countryCode})` : '';
    blocks.push(
      section(
        s,
        'Actor',
        [
          ['Remote IP', v(s, actor.ipAddress)],
          ['Location', location ? `${v(s, location)}${v(s, code) ?? ''}` : undefined],
          ['ASN', v(s, [actor.asn, actor.asnOrg].filter(Boolean).join(' '))],
          ['ISP', v(s, actor.isp)],
          ['Organisation', v(s, actor.org)],
          ['Geolocation', actor.geoLocation ? `${actor.geoLocation.lat}, ${actor.geoLocation.lon}` : undefined],
        ],
        L,
        target.columns,
      ),
    );
  }

  const t = d.threatIntel;
  blocks.push(
    section(
      s,
      'Threat intelligence',
      [
        ['Threat list', v(s, t.threatListName)],
        ['Threat names', v(s, t.threatNames.join(', '))],
        ['Listed IP', t.threatListName && actor?.ipAddress ? v(s, actor.ipAddress) : undefined],
      ],
      L,
      target.columns,
    ),
  );

  blocks.push(
    section(
      s,
      'Data source',
      [
        ['Source', d.dataSource.name],
        ['Check next', d.dataSource.checkNext ?? undefined],
      ],
      L,
      target.columns,
    ),
  );

  blocks.push(
    section(
      s,
      'Status',
      [
        ['Archived', d.archived ? 'yes' : 'no'],
        ['Account', v(s, d.accountId)],
        ...(options.access ? accessLines(options.access) : []),
        ['Region', v(s, d.region)],
        ['Detector', v(s, d.detectorId)],
        ['Finding ID', v(s, d.id)],
      ],
      L,
      target.columns,
    ),
  );

  const next = nextCommands(d).map((c) => commandLine(c, options.scope ?? target.scope ?? {}));
  blocks.push(`${styles.heading(s, 'Next:')}\n${next.map((c) => `  ${styles.command(s, c)}`).join('\n')}`);

  return [out.join('\n'), ...blocks.filter((b): b is string => b !== undefined)].join('\n\n');
}

/**
 * Runtime Monitoring findings: the process GuardDuty's agent saw, its lineage, what the finding type is about (the
 * socket, file, module or tool) and the container. The data-source line tells the analyst to read these.
 */
function runtimeSections(d: FindingDetail, s: ChalkInstance, target: RenderTarget, now: Date, L: number): Array<string | undefined> {
  const rt = d.runtime;
  if (!rt) return [];
  const p = rt.process;
  const processFields: Field[] = p
    ? [
        ['Process', v(s, [p.name, p.pid !== null ? `(pid ${p.pid}${p.namespacePid !== null ? `, ${p.namespacePid} in its namespace` : ''})` : null].filter(Boolean).join(' '))],
        ['Executable', v(s, p.executablePath)],
        ['SHA-256', v(s, p.executableSha256)],
        ['User', v(s, [p.user, p.userId !== null ? `uid ${p.userId}` : null, p.euid !== null && p.euid !== p.userId ? `euid ${p.euid}` : null].filter(Boolean).join(', '))],
        ['Working dir', v(s, p.pwd)],
        ['Started', when(p.startTime, target, now)],
      ]
    : [];
  const lineage = rt.lineage
    .map((a) => [a.name ?? a.executablePath, a.pid !== null ? `(pid ${a.pid})` : null].filter(Boolean).join(' '))
    .filter((x) => x !== '');
  if (lineage.length > 0) processFields.push(['Lineage', v(s, `${lineage.join(' ← ')} (parent first)`)]);
  const c = rt.container;
  const containerFields: Field[] = c
    ? [
        ['Container', v(s, [c.name, c.id ? `(${c.id})` : null].filter(Boolean).join(' '))],
        ['Runtime', v(s, c.runtime)],
        ['Image', v(s, c.image)],
        ['Privileged', yesNo(c.privileged)],
        ['Escalation', c.allowPrivilegeEscalation === null ? undefined : c.allowPrivilegeEscalation ? 'allowed' : 'not allowed'],
        ['Volumes', v(s, c.volumeMounts.map((m) => [m.name, m.mountPath].filter(Boolean).join(' → ')).join(', '))],
      ]
    : [];
  return [
    section(s, 'Runtime process', processFields, L, target.columns),
    section(s, 'Runtime context', rt.context.map((x): Field => [x.label, v(s, x.value)]), L, target.columns),
    section(s, 'Container', containerFields, L, target.columns),
  ];
}

const SAFE_ARG = /^[A-Za-z0-9+=,.@_:/-]+$/;

/** Commands worth running next, in the finding's region; values that would need shell quoting are left out rather than quoted. */
export function nextCommands(d: FindingDetail): Suggestion[] {
  const region = d.region && /^[a-z0-9-]+$/.test(d.region) ? d.region : undefined;
  const cmds: Suggestion[] = [];
  if (SAFE_ARG.test(d.id)) cmds.push(gdIr(['investigate', d.id], 'investigate', false, region));
  const key = d.principal?.accessKeyId;
  if (key && /^(AKIA|ASIA)[A-Z0-9]{12,124}$/.test(key)) cmds.push(gdIr(['trail', '--key', key], 'read', false, region));
  else if (SAFE_ARG.test(d.id)) cmds.push(gdIr(['trail', '--finding', d.id], 'read', false, region));
  return cmds;
}
