/**
 * `gd-ir sandbox` (serve), `gd-ir sandbox reset`, `gd-ir sandbox export-logs <dir>`: declarations.
 * Handlers: src/commands/sandbox.ts, src/commands/sandbox-reset.ts, src/commands/sandbox-export-logs.ts.
 */
import { UsageError } from '../../core/errors.js';
import { sanitize } from '../../core/sanitize.js';
import { parseDuration, parseInteger } from '../../core/validate.js';
import { declareCommand, optionalArg, type InputOf } from '../command-spec.js';
import { opt, type OptionDef } from '../options.js';
import { SANDBOX_SCENARIOS, isSandboxScenario, type SandboxScenario } from '../sandbox-mode.js';

export { SANDBOX_SCENARIOS, type SandboxScenario } from '../sandbox-mode.js';

/** "100ms", "0.5s", "250" (milliseconds). */
export function parseLatency(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(value.trim());
  const n = m ? Number(m[1]) * (m[2] === 's' ? 1000 : 1) : NaN;
  if (!m || !Number.isFinite(n) || n > 60_000) {
    throw new UsageError(`invalid latency '${sanitize(value, { maxLength: 40 })}': expected milliseconds such as 100ms, 0.5s or 250 (at most 60s)`);
  }
  return Math.round(n);
}

export function parseFaultRate(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new UsageError(`invalid fault rate '${sanitize(value, { maxLength: 40 })}': expected a probability from 0 to 1, e.g. 0.2`);
  }
  return n;
}

const DENY = /^(GuardDuty|CloudTrail|IAM|STS|S3|Athena|KMS):(\*|[A-Za-z]+)(:[\w+=,.@/:-]{1,256})?$/;

function parseDeny(value: string): string {
  if (!DENY.test(value)) {
    throw new UsageError(`invalid --deny '${sanitize(value, { maxLength: 60 })}': expected Service:Operation[:resource], e.g. IAM:GetUser, CloudTrail:* or IAM:UpdateAccessKey:user/backup-svc`);
  }
  return value;
}

/** `--attacker-interval`: 0 (off) or a duration from 100ms to 1h ("5s", "500ms", "2m"). */
function parseAttackerInterval(value: string): number {
  const v = value.trim();
  if (v === '0') return 0;
  const ms = /^\d+ms$/.test(v) ? Number(v.slice(0, -2)) : parseDuration(v);
  if (!(ms >= 100 && ms <= 3_600_000)) throw new UsageError(`invalid --attacker-interval '${sanitize(value, { maxLength: 40 })}': expected 0 (off) or 100ms to 1h, e.g. 5s`);
  return ms;
}

function parseScenario(value: string): SandboxScenario {
  if (!isSandboxScenario(value)) {
    throw new UsageError(`invalid scenario '${sanitize(value, { maxLength: 40 })}': expected one of ${SANDBOX_SCENARIOS.join(', ')}`);
  }
  return value as SandboxScenario;
}

/**
 * The scenarios `export-logs` writes (the persistence scenario's trail is written by its live attacker, and org's member
 * trails are not exported).
 */
const EXPORT_SCENARIOS = ['workshop', 'large'] as const;

function parseExportScenario(value: string): (typeof EXPORT_SCENARIOS)[number] {
  if (!(EXPORT_SCENARIOS as readonly string[]).includes(value)) {
    throw new UsageError(`invalid scenario '${sanitize(value, { maxLength: 40 })}' for export-logs: expected one of ${EXPORT_SCENARIOS.join(', ')}`);
  }
  return value as (typeof EXPORT_SCENARIOS)[number];
}

/** `--rate-limit <n>` (requests per second per region) or `--no-rate-limit` (false); AWS's 2 by default. */
const rateLimit: OptionDef<number | false> = {
  flags: '--rate-limit <n>',
  description: 'CloudTrail LookupEvents requests/second per region (AWS: 2)',
  parse: (raw) => (raw === false ? false : typeof raw === 'string' ? parseInteger(raw, 'CloudTrail rate limit', 1, 1000) : 2),
};

export const sandbox = declareCommand({
  path: ['sandbox'],
  summary: 'run the local AWS-compatible sandbox (GuardDuty, CloudTrail, IAM, STS) that replays a scenario',
  description:
    "Serves a scenario (the workshop by default; org: a GuardDuty administrator and two member accounts; persistence: an attacker who left backdoors, still calling) on 127.0.0.1 so gd-ir, the AWS CLI or any SDK can be used without an AWS account. 'gd-ir sandbox reset --scenario <name>' restores that scenario and selects it for --sandbox runs. See docs/sandbox.md and docs/scenarios.md.",
  args: {
    // `reset` and `export-logs` are subcommands; anything else here is a mistyped one.
    action: optionalArg('[action]', "a subcommand: 'reset' or 'export-logs' (none: serve)", (v) => {
      throw new UsageError(`unknown sandbox action '${sanitize(v, { maxLength: 40 })}': expected 'reset' or 'export-logs', or none to serve`, {
        remedy: 'gd-ir sandbox serves the scenario; gd-ir sandbox reset restores it; gd-ir sandbox export-logs <dir> writes its trail log files',
      });
    }),
  },
  options: {
    port: opt.withDefault('--port <n>', 'port to listen on (0 = any free port)', '4566', (v) => parseInteger(v, 'port', 0, 65535)),
    host: opt.withDefault('--host <address>', 'loopback address to listen on', '127.0.0.1', (v) => {
      if (v !== '127.0.0.1' && v !== 'localhost' && v !== '::1') throw new UsageError('the sandbox only listens on loopback (127.0.0.1, localhost or ::1)');
      return v;
    }),
    scenario: opt.withDefault('--scenario <name>', 'scenario to serve (org: a GuardDuty administrator and two member accounts; persistence: an attacker who left backdoors)', 'workshop', parseScenario, { choices: SANDBOX_SCENARIOS }),
    latency: opt.withDefault('--latency <ms>', 'delay added to every response (e.g. 100ms), to imitate a real network', '0', parseLatency, { defaultValue: undefined }),
    faultRate: opt.withDefault('--fault-rate <p>', 'probability (0–1) of a transient fault per request: 500, 503, throttle, connection reset', '0', parseFaultRate, { defaultValue: undefined }),
    faultSeed: opt.withDefault('--fault-seed <n>', 'seed for the fault sequence (same seed, same faults)', '1', (v) => parseInteger(v, 'fault seed', 0, 2 ** 31), { defaultValue: undefined }),
    deny: opt.list('--deny <service:operation>', 'force AccessDenied for an operation, e.g. IAM:ListGroupsForUser (repeatable)', parseDeny),
    rateLimit,
    noRateLimit: opt.negatable('--no-rate-limit', 'turn the CloudTrail rate limit off'),
    state: opt.value('--state <file>', 'persist state (key statuses, policies, archived findings) in this file; default: the --sandbox state'),
    attackerInterval: opt.value('--attacker-interval <duration>', "how often the scenario's live attacker calls (persistence: 5s; 0 = never)", parseAttackerInterval),
    logRequests: opt.flag('--log-requests', 'print one line per request on stderr'),
  },
  examples: [
    { command: 'gd-ir sandbox', description: 'serve the workshop on http://127.0.0.1:4566 and print the export lines' },
    { command: 'gd-ir sandbox --port 0 --latency 100ms --fault-rate 0.2', description: 'a slow, flaky AWS on any free port' },
    { command: 'gd-ir sandbox --scenario org --port 0', description: 'serve the multi-account scenario (an administrator and two members) on any free port' },
    { command: 'gd-ir sandbox --scenario persistence --deny IAM:UpdateAccessKey:user/backup-svc --log-requests', description: 'the persistence attacker, a containment step that will be refused, and every call (the attacker\'s too) on stderr' },
  ],
  usesAws: false,
});

export type SandboxInput = InputOf<typeof sandbox>;

export const sandboxReset = declareCommand({
  path: ['sandbox', 'reset'],
  summary: 'restore a scenario (the workshop by default) and select it for --sandbox runs (reactivate keys, unarchive findings, drop created tables)',
  options: {
    scenario: opt.withDefault('--scenario <name>', 'scenario to restore and use for the next --sandbox runs', 'workshop', parseScenario, { choices: SANDBOX_SCENARIOS }),
  },
  examples: [
    { command: 'gd-ir sandbox reset', description: 'forget every change --sandbox runs made; --sandbox runs use the workshop' },
    { command: 'gd-ir sandbox reset --scenario persistence', description: 'restore the persistence incident and use it for the next --sandbox runs' },
    { command: 'gd-ir sandbox reset --scenario org', description: 'switch --sandbox runs to the multi-account scenario (an administrator and two members)' },
    { command: 'gd-ir sandbox reset --json', description: 'the same, saying which state file was removed' },
  ],
  usesAws: false,
});

export type SandboxResetInput = InputOf<typeof sandboxReset>;

export const sandboxExportLogs = declareCommand({
  path: ['sandbox', 'export-logs'],
  summary: "write the scenario's CloudTrail as trail log files (.json.gz in the organisation trail's S3 layout), for --logs practice and benchmarks",
  description:
    "The workshop's management and data events, or with --scenario large a generated stream of --events records, as CloudTrail delivers them: one gzip file per account, region and 5 minutes under AWSLogs/<o-id>/<account>/CloudTrail/<region>/YYYY/MM/DD/. Read them back with gd-ir trail --logs <dir>. See docs/sandbox.md.",
  args: {
    dir: {
      name: '<dir>',
      description: 'directory to write (created; must be empty unless --force)',
      parse: (v: string | undefined): string => {
        if (v === undefined || v.trim() === '') throw new UsageError('say where to write the logs: gd-ir sandbox export-logs <dir>');
        return v;
      },
    },
  },
  options: {
    scenario: opt.withDefault('--scenario <name>', 'scenario whose trail to write', 'workshop', parseExportScenario, { choices: EXPORT_SCENARIOS }),
    events: opt.value('--events <n>', 'with --scenario large: how many records to generate (default 1,000,000, about 1,000 files)', (v) => parseInteger(v, '--events', 1, 100_000_000)),
    force: opt.flag('--force', 'write into a directory that is not empty'),
  },
  check: ({ options: o }) => {
    if (o.events !== undefined && o.scenario !== 'large') throw new UsageError('--events goes with --scenario large (the workshop has its own events)');
  },
  examples: [
    { command: 'gd-ir sandbox export-logs ./workshop-logs', description: "the workshop's trail, then: gd-ir --sandbox trail --finding <id> --logs ./workshop-logs" },
    { command: 'gd-ir sandbox export-logs /tmp/big --scenario large --events 1000000', description: 'a million records in about 1,000 files, for benchmarks' },
  ],
  usesAws: false,
});

export type SandboxExportLogsInput = InputOf<typeof sandboxExportLogs>;
