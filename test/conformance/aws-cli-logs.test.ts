/**
 * Conformance of the sandbox's S3 and Athena: the official AWS CLI (botocore parses the REST-XML and
 * awsJson replies against its models) lists, heads and gets the trail bucket's log files and runs a
 * parameterised Athena query through its states to paged, typed results. Skipped only when `aws` is not
 * on PATH.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { SANDBOX_TRAIL_BUCKET, trailObjects } from '../../src/sandbox/logs/bucket.js';
import { WORKSHOP } from '../../src/sandbox/scenarios/workshop-facts.js';
import { aws, HAS_AWS, type CliResult } from '../helpers/aws-cli.js';

const SUITE = HAS_AWS ? 'AWS CLI conformance: S3 and Athena' : 'AWS CLI conformance: S3 and Athena (skipped: the `aws` CLI is not on PATH)';

const ok = (r: CliResult): Record<string, unknown> => {
  expect(r.code, r.stderr).toBe(0);
  return r.json;
};

describe.skipIf(!HAS_AWS)(SUITE, () => {
  let sb: RunningSandbox;
  let dir: string;
  let ahead = 0;
  beforeAll(async () => {
    sb = await startSandbox({ cloudTrailRateLimit: false, now: () => new Date(Date.now() + ahead) });
    ahead = 30 * 60_000;
    dir = mkdtempSync(join(tmpdir(), 'gd-ir-cli-s3-'));
  });
  afterAll(async () => {
    await sb.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('s3api list-objects-v2: delimiter and common prefixes, pages (NextContinuationToken), URL-encoded keys decoded', async () => {
    const top = ok(await aws(sb, ['s3api', 'list-objects-v2', '--bucket', SANDBOX_TRAIL_BUCKET, '--prefix', 'AWSLogs/', '--delimiter', '/', '--no-paginate']));
    expect(top.CommonPrefixes).toEqual([{ Prefix: 'AWSLogs/o-exampleorgid/' }]);
    expect(top.KeyCount).toBe(1);
    const all = trailObjects(sb.world, Date.now() + ahead);
    const paged = ok(await aws(sb, ['s3api', 'list-objects-v2', '--bucket', SANDBOX_TRAIL_BUCKET, '--page-size', '7']));
    const contents = paged.Contents as Array<{ Key: string; Size: number; ETag: string; StorageClass: string; LastModified: string }>;
    expect(contents.map((c) => c.Key)).toEqual(all.map((o) => o.key));
    expect(contents[0]).toMatchObject({ Size: all[0]?.size, ETag: all[0]?.etag, StorageClass: 'STANDARD' });
    expect(Date.parse(contents[0]?.LastModified ?? '')).toBe(all[0]?.lastModifiedMs);
    const one = ok(await aws(sb, ['s3api', 'list-objects-v2', '--bucket', SANDBOX_TRAIL_BUCKET, '--max-keys', '2', '--no-paginate']));
    expect(one.IsTruncated).toBe(true);
    expect(typeof one.NextContinuationToken).toBe('string');
    const next = ok(await aws(sb, ['s3api', 'list-objects-v2', '--bucket', SANDBOX_TRAIL_BUCKET, '--max-keys', '2', '--no-paginate', '--continuation-token', one.NextContinuationToken as string]));
    expect((next.Contents as Array<{ Key: string }>).map((c) => c.Key)).toEqual(all.slice(2, 4).map((o) => o.key));
  });

  it('s3api head-object and get-object: size, ETag, SSE-KMS, gzip of {"Records":[…]}', async () => {
    const o = trailObjects(sb.world, Date.now() + ahead).find((x) => x.key.includes('/us-west-2/')) ?? trailObjects(sb.world, Date.now() + ahead)[0];
    const key = o?.key as string;
    const head = ok(await aws(sb, ['s3api', 'head-object', '--bucket', SANDBOX_TRAIL_BUCKET, '--key', key]));
    expect(head).toMatchObject({ ContentLength: o?.size, ETag: o?.etag, ServerSideEncryption: 'aws:kms', ContentEncoding: 'gzip' });
    const out = join(dir, 'log.json.gz');
    const got = ok(await aws(sb, ['s3api', 'get-object', '--bucket', SANDBOX_TRAIL_BUCKET, '--key', key, out]));
    expect(got).toMatchObject({ ContentLength: o?.size, ETag: o?.etag });
    const doc = JSON.parse(gunzipSync(readFileSync(out)).toString('utf8')) as { Records: Array<{ eventVersion: string }> };
    expect(doc.Records.length).toBeGreaterThan(0);
    expect(doc.Records.every((r) => typeof r.eventVersion === 'string')).toBe(true);
  });

  it('S3 errors as botocore reads them: NoSuchKey, 404 on HEAD, NoSuchBucket', async () => {
    const missing = await aws(sb, ['s3api', 'get-object', '--bucket', SANDBOX_TRAIL_BUCKET, '--key', 'AWSLogs/nope.json.gz', join(dir, 'x')]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/NoSuchKey/);
    const head = await aws(sb, ['s3api', 'head-object', '--bucket', SANDBOX_TRAIL_BUCKET, '--key', 'AWSLogs/nope.json.gz']);
    expect(head.stderr).toMatch(/404|Not Found/);
    const bucket = await aws(sb, ['s3api', 'list-objects-v2', '--bucket', 'no-such-bucket-anywhere']);
    expect(bucket.stderr).toMatch(/NoSuchBucket/);
  });

  it('athena start-query-execution with execution parameters, get-query-execution to SUCCEEDED, paged get-query-results with a header row and typed columns', async () => {
    const key = WORKSHOP.role.sessionKeyId;
    const start = ok(
      await aws(sb, [
        'athena', 'start-query-execution', '--work-group', 'primary',
        '--query-string', 'SELECT eventname, eventtime, CAST(resources AS JSON) AS resources FROM cloudtrail.org_logs WHERE useridentity.accesskeyid = ? AND eventname = ? ORDER BY eventtime',
        '--execution-parameters', `'${key}'`, "'GetObject'",
      ]),
    );
    const id = start.QueryExecutionId as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const states: string[] = [];
    let qe: Record<string, unknown> = {};
    for (let i = 0; i < 50; i++) {
      qe = ok(await aws(sb, ['athena', 'get-query-execution', '--query-execution-id', id])).QueryExecution as Record<string, unknown>;
      const state = (qe.Status as { State: string }).State;
      states.push(state);
      if (state === 'SUCCEEDED' || state === 'FAILED') break;
    }
    expect(states.at(-1), JSON.stringify(qe.Status)).toBe('SUCCEEDED');
    expect(states.every((s) => ['QUEUED', 'RUNNING', 'SUCCEEDED'].includes(s))).toBe(true);
    expect(qe).toMatchObject({ StatementType: 'DML', WorkGroup: 'primary', ExecutionParameters: [`'${key}'`, "'GetObject'"] });
    expect((qe.Statistics as { DataScannedInBytes: number }).DataScannedInBytes).toBeGreaterThan(0);
    const res = ok(await aws(sb, ['athena', 'get-query-results', '--query-execution-id', id, '--page-size', '5']));
    const rs = res.ResultSet as { Rows: Array<{ Data: Array<{ VarCharValue?: string }> }>; ResultSetMetadata: { ColumnInfo: Array<{ Name: string; Type: string }> } };
    expect(rs.ResultSetMetadata.ColumnInfo.map((c) => [c.Name, c.Type])).toEqual([['eventname', 'varchar'], ['eventtime', 'varchar'], ['resources', 'json']]);
    expect(rs.Rows[0]?.Data.map((d) => d.VarCharValue)).toEqual(['eventname', 'eventtime', 'resources']);
    expect(rs.Rows).toHaveLength(1 + 23);
    expect(rs.Rows.slice(1).every((r) => r.Data[0]?.VarCharValue === 'GetObject')).toBe(true);
    expect(JSON.parse(rs.Rows[1]?.Data[2]?.VarCharValue ?? '[]')[0]).toMatchObject({ type: 'AWS::S3::Object' });
    ok(await aws(sb, ['athena', 'stop-query-execution', '--query-execution-id', id]));
  });

  it('athena: a failing query ends FAILED with its reason; results of an unknown query are an InvalidRequestException', async () => {
    const start = ok(await aws(sb, ['athena', 'start-query-execution', '--query-string', 'SELECT eventname FROM cloudtrail.no_such_table']));
    let state = '';
    let reason = '';
    for (let i = 0; i < 50 && state !== 'FAILED'; i++) {
      const qe = ok(await aws(sb, ['athena', 'get-query-execution', '--query-execution-id', start.QueryExecutionId as string])).QueryExecution as { Status: { State: string; StateChangeReason?: string } };
      state = qe.Status.State;
      reason = qe.Status.StateChangeReason ?? '';
    }
    expect(state).toBe('FAILED');
    expect(reason).toMatch(/TABLE_NOT_FOUND/);
    const bad = await aws(sb, ['athena', 'get-query-results', '--query-execution-id', '00000000-0000-0000-0000-000000000000']);
    expect(bad.stderr).toMatch(/InvalidRequestException/);
  });
});
