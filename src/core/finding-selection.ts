/**
 * What `gd-ir findings list` selects, as the command line gave it: the value types, the defaults and the
 * exclusive pairs. Kept apart from finding-criteria.ts (which needs the finding-type catalogue) so the
 * command's declaration, loaded for `--help`, stays light.
 */
import { UsageError } from './errors.js';
import { FINDING_SORTS, type FindingSort } from './finding/model.js';
import { sanitize } from './sanitize.js';
import type { SeverityLevel } from './severity.js';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 10_000;

const show = (v: string): string => `'${sanitize(v, { maxLength: 80 })}'`;

/** The list selection as the command line gave it, each value already validated. */
export interface ListSelection {
  severity?: SeverityLevel;
  minSeverity?: number;
  /** --type values: exact types, or prefixes ending in : or /. */
  type: readonly string[];
  user?: string;
  key?: string;
  since?: Date;
  archived: boolean;
  all: boolean;
  limit?: number;
  allPages: boolean;
  sort: FindingSort;
  /** --account values (12-digit IDs). */
  account?: readonly string[];
}


/** `--sort`: one of FINDING_SORTS. */
export function parseFindingSort(value: string): FindingSort {
  if (!(FINDING_SORTS as readonly string[]).includes(value)) {
    throw new UsageError(`invalid sort ${show(value)}: expected one of ${FINDING_SORTS.join(', ')}`);
  }
  return value as FindingSort;
}

/** The exclusive pairs of the selection (exit 2 with the accepted forms before any AWS call). */
export function checkListSelection(s: Pick<ListSelection, 'severity' | 'minSeverity' | 'archived' | 'all' | 'limit' | 'allPages'>): void {
  if (s.severity !== undefined && s.minSeverity !== undefined) {
    throw new UsageError('--severity and --min-severity cannot be used together: give a level (low, medium, high, critical) or a number from 0 to 10');
  }
  if (s.archived && s.all) {
    throw new UsageError('--archived and --all cannot be used together: --archived lists only archived findings, --all lists archived and unarchived');
  }
  if (s.limit !== undefined && s.allPages) {
    throw new UsageError('--limit and --all-pages cannot be used together: --limit <n> stops after n findings, --all-pages fetches every page');
  }
}
