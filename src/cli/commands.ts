/**
 * The command table: one entry per verb, in the order `gd-ir --help` lists them. Each entry's
 * implementation lives in src/commands/ and is imported only when that command runs.
 */
import type { CommandSpec, GroupSpec } from './command-spec.js';

export const GROUPS: readonly GroupSpec[] = [];

export const COMMANDS: readonly CommandSpec[] = [
  {
    path: ['sandbox'],
    summary: 'run the local AWS-compatible sandbox (GuardDuty, CloudTrail, IAM, STS) that replays the workshop',
    description:
      "Serves the workshop scenario on 127.0.0.1 so gd-ir, the AWS CLI or any SDK can be used without an AWS account. 'gd-ir sandbox reset' restores the scenario used by --sandbox runs. See docs/sandbox.md.",
    args: [{ name: '[action]', description: "'reset' to restore the scenario for --sandbox runs" }],
    options: [
      { flags: '--port <n>', description: 'port to listen on (0 = any free port)', defaultValue: '4566' },
      { flags: '--host <address>', description: 'loopback address to listen on', defaultValue: '127.0.0.1' },
      { flags: '--scenario <name>', description: 'scenario to serve', choices: ['workshop', 'large'], defaultValue: 'workshop' },
      { flags: '--latency <ms>', description: 'delay added to every response (e.g. 100ms), to imitate a real network' },
      { flags: '--fault-rate <p>', description: 'probability (0–1) of a transient fault per request: 500, 503, throttle, connection reset' },
      { flags: '--fault-seed <n>', description: 'seed for the fault sequence (same seed, same faults)' },
      { flags: '--deny <service:operation>', description: 'force AccessDenied for an operation, e.g. IAM:ListGroupsForUser (repeatable)', repeatable: true },
      { flags: '--rate-limit <n>', description: 'CloudTrail LookupEvents requests/second per region (AWS: 2)' },
      { flags: '--no-rate-limit', description: 'turn the CloudTrail rate limit off' },
      { flags: '--state <file>', description: 'persist state (key statuses, policies, archived findings) in this file; default: the --sandbox state' },
      { flags: '--log-requests', description: 'print one line per request on stderr' },
    ],
    examples: [
      { command: 'gd-ir sandbox', description: 'serve the workshop on http://127.0.0.1:4566 and print the export lines' },
      { command: 'gd-ir sandbox --port 0 --latency 100ms --fault-rate 0.2', description: 'a slow, flaky AWS on any free port' },
      { command: 'gd-ir sandbox --deny IAM:ListGroupsForUser --log-requests', description: 'rehearse partial permissions and watch the calls' },
      { command: 'gd-ir sandbox reset', description: 'restore the scenario (reactivate keys, unarchive findings) for --sandbox runs' },
    ],
    usesAws: false,
    load: () => import('../commands/sandbox.js'),
  },
];
