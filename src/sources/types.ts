/**
 * One interface for every place CloudTrail records can be read from besides event history: a local
 * archive, a trail's S3 bucket, an Athena table. Each source finds the records matching a LogQuery
 * (src/core/logs/match.ts); the trail built from them is the same for every source
 * (src/sources/trail.ts).
 */
import type { LogScanStats } from '../core/logs/assemble.js';
import type { LogQuery, PrincipalSelector } from '../core/logs/match.js';
import type { CloudTrailRecord } from '../core/logs/record.js';

export interface ScanProgress {
  files: number;
  filesTotal: number;
  bytes: number;
  bytesTotal: number;
  matched: number;
}

export interface ScanHooks {
  onProgress?(p: ScanProgress): void;
  /** Called once the files to read are known, before any is read. */
  onPlan?(plan: { files: number; bytes: number }): void;
}

export interface MatchedRecord {
  record: CloudTrailRecord;
  selector: PrincipalSelector;
}

export interface ScanResult {
  records: MatchedRecord[];
  stats: LogScanStats;
  warnings: string[];
}

export interface LogSource {
  readonly kind: 'local' | 's3' | 'athena';
  /** `3 paths`, `s3://bucket/prefix`, `athena:db.table` (for messages and the report). */
  describe(): string;
  scan(q: LogQuery, hooks?: ScanHooks, signal?: AbortSignal): Promise<ScanResult>;
}

/** Per-file warnings beyond this many are summarised in one line. */
export const MAX_FILE_WARNINGS = 10;
