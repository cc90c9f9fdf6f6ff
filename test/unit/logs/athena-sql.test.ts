/**
 * The Athena SQL and DDL builders: one parameterised query per selector, values only as `?`
 * parameters, the window's partitions pruned, identifiers and DDL values strictly validated.
 */
import { describe, expect, it } from 'vitest';
import { buildSetupStatements, CLOUDTRAIL_TABLE_COLUMNS } from '../../../src/core/logs/athena-ddl.js';
import { athenaCostUsd, buildQueries, literal, parseAthenaTable, recordFromRow, type AthenaTableRef } from '../../../src/core/logs/athena-sql.js';
import type { LogQuery } from '../../../src/core/logs/match.js';
import { UsageError } from '../../../src/core/errors.js';

const KEY = 'AKIAQCOMPROMISED0EX1';
const table: AthenaTableRef = { database: 'security', table: 'cloudtrail_org', partitions: ['account', 'region', 'timestamp'] };
const window = { start: new Date('2026-06-01T10:20:30.456Z'), end: new Date('2026-06-02T09:00:00Z') };
const q: LogQuery = {
  selectors: [
    { attribute: 'AccessKeyId', value: KEY },
    { attribute: 'AccessKeyId', value: 'ASIADERIVED000000001', fromMs: Date.parse('2026-06-01T12:00:00Z') },
  ],
  window,
  regions: ['us-west-2', 'us-east-1'],
  accounts: ['111122223333'],
};

const placeholders = (sql: string): number => sql.replace(/'(?:[^']|'')*'/g, "''").split('?').length - 1;

describe('Athena queries', () => {
  it('one query per selector, every value a parameter in the order of its placeholder', () => {
    const queries = buildQueries(table, q);
    expect(queries).toHaveLength(2);
    for (const x of queries) {
      expect(placeholders(x.sql)).toBe(x.parameters.length);
      expect(x.sql).not.toContain(KEY);
      expect(x.sql).not.toContain('111122223333');
      expect(x.sql).not.toContain('2026');
    }
    const [first] = queries;
    expect(first?.parameters).toEqual([
      "'2026/06/01'", "'2026/06/03'", // partition days: the window's first day to a day after its last
      "'111122223333'",
      "'us-west-2'", "'us-east-1'", "'us-west-2'", "'us-east-1'",
      "'2026-06-01T10:20:30Z'", "'2026-06-02T09:00:00Z'",
      `'${KEY}'`,
    ]);
  });

  it('prunes partitions first: timestamp, account and region predicates on the partition columns', () => {
    const sql = buildQueries(table, q)[0]?.sql ?? '';
    expect(sql).toMatch(/WHERE "timestamp" >= \? AND "timestamp" <= \? AND "account" IN \(\?\) AND "region" IN \(\?, \?\) AND awsregion IN/);
    expect(sql).toContain('FROM "security"."cloudtrail_org"');
    // A derived key's query starts when the key was minted.
    expect(buildQueries(table, q)[1]?.parameters).toContain("'2026-06-01T12:00:00Z'");
    // AWS's own single-account table has only `timestamp`: accounts are matched on recipientaccountid.
    const aws = buildQueries({ ...table, partitions: ['timestamp'] }, q)[0]?.sql ?? '';
    expect(aws).toContain('recipientaccountid IN (?)');
    expect(aws).not.toContain('"region" IN');
  });

  it('refuses hostile selector values and names instead of quoting them into SQL', () => {
    for (const value of ["x' OR '1'='1", 'a"b', 'name; DROP TABLE t', 'é']) {
      expect(() => buildQueries(table, { ...q, selectors: [{ attribute: 'Username', value }] })).toThrow(UsageError);
    }
    expect(() => buildQueries({ ...table, table: 'x"; DROP' }, q)).toThrow(UsageError);
    expect(() => parseAthenaTable('db.table; DROP')).toThrow(UsageError);
    expect(parseAthenaTable('Security.CloudTrail_Logs')).toEqual({ database: 'security', table: 'cloudtrail_logs' });
    expect(literal("o'brien")).toBe("'o''brien'");
  });

  it('a user-name selector escapes LIKE wildcards in its session-name pattern', () => {
    const x = buildQueries(table, { ...q, selectors: [{ attribute: 'Username', value: 'svc_etl' }] })[0];
    expect(x?.parameters).toContain("'%/svc\\_etl'");
    expect(x?.sql).toContain("ESCAPE '\\'");
  });

  it('a row comes back as a CloudTrail record', () => {
    const r = recordFromRow({
      eventid: 'e1', eventtime: '2026-06-01T12:00:00Z', eventsource: 's3.amazonaws.com', eventname: 'GetObject', awsregion: 'us-west-2',
      readonly: 'true', requestparameters: '{"bucketName":"b","key":"k"}', ui_type: 'AssumedRole', ui_accesskeyid: 'ASIAX', ui_arn: 'arn:aws:sts::1:assumed-role/R/s',
      ui_issuer_username: 'R', resources: '[{"arn":"arn:aws:s3:::b/k","accountid":null,"type":"AWS::S3::Object"}]', eventcategory: 'Data',
    });
    expect(r).toMatchObject({
      eventID: 'e1', readOnly: true, requestParameters: { bucketName: 'b', key: 'k' }, eventCategory: 'Data',
      userIdentity: { type: 'AssumedRole', accessKeyId: 'ASIAX', sessionContext: { sessionIssuer: { userName: 'R' } } },
      resources: [{ ARN: 'arn:aws:s3:::b/k', type: 'AWS::S3::Object' }],
    });
  });

  it('cost: $5 per TB, at least 10 MB per query', () => {
    expect(athenaCostUsd(0)).toBeCloseTo((10 * 1024 * 1024 * 5) / 1e12, 12);
    expect(athenaCostUsd(1e12)).toBeCloseTo(5, 3);
  });
});

describe('athena setup DDL', () => {
  it('an organisation table projects account, region and day over the trail layout', () => {
    const [db, ddl] = buildSetupStatements({ database: 'security', table: 'cloudtrail_org', bucket: 'org-trail-logs', prefix: 'ct', orgId: 'o-exampleorgid', accounts: ['111122223333', '444455556666'], regions: ['us-east-1', 'us-west-2'], startDay: '2026/01/01' });
    expect(db).toBe('CREATE DATABASE IF NOT EXISTS `security`');
    expect(ddl).toContain('PARTITIONED BY (`account` string, `region` string, `timestamp` string)');
    expect(ddl).toContain("LOCATION 's3://org-trail-logs/ct/AWSLogs/o-exampleorgid/'");
    expect(ddl).toContain("'storage.location.template'='s3://org-trail-logs/ct/AWSLogs/o-exampleorgid/${account}/CloudTrail/${region}/${timestamp}'");
    expect(ddl).toContain("'projection.account.values'='111122223333,444455556666'");
    expect(ddl).toContain("'projection.timestamp.range'='2026/01/01,NOW'");
    expect(ddl).toContain("STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'");
    for (const [name] of CLOUDTRAIL_TABLE_COLUMNS) expect(ddl).toMatch(new RegExp(`^  ${name} `, 'm'));
  });

  it('an account table keeps the account in the location', () => {
    const [, ddl] = buildSetupStatements({ database: 'security', table: 'cloudtrail', bucket: 'trail-logs', prefix: '', accounts: ['111122223333'], regions: ['us-west-2'], startDay: '2026/01/01' });
    expect(ddl).toContain("LOCATION 's3://trail-logs/AWSLogs/111122223333/CloudTrail/'");
    expect(ddl).toContain('PARTITIONED BY (`region` string, `timestamp` string)');
  });

  it('refuses values that could break out of the DDL', () => {
    const base = { database: 'security', table: 'cloudtrail', bucket: 'trail-logs', prefix: '', accounts: ['111122223333'], regions: ['us-west-2'], startDay: '2026/01/01' };
    expect(() => buildSetupStatements({ ...base, bucket: "x'); DROP" })).toThrow(UsageError);
    expect(() => buildSetupStatements({ ...base, prefix: "a'b" })).toThrow(UsageError);
    expect(() => buildSetupStatements({ ...base, accounts: ['1234'] })).toThrow(UsageError);
    expect(() => buildSetupStatements({ ...base, startDay: '2026/02/30' })).toThrow(UsageError);
    expect(() => buildSetupStatements({ ...base, orgId: 'o-BAD' })).toThrow(UsageError);
  });
});
