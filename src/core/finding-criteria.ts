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
  /**
   * Prefixes as given (`UnauthorizedAccess:IAMUser/`, `Recon:` — a trailing `*` dropped). A prefix selects every type
   * that starts with it, online and offline alike: offline by `startsWith`, online by expanding it against the types
   * the detector holds (`resolveTypeFilter`), because GuardDuty's criteria have no prefix operator.
   */
  typePrefixes: string[];
  /** Exact types as given (known to gd-ir's catalogue or not). */
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

/** Parses `--type` values: exact types and prefixes (a value ending in `:`, `/` or `*`), each checked for shape only. */
export function parseTypeFilters(values: readonly string[]): { prefixes: string[]; exact: string[] } {
  const prefixes: string[] = [];
  const exact: string[] = [];
  for (const raw of values) {
    const v = raw.trim();
    const prefix = isTypePrefix(v) ? (v.endsWith('*') ? v.slice(0, -1) : v) : undefined;
    if (v === '' || v.length > 100 || !/^[\x21-\x7e]+$/.test(v) || prefix === '') {
      throw new UsageError(
        `invalid finding type ${show(raw)}: expected a type such as UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom or a prefix ending in ':' or '/' (UnauthorizedAccess:IAMUser/)`,
      );
    }
    if (prefix !== undefined) {
      if (!prefixes.includes(prefix)) prefixes.push(prefix);
    } else if (!exact.includes(v)) exact.push(v);
  }
  return { prefixes, exact };
}

/** Whether the filters select by type at all. */
export function hasTypeFilter(filters: Pick<FindingFilters, 'typePrefixes' | 'exactTypes'>): boolean {
  return filters.typePrefixes.length > 0 || filters.exactTypes.length > 0;
}

/**
 * The exact types a `--type` selection stands for, given the finding types that exist where it is applied (online:
 * the detector's own, from GetFindingsStatistics grouped by type): the exact types, plus every available type starting
 * with a prefix. `unmatched` lists the prefixes no available type starts with. More than GuardDuty's 50 values per
 * condition → UsageError with a narrower-prefix remedy.
 */
export function resolveTypeFilter(
  filters: Pick<FindingFilters, 'typePrefixes' | 'exactTypes'>,
  available: Iterable<string>,
): { types: string[]; unmatched: string[] } {
  const types = new Set<string>(filters.exactTypes);
  const unmatched: string[] = [];
  const known = [...new Set(available)].sort();
  for (const prefix of filters.typePrefixes) {
    const matches = known.filter((t) => t.startsWith(prefix));
    if (matches.length === 0) unmatched.push(prefix);
    for (const m of matches) types.add(m);
  }
  if (types.size > MAX_EQUALS_VALUES) {
    throw new UsageError(`--type matches ${types.size} finding types; GuardDuty accepts at most ${MAX_EQUALS_VALUES} in one filter`, {
      remedy: 'use a narrower prefix (UnauthorizedAccess:IAMUser/ rather than UnauthorizedAccess:) or exact types',
    });
  }
  return { types: [...types], unmatched };
}

/** Prefixes that name no type in gd-ir's catalogue either: likely a typo, worth a warning when nothing matched. */
export function unknownTypePrefixes(prefixes: readonly string[]): string[] {
  return prefixes.filter((p) => !FINDING_TYPES.some((t) => t.startsWith(p)));
}

/** The warning for prefixes that matched no finding type where they were applied nor in the catalogue. */
export function unmatchedPrefixWarning(prefixes: readonly string[], where: string): string {
  return `no finding type ${where} starts with ${prefixes.map(show).join(', ')}, and none of gd-ir's catalogue does either: check the spelling (gd-ir findings list --help)`;
}

/** The filters, order and limit of a validated selection (type prefixes are expanded where they are applied). */
export function listOptions(s: ListSelection): ListOptions {
  const filters: FindingFilters = { typePrefixes: [], exactTypes: [], archived: s.archived ? 'archived' : s.all ? 'all' : 'unarchived' };
  if (s.severity !== undefined) {
    filters.severityLevel = s.severity;
    filters.minSeverity = severityThreshold(s.severity);
  }
  if (s.minSeverity !== undefined) filters.minSeverity = s.minSeverity;
  if (s.type.length > 0) {
    const e = parseTypeFilters(s.type);
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
export function buildFindingCriteria(filters: FindingFilters, types: readonly string[] = []): SdkFindingCriteria {
  const c: Record<string, SdkCondition> = {};
  if (filters.archived !== 'all') c['service.archived'] = { Equals: [filters.archived === 'archived' ? 'true' : 'false'] };
  if (filters.minSeverity !== undefined && filters.minSeverity > 0) c.severity = { GreaterThanOrEqual: Math.floor(filters.minSeverity) };
  // `types`: the exact types the --type selection stands for here (resolveTypeFilter); none = no type condition.
  if (types.length > 0) c.type = { Equals: [...types] };
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
