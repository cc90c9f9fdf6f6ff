/**
 * The local log engine: the byte-level shortcut gives the records a full parse gives, every document
 * shape is read, and bad files (corrupt, truncated, non-CloudTrail, decompression bombs) are skipped
 * with a warning and counted while the rest stands.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { extractRecords, NotCloudTrailError } from '../../../src/core/logs/extract.js';
import type { LogQuery } from '../../../src/core/logs/match.js';
import { NO_FILTERS, type TrailRequest } from '../../../src/core/trail/index.js';
import { LocalLogSource } from '../../../src/sources/local.js';
import { collectSourceTrail as collectLogTrail } from '../../../src/sources/trail.js';
import type { TrailSource } from '../../../src/sources/types.js';

/** One read of a source, its events' records, stats and warnings. */
async function scanOf(source: TrailSource, q: LogQuery) {
  const records: Array<{ record: Record<string, unknown> }> = [];
  const warnings = await source.read(q, { accept: async (e) => void records.push({ record: e.raw.record ?? {} }), truncated: false }, { signal: new AbortController().signal, onProgress: () => undefined, onPlan: () => undefined });
  return { records, warnings, stats: source.report().scan ?? ({} as never) };
}

const ACCT = '111122223333';
const KEY = 'AKIAQCOMPROMISED0EX1';
const OTHER = 'AKIAOTHERKEY00000001';
const window = { start: new Date('2026-06-01T00:00:00Z'), end: new Date('2026-06-02T00:00:00Z') };

function rec(id: string, key: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAX', arn: `arn:aws:iam::${ACCT}:user/u-${key}`, accountId: ACCT, accessKeyId: key, userName: `u-${key}` },
    eventTime: '2026-06-01T12:00:00Z',
    eventSource: 'ssm.amazonaws.com',
    eventName: 'GetParameters',
    awsRegion: 'us-west-2',
    sourceIPAddress: '198.51.100.77',
    userAgent: 'aws-cli/1.18.147',
    requestParameters: { names: ['/x'] },
    responseElements: null,
    eventID: id,
    readOnly: true,
    eventType: 'AwsApiCall',
    recipientAccountId: ACCT,
    ...over,
  };
}

const trailLog = (records: unknown[]): Buffer => Buffer.from(JSON.stringify({ Records: records }));
const ids = (rs: Array<Record<string, unknown>>): unknown[] => rs.map((r) => r.eventID).sort();

describe('extractRecords', () => {
  const records = [rec('a', KEY), rec('b', OTHER), rec('c', KEY, { responseElements: { note: OTHER } }), rec('d', OTHER)];

  it('returns exactly the records that hold a needle, as a full parse would', () => {
    const out = extractRecords(trailLog(records), [KEY]);
    expect(out.format).toBe('trail-log');
    expect(ids(out.records)).toEqual(['a', 'c']);
    expect(ids(extractRecords(trailLog(records), [OTHER]).records)).toEqual(['b', 'c', 'd']);
  });

  it('falls back to a whole parse when an object nested in a record opens with eventVersion (an attacker-chosen map)', () => {
    const tricky = [rec('a', OTHER, { requestParameters: { tags: { eventVersion: '1', key: KEY } } }), rec('b', KEY)];
    expect(ids(extractRecords(trailLog(tricky), [KEY]).records)).toEqual(['a', 'b']);
    const after = [rec('a', OTHER, { requestParameters: { list: [{ x: 1 }, { eventVersion: 'x' }], k: KEY } }), rec('b', OTHER)];
    expect(ids(extractRecords(trailLog(after), [KEY]).records)).toEqual(['a']);
  });

  it('a user agent holding quotes, braces and the anchor text changes nothing but its own record', () => {
    const hostile = [rec('a', OTHER, { userAgent: `"}]},{"eventVersion":"x","userIdentity":{"accessKeyId":"${KEY}"}` }), rec('b', KEY)];
    const out = extractRecords(trailLog(hostile), [KEY]);
    expect(ids(out.records)).toEqual(['a', 'b']);
    expect((out.records.find((r) => r.eventID === 'a')?.userIdentity as Record<string, unknown>).accessKeyId).toBe(OTHER);
  });

  it('reads pretty-printed files, JSON lines, lookup-events output and arrays', () => {
    expect(ids(extractRecords(Buffer.from(JSON.stringify({ Records: records }, null, 2)), [KEY]).records)).toEqual(['a', 'c']);
    const lines = Buffer.from(records.map((r) => JSON.stringify(r)).join('\n') + '\n{"broken\n');
    const jl = extractRecords(lines, [KEY]);
    expect(jl.format).toBe('json-lines');
    expect(ids(jl.records)).toEqual(['a', 'c']);
    const lookup = Buffer.from(JSON.stringify({ Events: records.map((r) => ({ EventId: r.eventID, CloudTrailEvent: JSON.stringify(r) })) }, null, 4));
    expect(extractRecords(lookup, [KEY]).format).toBe('lookup-events');
    expect(ids(extractRecords(lookup, [KEY]).records)).toEqual(['a', 'c']);
    expect(extractRecords(Buffer.from(JSON.stringify(records)), undefined).records).toHaveLength(4);
  });

  it('rejects what is not CloudTrail, and a truncated trail log file', () => {
    expect(() => extractRecords(Buffer.from('{"hello": "world"}'), [KEY])).toThrow(NotCloudTrailError);
    expect(() => extractRecords(Buffer.from('not json at all'), [KEY])).toThrow(NotCloudTrailError);
    const full = trailLog(records);
    expect(() => extractRecords(full.subarray(0, full.length - 40), [KEY])).toThrow(NotCloudTrailError);
  });
});

describe('LocalLogSource', () => {
  const root = mkdtempSync(join(tmpdir(), 'gd-ir-logs-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const day = join(root, 'AWSLogs', ACCT, 'CloudTrail', 'us-west-2', '2026', '06', '01');
  mkdirSync(day, { recursive: true });
  const put = (dir: string, name: string, body: Buffer): void => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, name), body);
  };
  put(day, `${ACCT}_CloudTrail_us-west-2_20260601T1205Z_aaaaaaaaaaaaaaaa.json.gz`, gzipSync(trailLog([rec('a', KEY), rec('b', OTHER)])));
  put(day, `${ACCT}_CloudTrail_us-west-2_20260601T1210Z_bbbbbbbbbbbbbbbb.json.gz`, gzipSync(trailLog([rec('c', KEY, { eventTime: '2026-06-01T12:07:00Z' })])));
  // Bad files: each is skipped and counted.
  put(day, `${ACCT}_CloudTrail_us-west-2_20260601T1215Z_cccccccccccccccc.json.gz`, gzipSync(trailLog([rec('x', KEY)])).subarray(0, 30));
  put(day, `${ACCT}_CloudTrail_us-west-2_20260601T1220Z_dddddddddddddddd.json.gz`, Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('garbage')]));
  put(day, `${ACCT}_CloudTrail_us-west-2_20260601T1225Z_eeeeeeeeeeeeeeee.json.gz`, gzipSync(Buffer.from('{"not":"cloudtrail"}')));
  // Pruned by the layout: another region, a digest folder, a day outside the window.
  put(join(root, 'AWSLogs', ACCT, 'CloudTrail', 'eu-west-1', '2026', '06', '01'), `${ACCT}_CloudTrail_eu-west-1_20260601T1205Z_ffffffffffffffff.json.gz`, gzipSync(trailLog([rec('eu', KEY, { awsRegion: 'eu-west-1' })])));
  put(join(root, 'AWSLogs', ACCT, 'CloudTrail-Digest', 'us-west-2', '2026', '06', '01'), `${ACCT}_CloudTrail-Digest_us-west-2_t_us-west-2_20260601T1205Z.json.gz`, gzipSync(Buffer.from('{"digest":true}')));
  put(join(root, 'AWSLogs', ACCT, 'CloudTrail', 'us-west-2', '2026', '05', '20'), `${ACCT}_CloudTrail_us-west-2_20260520T1205Z_gggggggggggggggg.json.gz`, gzipSync(trailLog([rec('old', KEY, { eventTime: '2026-05-20T12:00:00Z' })])));
  // Outside the layout: read and recognised by content.
  put(join(root, 'handed-over'), 'export.jsonl', Buffer.from([rec('h', KEY, { eventTime: '2026-06-01T13:00:00Z' }), rec('i', OTHER)].map((r) => JSON.stringify(r)).join('\n')));

  const q: LogQuery = { selectors: [{ attribute: 'AccessKeyId', value: KEY }], window, regions: ['us-west-2'] };

  it('walks, prunes by the layout, reads every shape and skips bad files with a warning each', async () => {
    const r = await scanOf(new LocalLogSource([root]), q);
    expect(r.records.map((m) => m.record.eventID).sort()).toEqual(['a', 'c', 'h']);
    expect(r.stats.skipped).toBe(3);
    expect(r.warnings.filter((w) => w.startsWith('skipped'))).toHaveLength(3);
    expect(r.warnings.join('\n')).toMatch(/truncated gzip data|corrupt gzip data/);
    expect(r.warnings.join('\n')).toMatch(/not CloudTrail/);
    expect(r.stats.pruned).toBeGreaterThanOrEqual(3);
    expect(r.stats.files).toBe(6);
  });

  it('skips a decompression bomb at the cap', async () => {
    const bombDir = mkdtempSync(join(tmpdir(), 'gd-ir-bomb-'));
    try {
      writeFileSync(join(bombDir, 'bomb.json.gz'), gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20)));
      const { decodeLogBytes } = await import('../../../src/sources/decode.js');
      await expect(decodeLogBytes(gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x20)), 1024 * 1024)).rejects.toThrow(/decompression bomb/);
      const r = await scanOf(new LocalLogSource([bombDir, join(root, 'handed-over')]), q);
      // 64 MiB of spaces is under the default cap but is not CloudTrail: skipped, and the other path still read.
      expect(r.stats.skipped).toBe(1);
      expect(r.records.map((m) => m.record.eventID)).toEqual(['h']);
    } finally {
      rmSync(bombDir, { recursive: true, force: true });
    }
  });

  it('builds the same trail result event history would (derived keys followed with --follow)', async () => {
    const followDir = mkdtempSync(join(tmpdir(), 'gd-ir-follow-'));
    try {
      const sts = rec('sts', KEY, {
        eventTime: '2026-06-01T10:00:00Z', eventSource: 'sts.amazonaws.com', eventName: 'GetSessionToken',
        responseElements: { credentials: { accessKeyId: 'ASIADERIVED000000001', expiration: 'Jun 2, 2026 10:00:00 AM' } },
      });
      const used = rec('used', 'ASIADERIVED000000001', { eventTime: '2026-06-01T11:00:00Z' });
      writeFileSync(join(followDir, 'all.json'), trailLog([sts, used, rec('own', KEY)]));
      const request: TrailRequest = {
        principal: { accessKeyId: KEY }, lookup: { attribute: 'AccessKeyId', value: KEY }, window, regions: ['us-west-2'],
        follow: true, maxEvents: 100, filters: { ...NO_FILTERS, events: [] }, warnings: [],
      };
      const r = await collectLogTrail(new LocalLogSource([followDir]), request);
      expect(r.events.map((e) => [e.eventId, e.derived, e.viaKey ?? null])).toEqual([['own', false, null], ['used', true, KEY], ['sts', false, null]]);
      expect(r.derivedCredentials.map((d) => d.accessKeyId)).toEqual(['ASIADERIVED000000001']);
      expect(r.source?.kind).toBe('local');
      const noFollow = await collectLogTrail(new LocalLogSource([followDir]), { ...request, follow: false });
      expect(noFollow.events.map((e) => e.eventId)).toEqual(['own', 'sts']);
    } finally {
      rmSync(followDir, { recursive: true, force: true });
    }
  });

  it('a missing path is a usage error', async () => {
    await expect(scanOf(new LocalLogSource([join(root, 'nope')]), q)).rejects.toThrow(/no such file or directory/);
  });
});
