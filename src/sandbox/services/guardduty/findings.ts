/**
 * GuardDuty's finding operations over the detector of the caller's account in the request's region. An
 * administrator's detector holds its members' findings too (each with the member's accountId).
 */
import type { HandlerContext } from '../../context.js';
import type { GuardDutyFinding, RegionData } from '../../model.js';
import { decodeToken, encodeToken, isRecord, shortHash, stableStringify } from '../../wire.js';
import type { GuardDutyCache } from './cache.js';
import { bad, compileCriteria, parseSort, sortFindings } from './criteria.js';
import { wireFinding } from './wire-finding.js';

export const NOT_OWNED = 'The request is rejected because the input detectorId is not owned by the current account.';

/** The region's data of the caller's account, when `detectorId` is its detector there. */
export function regionDetector(ctx: HandlerContext, detectorId: string | undefined): RegionData {
  const data = ctx.account.regions[ctx.region];
  if (!data?.detector || data.detector.detectorId !== detectorId) throw bad(NOT_OWNED);
  return data;
}

export function intParam(input: Record<string, unknown>, name: string, min: number, max: number, dflt: number): number {
  const raw = input[name];
  if (raw === undefined || raw === null || raw === '') return dflt;
  const n = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw bad(`The request is rejected because ${name} ${String(raw)} is out of range: it must be an integer between ${min} and ${max}.`);
  }
  return n;
}

function idList(input: Record<string, unknown>): string[] {
  const ids = input.findingIds;
  if (!Array.isArray(ids)) throw bad('The request is rejected because findingIds is required and must be a list of finding IDs.');
  if (ids.length > 50) throw bad(`The request is rejected because findingIds has ${ids.length} items; the maximum is 50.`);
  return ids.map((x) => String(x));
}

function filtered(ctx: HandlerContext, cache: GuardDutyCache, data: RegionData, criteria: unknown): GuardDutyFinding[] {
  const idx = cache.index(ctx.account.accountId, ctx.region, data);
  const preds = compileCriteria(cache, criteria);
  return preds.length === 0 ? idx.sortedById : idx.sortedById.filter((f) => preds.every((p) => p(f)));
}

export function listFindings(ctx: HandlerContext, cache: GuardDutyCache, data: RegionData, input: Record<string, unknown>): Record<string, unknown> {
  const maxResults = intParam(input, 'maxResults', 1, 50, 50);
  const sort = parseSort(input.sortCriteria);
  const requestKey = `${ctx.account.accountId}|${ctx.region}|${data.detector?.detectorId ?? ''}|${stableStringify(input.findingCriteria ?? null)}|${stableStringify(sort ?? null)}`;
  const h = shortHash(requestKey);
  let ids: string[] | undefined;
  let offset = 0;
  let snapshotId: string;
  const token = input.nextToken;
  if (typeof token === 'string' && token !== '') {
    const t = decodeToken(token);
    if (!t) throw bad('The request is rejected because the nextToken is not valid.');
    if (t.h !== h) throw bad('The request is rejected because the nextToken does not belong to this request (findingCriteria and sortCriteria must not change while paging).');
    offset = t.o;
    snapshotId = t.s ?? '';
    ids = cache.snapshots.get(snapshotId);
  } else {
    const idx = cache.index(ctx.account.accountId, ctx.region, data);
    snapshotId = shortHash(`${requestKey}|${ctx.version}|${idx.generation}`);
    ids = cache.snapshots.get(snapshotId);
  }
  if (!ids) {
    ids = sortFindings(cache, filtered(ctx, cache, data, input.findingCriteria), sort).map((f) => f.id);
    if (!snapshotId) snapshotId = shortHash(`${requestKey}|${ctx.version}|${Date.now()}`);
    cache.snapshots.set(snapshotId, ids);
  }
  const page = ids.slice(offset, offset + maxResults);
  const out: Record<string, unknown> = { findingIds: page };
  if (offset + maxResults < ids.length) out.nextToken = encodeToken({ h, o: offset + maxResults, s: snapshotId });
  return out;
}

export function getFindings(ctx: HandlerContext, cache: GuardDutyCache, data: RegionData, input: Record<string, unknown>): Record<string, unknown> {
  const ids = idList(input);
  const idx = cache.index(ctx.account.accountId, ctx.region, data);
  const seen = new Set<string>();
  const found: GuardDutyFinding[] = [];
  for (const id of ids) {
    const f = idx.byId.get(id);
    if (f && !seen.has(id)) {
      seen.add(id);
      found.push(f);
    }
  }
  return { findings: sortFindings(cache, found, parseSort(input.sortCriteria)).map(wireFinding) };
}

function severityKey(s: number): string {
  return Number.isInteger(s) ? s.toFixed(1) : String(s);
}

export function epochSeconds(iso: string): number {
  return Date.parse(iso) / 1000;
}

function resourceOf(f: GuardDutyFinding): { resourceId: string; resourceType: string } {
  const r = f.resource;
  const ak = isRecord(r.accessKeyDetails) ? r.accessKeyDetails : undefined;
  const inst = isRecord(r.instanceDetails) ? r.instanceDetails : undefined;
  const id = (ak && (ak.accessKeyId ?? ak.userName)) ?? (inst && inst.instanceId) ?? f.id;
  return { resourceId: String(id), resourceType: r.resourceType };
}

export function statistics(ctx: HandlerContext, cache: GuardDutyCache, data: RegionData, input: Record<string, unknown>): Record<string, unknown> {
  const types = input.findingStatisticTypes;
  const groupBy = input.groupBy;
  const hasTypes = Array.isArray(types) && types.length > 0;
  if (hasTypes && groupBy !== undefined) throw bad('The request is rejected because findingStatisticTypes and groupBy cannot be used together.');
  if (!hasTypes && groupBy === undefined) throw bad('The request is rejected because either findingStatisticTypes or groupBy is required.');
  const list = filtered(ctx, cache, data, input.findingCriteria);
  if (hasTypes) {
    for (const t of types) if (t !== 'COUNT_BY_SEVERITY') throw bad(`The request is rejected because ${String(t)} is not a valid finding statistic type.`);
    const counts: Record<string, number> = {};
    for (const f of list) counts[severityKey(f.severity)] = (counts[severityKey(f.severity)] ?? 0) + 1;
    return { findingStatistics: { countBySeverity: counts } };
  }
  const maxResults = intParam(input, 'maxResults', 1, 100, 25);
  const orderBy = input.orderBy ?? 'DESC';
  if (orderBy !== 'ASC' && orderBy !== 'DESC') throw bad('The request is rejected because orderBy must be ASC or DESC.');
  interface Group { key: string; total: number; last: string; sample: GuardDutyFinding }
  const groups = new Map<string, Group>();
  const keyOf: Record<string, (f: GuardDutyFinding) => string> = {
    SEVERITY: (f) => String(f.severity),
    FINDING_TYPE: (f) => f.type,
    ACCOUNT: (f) => f.accountId,
    DATE: (f) => f.updatedAt.slice(0, 10),
    RESOURCE: (f) => resourceOf(f).resourceId,
  };
  const fn = typeof groupBy === 'string' ? keyOf[groupBy] : undefined;
  if (!fn) throw bad(`The request is rejected because groupBy ${String(groupBy)} is not one of ACCOUNT, DATE, FINDING_TYPE, RESOURCE, SEVERITY.`);
  for (const f of list) {
    const k = fn(f);
    const g = groups.get(k);
    if (!g) groups.set(k, { key: k, total: 1, last: f.updatedAt, sample: f });
    else {
      g.total++;
      if (f.updatedAt > g.last) g.last = f.updatedAt;
    }
  }
  const sorted = [...groups.values()].sort((a, b) => (orderBy === 'DESC' ? b.total - a.total : a.total - b.total) || (a.key < b.key ? -1 : 1));
  const top = sorted.slice(0, maxResults);
  const stats: Record<string, unknown> = {};
  if (groupBy === 'SEVERITY') stats.groupedBySeverity = top.map((g) => ({ severity: g.sample.severity, totalFindings: g.total, lastGeneratedAt: epochSeconds(g.last) }));
  if (groupBy === 'FINDING_TYPE') stats.groupedByFindingType = top.map((g) => ({ findingType: g.key, totalFindings: g.total, lastGeneratedAt: epochSeconds(g.last) }));
  if (groupBy === 'ACCOUNT') stats.groupedByAccount = top.map((g) => ({ accountId: g.key, totalFindings: g.total, lastGeneratedAt: epochSeconds(g.last) }));
  if (groupBy === 'DATE') {
    stats.groupedByDate = top.map((g) => ({ date: epochSeconds(`${g.key}T00:00:00Z`), totalFindings: g.total, lastGeneratedAt: epochSeconds(g.last), severity: g.sample.severity }));
  }
  if (groupBy === 'RESOURCE') {
    stats.groupedByResource = top.map((g) => ({ ...resourceOf(g.sample), accountId: g.sample.accountId, totalFindings: g.total, lastGeneratedAt: epochSeconds(g.last) }));
  }
  return { findingStatistics: stats };
}

/** Archive/UnarchiveFindings: one effect naming the known IDs; unknown IDs are ignored, as on AWS. */
export function setArchived(ctx: HandlerContext, cache: GuardDutyCache, data: RegionData, input: Record<string, unknown>, archived: boolean): Record<string, unknown> {
  const idx = cache.index(ctx.account.accountId, ctx.region, data);
  const findingIds = [...new Set(idList(input))].filter((id) => idx.byId.has(id));
  if (findingIds.length > 0) {
    ctx.mutate({ kind: 'findingsArchived', account: ctx.account.accountId, region: ctx.region, findingIds, archived, at: ctx.now.toISOString() });
  }
  return {};
}

export function feedback(ctx: HandlerContext, cache: GuardDutyCache, data: RegionData, input: Record<string, unknown>): Record<string, unknown> {
  const ids = idList(input);
  const value = input.feedback;
  if (value !== 'USEFUL' && value !== 'NOT_USEFUL') throw bad('The request is rejected because feedback must be USEFUL or NOT_USEFUL.');
  const idx = cache.index(ctx.account.accountId, ctx.region, data);
  const findingIds = [...new Set(ids)].filter((id) => idx.byId.has(id));
  if (findingIds.length > 0) ctx.mutate({ kind: 'findingsFeedback', account: ctx.account.accountId, region: ctx.region, findingIds, feedback: value });
  return {};
}
