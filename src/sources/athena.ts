/**
 * An Athena table over a trail's logs as a source (`--logs athena:<database>.<table>`): one
 * parameterised query per principal selector (src/core/logs/athena-sql.ts), the partition predicate of
 * its window first, each row checked again with the shared matcher on arrival. Reports the data each
 * query scanned and what it cost.
 */
import type { AwsClients } from '../aws/clients.js';
import { queryRows, runQuery, tablePartitionKeys } from '../aws/athena.js';
import type { Clock } from '../cli/context.js';
import { mapLimit } from '../core/concurrency.js';
import { athenaCostUsd, buildQueries, KNOWN_PARTITIONS, recordFromRow, type AthenaPartition, type AthenaTableRef } from '../core/logs/athena-sql.js';
import { matchRecord, type LogQuery } from '../core/logs/match.js';
import { trailEventFromRecord } from '../core/logs/record.js';
import { sanitize } from '../core/sanitize.js';
import type { AthenaQueryStats, AthenaStats } from '../core/trail/index.js';
import type { ReadControl, SourceReport, SourceSink, TrailSource } from './types.js';

/** Queries run at once (Athena's default quota is 20–25 active DML queries per account). */
const QUERY_CONCURRENCY = 4;

export class AthenaSource implements TrailSource {
  readonly kind = 'athena' as const;
  private table: Promise<AthenaTableRef> | undefined;
  private readonly queries: AthenaQueryStats[] = [];

  constructor(
    private readonly deps: { aws: AwsClients; clock: Clock; signal: AbortSignal },
    private readonly spec: { database: string; table: string },
    private readonly opts: { workgroup?: string; outputLocation?: string; ownsClients?: boolean },
  ) {}

  describe(): string {
    return sanitize(`athena:${this.spec.database}.${this.spec.table}`, { maxLength: 160 });
  }

  /** The table with the partitions gd-ir can prune on (GetTableMetadata's partition keys). */
  private tableRef(): Promise<AthenaTableRef> {
    this.table ??= tablePartitionKeys(this.deps, this.spec.database, this.spec.table).then((keys) => ({
      database: this.spec.database,
      table: this.spec.table,
      partitions: KNOWN_PARTITIONS.filter((p): p is AthenaPartition => keys.includes(p)),
    }));
    return this.table;
  }

  async read(q: LogQuery, sink: SourceSink, ctl: ReadControl): Promise<string[]> {
    const table = await this.tableRef();
    const queries = buildQueries(table, q);
    let done = 0;
    let rowsSeen = 0;
    const scanned = new Map<number, number>();
    const total = (): number => [...scanned.values()].reduce((a, b) => a + b, 0);
    const progress = (state: string): void => ctl.onProgress({ kind: 'athena', queriesDone: done, queriesTotal: queries.length, state, scannedBytes: total(), rows: rowsSeen });
    await mapLimit(queries, QUERY_CONCURRENCY, async (query, i) => {
      const started = this.deps.clock.now().getTime();
      const status = await runQuery(
        this.deps,
        { sql: query.sql, parameters: query.parameters, database: table.database, ...(this.opts.workgroup ? { workgroup: this.opts.workgroup } : {}), ...(this.opts.outputLocation ? { outputLocation: this.opts.outputLocation } : {}) },
        (s) => {
          scanned.set(i, s.scannedBytes);
          progress(s.state);
        },
      );
      let rows = 0;
      const one: LogQuery = { ...q, selectors: [query.selector] };
      for await (const row of queryRows(this.deps, status.id)) {
        rows++;
        rowsSeen++;
        const record = recordFromRow(row);
        const selector = matchRecord(record, one);
        if (!selector) continue;
        await sink.accept(trailEventFromRecord(record, selector.derived ? { derived: true, viaKey: selector.viaKey } : {}));
      }
      done++;
      progress('SUCCEEDED');
      this.queries.push({
        queryExecutionId: status.id,
        selector: `${query.selector.attribute}=${query.selector.value}`,
        state: status.state,
        scannedBytes: status.scannedBytes,
        costUsd: athenaCostUsd(status.scannedBytes),
        rows,
        elapsedMs: this.deps.clock.now().getTime() - started,
      });
    });
    return [];
  }

  report(): SourceReport {
    const athena: AthenaStats = {
      workgroup: this.opts.workgroup ?? 'primary',
      queries: [...this.queries],
      scannedBytes: this.queries.reduce((n, x) => n + x.scannedBytes, 0),
      costUsd: this.queries.reduce((n, x) => n + x.costUsd, 0),
    };
    return { athena };
  }

  async close(): Promise<void> {
    if (this.opts.ownsClients) await this.deps.aws.destroy();
  }
}
