/**
 * Athena (awsJson1_1, 2017-05-18, target prefix AmazonAthena): StartQueryExecution, GetQueryExecution,
 * GetQueryResults (paged, the header row first, typed ResultSetMetadata), StopQueryExecution and
 * GetTableMetadata, per the botocore athena model. Queries run asynchronously (QUEUED → RUNNING →
 * SUCCEEDED / FAILED / CANCELLED) with DuckDB over the trail bucket's log files (engine.ts); DDL
 * (CREATE DATABASE, CREATE EXTERNAL TABLE over CloudTrail logs) changes the caller's account catalog
 * through effects, so tables survive a restart.
 *
 * Execution parameters are substituted for the `?` placeholders in order, as literals (Athena User Guide,
 * "Use execution parameters"): a parameter that is not a literal fails the query.
 */
import { randomUUID } from 'node:crypto';
import type { HandlerContext } from '../../context.js';
import type { AccountData, World } from '../../model.js';
import { awsJsonError, jsonReply, lowerCamelDeep, parseJsonObject } from '../../protocols.js';
import type { Operation, ParsedCall, RawRequest, TrailFields } from '../../service.js';
import { defineService } from '../../service.js';
import { ServiceError } from '../../wire.js';
import { classify, findTable, QueryFailure, workgroupOf } from './catalog.js';
import { runSelect, type QueryResult } from './engine.js';

type State = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

interface Execution {
  id: string;
  account: string;
  query: string;
  parameters: string[];
  database?: string;
  workgroup: string;
  outputLocation: string;
  statementType: 'DDL' | 'DML' | 'UTILITY';
  state: State;
  reason?: string;
  submittedMs: number;
  startedMs?: number;
  completedMs?: number;
  result?: QueryResult;
}

interface AthenaState {
  executions: Map<string, Execution>;
  tokens: Map<string, string>;
}

function parse(raw: RawRequest): ParsedCall {
  const target = typeof raw.headers['x-amz-target'] === 'string' ? raw.headers['x-amz-target'] : '';
  const operation = target.startsWith('AmazonAthena.') ? target.slice('AmazonAthena.'.length) : '';
  if (raw.method !== 'POST' || !operation) throw new ServiceError('InvalidRequestException', 'Athena requests are POST / with an X-Amz-Target header.', 400);
  const invalid = (): ServiceError => new ServiceError('SerializationException', 'The request body is not valid JSON.', 400);
  return { operation, input: parseJsonObject(raw.body, invalid) };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const invalidRequest = (message: string): ServiceError => new ServiceError('InvalidRequestException', message, 400);

/** A literal as Athena substitutes it: a quoted string ('' inside), a number, true/false or NULL. */
const LITERAL = /^(?:'(?:[^']|'')*'|-?\d+(?:\.\d+)?|true|false|NULL)$/i;

/** The query with its `?` placeholders (outside quotes) replaced by the parameters, in order. */
export function substituteParameters(sql: string, params: readonly string[]): string {
  let out = '';
  let n = 0;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i] as string;
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === ch && sql[j + 1] !== ch)) j += sql[j] === ch ? 2 : 1;
      out += sql.slice(i, j + 1);
      i = j;
      continue;
    }
    if (ch === '?') {
      const p = params[n++];
      if (p === undefined) throw new QueryFailure(`INVALID_PARAMETER_USAGE: Incorrect number of parameters: expected at least ${n} but found ${params.length}`);
      if (!LITERAL.test(p)) throw new QueryFailure(`INVALID_PARAMETER_USAGE: execution parameter ${n} is not a literal: ${p.slice(0, 60)}`);
      out += p;
      continue;
    }
    out += ch;
  }
  if (n !== params.length) throw new QueryFailure(`INVALID_PARAMETER_USAGE: Incorrect number of parameters: expected ${n} but found ${params.length}`);
  return out;
}

function finish(e: Execution, state: State, reason?: string): void {
  if (e.state === 'CANCELLED') return;
  e.state = state;
  if (reason !== undefined) e.reason = reason;
  e.completedMs = Date.now();
}

/** Runs a SELECT after the reply: QUEUED now, RUNNING on the next turn, then its outcome. */
function schedule(e: Execution, work: () => Promise<QueryResult>): void {
  setImmediate(() => {
    if (e.state !== 'QUEUED') return;
    e.state = 'RUNNING';
    e.startedMs = Date.now();
    work().then(
      (result) => {
        if (e.state !== 'RUNNING') return;
        e.result = result;
        finish(e, 'SUCCEEDED');
      },
      (err: unknown) => finish(e, 'FAILED', err instanceof QueryFailure ? err.message : `INTERNAL_ERROR_QUERY_ENGINE: ${err instanceof Error ? err.message : String(err)}`),
    );
  });
}

function startQuery(ctx: HandlerContext, call: ParsedCall, state: AthenaState): { QueryExecutionId: string } {
  const input = call.input;
  const query = str(input.QueryString);
  if (!query || query.length > 262_144) throw invalidRequest('QueryString must be between 1 and 262144 characters.');
  const token = str(input.ClientRequestToken);
  const tokenKey = token ? `${ctx.account.accountId}|${token}` : undefined;
  const existing = tokenKey ? state.tokens.get(tokenKey) : undefined;
  if (existing) return { QueryExecutionId: existing };
  const wg = workgroupOf(str(input.WorkGroup));
  const context = (input.QueryExecutionContext ?? {}) as Record<string, unknown>;
  const result = (input.ResultConfiguration ?? {}) as Record<string, unknown>;
  const params = Array.isArray(input.ExecutionParameters) ? input.ExecutionParameters.map(String) : [];
  if (params.some((p) => p.length < 1 || p.length > 1024)) throw invalidRequest('Each execution parameter must be 1 to 1024 characters.');
  const database = str(context.Database)?.toLowerCase();
  const id = randomUUID();
  const e: Execution = {
    id,
    account: ctx.account.accountId,
    query,
    parameters: params,
    ...(database ? { database } : {}),
    workgroup: wg.name,
    outputLocation: `${str(result.OutputLocation) ?? wg.outputLocation}${(str(result.OutputLocation) ?? wg.outputLocation).endsWith('/') ? '' : '/'}${id}.csv`,
    statementType: 'DML',
    state: 'QUEUED',
    submittedMs: Date.now(),
  };
  state.executions.set(id, e);
  if (tokenKey) state.tokens.set(tokenKey, id);
  let statement;
  try {
    statement = classify(substituteParameters(query, params), ctx.now);
  } catch (err) {
    if (!(err instanceof QueryFailure)) throw err;
    schedule(e, () => Promise.reject(err));
    return { QueryExecutionId: id };
  }
  if (statement.kind === 'select') {
    const world: World = ctx.world;
    const account: AccountData = ctx.account;
    const sql = substituteParameters(query, params);
    const nowMs = ctx.now.getTime();
    schedule(e, () => runSelect(world, account, sql, database, nowMs));
    return { QueryExecutionId: id };
  }
  e.statementType = 'DDL';
  // DDL changes the catalog at once (through an effect, so it is journaled with this request).
  let failure: QueryFailure | undefined;
  if (statement.kind === 'createDatabase') {
    const exists = !!ctx.account.athena && Object.hasOwn(ctx.account.athena.databases, statement.database);
    if (exists && !statement.ifNotExists) failure = new QueryFailure(`FAILED: SemanticException [Error 10242]: Database ${statement.database} already exists`);
    else if (!exists) ctx.mutate({ kind: 'athenaDatabaseCreate', account: ctx.account.accountId, database: statement.database, createdAt: ctx.now.toISOString() });
  } else {
    const db = statement.database ?? database ?? 'default';
    const dbExists = !!ctx.account.athena && Object.hasOwn(ctx.account.athena.databases, db);
    if (!dbExists) failure = new QueryFailure(`FAILED: SemanticException [Error 10072]: Database does not exist: ${db}`);
    else if (findTable(ctx.account, db, statement.table.name)) {
      if (!statement.ifNotExists) failure = new QueryFailure(`FAILED: AlreadyExistsException: Table ${statement.table.name} already exists`);
    } else ctx.mutate({ kind: 'athenaTableCreate', account: ctx.account.accountId, database: db, table: statement.table });
  }
  const empty: QueryResult = { columns: [], rows: [], scannedBytes: 0 };
  schedule(e, () => (failure ? Promise.reject(failure) : Promise.resolve(empty)));
  return { QueryExecutionId: id };
}

function execution(ctx: HandlerContext, state: AthenaState, input: Record<string, unknown>): Execution {
  const id = str(input.QueryExecutionId) ?? '';
  const e = state.executions.get(id);
  if (!e || e.account !== ctx.account.accountId) throw invalidRequest(`QueryExecution ${id} was not found`);
  return e;
}

const seconds = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : ms / 1000);

function describe(e: Execution): Record<string, unknown> {
  const done = e.state === 'SUCCEEDED' || e.state === 'FAILED' || e.state === 'CANCELLED';
  const total = (e.completedMs ?? Date.now()) - e.submittedMs;
  return {
    QueryExecutionId: e.id,
    Query: e.query,
    StatementType: e.statementType,
    ResultConfiguration: { OutputLocation: e.outputLocation },
    ...(e.database ? { QueryExecutionContext: { Database: e.database, Catalog: 'awsdatacatalog' } } : {}),
    Status: {
      State: e.state,
      ...(e.reason ? { StateChangeReason: e.reason, AthenaError: { ErrorCategory: 2, ErrorType: 1301, Retryable: false, ErrorMessage: e.reason } } : {}),
      SubmissionDateTime: seconds(e.submittedMs),
      ...(done ? { CompletionDateTime: seconds(e.completedMs) } : {}),
    },
    Statistics: {
      EngineExecutionTimeInMillis: e.startedMs ? (e.completedMs ?? Date.now()) - e.startedMs : 0,
      DataScannedInBytes: e.result?.scannedBytes ?? 0,
      TotalExecutionTimeInMillis: total,
      QueryQueueTimeInMillis: (e.startedMs ?? Date.now()) - e.submittedMs,
    },
    WorkGroup: e.workgroup,
    EngineVersion: { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' },
    ...(e.parameters.length > 0 ? { ExecutionParameters: e.parameters } : {}),
  };
}

function results(ctx: HandlerContext, state: AthenaState, input: Record<string, unknown>): Record<string, unknown> {
  const e = execution(ctx, state, input);
  if (e.state !== 'SUCCEEDED') {
    throw invalidRequest(e.state === 'FAILED' || e.state === 'CANCELLED' ? `Query has ${e.state === 'FAILED' ? 'failed' : 'been cancelled'}: ${e.reason ?? ''}`.trim() : `Query has not yet finished. Current state: ${e.state}`);
  }
  const max = input.MaxResults === undefined ? 1000 : Number(input.MaxResults);
  if (!Number.isInteger(max) || max < 1 || max > 1000) throw invalidRequest('1 validation error detected: Value at \'maxResults\' failed to satisfy constraint: Member must have value less than or equal to 1000');
  const r = e.result as QueryResult;
  // A SELECT's rows start with the header row (the column names), as Athena returns them.
  const rows = e.statementType === 'DML' ? [r.columns.map((c) => c.name), ...r.rows] : r.rows;
  const token = str(input.NextToken);
  let offset = 0;
  if (token !== undefined) {
    const m = /^(\d+):(.+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
    if (!m || m[2] !== e.id) throw invalidRequest('The NextToken is not valid.');
    offset = Number(m[1]);
  }
  const page = rows.slice(offset, offset + max);
  const next = offset + max < rows.length ? Buffer.from(`${offset + max}:${e.id}`, 'utf8').toString('base64') : undefined;
  return {
    UpdateCount: 0,
    ResultSet: {
      Rows: page.map((row) => ({ Data: row.map((v) => (v === undefined ? {} : { VarCharValue: v })) })),
      ResultSetMetadata: {
        ColumnInfo: r.columns.map((c) => ({
          CatalogName: 'hive', SchemaName: '', TableName: '', Name: c.name, Label: c.name, Type: c.type,
          Precision: c.type === 'varchar' || c.type === 'json' ? 2147483647 : 0, Scale: 0, Nullable: 'UNKNOWN', CaseSensitive: c.type === 'varchar' || c.type === 'json',
        })),
      },
    },
    ...(next ? { NextToken: next } : {}),
  };
}

function tableMetadata(ctx: HandlerContext, input: Record<string, unknown>): Record<string, unknown> {
  const database = (str(input.DatabaseName) ?? '').toLowerCase();
  const name = (str(input.TableName) ?? '').toLowerCase();
  const catalog = str(input.CatalogName) ?? '';
  if (catalog.toLowerCase() !== 'awsdatacatalog') throw new ServiceError('MetadataException', `Catalog ${catalog} was not found.`, 400);
  if (!ctx.account.athena || !Object.hasOwn(ctx.account.athena.databases, database)) throw new ServiceError('MetadataException', `Database ${database} was not found.`, 400);
  const t = findTable(ctx.account, database, name);
  if (!t) throw new ServiceError('MetadataException', `Table ${name} was not found in database ${database}.`, 400);
  return {
    TableMetadata: {
      Name: t.name,
      CreateTime: Date.parse(t.createdAt) / 1000,
      TableType: 'EXTERNAL_TABLE',
      Columns: [],
      PartitionKeys: t.partitionKeys.map((k) => ({ Name: k, Type: 'string' })),
      Parameters: { EXTERNAL: 'TRUE', location: t.location, ...t.properties },
    },
  };
}

const OPERATIONS: Record<string, Operation<AthenaState>> = {
  StartQueryExecution: {
    readOnly: false,
    handle: (ctx, call, state) => startQuery(ctx, call, state),
    responseElements: (out) => ({ queryExecutionId: (out as { QueryExecutionId: string }).QueryExecutionId }),
  },
  GetQueryExecution: { readOnly: true, handle: (ctx, call, state) => ({ QueryExecution: describe(execution(ctx, state, call.input)) }) },
  GetQueryResults: { readOnly: true, handle: (ctx, call, state) => results(ctx, state, call.input) },
  StopQueryExecution: {
    readOnly: false,
    handle: (ctx, call, state) => {
      const e = execution(ctx, state, call.input);
      if (e.state === 'QUEUED' || e.state === 'RUNNING') {
        e.state = 'CANCELLED';
        e.reason = 'Query cancelled by user';
        e.completedMs = Date.now();
      }
      return {};
    },
  },
  GetTableMetadata: { readOnly: true, handle: (ctx, call) => tableMetadata(ctx, call.input) },
};

export const ATHENA = defineService<AthenaState>({
  name: 'athena',
  label: 'Athena',
  signingName: 'athena',
  actionPrefix: 'athena',
  eventSource: 'athena.amazonaws.com',
  global: false,
  rejectsDisabledRegions: true,
  targetPrefixes: ['AmazonAthena'],
  parse,
  operations: OPERATIONS,
  unknownOperation: (op) => new ServiceError('InvalidRequestException', `The sandbox does not implement Athena ${op}.`, 400),
  createState: () => ({ executions: new Map(), tokens: new Map() }),
  serialize: (_op, output) => jsonReply(output, 'application/x-amz-json-1.1'),
  error: (code, message, status) => awsJsonError(code, message, status),
  errors: {
    missingAuth: { code: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' },
    invalidToken: 'UnrecognizedClientException',
    expiredToken: 'ExpiredTokenException',
    accessDenied: { code: 'AccessDeniedException', status: 400 },
    throttle: { code: 'TooManyRequestsException', status: 400 },
    internal: 'InternalServerException',
    tooLarge: 'InvalidRequestException',
  },
  requestParameters: (call): TrailFields => {
    const params = lowerCamelDeep(call.input) as Record<string, unknown>;
    return Object.keys(params).length > 0 ? params : null;
  },
});
