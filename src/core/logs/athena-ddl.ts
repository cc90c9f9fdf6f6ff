/**
 * `gd-ir athena setup`: the Athena table over a trail's bucket, with partition projection so that no
 * partition ever has to be added, for an account trail or an organisation trail.
 *
 * Columns, SerDe, input format and projection properties are AWS's own (Athena User Guide, "Create the
 * table for CloudTrail logs in Athena using partition projection"; docs/sources.md). AWS's page projects
 * only `timestamp` for one account and region; gd-ir also projects `region` (and `account` for an
 * organisation trail) as enum partitions, so one table covers every account and region given and
 * queries prune on them. DDL takes no parameters, so every value is strictly validated. Pure.
 */
import { UsageError } from '../errors.js';
import { sanitize } from '../sanitize.js';
import { isAccountId, isOrgId, isRegionName } from './layout.js';
import { quoteIdentifier } from './athena-sql.js';

/** AWS's CloudTrail table columns, names and types exactly as the Athena User Guide gives them. */
export const CLOUDTRAIL_TABLE_COLUMNS: ReadonlyArray<readonly [name: string, type: string]> = [
  ['eventversion', 'STRING'],
  ['useridentity', 'STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, invokedby: STRING, accesskeyid: STRING, username: STRING, onbehalfof: STRUCT<userid: STRING, identitystorearn: STRING>, sessioncontext: STRUCT<attributes: STRUCT<mfaauthenticated: STRING, creationdate: STRING>, sessionissuer: STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, username: STRING>, ec2roledelivery: STRING, webidfederationdata: STRUCT<federatedprovider: STRING, attributes: MAP<STRING,STRING>>>>'],
  ['eventtime', 'STRING'],
  ['eventsource', 'STRING'],
  ['eventname', 'STRING'],
  ['awsregion', 'STRING'],
  ['sourceipaddress', 'STRING'],
  ['useragent', 'STRING'],
  ['errorcode', 'STRING'],
  ['errormessage', 'STRING'],
  ['requestparameters', 'STRING'],
  ['responseelements', 'STRING'],
  ['additionaleventdata', 'STRING'],
  ['requestid', 'STRING'],
  ['eventid', 'STRING'],
  ['readonly', 'STRING'],
  ['resources', 'ARRAY<STRUCT<arn: STRING, accountid: STRING, type: STRING>>'],
  ['eventtype', 'STRING'],
  ['apiversion', 'STRING'],
  ['recipientaccountid', 'STRING'],
  ['serviceeventdetails', 'STRING'],
  ['sharedeventid', 'STRING'],
  ['vpcendpointid', 'STRING'],
  ['vpcendpointaccountid', 'STRING'],
  ['eventcategory', 'STRING'],
  ['addendum', 'STRUCT<reason: STRING, updatedfields: STRING, originalrequestid: STRING, originaleventid: STRING>'],
  ['sessioncredentialfromconsole', 'STRING'],
  ['edgedevicedetails', 'STRING'],
  ['tlsdetails', 'STRUCT<tlsversion: STRING, ciphersuite: STRING, clientprovidedhostheader: STRING>'],
];

export interface AthenaSetup {
  database: string;
  table: string;
  bucket: string;
  /** The trail's S3 key prefix, without AWSLogs/ (may be empty). */
  prefix: string;
  /** Organisation trail: the organisation ID in the key layout. */
  orgId?: string;
  accounts: string[];
  regions: string[];
  /** `yyyy/MM/dd`: the first day the projection covers. */
  startDay: string;
}

/** S3 bucket names (S3 User Guide, "Bucket naming rules"). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** Key prefixes of S3's "safe characters" (alphanumerics, ! - _ . * ( ) and /), no quote. */
const PREFIX = /^[A-Za-z0-9!_.*()/-]{0,200}$/;
const DAY = /^(\d{4})\/(\d{2})\/(\d{2})$/;

const bad = (what: string, value: string, expected: string): UsageError =>
  new UsageError(`invalid ${what} '${sanitize(value, { maxLength: 80 })}': expected ${expected}`);

export function validateSetup(s: AthenaSetup): AthenaSetup {
  quoteIdentifier(s.database);
  quoteIdentifier(s.table);
  if (!BUCKET.test(s.bucket)) throw bad('bucket', s.bucket, 'an S3 bucket name (3–63 lower-case letters, digits, dots and hyphens)');
  if (!PREFIX.test(s.prefix) || s.prefix.includes('//') || s.prefix.startsWith('/')) throw bad('prefix', s.prefix, "the trail's S3 key prefix (letters, digits and ! - _ . * ( ) /)");
  if (s.orgId !== undefined && !isOrgId(s.orgId)) throw bad('organisation ID', s.orgId, 'o- and 10–32 lower-case letters or digits');
  if (s.accounts.length === 0) throw new UsageError('say which accounts the table covers: --accounts 111122223333,444455556666');
  for (const a of s.accounts) if (!isAccountId(a)) throw bad('account ID', a, '12 digits');
  if (s.regions.length === 0) throw new UsageError('say which regions the table covers: --regions us-east-1,us-west-2');
  for (const r of s.regions) if (!isRegionName(r)) throw bad('region', r, 'a region name such as us-west-2');
  const m = DAY.exec(s.startDay);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10).replace(/-/g, '/') !== s.startDay) throw bad('start date', s.startDay, 'a day as yyyy/MM/dd');
  return s;
}

/** `s3://bucket/prefix/AWSLogs/[o-id/]` */
export function logsRoot(s: Pick<AthenaSetup, 'bucket' | 'prefix' | 'orgId'>): string {
  const prefix = s.prefix.replace(/\/+$/, '');
  return `s3://${s.bucket}/${prefix ? `${prefix}/` : ''}AWSLogs/${s.orgId ? `${s.orgId}/` : ''}`;
}

/** The statements `athena setup` runs, in order: the database, then the table. */
export function buildSetupStatements(input: AthenaSetup): string[] {
  const s = validateSetup(input);
  const org = s.orgId !== undefined || s.accounts.length > 1;
  const root = logsRoot(s);
  const partitions = org ? '`account` string, `region` string, `timestamp` string' : '`region` string, `timestamp` string';
  const location = org ? root : `${root}${s.accounts[0] as string}/CloudTrail/`;
  const template = org ? `${root}\${account}/CloudTrail/\${region}/\${timestamp}` : `${location}\${region}/\${timestamp}`;
  const props: Array<[string, string]> = [
    ['projection.enabled', 'true'],
    ...(org ? ([['projection.account.type', 'enum'], ['projection.account.values', s.accounts.join(',')]] as Array<[string, string]>) : []),
    ['projection.region.type', 'enum'],
    ['projection.region.values', s.regions.join(',')],
    ['projection.timestamp.type', 'date'],
    ['projection.timestamp.format', 'yyyy/MM/dd'],
    ['projection.timestamp.interval', '1'],
    ['projection.timestamp.interval.unit', 'DAYS'],
    ['projection.timestamp.range', `${s.startDay},NOW`],
    ['storage.location.template', template],
  ];
  const columns = CLOUDTRAIL_TABLE_COLUMNS.map(([n, t]) => `  ${n} ${t}`).join(',\n');
  const table = [
    `CREATE EXTERNAL TABLE IF NOT EXISTS \`${s.database.toLowerCase()}\`.\`${s.table.toLowerCase()}\` (`,
    columns,
    ')',
    `PARTITIONED BY (${partitions})`,
    "ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'",
    "STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'",
    "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'",
    `LOCATION '${location}'`,
    'TBLPROPERTIES (',
    props.map(([k, v]) => `  '${k}'='${v}'`).join(',\n'),
    ')',
  ].join('\n');
  return [`CREATE DATABASE IF NOT EXISTS \`${s.database.toLowerCase()}\``, table];
}
