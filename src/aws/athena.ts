/**
 * Athena gateway: a table's partition keys, one query from start to its last result page, and stopping
 * it. Values reach SQL only as execution parameters (StartQueryExecution's ExecutionParameters,
 * substituted by Athena as literals); the SQL text is gd-ir's own (src/core/logs/athena-sql.ts).
 */
import type { AwsClients } from './clients.js';
import type { Clock } from '../cli/context.js';
import { AwsError } from '../core/errors.js';
import { sanitize } from '../core/sanitize.js';
import { toGdIrError } from './errors.js';

interface Deps {
  aws: Pick<AwsClients, 'athena'>;
  clock: Clock;
  signal: AbortSignal;
}

export interface AthenaQueryInput {
  sql: string;
  parameters: string[];
  database?: string;
  workgroup?: string;
  outputLocation?: string;
}

export interface AthenaQueryStatus {
  id: string;
  state: string;
  scannedBytes: number;
}

export async function tablePartitionKeys(d: Deps, database: string, table: string): Promise<string[]> {
  const { GetTableMetadataCommand } = await import('@aws-sdk/client-athena');
  const client = await d.aws.athena();
  try {
    const out = await client.send(new GetTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: database, TableName: table }), { abortSignal: d.signal });
    return (out.TableMetadata?.PartitionKeys ?? []).map((c) => (c.Name ?? '').toLowerCase()).filter(Boolean);
  } catch (err) {
    throw toGdIrError(err, { action: 'athena:GetTableMetadata' });
  }
}

/**
 * Start a query, wait for it (reporting each state), and return its id and data scanned. Stops the
 * query when interrupted. FAILED and CANCELLED become errors with Athena's reason.
 */
export async function runQuery(d: Deps, q: AthenaQueryInput, onState?: (s: AthenaQueryStatus) => void): Promise<AthenaQueryStatus> {
  const { StartQueryExecutionCommand, GetQueryExecutionCommand } = await import('@aws-sdk/client-athena');
  const client = await d.aws.athena();
  let id: string;
  try {
    const started = await client.send(
      new StartQueryExecutionCommand({
        QueryString: q.sql,
        ...(q.parameters.length > 0 ? { ExecutionParameters: q.parameters } : {}),
        ...(q.database ? { QueryExecutionContext: { Database: q.database, Catalog: 'AwsDataCatalog' } } : {}),
        ...(q.workgroup ? { WorkGroup: q.workgroup } : {}),
        ...(q.outputLocation ? { ResultConfiguration: { OutputLocation: q.outputLocation } } : {}),
      }),
      { abortSignal: d.signal },
    );
    id = started.QueryExecutionId ?? '';
  } catch (err) {
    throw toGdIrError(err, { action: 'athena:StartQueryExecution' });
  }
  let wait = 200;
  try {
    for (;;) {
      const out = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }), { abortSignal: d.signal });
      const qe = out.QueryExecution;
      const status: AthenaQueryStatus = { id, state: qe?.Status?.State ?? 'UNKNOWN', scannedBytes: qe?.Statistics?.DataScannedInBytes ?? 0 };
      onState?.(status);
      if (status.state === 'SUCCEEDED') return status;
      if (status.state === 'FAILED' || status.state === 'CANCELLED') {
        const reason = sanitize(qe?.Status?.StateChangeReason ?? qe?.Status?.AthenaError?.ErrorMessage ?? 'no reason given', { maxLength: 400 });
        throw new AwsError(`Athena query ${id} ${status.state.toLowerCase()}: ${reason}`, qe?.Status?.AthenaError?.ErrorType !== undefined ? String(qe.Status.AthenaError.ErrorType) : status.state, 'athena:StartQueryExecution');
      }
      await d.clock.sleep(wait, d.signal);
      wait = Math.min(2000, Math.round(wait * 1.5));
    }
  } catch (err) {
    if (d.signal.aborted || (err as { name?: string }).name === 'AbortError') {
      await stopQuery(d, id);
      throw err;
    }
    throw toGdIrError(err, { action: 'athena:GetQueryExecution' });
  }
}

async function stopQuery(d: Pick<Deps, 'aws'>, id: string): Promise<void> {
  try {
    const { StopQueryExecutionCommand } = await import('@aws-sdk/client-athena');
    const client = await d.aws.athena();
    await client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
  } catch {
    /* the run is ending anyway */
  }
}

/** Every result row of a finished query as column name → text (absent for NULL), page by page. */
export async function* queryRows(d: Deps, id: string): AsyncGenerator<Record<string, string | undefined>> {
  const { GetQueryResultsCommand } = await import('@aws-sdk/client-athena');
  const client = await d.aws.athena();
  let token: string | undefined;
  let first = true;
  do {
    let out;
    try {
      out = await client.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1000, ...(token ? { NextToken: token } : {}) }), { abortSignal: d.signal });
    } catch (err) {
      throw toGdIrError(err, { action: 'athena:GetQueryResults' });
    }
    const columns = (out.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Name ?? '');
    const rows = out.ResultSet?.Rows ?? [];
    for (const [i, row] of rows.entries()) {
      const values = (row.Data ?? []).map((x) => x.VarCharValue);
      // The first row of a SELECT's first page holds the column names (Athena API reference, GetQueryResults).
      if (first && i === 0 && values.every((v, n) => v === columns[n])) continue;
      const rec: Record<string, string | undefined> = {};
      columns.forEach((c, n) => {
        rec[c] = values[n];
      });
      yield rec;
    }
    first = false;
    token = out.NextToken || undefined;
  } while (token);
}
