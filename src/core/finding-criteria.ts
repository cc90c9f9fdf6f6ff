/**
 * `gd-ir findings list` filters: parsed from the command line, translated into GuardDuty's FindingCriteria
 * (so GuardDuty does the filtering), and — only for `--from-file`, where there is no GuardDuty — applied to
 * findings in memory with the same meaning. Pure.
 */
import { UsageError } from './errors.js';
import { sanitize } from './sanitize.js';
import { FINDING_TYPES } from './finding-types.js';
import type { FindingSort, FindingSummary } from './finding/index.js';

export { DEFAULT_LIMIT, MAX_LIMIT } from './finding-selection.js';

const show = (v: string): string => `'${sanitize(v, { maxLength: 80 })}'`;
import { DEFAULT_LIMIT, type ListSelection } from './finding-selection.js';
import { severityThreshold, type SeverityLevel } from './severity.js';

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
  /** Only findings of these accounts (--account, repeatable): a GuardDuty administrator sees its members'. */
  accountIds?: string[];
}

export interface ListOptions {
  filters: FindingFilters;
  sort: FindingSort;
  /** undefined = every page (--all-pages). */
  limit: number | undefined;
}

/** GuardDuty accepts at most 50 values in one Equals condition. */
export const MAX_EQUALS_VALUES = 50;

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

/** The filters, order and limit of a validated selection (type prefixes expanded against the catalogue). */
export function listOptions(s: ListSelection): ListOptions {
  const filters: FindingFilters = { types: [], typePrefixes: [], exactTypes: [], archived: s.archived ? 'archived' : s.all ? 'all' : 'unarchived' };
  if (s.severity !== undefined) {
    filters.severityLevel = s.severity;
    filters.minSeverity = severityThreshold(s.severity);
  }
  if (s.minSeverity !== undefined) filters.minSeverity = s.minSeverity;
  if (s.type.length > 0) {
    const e = expandTypes(s.type);
    filters.types = e.types;
    filters.typePrefixes = e.prefixes;
    filters.exactTypes = e.exact;
  }
  if (s.user !== undefined) filters.userName = s.user;
  if (s.key !== undefined) filters.accessKeyId = s.key;
  if (s.since !== undefined) filters.since = s.since;
  if (s.account !== undefined && s.account.length > 0) {
    const ids = [...new Set(s.account)];
    if (ids.length > MAX_EQUALS_VALUES) throw new UsageError(`--account names ${ids.length} accounts; GuardDuty accepts at most ${MAX_EQUALS_VALUES} in one filter`);
    filters.accountIds = ids;
  }
  return { filters, sort: s.sort, limit: s.allPages ? undefined : (s.limit ?? DEFAULT_LIMIT) };
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
  if (filters.accountIds !== undefined) c.accountId = { Equals: [...filters.accountIds] };
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
  if (filters.accountIds !== undefined && !filters.accountIds.includes(s.accountId)) return false;
  if (filters.since !== undefined) {
    const t = Date.parse(s.updatedAt);
    if (Number.isNaN(t) || t < filters.since.getTime()) return false;
  }
  return true;
}
