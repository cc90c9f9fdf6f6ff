/**
 * The S3 log-file cache: `$XDG_CACHE_HOME/gd-ir/s3/` (default ~/.cache/gd-ir/s3/), size-capped, least
 * recently used first out. A file's name is the SHA-256 of the bucket, key, ETag and size, in hex: no
 * part of an S3 key (`../`, an absolute path, odd bytes) ever becomes part of a path, so nothing can be
 * written outside the directory. Directory 0700, files 0600, written whole (temporary name, then
 * rename). With `--no-cache` nothing is kept after the run, but each object is still fetched at most
 * once per run: the run keeps them in memory up to a budget, then in a private temporary directory
 * removed when the run ends.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import type { Env } from '../cli/context.js';

/** Cached log files beyond this are removed, least recently used first, when a run ends. */
export const CACHE_MAX_BYTES = 2 * 1024 ** 3;
/** `--no-cache`: compressed log files a run keeps in memory before it spills to a temporary directory. */
export const RUN_MEMORY_BYTES = 256 * 1024 ** 2;

export function cacheDirFor(env: Env): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(env.HOME || homedir(), '.cache');
  return join(base, 'gd-ir');
}

/** What identifies an object's content: S3 objects of a trail are written once, so bucket, key, ETag and size do. */
export function cacheEntryName(bucket: string, key: string, etag: string | undefined, size: number): string {
  return `${createHash('sha256').update(`${bucket}\u0000${key}\u0000${etag ?? ''}\u0000${size}`).digest('hex')}.log`;
}

export class ObjectCache {
  private dir: string | undefined;
  private ready: Promise<string> | undefined;
  /** `--no-cache`: what this run stored, in memory, and the names it spilled to disk. */
  private readonly memory = new Map<string, Buffer>();
  private memoryBytes = 0;
  private readonly spilled = new Set<string>();

  /**
   * `root`: the gd-ir cache directory (persistent), or where to make a private temporary one.
   */
  constructor(
    private readonly root: string,
    readonly persistent: boolean,
    private readonly maxBytes = CACHE_MAX_BYTES,
  ) {}

  private open(): Promise<string> {
    this.ready ??= (async () => {
      if (this.persistent) {
        const dir = join(this.root, 's3');
        await mkdir(dir, { recursive: true, mode: 0o700 });
        this.dir = dir;
      } else {
        this.dir = await mkdtemp(join(tmpdir(), 'gd-ir-s3-'));
      }
      return this.dir;
    })();
    return this.ready;
  }

  /** The path of an entry: inside the directory by construction, checked anyway. */
  async pathFor(name: string): Promise<string> {
    const dir = await this.open();
    if (!/^[0-9a-f]{64}\.log$/.test(name)) throw new Error('cache entry names are hashes');
    const path = resolve(dir, name);
    if (!path.startsWith(resolve(dir) + sep)) throw new Error('cache entry outside the cache directory');
    return path;
  }

  async get(name: string): Promise<Buffer | undefined> {
    if (!this.persistent) {
      const held = this.memory.get(name);
      if (held || !this.spilled.has(name)) return held;
    }
    const path = await this.pathFor(name);
    try {
      const body = await readFile(path);
      const now = new Date();
      await utimes(path, now, now).catch(() => undefined);
      return body;
    } catch {
      return undefined;
    }
  }

  async put(name: string, body: Buffer): Promise<void> {
    if (!this.persistent) {
      if (this.memoryBytes + body.length <= RUN_MEMORY_BYTES) {
        this.memory.set(name, body);
        this.memoryBytes += body.length;
        return;
      }
      this.spilled.add(name);
    }
    const path = await this.pathFor(name);
    const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, body, { mode: 0o600, flag: 'wx' });
      await rename(tmp, path);
    } catch {
      // A cache that cannot be written only costs a second fetch.
      await unlink(tmp).catch(() => undefined);
    }
  }

  /** Ends the run: a temporary cache is removed; the persistent one is cut to its cap, oldest use first. */
  async close(): Promise<void> {
    this.memory.clear();
    this.memoryBytes = 0;
    if (!this.ready) return;
    const dir = await this.ready;
    if (!this.persistent) {
      await rm(dir, { recursive: true, force: true });
      return;
    }
    const entries = await Promise.all(
      (await readdir(dir)).filter((n) => n.endsWith('.log')).map(async (n) => {
        const s = await stat(join(dir, n)).catch(() => undefined);
        return s ? { path: join(dir, n), size: s.size, used: s.mtimeMs } : undefined;
      }),
    );
    const files = entries.filter((e): e is NonNullable<typeof e> => e !== undefined).sort((a, b) => b.used - a.used);
    let total = 0;
    for (const f of files) {
      total += f.size;
      if (total > this.maxBytes) await unlink(f.path).catch(() => undefined);
    }
  }
}
