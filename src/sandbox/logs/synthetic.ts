/**
 * A large, deterministic stream of CloudTrail records for benchmarks and `gd-ir sandbox export-logs
 * --scenario large --events N`: generated lazily in time order (a million records never sit in memory
 * at once), in the shape of the workshop's records (src/sandbox/scenarios/util.ts `ctEvent`).
 *
 * One record in `busyEvery` belongs to the large scenario's busy key (LARGE.busy), the rest to 40
 * IAM users and 10 role sessions doing ordinary work across the regions.
 */
import type { CloudTrailRecord } from '../model.js';
import { LARGE } from '../scenarios/large-facts.js';
import { isoSec, pick, prng, randInt, uuid, type Rng } from '../scenarios/util.js';
import { FILE_PERIOD_MS } from './trail-files.js';

export interface SyntheticParams {
  events: number;
  /** The number of log files to aim at (one per region and 5 minutes). */
  files: number;
  regions: string[];
  /** The instant of the last record. */
  end: Date;
  seed: number;
  /** One record in this many is the busy key's. */
  busyEvery: number;
}

export const SYNTHETIC_DEFAULTS: Omit<SyntheticParams, 'end'> = {
  events: 1_000_000,
  files: 1_000,
  regions: ['us-west-2', 'us-east-1', 'eu-west-1'],
  seed: 7,
  busyEvery: 200,
};

const ACCT = LARGE.accountId;

interface Call {
  service: string;
  name: string;
  readOnly: boolean;
  request: (rng: Rng, region: string) => Record<string, unknown> | null;
  error?: { code: string; message: string; rate: number };
}

const CALLS: Call[] = [
  { service: 'ec2', name: 'DescribeInstances', readOnly: true, request: () => ({ instancesSet: {}, filterSet: {} }) },
  { service: 's3', name: 'ListBuckets', readOnly: true, request: (_r, region) => ({ Host: `s3.${region}.amazonaws.com` }) },
  { service: 'ssm', name: 'GetParameters', readOnly: true, request: (r) => ({ names: [`/app/${pick(r, ['db', 'api', 'queue'])}/${pick(r, ['url', 'user', 'password'])}`], withDecryption: true }) },
  { service: 'sts', name: 'GetCallerIdentity', readOnly: true, request: () => null },
  { service: 'kms', name: 'Decrypt', readOnly: true, request: (r) => ({ encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: { app: pick(r, ['etl', 'web', 'batch']) } }) },
  { service: 'dynamodb', name: 'DescribeTable', readOnly: true, request: (r) => ({ tableName: pick(r, ['orders', 'sessions', 'inventory']) }) },
  { service: 'logs', name: 'PutLogEvents', readOnly: false, request: (r) => ({ logGroupName: `/aws/app/${pick(r, ['etl', 'web'])}`, logStreamName: uuid(r) }) },
  { service: 'iam', name: 'ListUsers', readOnly: true, request: () => null, error: { code: 'AccessDenied', message: 'not authorized to perform: iam:ListUsers', rate: 0.2 } },
  { service: 'lambda', name: 'ListFunctions20150331', readOnly: true, request: () => null },
  { service: 'sqs', name: 'GetQueueAttributes', readOnly: true, request: (r, region) => ({ queueUrl: `https://sqs.${region}.amazonaws.com/${ACCT}/${pick(r, ['jobs', 'events'])}`, attributeNames: ['All'] }) },
];

const AGENTS = [
  'aws-cli/2.15.30 Python/3.11.8 Linux/5.10 exe/x86_64.amzn.2 prompt/off',
  'aws-sdk-java/2.25.16 Linux/5.10 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc.',
  'Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/linux#5.10 md/arch#x86_64 lang/python#3.11.8',
  'aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64',
];

interface Actor {
  identity: Record<string, unknown> & { type: string };
  ip: string;
  agent: string;
}

function actors(rng: Rng): Actor[] {
  const out: Actor[] = [];
  for (let i = 0; i < 40; i++) {
    const name = `svc-user-${String(i).padStart(2, '0')}`;
    out.push({
      identity: { type: 'IAMUser', principalId: `AIDASYNTH${String(i).padStart(12, '0')}`, arn: `arn:aws:iam::${ACCT}:user/${name}`, accountId: ACCT, accessKeyId: `AKIASYNTH${String(i).padStart(11, '0')}`, userName: name },
      ip: `203.0.113.${randInt(rng, 1, 254)}`,
      agent: pick(rng, AGENTS),
    });
  }
  for (let i = 0; i < 10; i++) {
    const role = `app-role-${i}`;
    const session = `i-0${uuid(rng).replace(/-/g, '').slice(0, 16)}`;
    out.push({
      identity: {
        type: 'AssumedRole', principalId: `AROASYNTH${String(i).padStart(12, '0')}:${session}`, arn: `arn:aws:sts::${ACCT}:assumed-role/${role}/${session}`, accountId: ACCT,
        accessKeyId: `ASIASYNTH${String(i).padStart(11, '0')}`,
        sessionContext: { sessionIssuer: { type: 'Role', principalId: `AROASYNTH${String(i).padStart(12, '0')}`, arn: `arn:aws:iam::${ACCT}:role/${role}`, accountId: ACCT, userName: role }, attributes: { creationDate: '2026-01-01T00:00:00Z', mfaAuthenticated: 'false' }, ec2RoleDelivery: '2.0' },
      },
      ip: `10.0.${randInt(rng, 0, 255)}.${randInt(rng, 1, 254)}`,
      agent: pick(rng, AGENTS),
    });
  }
  return out;
}

const BUSY: Actor = {
  identity: { type: 'IAMUser', principalId: LARGE.busy.userId, arn: `arn:aws:iam::${ACCT}:user/${LARGE.busy.userName}`, accountId: ACCT, accessKeyId: LARGE.busy.accessKeyId, userName: LARGE.busy.userName },
  ip: LARGE.busy.ip,
  agent: LARGE.busy.userAgent,
};

/** The window the stream covers: `files / regions` periods of 5 minutes, ending at `end`. */
export function syntheticWindow(p: Pick<SyntheticParams, 'files' | 'regions' | 'end'>): { start: Date; end: Date } {
  const periods = Math.max(1, Math.ceil(p.files / p.regions.length));
  return { start: new Date(p.end.getTime() - periods * FILE_PERIOD_MS + 1000), end: p.end };
}

/** The records, oldest first. */
export function* syntheticRecords(p: SyntheticParams): Generator<CloudTrailRecord> {
  const rng = prng(p.seed);
  const people = actors(rng);
  const { start, end } = syntheticWindow(p);
  const span = end.getTime() - start.getTime();
  for (let i = 0; i < p.events; i++) {
    const at = start.getTime() + Math.floor((span * i) / p.events);
    const region = p.regions[i % p.regions.length] as string;
    const actor = i % p.busyEvery === p.busyEvery - 1 ? BUSY : (pick(rng, people) as Actor);
    const call = pick(rng, CALLS) as Call;
    const denied = call.error !== undefined && rng() < call.error.rate;
    const service = call.service;
    const rec: CloudTrailRecord = {
      eventVersion: '1.09',
      userIdentity: actor.identity as CloudTrailRecord['userIdentity'],
      eventTime: isoSec(at),
      eventSource: `${service}.amazonaws.com`,
      eventName: call.name,
      awsRegion: service === 'iam' ? 'us-east-1' : region,
      sourceIPAddress: actor.ip,
      userAgent: actor.agent,
      requestParameters: call.request(rng, region),
      responseElements: null,
      requestID: uuid(rng),
      eventID: uuid(rng),
      readOnly: call.readOnly,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: ACCT,
      eventCategory: 'Management',
      tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `${service}.${region}.amazonaws.com` },
    };
    if (denied && call.error) {
      rec.errorCode = call.error.code;
      rec.errorMessage = `User: ${String(actor.identity.arn)} is ${call.error.message}`;
    }
    yield rec;
  }
}
