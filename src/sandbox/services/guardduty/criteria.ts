/**
 * GuardDuty finding criteria and sorting over the wire-shaped finding: a generic dotted-path resolver (arrays fan
 * out; JSON `value` strings such as additionalInfo are looked into), the condition operators, and sortCriteria.
 */
import type { GuardDutyFinding } from '../../model.js';
import { ServiceError, isRecord } from '../../wire.js';
import type { GuardDutyCache } from './cache.js';

export function bad(message: string): ServiceError {
  return new ServiceError('BadRequestException', message, 400);
}

export const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** Numeric view of a leaf: numbers, numeric strings and ISO dates (epoch ms). */
export function toNumber(v: unknown): number {
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

export interface SortSpec {
  attributeName: string;
  orderBy: 'ASC' | 'DESC';
}

export function parseSort(raw: unknown): SortSpec | undefined {
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
