/** `gd-ir sandbox [reset]`: declaration. Handler: src/commands/sandbox.ts. */
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

const DENY = /^(GuardDuty|CloudTrail|IAM|STS):(\*|[A-Za-z]+)$/;

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
    action: optionalArg('[action]', "'reset' to restore the scenario for --sandbox runs", (v) => {
      if (v !== 'reset') {
        throw new UsageError(`unknown sandbox action '${sanitize(v, { maxLength: 40 })}': expected 'reset', or none to serve`, { remedy: 'gd-ir sandbox reset restores the scenario; gd-ir sandbox serves it' });
      }
      return v;
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
      'scenario to serve (default: the one --sandbox runs use, else workshop); with reset: restore it and make --sandbox runs use it (org: a GuardDuty administrator and two member accounts)',
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
    { command: 'gd-ir sandbox reset', description: 'restore the scenario (reactivate keys, unarchive findings) for --sandbox runs' },
    { command: 'gd-ir sandbox reset --scenario org', description: 'switch --sandbox runs to the multi-account scenario (an administrator and two members)' },
  ],
  usesAws: false,
});

export type SandboxInput = InputOf<typeof sandbox>;
