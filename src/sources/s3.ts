/**
 * A trail's S3 bucket as a source (`--logs s3://bucket[/prefix]`), account or organisation layout.
 *
 * Listing is pruned by the key layout: `AWSLogs/` (and the organisation folder) is listed with a
 * delimiter to find the accounts, then only `<account>/CloudTrail/<region>/<day>/` for the query's
 * accounts, regions and delivery days (the window's days plus one of slack; src/core/logs/layout.ts),
 * then by the delivery time in each file name. Objects are fetched with bounded concurrency, gunzipped
 * as they stream in, and matched by the engine the local source uses. Each object is fetched at most
 * once per run (listings are kept, bodies are cached: src/sources/cache.ts).
 */
import type { AwsClients } from '../aws/clients.js';
import { getObjectStream, listAll, ObjectGoneError, type S3ObjectInfo } from '../aws/s3.js';
import { mapLimit } from '../core/concurrency.js';
import { UsageError } from '../core/errors.js';
import { deliveryDays, isAccountId, isOrgId, isRegionName, keyMayMatch } from '../core/logs/layout.js';
import type { LogQuery } from '../core/logs/match.js';
import { sanitize } from '../core/sanitize.js';
import { addScanStats, EMPTY_SCAN_STATS, type LogScanStats } from '../core/trail/index.js';
import { cacheEntryName, ObjectCache } from './cache.js';
import { decodeLogBytes, decodeLogStream, MAX_FILE_BYTES, SkipFileError } from './decode.js';
import { scanFiles } from './local.js';
import type { ReadControl, SourceReport, SourceSink, TrailSource } from './types.js';

/** Objects fetched at once. Trail log files are small (KB to a few MB): latency, not bandwidth, bounds a scan. */
export const S3_CONCURRENCY = 16;
/** Listing requests at once. */
const LIST_CONCURRENCY = 8;
/**
 * Objects up to this size are gunzipped in one call on the thread pool once their body is in (measured
 * cheaper per object than a stream's many small hops); larger ones are gunzipped as they stream in.
 */
export const STREAM_DECODE_BYTES = 4 * 1024 * 1024;

async function collect(body: AsyncIterable<Uint8Array>, max: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const chunk of body) {
    n += chunk.byteLength;
    if (n > max) throw new SkipFileError(`larger than ${Math.round(max / 1024 / 1024)} MiB`);
    parts.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return Buffer.concat(parts, n);
}

interface Target extends S3ObjectInfo {
  name: string;
  bytes: number;
}

export class S3LogSource implements TrailSource {
  readonly kind = 's3' as const;
  private readonly cache: ObjectCache;
  private readonly listings = new Map<string, Promise<{ objects: S3ObjectInfo[]; prefixes: string[] }>>();
  private scanned: LogScanStats = { ...EMPTY_SCAN_STATS };
  private readonly root: string;

  constructor(
    private readonly deps: { aws: AwsClients; signal: AbortSignal },
    private readonly spec: { bucket: string; prefix: string },
    private readonly opts: { cacheDir: string; persistent: boolean; ownsClients?: boolean; concurrency?: number },
  ) {
    this.cache = new ObjectCache(opts.cacheDir, opts.persistent);
    this.root = `${spec.prefix ? `${spec.prefix}/` : ''}AWSLogs/`;
  }

  describe(): string {
    return sanitize(`s3://${this.spec.bucket}${this.spec.prefix ? `/${this.spec.prefix}` : ''}`, { maxLength: 160 });
  }

  private list(prefix: string, delimiter?: string): Promise<{ objects: S3ObjectInfo[]; prefixes: string[] }> {
    const id = `${delimiter ?? ''}|${prefix}`;
    let p = this.listings.get(id);
    if (!p) {
      p = listAll(this.deps, this.spec.bucket, prefix, delimiter);
      this.listings.set(id, p);
    }
    return p;
  }

  /** `AWSLogs/[o-id/]<account>/` bases of the bucket, for the accounts asked (all when none). */
  private async accountBases(accounts: readonly string[] | undefined): Promise<string[]> {
    const top = await this.list(this.root, '/');
    const bases: string[] = [];
    for (const p of top.prefixes) {
      const seg = p.slice(this.root.length).replace(/\/$/, '');
      if (isAccountId(seg)) bases.push(p);
      else if (isOrgId(seg)) {
        const org = await this.list(p, '/');
        for (const a of org.prefixes) if (isAccountId(a.slice(p.length).replace(/\/$/, ''))) bases.push(a);
      }
    }
    if (bases.length === 0) {
      throw new UsageError(`no CloudTrail logs under ${this.describe()}/AWSLogs/`, {
        remedy: "give the trail's bucket and its S3 key prefix, if it has one (aws cloudtrail describe-trails shows S3BucketName and S3KeyPrefix)",
      });
    }
    return bases.filter((b) => !accounts || accounts.includes(b.replace(/\/$/, '').split('/').pop() as string));
  }

  private async targets(q: LogQuery): Promise<{ targets: Target[]; pruned: number; accounts: string[]; orgId?: string }> {
    const bases = await this.accountBases(q.accounts);
    const days = deliveryDays(q.window);
    const prefixes: string[] = [];
    for (const base of bases) {
      let regions = q.regions ? [...q.regions] : undefined;
      if (!regions) {
        const listed = await this.list(`${base}CloudTrail/`, '/');
        regions = listed.prefixes.map((p) => p.slice(`${base}CloudTrail/`.length).replace(/\/$/, '')).filter(isRegionName);
      }
      for (const r of regions) for (const d of days) prefixes.push(`${base}CloudTrail/${r}/${d}/`);
    }
    const listed = await mapLimit(prefixes, LIST_CONCURRENCY, (p) => this.list(p));
    let pruned = 0;
    const targets: Target[] = [];
    for (const l of listed) {
      for (const o of l.objects) {
        if (!keyMayMatch(o.key, { window: q.window, ...(q.regions ? { regions: q.regions } : {}), ...(q.accounts ? { accounts: q.accounts } : {}) })) {
          pruned++;
          continue;
        }
        targets.push({ ...o, name: `s3://${this.spec.bucket}/${o.key}`, bytes: o.size });
      }
    }
    const accounts = bases.map((b) => b.replace(/\/$/, '').split('/').pop() as string);
    const orgId = bases.map((b) => b.slice(this.root.length).split('/')[0] as string).find(isOrgId);
    return { targets, pruned, accounts, ...(orgId ? { orgId } : {}) };
  }

  private async load(t: Target): Promise<Buffer> {
    const entry = cacheEntryName(this.spec.bucket, t.key, t.etag, t.size);
    const cached = await this.cache.get(entry);
    if (cached) {
      this.scanned.cached++;
      return decodeLogBytes(cached);
    }
    let body: AsyncIterable<Uint8Array>;
    try {
      body = await getObjectStream(this.deps, this.spec.bucket, t.key, t.etag);
    } catch (err) {
      if (err instanceof ObjectGoneError) throw new SkipFileError(err.message);
      throw err;
    }
    this.scanned.fetched++;
    const decode = async (): Promise<{ stored: Buffer; text: Buffer }> => {
      if (t.size > STREAM_DECODE_BYTES) return decodeLogStream(body);
      const stored = await collect(body, MAX_FILE_BYTES);
      return { stored, text: await decodeLogBytes(stored) };
    };
    const { stored, text } = await decode().catch(async (err: unknown) => {
      // A file skipped for its content is cached too: the derived pass must not fetch it again.
      if (err instanceof SkipFileError) await this.cache.put(entry, Buffer.alloc(0));
      throw err;
    });
    await this.cache.put(entry, stored);
    return text;
  }

  async read(q: LogQuery, sink: SourceSink, ctl: ReadControl): Promise<string[]> {
    const { targets, pruned, accounts, orgId } = await this.targets(q);
    ctl.onPlan({ files: targets.length, bytes: targets.reduce((n, t) => n + t.bytes, 0), accounts: accounts.length, accountIds: accounts, ...(orgId ? { orgId } : {}) });
    const result = await scanFiles(targets, (t) => this.load(t), q, sink, { concurrency: this.opts.concurrency ?? S3_CONCURRENCY, ctl });
    this.scanned = addScanStats(this.scanned, { ...result.stats, pruned, fetched: 0, cached: 0 });
    return result.warnings;
  }

  report(): SourceReport {
    return { scan: { ...this.scanned } };
  }

  async close(): Promise<void> {
    await this.cache.close();
    if (this.opts.ownsClients) await this.deps.aws.destroy();
  }
}
