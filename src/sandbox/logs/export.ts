/**
 * Writes CloudTrail log files to a directory in the trail's S3 key layout, for `gd-ir sandbox
 * export-logs`, the tests and the benchmarks: the workshop World (management and data events) or the
 * synthetic large stream.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CloudTrailRecord, World } from '../model.js';
import { allRecords, encodeTrailLogFile, TrailFileBuilder, type TrailLayout, type TrailLogFile } from './trail-files.js';

export interface ExportSummary {
  files: number;
  bytes: number;
  records: number;
  first?: string;
  last?: string;
}

/** The example organisation of the sandbox's organisation-trail layout. */
export const SANDBOX_ORG_ID = 'o-exampleorgid';

export function writeTrailLogFile(dir: string, file: TrailLogFile): number {
  const path = join(dir, ...file.key.split('/'));
  mkdirSync(dirname(path), { recursive: true });
  const body = encodeTrailLogFile(file);
  writeFileSync(path, body);
  return body.length;
}

/** Streams records (oldest first) into log files under `dir`. */
export function exportRecords(dir: string, records: Iterable<CloudTrailRecord>, layout: TrailLayout): ExportSummary {
  const builder = new TrailFileBuilder(layout);
  const summary: ExportSummary = { files: 0, bytes: 0, records: 0 };
  const write = (files: TrailLogFile[]): void => {
    for (const f of files) {
      summary.bytes += writeTrailLogFile(dir, f);
      summary.files++;
    }
  };
  for (const r of records) {
    summary.records++;
    summary.first ??= r.eventTime;
    summary.last = r.eventTime;
    write(builder.add(r));
  }
  write(builder.finish());
  return summary;
}

/** A World's trail (management and data events) in the organisation layout. */
export function exportWorld(dir: string, world: World, layout: Partial<TrailLayout> = {}): ExportSummary {
  return exportRecords(dir, allRecords(world.regions), { orgId: SANDBOX_ORG_ID, defaultAccountId: world.accountId, ...layout });
}
