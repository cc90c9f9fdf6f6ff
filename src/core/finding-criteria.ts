/**
 * `gd-ir findings list` filters: parsed from the command line, translated into GuardDuty's FindingCriteria
 * (so GuardDuty does the filtering), and — only for `--from-file`, where there is no GuardDuty — applied to
 * findings in memory with the same meaning. Pure.
 */
import { UsageError } from './errors.js';
import { sanitize } from './sanitize.js';
import { FINDING_TYPES } from './finding-types.js';
import type { FindingSort, FindingSummary } from './finding.js';
import { FINDING_SORTS } from './finding.js';
import { severityThreshold, type SeverityLevel } from './severity.js';
import { parseAccessKeyId, parseInteger, parseSeverityLevel, parseSeverityNumber, parseTimeArg, parseUserName } from './validate.js';

export type ArchivedFilter = 'unarchived' | 'archived' | 'all';

export interface FindingFilters {
  /** Lowest severity wanted (from --severity or --min-severity). */
  minSeverity?: number;
  /** The level named by --severity, for messages. */
  severityLevel?: SeverityLevel;
  /** Exact types (prefixes already expanded against the catalogue). */
  types: string[];
  /** Prefixes as given (`UnauthorizedAccess:IAMUser/`), for client-side matching. */
  typePrefixes: string[];
  /** Exact types as given. */
  exactTypes: string[];
  userName?: string;
  accessKeyId?: string;
  /** updatedAt >= since. */
  since?: Date;
  archived: ArchivedFilter;
}

export interface ListOptions {
  filters: FindingFilters;
  sort: FindingSort;
  /** undefined = every page (--all-pages). */
  limit: number | undefined;
}

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 10_000;
/** GuardDuty accepts at most 50 values in one Equals condition. */
export const MAX_EQUALS_VALUES = 50;

export interface RawListOptions {
  severity?: unknown;
  minSeverity?: unknown;
  type?: unknown;
  user?: unknown;
  key?: unknown;
  since?: unknown;
  archived?: unknown;
  all?: unknown;
  limit?: unknown;
  allPages?: unknown;
  sort?: unknown;
}

const show = (v: string): string => `'${sanitize(v, { maxLength: 80 })}'`;

function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function asStrings(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

/** A `--type` value ending in `:`, `/` or `*` is a prefix; anything else is an exact type. */
export function isTypePrefix(value: string): boolean {
  return value.endsWith('/') || value.endsWith(':') || value.endsWith('*');
}

/** Expands `--type` values: exact types pass through (known or not); prefixes become the catalogue types they match. */
export function expandTypes(values: readonly string[]): { types: string[]; prefixes: string[]; exact: string[] } {
  const types = new Set<string>();
  const prefixes: string[] = [];
  const exact: string[] = [];
  for (const raw of values) {
    const v = raw.trim();
    if (v === '' || v.length > 100 || !/^[\x21-\x7e]+$/.test(v)) {
      throw new UsageError(
        `invalid finding type ${show(raw)}: expected a type such as UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom or a prefix ending in ':' or '/' (UnauthorizedAccess:IAMUser/)`,
      );
    }
    if (isTypePrefix(v)) {
      const prefix = v.endsWith('*') ? v.slice(0, -1) : v;
      const matches = FINDING_TYPES.filter((t) => t.startsWith(prefix));
      if (prefix === '' || matches.length === 0) {
        throw new UsageError(`no known GuardDuty finding type starts with ${show(prefix)}`, {
          remedy: 'give an exact type, or a prefix such as UnauthorizedAccess:IAMUser/ or Recon: (see docs/commands/findings.md)',
        });
      }
      prefixes.push(prefix);
      for (const m of matches) types.add(m);
    } else {
      exact.push(v);
      types.add(v);
    }
  }
  if (types.size > MAX_EQUALS_VALUES) {
    throw new UsageError(`--type matches ${types.size} finding types; GuardDuty accepts at most ${MAX_EQUALS_VALUES} in one filter`, {
      remedy: 'use a narrower prefix (UnauthorizedAccess:IAMUser/ rather than UnauthorizedAccess:) or exact types',
    });
  }
  return { types: [...types], prefixes, exact };
}

/** Validates the list options (exit 2 with the accepted forms before any AWS call). */
export function parseListOptions(raw: RawListOptions, now: Date): ListOptions {
  const severity = asString(raw.severity);
  const minSeverity = asString(raw.minSeverity);
  if (severity !== undefined && minSeverity !== undefined) {
    throw new UsageError('--severity and --min-severity cannot be used together: give a level (low, medium, high, critical) or a number from 0 to 10');
  }
  if (raw.archived === true && raw.all === true) {
    throw new UsageError('--archived and --all cannot be used together: --archived lists only archived findings, --all lists archived and unarchived');
  }
  const limitRaw = asString(raw.limit);
  if (limitRaw !== undefined && raw.allPages === true) {
    throw new UsageError('--limit and --all-pages cannot be used together: --limit <n> stops after n findings, --all-pages fetches every page');
  }
  const sortRaw = asString(raw.sort) ?? 'severity';
  if (!(FINDING_SORTS as readonly string[]).includes(sortRaw)) {
    throw new UsageError(`invalid sort ${show(sortRaw)}: expected one of ${FINDING_SORTS.join(', ')}`);
  }
  const filters: FindingFilters = { types: [], typePrefixes: [], exactTypes: [], archived: raw.archived === true ? 'archived' : raw.all === true ? 'all' : 'unarchived' };
  if (severity !== undefined) {
    filters.severityLevel = parseSeverityLevel(severity);
    filters.minSeverity = severityThreshold(filters.severityLevel);
  }
  if (minSeverity !== undefined) filters.minSeverity = parseSeverityNumber(minSeverity);
  const types = asStrings(raw.type);
  if (types.length > 0) {
    const e = expandTypes(types);
    filters.types = e.types;
    filters.typePrefixes = e.prefixes;
    filters.exactTypes = e.exact;
  }
  const user = asString(raw.user);
  if (user !== undefined) filters.userName = parseUserName(user);
  const key = asString(raw.key);
  if (key !== undefined) filters.accessKeyId = parseAccessKeyId(key);
  const since = asString(raw.since);
  if (since !== undefined) filters.since = parseTimeArg(since, '--since', now);
  return {
    filters,
    sort: sortRaw as FindingSort,
    limit: raw.allPages === true ? undefined : limitRaw === undefined ? DEFAULT_LIMIT : parseInteger(limitRaw, '--limit', 1, MAX_LIMIT),
  };
}

/** FindingCriteria in the SDK's (PascalCase) input shape; the SDK writes the lowerCamel wire form. */
export interface SdkCondition {
  Equals?: string[];
  GreaterThanOrEqual?: number;
}
export interface SdkFindingCriteria {
  Criterion: Record<string, SdkCondition>;
}
export interface SdkSortCriteria {
  AttributeName: string;
  OrderBy: 'ASC' | 'DESC';
}

/**
 * The criteria GuardDuty filters by. Uses the long-typed operators (`GreaterThanOrEqual`, `Equals`), not the
 * deprecated int32 `Gte`/`Eq`: updatedAt in epoch milliseconds overflows int32. The long operator takes whole
 * numbers, so a fractional --min-severity goes to GuardDuty rounded down and is refined by `needsSeverityRefine`.
 */
export function buildFindingCriteria(filters: FindingFilters): SdkFindingCriteria {
  const c: Record<string, SdkCondition> = {};
  if (filters.archived !== 'all') c['service.archived'] = { Equals: [filters.archived === 'archived' ? 'true' : 'false'] };
  if (filters.minSeverity !== undefined && filters.minSeverity > 0) c.severity = { GreaterThanOrEqual: Math.floor(filters.minSeverity) };
  if (filters.types.length > 0) c.type = { Equals: [...filters.types] };
  if (filters.userName !== undefined) c['resource.accessKeyDetails.userName'] = { Equals: [filters.userName] };
  if (filters.accessKeyId !== undefined) c['resource.accessKeyDetails.accessKeyId'] = { Equals: [filters.accessKeyId] };
  if (filters.since !== undefined) c.updatedAt = { GreaterThanOrEqual: filters.since.getTime() };
  return { Criterion: c };
}

/** True when GuardDuty's whole-number severity filter must be tightened locally (e.g. --min-severity 5.5). */
export function needsSeverityRefine(filters: FindingFilters): boolean {
  return filters.minSeverity !== undefined && !Number.isInteger(filters.minSeverity);
}

/** Server-side order, so that `--limit n` returns the top n by the chosen key. */
export function sortCriteriaFor(sort: FindingSort): SdkSortCriteria {
  switch (sort) {
    case 'updated':
      return { AttributeName: 'updatedAt', OrderBy: 'DESC' };
    case 'count':
      return { AttributeName: 'service.count', OrderBy: 'DESC' };
    default:
      return { AttributeName: 'severity', OrderBy: 'DESC' };
  }
}

/** The same filters applied in memory (for `--from-file` only; online, GuardDuty filters). */
export function matchesFilters(s: FindingSummary, filters: FindingFilters): boolean {
  if (filters.archived === 'archived' && !s.archived) return false;
  if (filters.archived === 'unarchived' && s.archived) return false;
  if (filters.minSeverity !== undefined && s.severity < filters.minSeverity) return false;
  if (filters.typePrefixes.length > 0 || filters.exactTypes.length > 0) {
    const ok = filters.exactTypes.includes(s.type) || filters.typePrefixes.some((p) => s.type.startsWith(p));
    if (!ok) return false;
  }
  if (filters.userName !== undefined && s.principal?.userName !== filters.userName) return false;
  if (filters.accessKeyId !== undefined && s.principal?.accessKeyId !== filters.accessKeyId) return false;
  if (filters.since !== undefined) {
    const t = Date.parse(s.updatedAt);
    if (Number.isNaN(t) || t < filters.since.getTime()) return false;
  }
  return true;
}
