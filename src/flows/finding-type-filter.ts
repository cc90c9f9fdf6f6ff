/**
 * `--type` online. GuardDuty's finding criteria have no prefix operator, so a prefix (`UnauthorizedAccess:IAMUser/`)
 * must become an `Equals` list of exact types. The list is built from the types the detector actually holds among the
 * findings the other filters select (GetFindingsStatistics grouped by finding type), so a type newer than gd-ir's
 * built-in catalogue is found like any other: the same meaning as `startsWith` offline. Only when the detector's
 * types cannot be read (the statistics call denied) or may be incomplete (more than 200 types) is the catalogue used,
 * with a warning saying so.
 */
import type { Context } from '../cli/context.js';
import { detectorFindingTypes } from '../aws/finding-statistics.js';
import { PermissionError } from '../core/errors.js';
import { buildFindingCriteria, resolveTypeFilter, type FindingFilters, type SdkFindingCriteria } from '../core/finding-criteria.js';
import { FINDING_TYPES } from '../core/finding-types.js';

export interface RegionTypeFilter {
  /** The criteria with the type condition; undefined when no type in this detector matches (nothing to list). */
  criteria?: SdkFindingCriteria;
  /** Prefixes no type of this detector starts with. */
  unmatched: string[];
  warnings: string[];
}

export async function typeFilterForRegion(
  ctx: Pick<Context, 'aws' | 'signal'>,
  region: string,
  detectorId: string,
  filters: FindingFilters,
): Promise<RegionTypeFilter> {
  const base = buildFindingCriteria(filters);
  const warnings: string[] = [];
  let available: string[] = [];
  if (filters.typePrefixes.length > 0) {
    try {
      const held = await detectorFindingTypes(ctx, region, detectorId, base);
      available = held.types;
      if (!held.complete) {
        available = [...available, ...FINDING_TYPES];
        warnings.push(`${region}: the detector holds more than 200 finding types among these findings, more than GuardDuty's statistics return; --type prefixes were also matched against gd-ir's catalogue`);
      }
    } catch (err) {
      if (!(err instanceof PermissionError)) throw err;
      available = [...FINDING_TYPES];
      warnings.push(
        `${region}: cannot read the detector's finding types (guardduty:GetFindingsStatistics denied), so --type prefixes were matched against gd-ir's catalogue of finding types: findings of newer types are left out`,
      );
    }
  }
  const resolved = resolveTypeFilter(filters, available);
  return { criteria: resolved.types.length > 0 ? buildFindingCriteria(filters, resolved.types) : undefined, unmatched: resolved.unmatched, warnings };
}
