/** `gd-ir trail`: declaration (help, options, validation). The handler is src/commands/trail.ts. */
import { isIP } from 'node:net';
import { UsageError } from '../../core/errors.js';
import { sanitize } from '../../core/sanitize.js';
import { normaliseEventSource } from '../../core/trail/filters.js';
import { declareCommand, type InputOf } from '../command-spec.js';
import { opt } from '../options.js';
import { checkTrailSourceOptions, shared, trailSourceOptions } from '../shared-options.js';

const show = (v: string): string => `'${sanitize(v, { maxLength: 80 })}'`;

function parseEventName(value: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_.-]{0,127}$/.test(value)) {
    throw new UsageError(`invalid --event ${show(value)}: expected a CloudTrail event name such as GetParameters or CreateUser`);
  }
  return value;
}

function parseSource(value: string): string {
  if (!/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/.test(value.trim()) || value.length > 128) {
    throw new UsageError(`invalid --source ${show(value)}: expected a service such as iam, ssm or s3.amazonaws.com`);
  }
  return normaliseEventSource(value);
}

/** A dotted quad as published records write it, leading zeros included (`075.050.255.67`, anonymised Stratus records). */
const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
/** An AWS service principal, as CloudTrail writes calls a service made for the caller (`cloudformation.amazonaws.com`). */
const SERVICE_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.amazonaws\.com(\.cn)?$/;

/**
 * `--ip`: what CloudTrail puts in `sourceIPAddress`. An IPv4 or IPv6 address (node:net isIP), an AWS service name
 * for calls a service made (`ec2.amazonaws.com`, test/fixtures/real/cloudtrail/elastic-assumerole-awsservice-ec2.json),
 * or `AWS Internal` (service events and console-originated calls, docs-awsserviceevent-kms-rotatekey.json). Anything
 * else can match nothing and is refused rather than silently finding no events.
 */
export function parseSourceAddress(value: string): string {
  const v = value.trim();
  if (isIP(v) !== 0) return v;
  const quad = DOTTED_QUAD.exec(v);
  if (quad && quad.slice(1).every((o) => Number(o) <= 255)) return v;
  if (/^aws internal$/i.test(v)) return 'AWS Internal';
  if (v.length <= 253 && SERVICE_NAME.test(v.toLowerCase())) return v.toLowerCase();
  throw new UsageError(
    `invalid --ip ${show(value)}: expected an IPv4 or IPv6 address, an AWS service name such as cloudformation.amazonaws.com, or 'AWS Internal' (what CloudTrail writes in sourceIPAddress)`,
  );
}

export const trail = declareCommand({
  path: ['trail'],
  summary: "a principal's CloudTrail history at the API's speed limit, summarised for an analyst",
  description:
    "Reads CloudTrail's 90-day event history (LookupEvents) for an access key, a user or a finding's principal in every region asked for, in parallel at 2 requests/s per region, without throttling errors; " +
    'or, with --logs, the trail\'s own log files (a local archive, the S3 bucket, or an Athena table over it), which hold data events and any age. ' +
    "A member account's history is read in that account (--account, or the finding's) through its read role (--read-role, GD_IR_READ_ROLE or the configuration file). " +
    'Summarises what the principal did (classified as reconnaissance, credential access, persistence, privilege escalation, defense evasion, exfiltration/impact), from which IPs and user agents, what failed, and which temporary credentials it minted, then prints the timeline. See docs/commands/trail.md.',
  options: {
    key: shared.key('the access key (AKIA… or ASIA…) whose calls to read (lookup by AccessKeyId)'),
    user: shared.user("the IAM user whose calls to read (lookup by Username; with --key, only names the principal)"),
    finding: shared.finding('take key, user, window (first seen − 24 h … last seen + 1 h) and regions from this GuardDuty finding'),
    detectorId: shared.detectorId("GuardDuty detector of --finding (default: the region's detector)"),
    since: shared.since('window start: a duration before now (24h, 7d) or an ISO-8601 date/time (default 24h before --until)'),
    until: shared.until('window end: a duration before now or an ISO-8601 date/time (default now)'),
    regions: shared.regions(
      'comma-separated regions, or all (default: the current region and us-east-1, where IAM calls, root sign-ins and STS calls to its global endpoint from outside AWS are recorded; with --user also us-east-2, eu-north-1 and ap-southeast-2, where console sign-ins land)',
    ),
    event: opt.list('--event <name>', 'only events with this name (repeatable, case-insensitive)', parseEventName),
    source: opt.value('--source <service>', 'only events from this service (iam, ssm, s3.amazonaws.com…)', parseSource),
    ip: opt.value('--ip <address>', "only events from this source: an IP address, an AWS service name (ec2.amazonaws.com) or 'AWS Internal'", parseSourceAddress),
    errorsOnly: opt.flag('--errors-only', 'only failed calls: an errorCode, or a failed console sign-in (which has none)'),
    readOnly: opt.flag('--read-only', 'only read-only calls'),
    writeOnly: opt.flag('--write-only', 'only calls that change something'),
    follow: opt.flag('--follow', 'also read the activity of temporary credentials the key minted (GetSessionToken, AssumeRole, GetFederationToken)'),
    maxEvents: shared.maxEvents('stop after this many events (then warns and sets truncated)', 1_000_000),
    rate: shared.rate(),
    oldestFirst: opt.flag('--oldest-first', 'print the timeline oldest first (default newest first)'),
    jsonl: opt.flag('--jsonl', 'stream one JSON event per line as they arrive (nothing else on stdout)'),
    raw: opt.flag('--raw', 'with --json/--jsonl, add the raw LookupEvents record to each event'),
    ...trailSourceOptions(),
    account: shared.account("the account whose event history to read (default: the finding's with --finding, else yours); another account is read through --read-role"),
    ...shared.readAccess(),
    changes: opt.flag('--changes', 'only successful writes, classified (persistence, privilege escalation, defense evasion, exposure, compute, destruction); with --follow, also those of the keys it created'),
  },
  check: ({ options: o }) => {
    if (!o.key && !o.user && !o.finding) {
      throw new UsageError('say whose trail to read: --key <accessKeyId>, --user <userName> or --finding <findingId>');
    }
    if (o.finding && (o.key || o.user)) {
      throw new UsageError('--finding takes the key and user from the finding: drop --key/--user, or drop --finding');
    }
    if (o.readOnly && o.writeOnly) throw new UsageError('--read-only and --write-only exclude each other: pass one of them');
    checkTrailSourceOptions(o);
    if (o.changes && (o.readOnly || o.errorsOnly)) throw new UsageError('--changes lists successful writes: it excludes --read-only and --errors-only');
    if (o.changes && o.jsonl) throw new UsageError('--changes is built once the trail is read: use --json, not --jsonl');
  },
  examples: [
    { command: 'gd-ir trail --finding 0ac1e1b4c6f24d27a1c1d2e3f4a5b6c7 --follow', description: "everything the finding's key did around the finding, plus its derived session keys" },
    { command: 'gd-ir trail --key AKIAPRODCIDEPLOYER01 --account 444455556666 --read-role gd-ir-read', description: "a member account's key, read there through its gd-ir-read role" },
    { command: 'gd-ir trail --finding 0ac1e1b4c6f24d27a1c1d2e3f4a5b6c7 --logs s3://org-cloudtrail-logs --logs-profile log-archive', description: "the same from the organisation trail's S3 logs (data events included), read with the log-archive account's profile" },
    { command: 'gd-ir trail --key AKIAIOSFODNN7EXAMPLE --changes --follow --since 7d', description: 'what the key, its sessions and the keys it created changed in a week, classified' },
  ],
  usesAws: true,
});

export type TrailInput = InputOf<typeof trail>;
