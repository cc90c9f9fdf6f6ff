/**
 * Where a trail is read from, as data: the four sources (`--logs`), what each read, how far along a
 * read is, and what each source cannot contain (for the report's data-source section). Pure.
 */
import { gdIr, type Suggestion } from '../suggestion.js';

export type TrailSourceKind = 'lookup' | 'local' | 's3' | 'athena';

/** What `--logs` asked for, validated (src/core/logs/spec.ts parses it). */
export type LogsSpec =
  | { kind: 'lookup' }
  | { kind: 'local'; paths: string[] }
  | { kind: 's3'; bucket: string; prefix: string }
  | { kind: 'athena'; database: string; table: string };

/** What a file-reading source (local archive, S3) read. */
export interface LogScanStats {
  /** Files or objects read (after pruning), and their size as stored (compressed). */
  files: number;
  bytes: number;
  /** Bytes after decompression. */
  bytesDecompressed: number;
  /** Records looked at (parsed, or skipped by the byte prefilter). */
  records: number;
  /** Records that matched a selector (before de-duplication and filters). */
  matched: number;
  /** Files skipped as corrupt, truncated, too large or not CloudTrail. */
  skipped: number;
  /** Files left out by the key layout (account, region, date). */
  pruned: number;
  /** S3: objects fetched over the network, and objects read from the local cache instead. */
  fetched: number;
  cached: number;
  elapsedMs: number;
}

export const EMPTY_SCAN_STATS: Readonly<LogScanStats> = Object.freeze({
  files: 0, bytes: 0, bytesDecompressed: 0, records: 0, matched: 0, skipped: 0, pruned: 0, fetched: 0, cached: 0, elapsedMs: 0,
});

export function addScanStats(a: LogScanStats, b: LogScanStats): LogScanStats {
  const out = { ...a };
  for (const k of Object.keys(out) as Array<keyof LogScanStats>) out[k] = a[k] + b[k];
  return out;
}

/** One Athena query gd-ir ran. */
export interface AthenaQueryStats {
  queryExecutionId: string;
  /** The selector the query was for (`AccessKeyId=AKIA…`). */
  selector: string;
  state: string;
  scannedBytes: number;
  costUsd: number;
  rows: number;
  elapsedMs: number;
}

export interface AthenaStats {
  workgroup: string;
  queries: AthenaQueryStats[];
  scannedBytes: number;
  costUsd: number;
}

/** What was read, for the report and `--json`. */
export interface TrailSourceReport {
  kind: TrailSourceKind;
  /** `CloudTrail event history`, `./logs`, `s3://bucket/prefix`, `athena:db.table`. */
  description: string;
  scan?: LogScanStats;
  athena?: AthenaStats;
  /** Suggested next steps about the source itself (Athena past the scan threshold). */
  suggestions: Suggestion[];
}

export interface ScanPlan {
  files: number;
  bytes: number;
  /** S3: the accounts the listing covers, and the organisation folder they sit in. */
  accounts?: number;
  accountIds?: string[];
  orgId?: string;
}

/** How far the LookupEvents streams of a read are (src/aws/cloudtrail.ts reports it). */
export interface LookupStreamProgress {
  pages: number;
  /** Lookup streams finished / started (one per region, plus one per region and derived key with --follow). */
  streamsDone: number;
  streamsTotal: number;
  regionsDone: number;
  regionsTotal: number;
  throttles: number;
  /** Total backoff imposed by throttles (ms). */
  throttleWaitMs: number;
}

/** How far a read is; one shape per kind of source, the phase shared. */
export type TrailProgress = { phase: 'principal' | 'derived'; /** Events kept so far. */ events: number } & (
  | ({ kind: 'lookup' } & LookupStreamProgress)
  | { kind: 'scan'; files: number; filesTotal: number; bytes: number; bytesTotal: number; matched: number }
  | { kind: 'athena'; queriesDone: number; queriesTotal: number; state: string; scannedBytes: number; rows: number }
);

/** Past this compressed size an S3 scan takes minutes (and costs transfer): gd-ir suggests Athena before it starts. */
export const SCAN_SUGGEST_ATHENA_BYTES = 2 * 1024 ** 3;

/**
 * Before an S3 scan: past the threshold, suggest querying the bucket with Athena instead (set the
 * table up once, then `--logs athena:…`). Nothing below it, nothing for a local archive.
 */
export function scanSuggestions(spec: LogsSpec, plan: ScanPlan, logsProfile?: string): Suggestion[] {
  if (spec.kind !== 's3' || plan.bytes < SCAN_SUGGEST_ATHENA_BYTES) return [];
  const words = [
    'athena', 'setup', '--bucket', spec.bucket,
    ...(spec.prefix ? ['--prefix', spec.prefix] : []),
    ...(plan.orgId ? ['--org', plan.orgId] : []),
    ...(plan.accountIds && plan.accountIds.length > 0 ? ['--accounts', plan.accountIds.join(',')] : []),
    // The table goes where the logs are read from: the same log-source profile.
    ...(logsProfile ? ['--logs-profile', logsProfile] : []),
  ];
  return [gdIr(words, 'read', false)];
}

/** What a source cannot contain, in words for the analyst (the report's data-source section). */
export function sourceLimits(kind: TrailSourceKind): string[] {
  switch (kind) {
    case 'lookup':
      return [
        "Event history holds management events of the last 90 days in the credentials' own account: no data events (S3 object reads, Lambda invocations), nothing older (read the trail's logs with --logs for those).",
      ];
    case 'local':
      return [
        'Only what the archive holds (its accounts, regions and days); data events only if the trail logged them.',
      ];
    case 's3':
      return [
        'What the trail logs (data events only if it selects them), for as long as the bucket keeps it; the last 5–15 minutes may not be delivered yet.',
      ];
    case 'athena':
      return [
        "What the table's location and partitions cover (its accounts, regions and start date); the last 5–15 minutes may not be delivered yet.",
      ];
    default: {
      const never: never = kind;
      return [String(never)];
    }
  }
}
