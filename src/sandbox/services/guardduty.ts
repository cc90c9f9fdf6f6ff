/**
 * GuardDuty (restJson1, 2017-11-28): detectors and findings of World.regions[region].
 */
import type { HandlerContext } from '../context.js';
import type { GuardDutyFinding, RegionData } from '../model.js';
import type { Reply } from '../types.js';
import { BoundedCache, ServiceError, decodeToken, encodeToken, isRecord, shortHash, stableStringify } from '../wire.js';

export interface GuardDutyRequest {
  operation: string;
  detectorId?: string;
  input: Record<string, unknown>;
}

const NOT_OWNED = 'The request is rejected because the input detectorId is not owned by the current account.';

/** Maps method + path to an operation, or undefined when no GuardDuty operation lives there. */
export function routeGuardDuty(method: string, path: string): { operation: string; detectorId?: string } | undefined {
  const segs = path
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
  if (segs[0] !== 'detector') return undefined;
  if (segs.length === 1) return method === 'GET' ? { operation: 'ListDetectors' } : undefined;
  const detectorId = segs[1];
  if (segs.length === 2) return method === 'GET' ? { operation: 'GetDetector', detectorId } : undefined;
  if (segs[2] !== 'findings' || method !== 'POST') return undefined;
  if (segs.length === 3) return { operation: 'ListFindings', detectorId };
  if (segs.length !== 4) return undefined;
  const sub: Record<string, string> = {
    get: 'GetFindings',
    statistics: 'GetFindingsStatistics',
    archive: 'ArchiveFindings',
    unarchive: 'UnarchiveFindings',
    feedback: 'UpdateFindingsFeedback',
  };
  const op = sub[segs[3] ?? ''];
  return op ? { operation: op, detectorId } : undefined;
}

interface RegionIndex {
  src: GuardDutyFinding[];
  len: number;
  generation: number;
  byId: Map<string, GuardDutyFinding>;
  sortedById: GuardDutyFinding[];
}

/** Per-sandbox GuardDuty indexes and result snapshots (for token paging). */
export class GuardDutyCache {
  version = 0;
  private generation = 0;
  private readonly indexes = new Map<string, RegionIndex>();
  readonly snapshots = new BoundedCache<string[]>(128);
  readonly parsedInfo = new WeakMap<object, unknown>();

  index(region: string, data: RegionData): RegionIndex {
    const cur = this.indexes.get(region);
    if (cur && cur.src === data.findings && cur.len === data.findings.length) return cur;
    const sortedById = [...data.findings].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const idx: RegionIndex = {
      src: data.findings,
      len: data.findings.length,
      generation: ++this.generation,
      byId: new Map(data.findings.map((f) => [f.id, f])),
      sortedById,
    };
    this.indexes.set(region, idx);
    return idx;
  }

  clear(): void {
    this.indexes.clear();
    this.snapshots.clear();
    this.version++;
  }
}

function json(body: unknown): Reply {
  return { status: 200, contentType: 'application/json', body: JSON.stringify(body) };
}

function bad(message: string): ServiceError {
  return new ServiceError('BadRequestException', message, 400);
}

function regionDetector(ctx: HandlerContext, detectorId: string | undefined): RegionData {
  const data = ctx.world.regions[ctx.region];
  if (!data?.detector || data.detector.detectorId !== detectorId) throw bad(NOT_OWNED);
  return data;
}

function intParam(input: Record<string, unknown>, name: string, min: number, max: number, dflt: number): number {
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

// ---------------------------------------------------------------------------------------------
// Criteria

const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** Numeric view of a leaf: numbers, numeric strings and ISO dates (epoch ms). */
function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') {
    if (ISO_RE.test(v)) return Date.parse(v);
    const n = Number(v);
    return Number.isFinite(n) ? n : NaN;
  }
  return NaN;
}

function leafString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** Generic dotted-path resolver over the wire-shaped finding; arrays fan out; JSON `value` strings are looked into. */
export function resolvePath(cache: GuardDutyCache, finding: GuardDutyFinding, path: string[]): unknown[] {
  let current: unknown[] = [finding];
  for (const seg of path) {
    const next: unknown[] = [];
    const visit = (v: unknown): void => {
      if (Array.isArray(v)) {
        for (const x of v) visit(x);
        return;
      }
      if (!isRecord(v)) return;
      if (seg in v) {
        if (v[seg] !== undefined && v[seg] !== null) next.push(v[seg]);
        return;
      }
      if (typeof v.value === 'string') {
        let parsed = cache.parsedInfo.get(v);
        if (parsed === undefined) {
          try {
            parsed = JSON.parse(v.value);
          } catch {
            parsed = null;
          }
          cache.parsedInfo.set(v, parsed);
        }
        if (isRecord(parsed) && parsed[seg] !== undefined && parsed[seg] !== null) next.push(parsed[seg]);
      }
    };
    for (const c of current) visit(c);
    current = next;
    if (current.length === 0) break;
  }
  return current.flatMap((v) => (Array.isArray(v) ? v : [v]));
}

type Predicate = (f: GuardDutyFinding) => boolean;

const EQ_KEYS = new Set(['eq', 'equals']);
const NEQ_KEYS = new Set(['neq', 'notEquals']);
const CMP: Record<string, (a: number, b: number) => boolean> = {
  gt: (a, b) => a > b,
  greaterThan: (a, b) => a > b,
  gte: (a, b) => a >= b,
  greaterThanOrEqual: (a, b) => a >= b,
  lt: (a, b) => a < b,
  lessThan: (a, b) => a < b,
  lte: (a, b) => a <= b,
  lessThanOrEqual: (a, b) => a <= b,
};

function valuesEqual(leaf: unknown, wanted: string): boolean {
  if (leafString(leaf) === wanted) return true;
  if (typeof leaf === 'number' || (typeof leaf === 'string' && ISO_RE.test(leaf))) {
    const a = toNumber(leaf);
    const b = Number(wanted);
    return wanted.trim() !== '' && Number.isFinite(a) && Number.isFinite(b) && a === b;
  }
  return false;
}

export function compileCriteria(cache: GuardDutyCache, findingCriteria: unknown): Predicate[] {
  if (findingCriteria === undefined || findingCriteria === null) return [];
  if (!isRecord(findingCriteria)) throw bad('The request is rejected because findingCriteria must be an object.');
  const criterion = findingCriteria.criterion;
  if (criterion === undefined || criterion === null) return [];
  if (!isRecord(criterion)) throw bad('The request is rejected because findingCriteria.criterion must be a map of field to condition.');
  const preds: Predicate[] = [];
  for (const [field, cond] of Object.entries(criterion)) {
    if (!isRecord(cond)) throw bad(`The request is rejected because the condition for ${field} must be an object.`);
    const path = field.split('.');
    const missingDefault = field === 'service.archived' ? [false] : [];
    const get = (f: GuardDutyFinding): unknown[] => {
      const v = resolvePath(cache, f, path);
      return v.length === 0 ? missingDefault : v;
    };
    for (const [op, raw] of Object.entries(cond)) {
      if (raw === undefined || raw === null) continue;
      if (EQ_KEYS.has(op) || NEQ_KEYS.has(op)) {
        if (!Array.isArray(raw)) throw bad(`The request is rejected because ${field}.${op} must be a list of strings.`);
        if (raw.length > 50) throw bad(`The request is rejected because ${field}.${op} has more than 50 values.`);
        const wanted = raw.map((x) => String(x));
        if (EQ_KEYS.has(op)) preds.push((f) => get(f).some((leaf) => wanted.some((w) => valuesEqual(leaf, w))));
        else preds.push((f) => !get(f).some((leaf) => wanted.some((w) => valuesEqual(leaf, w))));
        continue;
      }
      const cmp = CMP[op];
      if (cmp) {
        const b = typeof raw === 'number' ? raw : Number(raw);
        if (!Number.isFinite(b)) throw bad(`The request is rejected because ${field}.${op} must be a number.`);
        preds.push((f) =>
          get(f).some((leaf) => {
            const a = toNumber(leaf);
            return Number.isFinite(a) && cmp(a, b);
          }),
        );
        continue;
      }
      if (op === 'matches' || op === 'notMatches') {
        throw bad(`The request is rejected because the ${op} condition is available only for create-filter and update-filter APIs.`);
      }
      throw bad(`The request is rejected because ${op} is not a valid condition operator (field ${field}).`);
    }
  }
  return preds;
}

interface SortSpec {
  attributeName: string;
  orderBy: 'ASC' | 'DESC';
}

function parseSort(raw: unknown): SortSpec | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isRecord(raw)) throw bad('The request is rejected because sortCriteria must be an object.');
  const attributeName = raw.attributeName;
  if (attributeName === undefined || attributeName === null || attributeName === '') return undefined;
  if (typeof attributeName !== 'string') throw bad('The request is rejected because sortCriteria.attributeName must be a string.');
  const orderBy = raw.orderBy ?? 'ASC';
  if (orderBy !== 'ASC' && orderBy !== 'DESC') throw bad('The request is rejected because sortCriteria.orderBy must be ASC or DESC.');
  return { attributeName, orderBy };
}

/** Stable sort by a field path; missing values last; ties keep the input (id) order. */
export function sortFindings(cache: GuardDutyCache, list: GuardDutyFinding[], sort: SortSpec | undefined): GuardDutyFinding[] {
  if (!sort) return list;
  const path = sort.attributeName.split('.');
  const dir = sort.orderBy === 'DESC' ? -1 : 1;
  const decorated = list.map((f, i) => {
    const leaf = resolvePath(cache, f, path)[0];
    const n = toNumber(leaf);
    return { f, i, missing: leaf === undefined, num: Number.isFinite(n) ? n : undefined, str: leaf === undefined ? '' : leafString(leaf) };
  });
  decorated.sort((a, b) => {
    if (a.missing !== b.missing) return a.missing ? 1 : -1;
    let c = 0;
    if (a.num !== undefined && b.num !== undefined) c = a.num - b.num;
    else c = a.str < b.str ? -1 : a.str > b.str ? 1 : 0;
    return c !== 0 ? c * dir : a.i - b.i;
  });
  return decorated.map((d) => d.f);
}

function filtered(ctx: HandlerContext, data: RegionData, criteria: unknown): GuardDutyFinding[] {
  const idx = ctx.gd.index(ctx.region, data);
  const preds = compileCriteria(ctx.gd, criteria);
  return preds.length === 0 ? idx.sortedById : idx.sortedById.filter((f) => preds.every((p) => p(f)));
}

// ---------------------------------------------------------------------------------------------
// Operations

function listFindings(ctx: HandlerContext, data: RegionData, input: Record<string, unknown>): Reply {
  const maxResults = intParam(input, 'maxResults', 1, 50, 50);
  const sort = parseSort(input.sortCriteria);
  const requestKey = `${ctx.region}|${data.detector?.detectorId ?? ''}|${stableStringify(input.findingCriteria ?? null)}|${stableStringify(sort ?? null)}`;
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
    ids = ctx.gd.snapshots.get(snapshotId);
  } else {
    const idx = ctx.gd.index(ctx.region, data);
    snapshotId = shortHash(`${requestKey}|${ctx.gd.version}|${idx.generation}`);
    ids = ctx.gd.snapshots.get(snapshotId);
  }
  if (!ids) {
    ids = sortFindings(ctx.gd, filtered(ctx, data, input.findingCriteria), sort).map((f) => f.id);
    if (!snapshotId) snapshotId = shortHash(`${requestKey}|${ctx.gd.version}|${Date.now()}`);
    ctx.gd.snapshots.set(snapshotId, ids);
  }
  const page = ids.slice(offset, offset + maxResults);
  const out: Record<string, unknown> = { findingIds: page };
  if (offset + maxResults < ids.length) out.nextToken = encodeToken({ h, o: offset + maxResults, s: snapshotId });
  return json(out);
}

function getFindings(ctx: HandlerContext, data: RegionData, input: Record<string, unknown>): Reply {
  const ids = idList(input);
  const idx = ctx.gd.index(ctx.region, data);
  const seen = new Set<string>();
  const found: GuardDutyFinding[] = [];
  for (const id of ids) {
    const f = idx.byId.get(id);
    if (f && !seen.has(id)) {
      seen.add(id);
      found.push(f);
    }
  }
  return json({ findings: sortFindings(ctx.gd, found, parseSort(input.sortCriteria)).map(wireFinding) });
}

/**
 * Finding members whose model type is `timestamp` (epoch seconds on the wire; the JS SDK rejects ISO strings there),
 * from botocore guardduty/2017-11-28 service-2.json. Scenario data that stores ISO strings there is converted.
 */
const TIMESTAMP_PATHS = [
  'resource.ecsClusterDetails.taskDetails.createdAt',
  'resource.ecsClusterDetails.taskDetails.startedAt',
  'resource.eksClusterDetails.createdAt',
  'resource.lambdaDetails.lastModifiedAt',
  'resource.s3BucketDetails.createdAt',
  'service.detection.sequence.actors.session.createdTime',
  'service.detection.sequence.resources.data.ecsTask.createdAt',
  'service.detection.sequence.resources.data.eksCluster.createdAt',
  'service.detection.sequence.resources.data.s3Bucket.createdAt',
  'service.detection.sequence.signals.createdAt',
  'service.detection.sequence.signals.firstSeenAt',
  'service.detection.sequence.signals.lastSeenAt',
  'service.detection.sequence.signals.updatedAt',
  'service.ebsVolumeScanDetails.scanCompletedAt',
  'service.ebsVolumeScanDetails.scanStartedAt',
  'service.runtimeDetails.context.modifiedAt',
  'service.runtimeDetails.context.modifyingProcess.lineage.startTime',
  'service.runtimeDetails.context.modifyingProcess.startTime',
  'service.runtimeDetails.context.targetProcess.lineage.startTime',
  'service.runtimeDetails.context.targetProcess.startTime',
  'service.runtimeDetails.process.lineage.startTime',
  'service.runtimeDetails.process.startTime',
].map((p) => p.split('.'));

/** Visits the holders of `path` (arrays fan out); `fn` may replace the leaf. Returns true if anything was replaced. */
function rewriteLeaves(node: unknown, path: string[], i: number, fn: (v: unknown) => unknown): boolean {
  if (Array.isArray(node)) return node.map((x) => rewriteLeaves(x, path, i, fn)).some(Boolean);
  if (!isRecord(node)) return false;
  const key = path[i] as string;
  if (!(key in node)) return false;
  if (i === path.length - 1) {
    const next = fn(node[key]);
    if (next === node[key]) return false;
    node[key] = next;
    return true;
  }
  return rewriteLeaves(node[key], path, i + 1, fn);
}

function hasIsoLeaf(node: unknown, path: string[], i: number): boolean {
  if (Array.isArray(node)) return node.some((x) => hasIsoLeaf(x, path, i));
  if (!isRecord(node)) return false;
  const v = node[path[i] as string];
  if (v === undefined) return false;
  return i === path.length - 1 ? isoToEpoch(v) !== v : hasIsoLeaf(v, path, i + 1);
}

const isoToEpoch = (v: unknown): unknown => (typeof v === 'string' && ISO_RE.test(v) && !Number.isNaN(Date.parse(v)) ? Date.parse(v) / 1000 : v);

/** The finding as GetFindings sends it: timestamp-typed members as epoch seconds (copied only when needed). */
export function wireFinding(f: GuardDutyFinding): GuardDutyFinding {
  const needs = TIMESTAMP_PATHS.some((p) => hasIsoLeaf(f, p, 0));
  if (!needs) return f;
  const copy = structuredClone(f);
  for (const p of TIMESTAMP_PATHS) rewriteLeaves(copy, p, 0, isoToEpoch);
  return copy;
}

function severityKey(s: number): string {
  return Number.isInteger(s) ? s.toFixed(1) : String(s);
}

function epochSeconds(iso: string): number {
  return Date.parse(iso) / 1000;
}

function resourceOf(f: GuardDutyFinding): { resourceId: string; resourceType: string } {
  const r = f.resource;
  const ak = isRecord(r.accessKeyDetails) ? r.accessKeyDetails : undefined;
  const inst = isRecord(r.instanceDetails) ? r.instanceDetails : undefined;
  const id = (ak && (ak.accessKeyId ?? ak.userName)) ?? (inst && inst.instanceId) ?? f.id;
  return { resourceId: String(id), resourceType: r.resourceType };
}

function statistics(ctx: HandlerContext, data: RegionData, input: Record<string, unknown>): Reply {
  const types = input.findingStatisticTypes;
  const groupBy = input.groupBy;
  const hasTypes = Array.isArray(types) && types.length > 0;
  if (hasTypes && groupBy !== undefined) throw bad('The request is rejected because findingStatisticTypes and groupBy cannot be used together.');
  if (!hasTypes && groupBy === undefined) throw bad('The request is rejected because either findingStatisticTypes or groupBy is required.');
  const list = filtered(ctx, data, input.findingCriteria);
  if (hasTypes) {
    for (const t of types) if (t !== 'COUNT_BY_SEVERITY') throw bad(`The request is rejected because ${String(t)} is not a valid finding statistic type.`);
    const counts: Record<string, number> = {};
    for (const f of list) counts[severityKey(f.severity)] = (counts[severityKey(f.severity)] ?? 0) + 1;
    return json({ findingStatistics: { countBySeverity: counts } });
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
  return json({ findingStatistics: stats });
}

function setArchived(ctx: HandlerContext, data: RegionData, input: Record<string, unknown>, archived: boolean): Reply {
  const ids = idList(input);
  const idx = ctx.gd.index(ctx.region, data);
  const at = ctx.now.toISOString();
  let changed = false;
  for (const id of ids) {
    const f = idx.byId.get(id);
    if (!f) continue;
    if ((f.service.archived ?? false) !== archived) {
      f.service.archived = archived;
      f.updatedAt = at;
      changed = true;
    }
    ctx.mutate.archived(ctx.region, id, archived, at);
  }
  if (changed) ctx.gd.version++;
  return json({});
}

function feedback(ctx: HandlerContext, data: RegionData, input: Record<string, unknown>): Reply {
  const ids = idList(input);
  if (input.feedback !== 'USEFUL' && input.feedback !== 'NOT_USEFUL') throw bad('The request is rejected because feedback must be USEFUL or NOT_USEFUL.');
  const idx = ctx.gd.index(ctx.region, data);
  for (const id of ids) {
    const f = idx.byId.get(id);
    if (f) f.service.userFeedback = input.feedback;
  }
  return json({});
}

export function handleGuardDuty(ctx: HandlerContext, req: GuardDutyRequest): Reply {
  const { input } = req;
  switch (req.operation) {
    case 'ListDetectors': {
      intParam(input, 'maxResults', 1, 50, 50);
      const d = ctx.world.regions[ctx.region]?.detector;
      return json({ detectorIds: d ? [d.detectorId] : [] });
    }
    case 'GetDetector': {
      const d = regionDetector(ctx, req.detectorId).detector;
      if (!d) throw bad(NOT_OWNED);
      const featureNames = ['CLOUD_TRAIL', 'DNS_LOGS', 'FLOW_LOGS', 'S3_DATA_EVENTS'];
      return json({
        createdAt: d.createdAt,
        updatedAt: d.updatedAt,
        status: d.status,
        findingPublishingFrequency: d.findingPublishingFrequency,
        serviceRole: `arn:aws:iam::${ctx.world.accountId}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`,
        features: featureNames.map((name) => ({ name, status: 'ENABLED', updatedAt: epochSeconds(d.updatedAt) })),
        tags: d.tags,
      });
    }
    case 'ListFindings':
      return listFindings(ctx, regionDetector(ctx, req.detectorId), input);
    case 'GetFindings':
      return getFindings(ctx, regionDetector(ctx, req.detectorId), input);
    case 'GetFindingsStatistics':
      return statistics(ctx, regionDetector(ctx, req.detectorId), input);
    case 'ArchiveFindings':
      return setArchived(ctx, regionDetector(ctx, req.detectorId), input, true);
    case 'UnarchiveFindings':
      return setArchived(ctx, regionDetector(ctx, req.detectorId), input, false);
    case 'UpdateFindingsFeedback':
      return feedback(ctx, regionDetector(ctx, req.detectorId), input);
    default:
      throw new ServiceError('UnknownOperationException', `The sandbox does not implement GuardDuty ${req.operation}.`, 404);
  }
}

/** restJson1 error: status, `x-amzn-ErrorType` header and `__type` + `message` in the body. */
export function guardDutyError(code: string, message: string, status: number): Reply {
  return {
    status,
    contentType: 'application/json',
    headers: { 'x-amzn-ErrorType': code },
    body: JSON.stringify({ __type: code, message }),
  };
}
