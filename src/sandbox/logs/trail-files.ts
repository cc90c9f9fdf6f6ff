/**
 * CloudTrail records as the log files a trail delivers to S3 (CloudTrail User Guide, "CloudTrail log
 * file examples" and "Finding your CloudTrail log files"):
 *
 *   [prefix/]AWSLogs/[o-orgid/]<account>/CloudTrail/<region>/YYYY/MM/DD/
 *       <account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16 alphanumerics>.json.gz
 *
 * One file per account, region and 5 minutes of events, gzip of compact `{"Records":[…]}`. The folder
 * date and the name carry the delivery time (a few minutes after the last record), so a file holds
 * records from before its name. Records arriving for a period already written start a new file, as
 * late events do on AWS.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { CloudTrailRecord } from '../model.js';

export const FILE_PERIOD_MS = 5 * 60_000;

export interface TrailLayout {
  /** Organisation trail: the organisation ID in the key (`AWSLogs/o-…/<account>/…`). */
  orgId?: string;
  /** The trail's S3 key prefix (without a trailing slash; may be empty). */
  prefix?: string;
  /** The account for records without `recipientAccountId`. */
  defaultAccountId: string;
}

export interface TrailLogFile {
  key: string;
  deliveredMs: number;
  records: CloudTrailRecord[];
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function uniqueOf(seed: string): string {
  const h = createHash('sha256').update(seed).digest();
  let s = '';
  for (let i = 0; i < 16; i++) s += ALNUM[(h[i] as number) % ALNUM.length];
  return s;
}

function stamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}T${p(d.getUTCHours())}${p(d.getUTCMinutes())}Z`;
}

/** The key of a log file of `account` and `region` delivered at `deliveredMs`. */
export function trailLogKey(layout: TrailLayout, account: string, region: string, deliveredMs: number, seed: string): string {
  const day = new Date(deliveredMs).toISOString().slice(0, 10).replace(/-/g, '/');
  const prefix = layout.prefix ? `${layout.prefix.replace(/\/+$/, '')}/` : '';
  const org = layout.orgId ? `${layout.orgId}/` : '';
  return `${prefix}AWSLogs/${org}${account}/CloudTrail/${region}/${day}/${account}_CloudTrail_${region}_${stamp(deliveredMs)}_${uniqueOf(seed)}.json.gz`;
}

/**
 * Groups records (in roughly ascending time) into log files. `add` returns the files it closed;
 * `finish` closes the rest.
 */
export class TrailFileBuilder {
  private readonly open = new Map<string, { period: number; account: string; region: string; records: CloudTrailRecord[] }>();
  /** Files closed per account, region and period: a late file of the same period gets its own name. */
  private readonly closed = new Map<string, number>();

  constructor(private readonly layout: TrailLayout) {}

  add(rec: CloudTrailRecord): TrailLogFile[] {
    const t = Date.parse(rec.eventTime);
    const period = Math.floor(t / FILE_PERIOD_MS) * FILE_PERIOD_MS;
    const account = typeof rec.recipientAccountId === 'string' ? rec.recipientAccountId : this.layout.defaultAccountId;
    const id = `${account}|${rec.awsRegion}`;
    const cur = this.open.get(id);
    const out: TrailLogFile[] = [];
    if (cur && cur.period !== period) {
      out.push(this.close(cur));
      this.open.delete(id);
    }
    const target = this.open.get(id) ?? { period, account, region: rec.awsRegion, records: [] };
    target.records.push(rec);
    this.open.set(id, target);
    return out;
  }

  finish(): TrailLogFile[] {
    const out = [...this.open.values()].map((f) => this.close(f));
    this.open.clear();
    return out.sort((a, b) => a.deliveredMs - b.deliveredMs || (a.key < b.key ? -1 : 1));
  }

  private close(f: { period: number; account: string; region: string; records: CloudTrailRecord[] }): TrailLogFile {
    // The name depends only on what the file is, not on when it was built: the same records give the same keys.
    const id = `${f.account}|${f.region}|${f.period}`;
    const n = this.closed.get(id) ?? 0;
    this.closed.set(id, n + 1);
    const seed = `${id}|${n}`;
    // Delivered 1–9 minutes after the period ends (deterministic per file).
    const delay = (1 + (createHash('md5').update(seed).digest()[0] as number) % 9) * 60_000;
    const lastMs = Math.max(...f.records.map((r) => Date.parse(r.eventTime)));
    const deliveredMs = Math.max(f.period + FILE_PERIOD_MS, lastMs) + delay;
    f.records.sort((a, b) => (a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : 0));
    return { key: trailLogKey(this.layout, f.account, f.region, deliveredMs, seed), deliveredMs, records: f.records };
  }
}

/** A log file's body: gzip of compact `{"Records":[…]}`, as CloudTrail delivers it. */
export function encodeTrailLogFile(file: TrailLogFile): Buffer {
  return gzipSync(Buffer.from(JSON.stringify({ Records: file.records })));
}

/** Every record of a world's regions (management and data events), oldest first. */
export function allRecords(regions: Record<string, { events: CloudTrailRecord[]; dataEvents?: CloudTrailRecord[] }>): CloudTrailRecord[] {
  const all: CloudTrailRecord[] = [];
  for (const r of Object.values(regions)) all.push(...r.events, ...(r.dataEvents ?? []));
  return all.sort((a, b) => (a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : 0));
}

/** The log files of a list of records (any order). */
export function trailLogFiles(records: readonly CloudTrailRecord[], layout: TrailLayout): TrailLogFile[] {
  const b = new TrailFileBuilder(layout);
  const sorted = [...records].sort((a, c) => (a.eventTime < c.eventTime ? -1 : a.eventTime > c.eventTime ? 1 : 0));
  const out: TrailLogFile[] = [];
  for (const r of sorted) out.push(...b.add(r));
  out.push(...b.finish());
  return out.sort((a, c) => (a.key < c.key ? -1 : 1));
}
