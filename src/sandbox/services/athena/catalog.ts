/**
 * The sandbox Athena's catalog: the DDL it accepts (CREATE DATABASE, CREATE EXTERNAL TABLE over
 * CloudTrail logs, as the Athena User Guide gives it and `gd-ir athena setup` prints it), and which
 * objects of a table's location fall in which partition under its partition projection (Athena User
 * Guide, "Partition projection": enum and date types, `storage.location.template`).
 */
import type { AccountData, AthenaTable } from '../../model.js';
import { SANDBOX_TRAIL_BUCKET, trailObjects, type BucketObject } from '../../logs/bucket.js';
import type { World } from '../../model.js';
import { ServiceError } from '../../wire.js';

const ident = String.raw`(?:\x60([A-Za-z0-9_]+)\x60|"([A-Za-z0-9_]+)"|([A-Za-z0-9_]+))`;

export type Statement =
  | { kind: 'createDatabase'; database: string; ifNotExists: boolean }
  | { kind: 'createTable'; database?: string; table: AthenaTable; ifNotExists: boolean }
  | { kind: 'select' };

const pick = (m: RegExpExecArray, at: number): string | undefined => (m[at] ?? m[at + 1] ?? m[at + 2])?.toLowerCase();

/** Athena's failure for a statement: the query ends FAILED with this reason. */
export class QueryFailure extends Error {
  constructor(
    message: string,
    readonly errorType = 'USER',
  ) {
    super(message);
  }
}

export function classify(sql: string, now: Date): Statement {
  const text = sql.trim().replace(/;\s*$/, '');
  const db = new RegExp(String.raw`^CREATE\s+(?:DATABASE|SCHEMA)\s+(IF\s+NOT\s+EXISTS\s+)?${ident}\s*$`, 'i').exec(text);
  if (db) return { kind: 'createDatabase', ifNotExists: !!db[1], database: pick(db, 2) as string };
  const tbl = new RegExp(String.raw`^CREATE\s+EXTERNAL\s+TABLE\s+(IF\s+NOT\s+EXISTS\s+)?(?:${ident}\.)?${ident}\s*\(`, 'i').exec(text);
  if (tbl) {
    if (!/com\.amazon\.emr\.cloudtrail\.CloudTrailInputFormat/.test(text)) {
      throw new QueryFailure("The sandbox's Athena serves CloudTrail tables only (STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat').");
    }
    const location = /\bLOCATION\s+'([^']+)'/i.exec(text)?.[1];
    if (!location || !/^s3:\/\/[a-z0-9.-]+\//.test(location)) throw new QueryFailure("line 1:8: LOCATION must be an s3:// URL ending in '/'");
    const partitioned = /\bPARTITIONED\s+BY\s*\(([^)]*)\)/i.exec(text)?.[1] ?? '';
    const partitionKeys = [...partitioned.matchAll(new RegExp(String.raw`${ident}\s+string`, 'gi'))].map((m) => (m[1] ?? m[2] ?? m[3] ?? '').toLowerCase());
    const props: Record<string, string> = {};
    const tp = /\bTBLPROPERTIES\s*\(([\s\S]*)\)\s*$/i.exec(text)?.[1] ?? '';
    for (const m of tp.matchAll(/'([^']+)'\s*=\s*'([^']*)'/g)) props[m[1] as string] = m[2] as string;
    const database = pick(tbl, 2);
    return {
      kind: 'createTable',
      ifNotExists: !!tbl[1],
      ...(database ? { database } : {}),
      table: { name: pick(tbl, 5) as string, createdAt: now.toISOString(), location, partitionKeys, properties: props, ddl: text },
    };
  }
  if (/^(SELECT|WITH)\b/i.test(text)) return { kind: 'select' };
  throw new QueryFailure("The sandbox's Athena runs SELECT queries and CREATE DATABASE / CREATE EXTERNAL TABLE statements only.");
}

export function findTable(account: AccountData, database: string, table: string): AthenaTable | undefined {
  const db = account.athena && Object.hasOwn(account.athena.databases, database) ? account.athena.databases[database] : undefined;
  return db && Object.hasOwn(db.tables, table) ? db.tables[table] : undefined;
}

export interface TableObject {
  object: BucketObject;
  /** `s3://bucket/key`. */
  url: string;
  partitions: Record<string, string>;
}

const DAY_MS = 86_400_000;

function dateInRange(value: string, range: string | undefined, nowMs: number): boolean {
  const m = /^(\d{4})\/(\d{2})\/(\d{2})$/.exec(value);
  if (!m) return false;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const [lo, hi] = (range ?? '').split(',').map((x) => x.trim());
  const parse = (x: string | undefined, fallback: number): number => {
    if (!x) return fallback;
    if (/^NOW$/i.test(x)) return nowMs;
    const d = /^(\d{4})\/(\d{2})\/(\d{2})$/.exec(x);
    return d ? Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3])) : fallback;
  };
  return t >= parse(lo, -Infinity) && t <= parse(hi, Infinity) + DAY_MS - 1;
}

/**
 * The objects a table reads and their partition values: everything under LOCATION for a table without
 * partitions; with partition projection, the objects whose path fits `storage.location.template` with
 * values the projection allows (enum values, dates within the range).
 */
export function tableObjects(world: World, table: AthenaTable, nowMs: number): TableObject[] {
  const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(table.location);
  if (!m || m[1] !== SANDBOX_TRAIL_BUCKET) return [];
  const bucket = m[1];
  const objects = trailObjects(world, nowMs).map((o) => ({ object: o, url: `s3://${bucket}/${o.key}` }));
  if (table.partitionKeys.length === 0) return objects.filter((o) => o.url.startsWith(table.location)).map((o) => ({ ...o, partitions: {} }));
  const p = table.properties;
  if (p['projection.enabled'] !== 'true') return [];
  const template = p['storage.location.template'] ?? '';
  const names: string[] = [];
  const pattern = template
    .split(/(\$\{[a-z0-9_]+\})/i)
    .map((part) => {
      const v = /^\$\{([a-z0-9_]+)\}$/i.exec(part);
      if (!v) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push((v[1] as string).toLowerCase());
      return p[`projection.${(v[1] as string).toLowerCase()}.type`] === 'date' ? '(\\d{4}/\\d{2}/\\d{2})' : '([^/]+)';
    })
    .join('');
  const re = new RegExp(`^${pattern}/`);
  const out: TableObject[] = [];
  for (const o of objects) {
    const hit = re.exec(o.url);
    if (!hit) continue;
    const partitions: Record<string, string> = {};
    let ok = true;
    names.forEach((name, i) => {
      const value = hit[i + 1] as string;
      partitions[name] = value;
      const type = p[`projection.${name}.type`];
      if (type === 'enum' && !(p[`projection.${name}.values`] ?? '').split(',').map((x) => x.trim()).includes(value)) ok = false;
      if (type === 'date' && !dateInRange(value, p[`projection.${name}.range`], nowMs)) ok = false;
    });
    if (ok && table.partitionKeys.every((k) => k in partitions)) out.push({ ...o, partitions });
  }
  return out;
}

/** The workgroups of the sandbox: `primary`, with a results location, as a new account's is once configured. */
export const WORKGROUPS: Readonly<Record<string, { outputLocation: string }>> = { primary: { outputLocation: 's3://example-corp-athena-results/' } };

export function workgroupOf(name: string | undefined): { name: string; outputLocation: string } {
  const n = name ?? 'primary';
  const wg = Object.hasOwn(WORKGROUPS, n) ? WORKGROUPS[n] : undefined;
  if (!wg) throw new ServiceError('InvalidRequestException', `WorkGroup ${n} is not found.`, 400);
  return { name: n, outputLocation: wg.outputLocation };
}
