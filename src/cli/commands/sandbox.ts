/**
 * `gd-ir sandbox` (serve), `gd-ir sandbox reset`, `gd-ir sandbox export-logs <dir>`: declarations.
 * Handlers: src/commands/sandbox.ts, src/commands/sandbox-reset.ts, src/commands/sandbox-export-logs.ts.
 */
import { UsageError } from '../../core/errors.js';
import { sanitize } from '../../core/sanitize.js';
import { parseInteger } from '../../core/validate.js';
import { declareCommand, optionalArg, type InputOf } from '../command-spec.js';
import { opt, type OptionDef } from '../options.js';
import { SANDBOX_SCENARIOS, type SandboxScenario } from '../sandbox-mode.js';

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

const DENY = /^(GuardDuty|CloudTrail|IAM|STS|S3|Athena|KMS):(\*|[A-Za-z]+)$/;

function parseDeny(value: string): string {
  if (!DENY.test(value)) throw new UsageError(`invalid --deny '${sanitize(value, { maxLength: 60 })}': expected Service:Operation, e.g. IAM:GetUser or CloudTrail:*`);
  return value;
}

function parseScenario(value: string): SandboxScenario {
  if (!(SANDBOX_SCENARIOS as readonly string[]).includes(value)) {
    throw new UsageError(`invalid scenario '${sanitize(value, { maxLength: 40 })}': expected one of ${SANDBOX_SCENARIOS.join(', ')}`);
  }
  return value as SandboxScenario;
}

/** The scenarios whose trail export-logs writes (org's member trails are not exported). */
const EXPORT_SCENARIOS = ['workshop', 'large'] as const;

function parseExportScenario(value: string): (typeof EXPORT_SCENARIOS)[number] {
  if (!(EXPORT_SCENARIOS as readonly string[]).includes(value)) {
    throw new UsageError(`invalid scenario '${sanitize(value, { maxLength: 40 })}': expected one of ${EXPORT_SCENARIOS.join(', ')}`);
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
  summary: 'run the local AWS-compatible sandbox (GuardDuty, CloudTrail, IAM, STS) that replays the workshop',
  description:
    "Serves a scenario (the workshop by default) on 127.0.0.1 so gd-ir, the AWS CLI or any SDK can be used without an AWS account. 'gd-ir sandbox reset' restores the scenario used by --sandbox runs; 'gd-ir sandbox reset --scenario org' switches --sandbox runs to the multi-account scenario. See docs/sandbox.md.",
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
    scenario: opt.value(
      '--scenario <name>',
      'scenario to serve (default: the one --sandbox runs use, else workshop; org: a GuardDuty administrator and two member accounts)',
      parseScenario,
      { choices: SANDBOX_SCENARIOS, env: 'GD_IR_SANDBOX_SCENARIO' },
    ),
    latency: opt.withDefault('--latency <ms>', 'delay added to every response (e.g. 100ms), to imitate a real network', '0', parseLatency, { defaultValue: undefined }),
    faultRate: opt.withDefault('--fault-rate <p>', 'probability (0–1) of a transient fault per request: 500, 503, throttle, connection reset', '0', parseFaultRate, { defaultValue: undefined }),
    faultSeed: opt.withDefault('--fault-seed <n>', 'seed for the fault sequence (same seed, same faults)', '1', (v) => parseInteger(v, 'fault seed', 0, 2 ** 31), { defaultValue: undefined }),
    deny: opt.list('--deny <service:operation>', 'force AccessDenied for an operation, e.g. IAM:ListGroupsForUser (repeatable)', parseDeny),
    rateLimit,
    noRateLimit: opt.negatable('--no-rate-limit', 'turn the CloudTrail rate limit off'),
    state: opt.value('--state <file>', 'persist state (key statuses, policies, archived findings) in this file; default: the --sandbox state'),
    logRequests: opt.flag('--log-requests', 'print one line per request on stderr'),
  },
  examples: [
    { command: 'gd-ir sandbox', description: 'serve the workshop on http://127.0.0.1:4566 and print the export lines' },
    { command: 'gd-ir sandbox --port 0 --latency 100ms --fault-rate 0.2', description: 'a slow, flaky AWS on any free port' },
    { command: 'gd-ir sandbox --scenario org --port 0', description: 'serve the multi-account scenario (an administrator and two members) on any free port' },
  ],
  usesAws: false,
});

export type SandboxInput = InputOf<typeof sandbox>;

export const sandboxReset = declareCommand({
  path: ['sandbox', 'reset'],
  summary: 'restore the scenario used by --sandbox runs (reactivate keys, unarchive findings, drop created tables); --scenario switches to another',
  description:
    '--sandbox runs use GD_IR_SANDBOX_SCENARIO, else the scenario last chosen here with --scenario, else the workshop. Each scenario keeps its own state. See docs/commands/sandbox.md.',
  options: {
    scenario: opt.value('--scenario <name>', 'restore this scenario and make --sandbox runs use it from now on (org: a GuardDuty administrator and two member accounts)', parseScenario, {
      choices: SANDBOX_SCENARIOS,
    }),
  },
  examples: [
    { command: 'gd-ir sandbox reset', description: 'forget every change --sandbox runs made' },
    { command: 'gd-ir sandbox reset --scenario org', description: 'switch --sandbox runs to the multi-account scenario' },
    { command: 'gd-ir sandbox reset --scenario workshop --json', description: 'back to the workshop, saying which state file was removed' },
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
