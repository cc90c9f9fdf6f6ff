/**
 * The SQL gd-ir sends to Athena over a CloudTrail table: one parameterised query per principal
 * selector, every value a `?` execution parameter, the partition predicate of the window first.
 *
 * The dialect is a subset that Athena engine v3 (Trino) and DuckDB (the sandbox's engine) both accept,
 * documented in docs/sources.md: SELECT of columns and struct fields (`useridentity.accesskeyid`),
 * `CAST(x AS JSON)`, `=`, `>=`, `<=`, `IN`, `LIKE … ESCAPE`, `AND`/`OR`, `ORDER BY`, double-quoted
 * identifiers and single-quoted string literals. No engine-specific functions.
 *
 * Execution parameters are SQL literals, substituted in order (Athena User Guide, "Use execution
 * parameters"; a string is passed with its single quotes): every value is validated first and then
 * quoted with `'` doubled, so no value can end its literal. Identifiers (database, table) are checked
 * against Athena's naming rules and double-quoted. Pure.
 */
import { UsageError } from '../errors.js';
import { sanitize } from '../sanitize.js';
import { deliveryDays, isAccountId, isRegionName } from './layout.js';
import type { LogQuery, PrincipalSelector } from './match.js';

/** The partition columns gd-ir knows how to prune on (its own `athena setup` tables, and AWS's). */
export type AthenaPartition = 'timestamp' | 'account' | 'region';
export const KNOWN_PARTITIONS: readonly AthenaPartition[] = ['timestamp', 'account', 'region'];

export interface AthenaTableRef {
  database: string;
  table: string;
  /** The table's partition keys that gd-ir recognises (from Glue GetTable; `athena setup` makes them). */
  partitions: readonly AthenaPartition[];
}

export interface AthenaQuery {
  sql: string;
  /** Literals for the `?` placeholders, in order. */
  parameters: string[];
  selector: PrincipalSelector;
}

/**
 * Athena names: lower-case letters, digits and underscores (Athena User Guide, "Name databases,
 * tables, and columns"). Upper case is accepted and folded, as Athena does.
 */
const NAME = /^[A-Za-z0-9_]{1,255}$/;

export function parseAthenaTable(value: string): { database: string; table: string } {
  const m = /^([^.]+)\.([^.]+)$/.exec(value);
  if (!m || !NAME.test(m[1] as string) || !NAME.test(m[2] as string)) {
    throw new UsageError(`invalid Athena table '${sanitize(value, { maxLength: 80 })}': expected athena:<database>.<table> with letters, digits and underscores`);
  }
  return { database: (m[1] as string).toLowerCase(), table: (m[2] as string).toLowerCase() };
}

export function quoteIdentifier(name: string): string {
  if (!NAME.test(name)) throw new UsageError(`invalid Athena name '${sanitize(name, { maxLength: 80 })}'`);
  return `"${name.toLowerCase()}"`;
}

/** A string literal for an execution parameter: single-quoted, quotes doubled. */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

const KEY = /^(AKIA|ASIA)[A-Z0-9]{12,124}$/;
const PRINCIPAL_NAME = /^[\w+=,.@-]{1,128}$/;

function checkValue(s: PrincipalSelector): string {
  const ok = s.attribute === 'AccessKeyId' ? KEY.test(s.value) : PRINCIPAL_NAME.test(s.value);
  if (!ok) throw new UsageError(`refusing to query Athena for ${s.attribute} '${sanitize(s.value, { maxLength: 80 })}': not a valid ${s.attribute === 'AccessKeyId' ? 'access key ID' : 'IAM or session name'}`);
  return s.value;
}

/** Seconds-precision ISO text, as CloudTrail writes `eventTime` (so string comparison is time order). */
export function isoSecond(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

/** The columns read, in order; `recordFromRow` turns a row back into a CloudTrail record. */
export const SELECT_COLUMNS: ReadonlyArray<readonly [expression: string, alias: string]> = [
  ['eventid', 'eventid'],
  ['eventtime', 'eventtime'],
  ['eventsource', 'eventsource'],
  ['eventname', 'eventname'],
  ['awsregion', 'awsregion'],
  ['sourceipaddress', 'sourceipaddress'],
  ['useragent', 'useragent'],
  ['errorcode', 'errorcode'],
  ['errormessage', 'errormessage'],
  ['readonly', 'readonly'],
  ['eventtype', 'eventtype'],
  ['eventcategory', 'eventcategory'],
  ['recipientaccountid', 'recipientaccountid'],
  ['requestid', 'requestid'],
  ['requestparameters', 'requestparameters'],
  ['responseelements', 'responseelements'],
  ['additionaleventdata', 'additionaleventdata'],
  ['useridentity.type', 'ui_type'],
  ['useridentity.principalid', 'ui_principalid'],
  ['useridentity.arn', 'ui_arn'],
  ['useridentity.accountid', 'ui_accountid'],
  ['useridentity.accesskeyid', 'ui_accesskeyid'],
  ['useridentity.username', 'ui_username'],
  ['useridentity.invokedby', 'ui_invokedby'],
  ['useridentity.sessioncontext.sessionissuer.type', 'ui_issuer_type'],
  ['useridentity.sessioncontext.sessionissuer.arn', 'ui_issuer_arn'],
  ['useridentity.sessioncontext.sessionissuer.username', 'ui_issuer_username'],
  ['useridentity.sessioncontext.attributes.creationdate', 'ui_creationdate'],
  ['useridentity.sessioncontext.attributes.mfaauthenticated', 'ui_mfa'],
  ['CAST(resources AS JSON)', 'resources'],
];

/**
 * One query for one selector. The partition predicate (`timestamp` between the first and last
 * delivery day, the accounts and regions when they are partitions) comes first, so Athena reads only
 * the window's objects; the eventtime predicate then trims to the window itself.
 */
export function buildSelectorQuery(table: AthenaTableRef, q: LogQuery, selector: PrincipalSelector): AthenaQuery {
  const params: string[] = [];
  const p = (v: string): string => {
    params.push(literal(v));
    return '?';
  };
  const where: string[] = [];
  const startMs = Math.max(q.window.start.getTime(), selector.fromMs ?? -Infinity);
  const window = { start: new Date(startMs), end: q.window.end };
  if (table.partitions.includes('timestamp')) {
    const days = deliveryDays(window);
    where.push(`"timestamp" >= ${p(days[0] as string)} AND "timestamp" <= ${p(days[days.length - 1] as string)}`);
  }
  if (q.accounts && q.accounts.length > 0) {
    for (const a of q.accounts) if (!isAccountId(a)) throw new UsageError(`invalid account ID '${sanitize(a, { maxLength: 40 })}'`);
    const column = table.partitions.includes('account') ? '"account"' : 'recipientaccountid';
    where.push(`${column} IN (${q.accounts.map((a) => p(a)).join(', ')})`);
  }
  if (q.regions && q.regions.length > 0) {
    for (const r of q.regions) if (!isRegionName(r)) throw new UsageError(`invalid region '${sanitize(r, { maxLength: 40 })}'`);
    if (table.partitions.includes('region')) where.push(`"region" IN (${q.regions.map((r) => p(r)).join(', ')})`);
    where.push(`awsregion IN (${q.regions.map((r) => p(r)).join(', ')})`);
  }
  where.push(`eventtime >= ${p(isoSecond(window.start.getTime()))} AND eventtime <= ${p(isoSecond(window.end.getTime()))}`);
  const value = checkValue(selector);
  if (selector.attribute === 'AccessKeyId') {
    where.push(`useridentity.accesskeyid = ${p(value)}`);
  } else {
    // A superset of LookupEvents' Username (user name, role session name, root, issuer name); each row
    // is checked again with the shared matcher on arrival.
    const like = `%/${value.replace(/[\\%_]/g, (c) => `\\${c}`)}`;
    const alternatives = [
      `useridentity.username = ${p(value)}`,
      `useridentity.sessioncontext.sessionissuer.username = ${p(value)}`,
      `(useridentity.type IN ('AssumedRole', 'FederatedUser') AND useridentity.arn LIKE ${p(like)} ESCAPE '\\')`,
    ];
    if (value === 'root') alternatives.push(`useridentity.type = 'Root'`);
    where.push(`(${alternatives.join(' OR ')})`);
  }
  const columns = SELECT_COLUMNS.map(([e, a]) => (e === a ? e : `${e} AS ${a}`)).join(', ');
  const sql = `SELECT ${columns} FROM ${quoteIdentifier(table.database)}.${quoteIdentifier(table.table)} WHERE ${where.join(' AND ')} ORDER BY eventtime DESC, eventid`;
  return { sql, parameters: params, selector };
}

/** One query per selector of the log query. */
export function buildQueries(table: AthenaTableRef, q: LogQuery): AthenaQuery[] {
  return q.selectors.map((s) => buildSelectorQuery(table, q, s));
}

const nonEmpty = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v);

function jsonOrNull(text: string | undefined): unknown {
  if (text === undefined || text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A result row (column alias → text, absent for NULL) back to a CloudTrail record. */
export function recordFromRow(row: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
  const v = (k: string): string | undefined => nonEmpty(row[k]);
  const issuer = v('ui_issuer_type') || v('ui_issuer_arn') || v('ui_issuer_username')
    ? { sessionIssuer: { ...(v('ui_issuer_type') ? { type: v('ui_issuer_type') } : {}), ...(v('ui_issuer_arn') ? { arn: v('ui_issuer_arn') } : {}), ...(v('ui_issuer_username') ? { userName: v('ui_issuer_username') } : {}) } }
    : {};
  const attributes = v('ui_creationdate') || v('ui_mfa') ? { attributes: { ...(v('ui_creationdate') ? { creationDate: v('ui_creationdate') } : {}), ...(v('ui_mfa') ? { mfaAuthenticated: v('ui_mfa') } : {}) } } : {};
  const session = Object.keys(issuer).length + Object.keys(attributes).length > 0 ? { sessionContext: { ...attributes, ...issuer } } : {};
  const userIdentity: Record<string, unknown> = {};
  for (const [k, col] of [['type', 'ui_type'], ['principalId', 'ui_principalid'], ['arn', 'ui_arn'], ['accountId', 'ui_accountid'], ['accessKeyId', 'ui_accesskeyid'], ['userName', 'ui_username'], ['invokedBy', 'ui_invokedby']] as const) {
    const x = v(col);
    if (x !== undefined) userIdentity[k] = x;
  }
  Object.assign(userIdentity, session);
  const resources = jsonOrNull(v('resources'));
  const out: Record<string, unknown> = {
    eventTime: v('eventtime'),
    eventSource: v('eventsource'),
    eventName: v('eventname'),
    awsRegion: v('awsregion'),
    sourceIPAddress: v('sourceipaddress'),
    userAgent: v('useragent'),
    userIdentity,
    requestParameters: jsonOrNull(v('requestparameters')),
    responseElements: jsonOrNull(v('responseelements')),
    eventID: v('eventid'),
  };
  const optional: Array<[string, unknown]> = [
    ['errorCode', v('errorcode')],
    ['errorMessage', v('errormessage')],
    ['readOnly', v('readonly') === 'true' ? true : v('readonly') === 'false' ? false : undefined],
    ['eventType', v('eventtype')],
    ['eventCategory', v('eventcategory')],
    ['recipientAccountId', v('recipientaccountid')],
    ['requestID', v('requestid')],
    ['additionalEventData', v('additionaleventdata') === undefined ? undefined : jsonOrNull(v('additionaleventdata'))],
    ['resources', Array.isArray(resources) ? resources.map(lowerResource) : undefined],
  ];
  for (const [k, x] of optional) if (x !== undefined) out[k] = x;
  return out;
}

/** Athena's struct fields come back lower-case (`arn`, `accountid`); CloudTrail writes `ARN`, `accountId`. */
function lowerResource(r: unknown): unknown {
  if (typeof r !== 'object' || r === null) return r;
  const o = r as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const arn = o.arn ?? o.ARN;
  const account = o.accountid ?? o.accountId;
  if (arn !== undefined && arn !== null) out.ARN = arn;
  if (account !== undefined && account !== null) out.accountId = account;
  if (o.type !== undefined && o.type !== null) out.type = o.type;
  return out;
}

/** Athena bills $5 per TB scanned (10^12 bytes), at least 10 MB per query, rounded up to the MB. */
export const ATHENA_USD_PER_TB = 5;
export const ATHENA_MIN_BYTES = 10 * 1024 * 1024;
export function athenaCostUsd(scannedBytes: number): number {
  const mb = 1024 * 1024;
  const billed = Math.max(ATHENA_MIN_BYTES, Math.ceil(scannedBytes / mb) * mb);
  return (billed / 1e12) * ATHENA_USD_PER_TB;
}

