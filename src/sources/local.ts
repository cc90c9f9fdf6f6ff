/**
 * Local CloudTrail archives: directories (walked recursively, pruned by the trail key layout), log
 * files (`.json.gz`/`.json`), JSON lines and saved `aws cloudtrail lookup-events` output.
 *
 * The engine (chosen by measurement, docs/performance.md): files are read and gunzipped on libuv's
 * thread pool a few at a time; the main thread searches the decompressed bytes for the selector's
 * key or name and parses only the records around a hit (src/core/logs/extract.ts), then checks them
 * with the shared matcher. Corrupt, truncated, oversized and non-CloudTrail files are skipped with a
 * warning and counted; the rest stands.
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { UsageError } from '../core/errors.js';
import { extractRecords, NotCloudTrailError } from '../core/logs/extract.js';
import { dirMayMatch, keyMayMatch, type PruneScope } from '../core/logs/layout.js';
import { matchRecord, needlesOf, type LogQuery } from '../core/logs/match.js';
import { trailEventFromRecord } from '../core/logs/record.js';
import { sanitize } from '../core/sanitize.js';
import { addScanStats, EMPTY_SCAN_STATS, type LogScanStats } from '../core/trail/index.js';
import { decodeLogBytes, MAX_FILE_BYTES, SkipFileError } from './decode.js';
import { MAX_FILE_WARNINGS, type ReadControl, type SourceReport, type SourceSink, type TrailSource } from './types.js';

const LOG_FILE = /\.(json|jsonl|ndjson)(\.gz)?$|\.gz$/i;
/** Files read at once: enough to keep both cores decompressing while the main thread matches. */
export const LOCAL_CONCURRENCY = 4;

export interface LocalFile {
  path: string;
  bytes: number;
}

/** The files under `paths` that can hold records of the scope, and how many the layout pruned. */
export async function listLocalFiles(paths: readonly string[], scope: PruneScope): Promise<{ files: LocalFile[]; pruned: number }> {
  const files: LocalFile[] = [];
  let pruned = 0;
  const walk = async (dir: string, segments: string[]): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      const path = join(dir, e.name);
      const segs = [...segments, e.name];
      if (e.isDirectory()) {
        if (dirMayMatch(segs, scope)) await walk(path, segs);
        else pruned++;
      } else if (e.isFile() && LOG_FILE.test(e.name)) {
        if (!keyMayMatch(segs.join('/'), scope)) {
          pruned++;
          continue;
        }
        const st = await lstat(path);
        files.push({ path, bytes: st.size });
      }
    }
  };
  for (const p of paths) {
    const abs = resolve(p);
    let st;
    try {
      st = await lstat(abs);
    } catch {
      throw new UsageError(`--logs ${sanitize(p, { maxLength: 120 })}: no such file or directory`);
    }
    if (st.isDirectory()) await walk(abs, abs.split(sep).filter(Boolean));
    else if (st.isFile()) files.push({ path: abs, bytes: st.size });
    else throw new UsageError(`--logs ${sanitize(p, { maxLength: 120 })}: not a file or directory`);
  }
  return { files, pruned };
}

export interface ScanResult {
  stats: LogScanStats;
  warnings: string[];
}

/**
 * Scan files (local or S3 objects): the engine shared by the local and S3 sources. `load` gives a
 * file's text, decompressed (throwing SkipFileError for a file to skip); every record matching the
 * query goes to the sink as an event.
 */
export async function scanFiles<T extends { bytes: number; name: string }>(
  items: readonly T[],
  load: (item: T) => Promise<Buffer>,
  q: LogQuery,
  sink: SourceSink,
  opts: { concurrency: number; ctl: ReadControl },
): Promise<ScanResult> {
  const started = performance.now();
  const needles = needlesOf(q);
  const warnings: string[] = [];
  let skippedWarnings = 0;
  let matched = 0;
  const stats: LogScanStats = { ...EMPTY_SCAN_STATS };
  const bytesTotal = items.reduce((n, f) => n + f.bytes, 0);
  const signal = opts.ctl.signal;
  const note = (warning: string): void => {
    if (warnings.length < MAX_FILE_WARNINGS) warnings.push(warning);
    else skippedWarnings++;
  };
  const skip = (item: T, why: string): void => {
    stats.skipped++;
    note(`skipped ${sanitize(item.name, { maxLength: 160 })}: ${why}`);
  };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      if (signal.aborted) throw signal.reason ?? new Error('aborted');
      const item = items[next++] as T;
      try {
        if (item.bytes > MAX_FILE_BYTES) throw new SkipFileError(`larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`);
        const text = await load(item);
        stats.bytesDecompressed += text.length;
        const found = extractRecords(text, needles);
        stats.records += found.records.length;
        if (found.invalid > 0) note(`${sanitize(item.name, { maxLength: 160 })}: ${found.invalid} entries were not CloudTrail records (or were over the size cap) and were left out`);
        for (const record of found.records) {
          const selector = matchRecord(record, q);
          if (!selector) continue;
          matched++;
          await sink.accept(trailEventFromRecord(record, selector.derived ? { derived: true, viaKey: selector.viaKey } : {}));
        }
      } catch (err) {
        if (err instanceof SkipFileError || err instanceof NotCloudTrailError) skip(item, err.message);
        else if (/^E[A-Z]+$/.test(String((err as NodeJS.ErrnoException).code ?? ''))) skip(item, `unreadable (${String((err as NodeJS.ErrnoException).code)})`);
        else throw err;
      }
      stats.files++;
      stats.bytes += item.bytes;
      stats.matched = matched;
      opts.ctl.onProgress({ kind: 'scan', files: stats.files, filesTotal: items.length, bytes: stats.bytes, bytesTotal, matched });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, items.length)) }, worker));
  if (skippedWarnings > 0) warnings.push(`… and ${skippedWarnings} more files skipped or partly read (${stats.skipped} skipped in all)`);
  stats.elapsedMs = Math.round(performance.now() - started);
  return { stats, warnings };
}

export class LocalLogSource implements TrailSource {
  readonly kind = 'local' as const;
  private scanned: LogScanStats = { ...EMPTY_SCAN_STATS };

  constructor(readonly paths: readonly string[]) {
    if (paths.length === 0) throw new UsageError('--logs needs at least one path');
  }

  describe(): string {
    return this.paths.length === 1 ? sanitize(this.paths[0], { maxLength: 120 }) : `${this.paths.length} paths`;
  }

  async read(q: LogQuery, sink: SourceSink, ctl: ReadControl): Promise<string[]> {
    const { files, pruned } = await listLocalFiles(this.paths, { window: q.window, regions: q.regions, accounts: q.accounts });
    ctl.onPlan({ files: files.length, bytes: files.reduce((n, f) => n + f.bytes, 0) });
    const result = await scanFiles(files.map((f) => ({ ...f, name: f.path })), async (f) => decodeLogBytes(await readFile(f.path)), q, sink, { concurrency: LOCAL_CONCURRENCY, ctl });
    this.scanned = addScanStats(this.scanned, { ...result.stats, pruned });
    return result.warnings;
  }

  report(): SourceReport {
    return { scan: { ...this.scanned } };
  }
}
