/**
 * The S3 cache never writes outside its directory whatever the key; streamed decompression stops bombs
 * and names truncated and corrupt files; `--logs` values are validated; the one result builder keeps the
 * newest events at the cap.
 */
import { mkdtempSync, readdirSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLogsOption, parseS3Url } from '../../../src/core/logs/spec.js';
import { NO_FILTERS, TrailBuilder, type TrailEvent, type TrailRequest } from '../../../src/core/trail/index.js';
import { cacheDirFor, cacheEntryName, ObjectCache, RUN_MEMORY_BYTES } from '../../../src/sources/cache.js';
import { decodeLogStream, SkipFileError } from '../../../src/sources/decode.js';

const root = mkdtempSync(join(tmpdir(), 'gd-ir-cache-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const HOSTILE_KEYS = [
  '../../../../etc/passwd',
  '/etc/shadow',
  'AWSLogs/../../../../tmp/owned.json.gz',
  '..\\..\\windows\\system32',
  'a\u0000b',
  '%2e%2e%2f%2e%2e%2fescape',
  'CON',
  '\u202e\u001b[2Jevil',
  'x'.repeat(1024),
  '',
];

describe('the S3 log cache', () => {
  it('names every entry by hash: no key, however hostile, becomes a path outside the cache directory', async () => {
    const cache = new ObjectCache(join(root, 'persistent'), true);
    const dir = resolve(root, 'persistent', 's3');
    for (const key of HOSTILE_KEYS) {
      const name = cacheEntryName('bucket', key, '"etag"', 10);
      expect(name).toMatch(/^[0-9a-f]{64}\.log$/);
      const path = await cache.pathFor(name);
      expect(path.startsWith(dir + sep)).toBe(true);
      await cache.put(name, Buffer.from(key));
      expect((await cache.get(name))?.toString()).toBe(key);
    }
    expect(readdirSync(dir).every((f) => /^[0-9a-f]{64}\.log$/.test(f))).toBe(true);
    expect(existsSync('/tmp/owned.json.gz')).toBe(false);
    await expect(cache.pathFor('../escape')).rejects.toThrow();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, readdirSync(dir)[0] as string)).mode & 0o777).toBe(0o600);
  });

  it('different buckets, ETags or sizes never share an entry', () => {
    const a = cacheEntryName('b', 'k', '"1"', 1);
    expect(new Set([a, cacheEntryName('b2', 'k', '"1"', 1), cacheEntryName('b', 'k', '"2"', 1), cacheEntryName('b', 'k', '"1"', 2), cacheEntryName('b', 'k\u0000', '"1"', 1)]).size).toBe(5);
  });

  it('is cut to its cap when a run ends, least recently used first', async () => {
    const cache = new ObjectCache(join(root, 'capped'), true, 250);
    const names = ['a', 'b', 'c'].map((k) => cacheEntryName('b', k, undefined, 100));
    for (const n of names) {
      await cache.put(n, Buffer.alloc(100));
      await new Promise((r) => setTimeout(r, 15));
    }
    await cache.get(names[0] as string);
    await cache.close();
    const left = readdirSync(join(root, 'capped', 's3')).sort();
    expect(left).toEqual([names[0], names[2]].sort());
  });

  it('--no-cache: the run keeps what it fetched in memory, then in a private temporary directory removed when it ends', async () => {
    const cache = new ObjectCache(join(root, 'unused'), false);
    const small = cacheEntryName('b', 'small', undefined, 1);
    await cache.put(small, Buffer.from('x'));
    expect((await cache.get(small))?.toString()).toBe('x');
    expect(await cache.get(cacheEntryName('b', 'never', undefined, 1))).toBeUndefined();
    // Past the memory budget, entries spill to disk.
    const big = cacheEntryName('b', 'big', undefined, RUN_MEMORY_BYTES + 1);
    await cache.put(big, Buffer.alloc(RUN_MEMORY_BYTES + 1));
    const path = await cache.pathFor(big);
    expect(existsSync(path)).toBe(true);
    expect((await cache.get(big))?.length).toBe(RUN_MEMORY_BYTES + 1);
    await cache.close();
    expect(existsSync(path)).toBe(false);
    expect(await cache.get(small)).toBeUndefined();
    expect(existsSync(join(root, 'unused'))).toBe(false);
  });

  it('lives under $XDG_CACHE_HOME/gd-ir, or ~/.cache/gd-ir (a relative XDG path is ignored)', () => {
    expect(cacheDirFor({ XDG_CACHE_HOME: '/x/cache', HOME: '/h' })).toBe('/x/cache/gd-ir');
    expect(cacheDirFor({ XDG_CACHE_HOME: 'rel', HOME: '/h' })).toBe('/h/.cache/gd-ir');
  });
});

async function* chunks(buf: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

describe('streamed decompression of an S3 body', () => {
  const json = Buffer.from(JSON.stringify({ Records: [{ eventVersion: '1.09' }] }));

  it('gunzips as it streams, keeping the stored bytes for the cache; plain JSON passes through', async () => {
    const gz = gzipSync(json);
    const r = await decodeLogStream(chunks(gz, 7));
    expect(r.text.equals(json)).toBe(true);
    expect(r.stored.equals(gz)).toBe(true);
    expect((await decodeLogStream(chunks(json, 1))).text.equals(json)).toBe(true);
  });

  it('stops a decompression bomb at the cap, and names truncated and corrupt data', async () => {
    await expect(decodeLogStream(chunks(gzipSync(Buffer.alloc(8 * 1024 * 1024)), 65536), undefined, 1024 * 1024)).rejects.toThrow(/decompression bomb/);
    await expect(decodeLogStream(chunks(gzipSync(json).subarray(0, 20), 5))).rejects.toThrow(SkipFileError);
    await expect(decodeLogStream(chunks(Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('garbage!garbage!')]), 4))).rejects.toThrow(/corrupt|truncated/);
    await expect(decodeLogStream(chunks(Buffer.alloc(2048), 512), 1024)).rejects.toThrow(/larger than/);
  });
});

describe('--logs', () => {
  it('one source: lookup, local paths (several), s3://bucket[/prefix] or athena:<db>.<table>', () => {
    expect(parseLogsOption([])).toEqual({ kind: 'lookup' });
    expect(parseLogsOption(['lookup'])).toEqual({ kind: 'lookup' });
    expect(parseLogsOption(['./a', 'b.json.gz'])).toEqual({ kind: 'local', paths: ['./a', 'b.json.gz'] });
    expect(parseLogsOption(['s3://org-trail/logs/'])).toEqual({ kind: 's3', bucket: 'org-trail', prefix: 'logs' });
    expect(parseLogsOption(['athena:CloudTrail.Org_Logs'])).toEqual({ kind: 'athena', database: 'cloudtrail', table: 'org_logs' });
  });

  it.each([
    [['s3://b', './x'], /a source of its own/],
    [['s3://Bad_Bucket'], /not an S3 bucket name/],
    [['s3://bucket/../x'], /plain S3 key prefix/],
    [['s3://bucket/a\u001b[2J'], /plain S3 key prefix/],
    [['athena:db'], /athena:<database>.<table>/],
    [["athena:db.t'; DROP TABLE x;--"], /athena:<database>.<table>/],
    [['https://example.com/logs'], /only s3:\/\//],
    [[''], /needs a value/],
  ])('refuses %j', (values, message) => {
    expect(() => parseLogsOption(values)).toThrow(message);
  });

  it('--athena-output is an s3:// URL too', () => {
    expect(() => parseS3Url('s3:/x', '--athena-output')).toThrow(/--athena-output/);
  });
});

function ev(id: string, t: number, extra: Partial<TrailEvent> = {}): TrailEvent {
  return {
    eventId: id, time: new Date(t).toISOString(), timeMs: t, region: 'us-west-2', eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances',
    category: 'reconnaissance', resources: [], requestParameters: null, responseElements: null, derived: false, controlCharacters: false,
    raw: { lookup: {}, record: undefined }, failed: extra.errorCode !== undefined, ...extra,
  } as TrailEvent;
}

describe('the one result builder', () => {
  const request = (max: number): TrailRequest => ({
    principal: {}, lookup: { attribute: 'AccessKeyId', value: 'AKIAEXAMPLE000000001' }, window: { start: new Date(0), end: new Date(1e6) },
    regions: ['us-west-2'], follow: false, maxEvents: max, filters: { ...NO_FILTERS, events: [] }, warnings: [],
  });

  it('keeps the newest --max-events whatever order the events arrive in, each once', () => {
    const b = new TrailBuilder(request(3));
    for (const t of [5, 1, 9, 3, 7, 9, 2, 8]) b.add(ev(`e${t}`, t * 1000));
    const r = b.finish({ warnings: [] });
    expect(r.events.map((e) => e.eventId)).toEqual(['e9', 'e8', 'e7']);
    expect(r.truncated).toBe(true);
    expect(r.warnings[0]).toMatch(/--max-events 3/);
  });

  it('reports a kept event that passes the filters (for --jsonl), and filters at the end', () => {
    const b = new TrailBuilder({ ...request(10), filters: { ...NO_FILTERS, events: [], errorsOnly: true } });
    expect(b.add(ev('ok', 1))).toBe(false);
    expect(b.add(ev('err', 2, { errorCode: 'AccessDenied' }))).toBe(true);
    expect(b.add(ev('err', 2, { errorCode: 'AccessDenied' }))).toBe(false);
    const r = b.finish({ warnings: [] });
    expect(r.events.map((e) => e.eventId)).toEqual(['err']);
    expect(r.fetchedEvents).toBe(2);
  });
});

describe('before a scan: Athena suggested past the threshold', () => {
  it('an S3 scan past 2 GB suggests athena setup for its bucket and prefix; nothing below it, nothing for other sources', async () => {
    const { scanSuggestions, SCAN_SUGGEST_ATHENA_BYTES } = await import('../../../src/core/trail/index.js');
    const { commandLine } = await import('../../../src/core/suggestion.js');
    const s3 = { kind: 's3', bucket: 'org-trail', prefix: 'logs' } as const;
    expect(scanSuggestions(s3, { files: 10, bytes: SCAN_SUGGEST_ATHENA_BYTES - 1 })).toEqual([]);
    const [s] = scanSuggestions(s3, { files: 100_000, bytes: SCAN_SUGGEST_ATHENA_BYTES, accountIds: ['111122223333', '444455556666'], orgId: 'o-a1b2c3d4e5' });
    expect(s && commandLine(s, { profile: 'log-archive' })).toBe('gd-ir athena setup --bucket org-trail --prefix logs --org o-a1b2c3d4e5 --accounts 111122223333,444455556666 --profile log-archive');
    expect(s?.changes).toBe(false);
    const [withProfile] = scanSuggestions(s3, { files: 1, bytes: SCAN_SUGGEST_ATHENA_BYTES, accountIds: ['111122223333'] }, 'log-archive');
    expect(withProfile?.argv.slice(-2)).toEqual(['--logs-profile', 'log-archive']);
    expect(scanSuggestions({ kind: 'local', paths: ['x'] }, { files: 1, bytes: 10 * SCAN_SUGGEST_ATHENA_BYTES })).toEqual([]);
  });
});
