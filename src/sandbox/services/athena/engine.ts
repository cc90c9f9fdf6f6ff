/**
 * Runs a SELECT the way Athena would over a CloudTrail table, with DuckDB (@duckdb/node-api) as the
 * engine, over the same log files the S3 service serves:
 *
 * 1. The table's objects and their partition values (projection, src/sandbox/services/athena/catalog.ts).
 * 2. Partition pruning as Trino does it: the WHERE clause's top-level conjuncts that name only partition
 *    columns are evaluated on the partitions; only the objects of matching partitions are read, and
 *    their stored (compressed) size is the query's `DataScannedInBytes`.
 * 3. A view with AWS's CloudTrail table columns (lower-case names and types, Athena User Guide) over
 *    those files. DuckDB's read_json matches JSON keys case-sensitively, so the files are read with
 *    CloudTrail's own camelCase names and cast to the lower-case struct types (DuckDB casts structs by
 *    field name, case-insensitively), as Athena's JsonSerDe (case-insensitive) reads them.
 * 4. The query itself, as sent (execution parameters already substituted as literals).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccountData, World } from '../../model.js';
import { findTable, QueryFailure, tableObjects } from './catalog.js';

type ColType = 'string' | 'json' | { struct: ReadonlyArray<readonly [string, ColType]> } | { array: ColType } | { map: [ColType, ColType] };
const S = 'string' as const;
const struct = (...fields: Array<readonly [string, ColType]>): ColType => ({ struct: fields });

/** AWS's CloudTrail table (Athena User Guide), with CloudTrail's own field names (CloudTrail record contents). */
const COLUMNS: ReadonlyArray<readonly [string, ColType]> = [
  ['eventVersion', S],
  [
    'userIdentity',
    struct(
      ['type', S], ['principalId', S], ['arn', S], ['accountId', S], ['invokedBy', S], ['accessKeyId', S], ['userName', S],
      ['onBehalfOf', struct(['userId', S], ['identityStoreArn', S])],
      [
        'sessionContext',
        struct(
          ['attributes', struct(['mfaAuthenticated', S], ['creationDate', S])],
          ['sessionIssuer', struct(['type', S], ['principalId', S], ['arn', S], ['accountId', S], ['userName', S])],
          ['ec2RoleDelivery', S],
          ['webIdFederationData', struct(['federatedProvider', S], ['attributes', { map: [S, S] }])],
        ),
      ],
    ),
  ],
  ['eventTime', S], ['eventSource', S], ['eventName', S], ['awsRegion', S], ['sourceIPAddress', S], ['userAgent', S], ['errorCode', S], ['errorMessage', S],
  ['requestParameters', 'json'], ['responseElements', 'json'], ['additionalEventData', 'json'], ['requestID', S], ['eventID', S], ['readOnly', S],
  ['resources', { array: struct(['ARN', S], ['accountId', S], ['type', S]) }],
  ['eventType', S], ['apiVersion', S], ['recipientAccountId', S], ['serviceEventDetails', 'json'], ['sharedEventID', S], ['vpcEndpointId', S], ['vpcEndpointAccountId', S], ['eventCategory', S],
  ['addendum', struct(['reason', S], ['updatedFields', S], ['originalRequestID', S], ['originalEventID', S])],
  ['sessionCredentialFromConsole', S], ['edgeDeviceDetails', 'json'],
  ['tlsDetails', struct(['tlsVersion', S], ['cipherSuite', S], ['clientProvidedHostHeader', S])],
];

const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;

function duckType(t: ColType, camel: boolean): string {
  if (t === 'string') return 'VARCHAR';
  if (t === 'json') return camel ? 'JSON' : 'VARCHAR';
  if ('struct' in t) return `STRUCT(${t.struct.map(([n, c]) => `${q(camel ? n : n.toLowerCase())} ${duckType(c, camel)}`).join(', ')})`;
  if ('array' in t) return `${duckType(t.array, camel)}[]`;
  return `MAP(${duckType(t.map[0], camel)}, ${duckType(t.map[1], camel)})`;
}

const READ_SPEC = `STRUCT(${COLUMNS.map(([n, t]) => `${q(n)} ${duckType(t, true)}`).join(', ')})[]`;
const VIEW_COLUMNS = COLUMNS.map(([n, t]) => `CAST(r.${q(n)} AS ${duckType(t, false)}) AS ${n.toLowerCase()}`).join(', ');

let scratch: string | undefined;
/** Log files written for DuckDB to read, by content (the ETag); one directory per process, removed at exit. */
function fileFor(etag: string, body: Buffer): string {
  if (!scratch) {
    scratch = mkdtempSync(join(tmpdir(), 'gd-ir-sandbox-athena-'));
    const dir = scratch;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  mkdirSync(scratch, { recursive: true });
  const path = join(scratch, `${etag.replace(/[^0-9a-f]/gi, '')}.json.gz`);
  if (!existsSync(path)) writeFileSync(path, body);
  return path;
}

export interface QueryResult {
  columns: Array<{ name: string; type: string }>;
  rows: Array<Array<string | undefined>>;
  scannedBytes: number;
}

/** The text between the top-level WHERE and ORDER/GROUP/LIMIT/HAVING, split at top-level ANDs. */
export function topLevelConjuncts(sql: string): string[] | undefined {
  let depth = 0;
  let i = 0;
  let whereAt = -1;
  let endAt = sql.length;
  const cuts: number[] = [];
  while (i < sql.length) {
    const ch = sql[i] as string;
    if (ch === "'" || ch === '"') {
      const close = ch;
      i++;
      while (i < sql.length && !(sql[i] === close && sql[i + 1] !== close)) i += sql[i] === close ? 2 : 1;
      i++;
      continue;
    }
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && /[A-Za-z]/.test(ch) && (i === 0 || !/[A-Za-z0-9_]/.test(sql[i - 1] as string))) {
      const word = /^[A-Za-z_]+/.exec(sql.slice(i))?.[0].toUpperCase() ?? '';
      if (word === 'WHERE' && whereAt < 0) whereAt = i + 5;
      else if (whereAt >= 0 && (word === 'ORDER' || word === 'GROUP' || word === 'LIMIT' || word === 'HAVING')) {
        endAt = i;
        break;
      } else if (whereAt >= 0 && word === 'AND') cuts.push(i);
      else if (word === 'BETWEEN') return undefined;
      i += word.length;
      continue;
    }
    i++;
  }
  if (whereAt < 0) return [];
  const parts: string[] = [];
  let from = whereAt;
  for (const c of cuts) {
    parts.push(sql.slice(from, c));
    from = c + 3;
  }
  parts.push(sql.slice(from, endAt));
  return parts.map((p) => p.trim()).filter(Boolean);
}

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'IN', 'IS', 'NULL', 'LIKE', 'ESCAPE', 'TRUE', 'FALSE']);

/** The identifiers a predicate names (string literals removed), lower-cased. */
function identifiers(expr: string): string[] {
  const noStrings = expr.replace(/'(?:[^']|'')*'/g, "''");
  const out: string[] = [];
  for (const m of noStrings.matchAll(/"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_.]*)/g)) {
    const word = m[1] ?? m[2] ?? '';
    if (m[2] !== undefined && KEYWORDS.has(word.toUpperCase())) continue;
    out.push(word.toLowerCase());
  }
  return out;
}

/** `FROM "db"."table"` / `FROM db.table` / `FROM table` of the query. */
function tableRef(sql: string, contextDb: string | undefined): { database: string; table: string } {
  const m = /\bFROM\s+(?:"([A-Za-z0-9_]+)"|([A-Za-z0-9_]+))(?:\s*\.\s*(?:"([A-Za-z0-9_]+)"|([A-Za-z0-9_]+)))?/i.exec(sql);
  if (!m) throw new QueryFailure("The sandbox's Athena runs queries over one table (FROM <database>.<table>).");
  const first = (m[1] ?? m[2] ?? '').toLowerCase();
  const second = (m[3] ?? m[4])?.toLowerCase();
  return second ? { database: first, table: second } : { database: contextDb ?? 'default', table: first };
}

function athenaType(t: { typeId: number; alias?: string } & { toString(): string }): string {
  if (t.alias === 'JSON') return 'json';
  const s = t.toString().toUpperCase();
  if (s.startsWith('STRUCT')) return 'row';
  if (s.endsWith('[]') || s.startsWith('LIST')) return 'array';
  if (s.startsWith('MAP')) return 'map';
  const map: Record<string, string> = { VARCHAR: 'varchar', BOOLEAN: 'boolean', BIGINT: 'bigint', INTEGER: 'integer', DOUBLE: 'double', FLOAT: 'real', DATE: 'date', TIMESTAMP: 'timestamp', 'TIMESTAMP WITH TIME ZONE': 'timestamp with time zone', HUGEINT: 'decimal', SMALLINT: 'smallint', TINYINT: 'tinyint' };
  return map[s] ?? s.toLowerCase();
}

function text(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

export async function runSelect(world: World, account: AccountData, sql: string, contextDb: string | undefined, nowMs: number): Promise<QueryResult> {
  const ref = tableRef(sql, contextDb);
  const table = findTable(account, ref.database, ref.table);
  if (!table) throw new QueryFailure(`TABLE_NOT_FOUND: line 1:1: Table 'awsdatacatalog.${ref.database}.${ref.table}' does not exist`);
  const objects = tableObjects(world, table, nowMs);
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:', { threads: '2' });
  const c = await db.connect();
  try {
    const keys = table.partitionKeys;
    await c.run(`CREATE TABLE objects (url VARCHAR, size BIGINT${keys.map((k) => `, ${q(k)} VARCHAR`).join('')})`);
    const app = await c.createAppender('objects');
    for (const o of objects) {
      app.appendVarchar(o.url);
      app.appendBigInt(BigInt(o.object.size));
      for (const k of keys) app.appendVarchar(o.partitions[k] ?? '');
      app.endRow();
    }
    app.closeSync();
    // Partition pruning: the conjuncts that name only partition columns.
    const conjuncts = topLevelConjuncts(sql) ?? [];
    const onPartitions = conjuncts.filter((x) => {
      const ids = identifiers(x);
      return ids.length > 0 && ids.every((id) => keys.includes(id));
    });
    let kept = new Set(objects.map((o) => o.url));
    if (onPartitions.length > 0) {
      try {
        const r = await c.runAndReadAll(`SELECT url FROM objects WHERE ${onPartitions.map((x) => `(${x})`).join(' AND ')}`);
        kept = new Set(r.getRowObjectsJson().map((row) => String(row.url)));
      } catch {
        /* a predicate DuckDB cannot evaluate on the partitions alone: read every partition */
      }
    }
    const read = objects.filter((o) => kept.has(o.url));
    const scannedBytes = read.reduce((n, o) => n + o.object.size, 0);
    const files = read.map((o) => ({ url: o.url, file: fileFor(o.object.etag, o.object.body) }));
    await c.run('CREATE TABLE files (file VARCHAR, url VARCHAR)');
    const fapp = await c.createAppender('files');
    for (const f of files) {
      fapp.appendVarchar(f.file);
      fapp.appendVarchar(f.url);
      fapp.endRow();
    }
    fapp.closeSync();
    const partitionCols = keys.map((k) => `, o.${q(k)}`).join('');
    const source =
      files.length === 0
        ? `(SELECT CAST(NULL AS ${READ_SPEC.slice(0, -2)}) AS r, CAST(NULL AS VARCHAR) AS filename WHERE false)`
        : `(SELECT unnest(Records) AS r, filename FROM read_json([${files.map((f) => `'${f.file.replace(/'/g, "''")}'`).join(', ')}], filename = true, ignore_errors = true, maximum_object_size = 268435456, columns = {Records: '${READ_SPEC}'}))`;
    await c.run(`CREATE SCHEMA ${q(ref.database)}`);
    await c.run(`CREATE VIEW ${q(ref.database)}.${q(ref.table)} AS SELECT ${VIEW_COLUMNS}${partitionCols} FROM ${source} j JOIN files f ON j.filename = f.file JOIN objects o ON o.url = f.url`);
    let reader;
    try {
      reader = await c.runAndReadAll(sql);
    } catch (err) {
      throw new QueryFailure(`SYNTAX_ERROR: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
    const names = reader.columnNames();
    const types = reader.columnTypes();
    return {
      columns: names.map((name, i) => ({ name, type: athenaType(types[i] as never) })),
      rows: reader.getRowsJson().map((row) => row.map(text)),
      scannedBytes,
    };
  } finally {
    c.closeSync();
    db.closeSync();
  }
}
