/**
 * One interface for every place a trail can be read from: CloudTrail event history, a local archive of
 * trail log files, a trail's S3 bucket, an Athena table. A source finds the events matching a LogQuery
 * (src/core/logs/match.ts) and hands them to the trail pipeline (src/sources/trail.ts), which builds
 * the same result from every source.
 */
import type { LogQuery } from '../core/logs/match.js';
import type { AthenaStats, LogScanStats, ScanPlan, TrailEvent, TrailProgress, TrailSourceKind, TrailStats } from '../core/trail/index.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A source's own progress; the pipeline adds the phase and the events kept. */
export type SourceProgress = DistributiveOmit<TrailProgress, 'phase' | 'events'>;

export interface SourceSink {
  /** One event the source read (any order; duplicates are dropped by the pipeline). */
  accept(event: TrailEvent): Promise<void>;
  /** --max-events was reached and an event left out: a source reading newest first may stop. */
  readonly truncated: boolean;
}

export interface ReadControl {
  signal: AbortSignal;
  onProgress(p: SourceProgress): void;
  /** Called once the files to read are known, before any is read (file sources). */
  onPlan(plan: ScanPlan): void;
}

/** What a source read in all, across its reads. */
export interface SourceReport {
  stats?: TrailStats;
  scan?: LogScanStats;
  athena?: AthenaStats;
}

export interface TrailSource {
  readonly kind: TrailSourceKind;
  /** `CloudTrail event history`, `3 paths`, `s3://bucket/prefix`, `athena:db.table` (sanitised). */
  describe(): string;
  /** Reads the events of the query's selectors; returns warnings (parts that could not be read). */
  read(q: LogQuery, sink: SourceSink, ctl: ReadControl): Promise<string[]>;
  report(): SourceReport;
  /** Releases what the source holds for the run (temporary files). */
  close?(): Promise<void>;
}

/** Per-file warnings beyond this many are summarised in one line. */
export const MAX_FILE_WARNINGS = 10;
