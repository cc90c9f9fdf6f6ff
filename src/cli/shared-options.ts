/**
 * Options several commands share, declared once with their parser: the flag, its value's meaning and
 * its validation are the same everywhere; only the help sentence may say what it means to that command.
 */
import { parseAccountId, parseExternalId, parseMfaCode, parseMfaSerial, parseRoleRef, parseSessionDuration } from '../core/access.js';
import { UsageError } from '../core/errors.js';
import { sanitize } from '../core/sanitize.js';
import { parseAccessKeyId, parseDetectorId, parseFindingId, parseInteger, parseRegionList, parseTimeArg, parseUserName } from '../core/validate.js';
import { parseAthenaOutput, parseLogsOption, parseWorkgroup } from '../core/logs/spec.js';
import type { LogsSpec } from '../core/trail/index.js';
import { opt, type OptionDef } from './options.js';

/** LookupEvents requests per second per region: above 0, at most 10 (AWS allows 2). */
export function parseRate(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 10) {
    throw new UsageError(`invalid --rate '${sanitize(value, { maxLength: 80 })}': expected LookupEvents requests per second per region, a number above 0 and at most 10 (AWS allows 2)`);
  }
  return n;
}

/** How a command reaches another account (docs/multi-account.md); read-only commands take no --write-role. */
function readAccess(): {
  readRole: OptionDef<string | undefined>;
  externalId: OptionDef<string | undefined>;
  mfaSerial: OptionDef<string | undefined>;
  mfaCode: OptionDef<string | undefined>;
  sessionDuration: OptionDef<number | undefined>;
} {
  return {
    readRole: opt.value('--read-role <name|arn>', "role to assume for reads in another account (a name becomes arn:<partition>:iam::<account>:role/<name>)", (v) => parseRoleRef(v, '--read-role'), {
      env: 'GD_IR_READ_ROLE',
    }),
    externalId: opt.value('--external-id <id>', "the ExternalId the role's trust policy requires", parseExternalId, { env: 'GD_IR_EXTERNAL_ID' }),
    mfaSerial: opt.value('--mfa-serial <arn>', 'your MFA device, for a role that requires MFA (the code is asked for on a terminal)', parseMfaSerial, { env: 'GD_IR_MFA_SERIAL' }),
    mfaCode: opt.value('--mfa-code <code>', "the MFA device's current 6-digit code (when not on a terminal)", parseMfaCode),
    sessionDuration: opt.value('--session-duration <duration>', 'length of the role sessions: 900–43200 seconds, or 15m to 12h (default 1h)', parseSessionDuration),
  };
}

function writeAccess(): ReturnType<typeof readAccess> & { writeRole: OptionDef<string | undefined> } {
  return {
    ...readAccess(),
    writeRole: opt.value('--write-role <name|arn>', 'role to assume for changes in another account (default: the read role; reads never use it)', (v) => parseRoleRef(v, '--write-role'), {
      env: 'GD_IR_WRITE_ROLE',
    }),
  };
}

export const shared = {
  key: (description: string): OptionDef<string | undefined> => opt.value('--key <accessKeyId>', description, parseAccessKeyId),
  user: (description: string): OptionDef<string | undefined> => opt.value('--user <name>', description, parseUserName),
  finding: (description: string): OptionDef<string | undefined> => opt.value('--finding <findingId>', description, parseFindingId),
  detectorId: (description = 'use this detector instead of looking it up (ListDetectors)'): OptionDef<string | undefined> =>
    opt.value('--detector-id <id>', description, parseDetectorId),
  since: (description: string): OptionDef<Date | undefined> => opt.value('--since <time>', description, (v, c) => parseTimeArg(v, '--since', c.now)),
  until: (description: string): OptionDef<Date | undefined> => opt.value('--until <time>', description, (v, c) => parseTimeArg(v, '--until', c.now)),
  regions: (description: string): OptionDef<string[] | 'all' | undefined> => opt.value('--regions <list>', description, parseRegionList),
  rate: (): OptionDef<number> => opt.withDefault('--rate <n>', 'LookupEvents requests per second per region (AWS allows 2)', '2', parseRate),
  maxEvents: (description: string, max: number): OptionDef<number> =>
    opt.withDefault('--max-events <n>', description, '10000', (v) => parseInteger(v, '--max-events', 1, max)),
  fromFile: (description: string): OptionDef<string | undefined> => opt.value('--from-file <path>', description),
  auditLog: (): OptionDef<string | undefined> =>
    opt.value('--audit-log <path>', 'audit log file, JSON Lines (default: $XDG_STATE_HOME/gd-ir/audit.jsonl; with --sandbox, gd-ir/sandbox/audit.jsonl)', undefined, {
      env: 'GD_IR_AUDIT_LOG',
    }),
  yes: (): OptionDef<boolean> => opt.flag('-y, --yes', 'do not ask for confirmation (required when not interactive)'),
  dryRun: (): OptionDef<boolean> => opt.flag('--dry-run', 'do every read and check and print the plan; change nothing'),
  // Trail sources (issue 18): where the trail is read from, and what the log source needs.
  /** `--logs`: undefined when not given (the configuration file's `[logs] source` may then say; src/flows/trail-source.ts). */
  logs: (): OptionDef<LogsSpec | undefined> => ({
    flags: '--logs <source>',
    description:
      'where to read CloudTrail: lookup (event history), local paths (repeatable), s3://bucket[/prefix] or athena:<database>.<table> (default: [logs] source of the configuration file, else lookup)',
    repeatable: true,
    parse: (raw) => {
      const values = Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string') : typeof raw === 'string' ? [raw] : [];
      return values.length === 0 ? undefined : parseLogsOption(values);
    },
  }),
  athenaWorkgroup: (): OptionDef<string | undefined> => opt.value('--athena-workgroup <name>', 'Athena workgroup for --logs athena:… (default: primary)', parseWorkgroup),
  athenaOutput: (): OptionDef<string | undefined> =>
    opt.value('--athena-output <s3url>', "where Athena writes query results, s3://bucket/prefix/ (default: the workgroup's)", parseAthenaOutput),
  cache: (): OptionDef<boolean> => opt.negatable('--no-cache', 'with --logs s3://…, keep no copy of the log files under $XDG_CACHE_HOME/gd-ir (each is still fetched once per run)'),
  logsProfile: (): OptionDef<string | undefined> =>
    opt.value('--logs-profile <name>', 'AWS profile for the log source (S3 or Athena in the log-archive account); default: the run\'s own credentials', (v) => {
      if (!/^[A-Za-z0-9+=,.@_/-]{1,128}$/.test(v)) throw new UsageError(`invalid --logs-profile '${sanitize(v, { maxLength: 80 })}': expected a profile name from the AWS config file`);
      return v;
    }),
  /** `--account <id>`: the account to act in (reached through --read-role / --write-role when it is not yours). */
  account: (description: string): OptionDef<string | undefined> => opt.value('--account <id>', description, parseAccountId),
  /** `--account <id>` repeatable: a filter (findings list). */
  accounts: (description: string): OptionDef<string[]> => opt.list('--account <id>', description, parseAccountId),
  readAccess,
  writeAccess,
};

/** The options of a command that reads a trail from a source (`trail`, `investigate`). */
export function trailSourceOptions(): {
  logs: OptionDef<LogsSpec | undefined>;
  athenaWorkgroup: OptionDef<string | undefined>;
  athenaOutput: OptionDef<string | undefined>;
  cache: OptionDef<boolean>;
  logsProfile: OptionDef<string | undefined>;
} {
  return { logs: shared.logs(), athenaWorkgroup: shared.athenaWorkgroup(), athenaOutput: shared.athenaOutput(), cache: shared.cache(), logsProfile: shared.logsProfile() };
}

/**
 * `check`: the log-source options that make sense only with some sources. Without --logs the source is known once
 * the configuration file is read: src/flows/trail-source.ts checks them then.
 */
export function checkTrailSourceOptions(o: { logs: LogsSpec | undefined; athenaWorkgroup?: string | undefined; athenaOutput?: string | undefined; cache: boolean; logsProfile?: string | undefined }): void {
  if (o.logs === undefined) return;
  if (o.logs.kind !== 'athena' && (o.athenaWorkgroup !== undefined || o.athenaOutput !== undefined)) {
    throw new UsageError('--athena-workgroup and --athena-output go with --logs athena:<database>.<table>');
  }
  if (o.logs.kind !== 's3' && !o.cache) throw new UsageError('--no-cache goes with --logs s3://…: only S3 log files are cached');
  if ((o.logs.kind === 'lookup' || o.logs.kind === 'local') && o.logsProfile !== undefined) {
    throw new UsageError(`--logs-profile is for --logs s3://… and athena:…; ${o.logs.kind === 'lookup' ? 'event history is read with the run\'s own credentials (--profile)' : 'a local archive needs no credentials'}`);
  }
}
