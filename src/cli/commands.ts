/**
 * The command table: one entry per verb, in the order `gd-ir --help` lists them. Each entry's
 * implementation lives in src/commands/ and is imported only when that command runs.
 */
import type { CommandSpec, GroupSpec } from './command-spec.js';

export const GROUPS: readonly GroupSpec[] = [
  { path: ['findings'], summary: 'list GuardDuty findings and read one in full (online or from a file)' },
];

export const COMMANDS: readonly CommandSpec[] = [
  {
    path: ['demo'],
    summary: 'start here: the workshop incident on the built-in sandbox, in the triage console (no AWS account needed)',
    description:
      'Restores the sandbox scenario (a leaked IAM user key used from a threat-listed IP), says in three lines what happened, and opens the triage console on it. ' +
      'Without a terminal it prints a walkthrough instead: the findings, the investigation of the custom-threat-list finding, and the commands that contain it. ' +
      'Changes made in the demo persist for later `gd-ir --sandbox …` commands until the next `gd-ir demo` or `gd-ir sandbox reset`. See docs/commands/demo.md.',
    examples: [
      { command: 'gd-ir demo', description: 'open the console on the workshop scenario (npm run demo does the same)' },
      { command: 'gd-ir demo | less -R', description: 'read the non-interactive walkthrough' },
      { command: 'gd-ir --sandbox investigate 0ac1e1b4c6f24d27a1c1d2e3f4a5b6c7', description: 'after the demo: the same sandbox, one command at a time' },
    ],
    usesAws: true,
    forceSandbox: 'fresh',
    load: () => import('../commands/demo.js'),
  },
  {
    path: ['triage'],
    summary: 'the interactive console: pick a finding, read the investigation, contain it (also `gd-ir` alone on a terminal)',
    description:
      'Opens the triage console: a one-line header (account, region, caller, detector, counts by severity), a searchable list of findings (most severe and newest first), ' +
      'then for the finding you pick the investigation report in sections and an action menu: the full CloudTrail timeline, policy documents, deactivate the access key, revoke sessions, ' +
      'export a Markdown report, archive the finding, and the commands that repeat or undo what you did. Esc or Ctrl-C goes back one level; at the list it quits. ' +
      'Needs a terminal: scripts use the subcommands. See docs/commands/triage.md.',
    options: [{ flags: '--all', description: 'include archived findings in the list (toggle it in the console too)' }],
    examples: [
      { command: 'gd-ir', description: 'on a terminal, with no arguments: open the console for the current profile and region' },
      { command: 'gd-ir triage --region us-east-1 --profile security-audit', description: 'triage another region with the audit profile' },
      { command: 'gd-ir --sandbox triage', description: 'the console on the local sandbox, keeping what earlier --sandbox runs changed' },
    ],
    usesAws: true,
    load: () => import('../commands/triage.js'),
  },
  {
    path: ['findings', 'list'],
    summary: 'list GuardDuty findings: severity, type, principal or resource, remote IP, last seen, ID',
    description:
      "Finds the region's detector, asks GuardDuty for the findings matching the filters (the filtering happens in GuardDuty, not here) and prints them most severe first, then most recently seen. --from-file reads a saved GetFindings response, finding or EventBridge event instead and filters locally. See docs/commands/findings.md.",
    options: [
      { flags: '--severity <level>', description: 'that level and above: low, medium, high or critical' },
      { flags: '--min-severity <n>', description: 'numeric severity floor, 0–10 (e.g. 5 or 7.5)' },
      { flags: '--type <type>', description: 'exact type, or a prefix ending in : or / such as UnauthorizedAccess:IAMUser/ (repeatable)', repeatable: true },
      { flags: '--user <name>', description: 'findings about this IAM user (resource.accessKeyDetails.userName)' },
      { flags: '--key <accessKeyId>', description: 'findings about this access key (AKIA… or ASIA…)' },
      { flags: '--since <time>', description: 'updated since: a duration before now (24h, 7d) or an ISO date/time' },
      { flags: '--archived', description: 'only archived findings (default: only unarchived)' },
      { flags: '--all', description: 'archived and unarchived findings' },
      { flags: '--limit <n>', description: 'stop after n findings, 1–10000 (default 50)' },
      { flags: '--all-pages', description: 'fetch every matching finding (no limit)' },
      { flags: '--sort <key>', description: 'order by severity (then last seen), updated or count', choices: ['severity', 'updated', 'count'], defaultValue: 'severity' },
      { flags: '--regions <list>', description: "comma-separated regions, or 'all' GuardDuty regions, listed in parallel (adds a REGION column)" },
      { flags: '--detector-id <id>', description: 'use this detector instead of looking it up (ListDetectors)' },
      { flags: '--from-file <path>', description: "read findings from a file or '-' (stdin) instead of AWS; filters apply locally" },
    ],
    examples: [
      { command: 'gd-ir findings list --severity medium --type UnauthorizedAccess:IAMUser/', description: 'unauthorised IAM access findings of medium severity and above' },
      { command: 'gd-ir findings list --key AKIAIOSFODNN7EXAMPLE --since 7d --all', description: 'every finding about one key in the last week, archived ones too' },
      { command: "gd-ir findings list --regions all --all-pages --json | jq -r '.[] | select(.severity >= 7) | .id'", description: 'IDs of every high-severity finding in every region' },
      { command: 'gd-ir findings list --from-file event.json', description: 'the finding of an EventBridge / SNS e-mail, without AWS' },
    ],
    usesAws: true,
    load: () => import('../commands/findings/list.js'),
  },
  {
    path: ['findings', 'show'],
    summary: 'read one finding in full: what happened, resource, API call, actor, threat list, data source, next steps',
    description:
      'Fetches one finding (GetFindings) and lays it out in the order of the GuardDuty console, denser, ending with the commands to run next. --json adds the untouched GuardDuty object under "raw". See docs/commands/findings.md.',
    args: [{ name: '[findingId]', description: 'the finding ID (32 lowercase hexadecimal characters); optional with --from-file when the file holds one finding' }],
    options: [
      { flags: '--detector-id <id>', description: 'use this detector instead of looking it up (ListDetectors)' },
      { flags: '--from-file <path>', description: "read the finding from a file or '-' (stdin) instead of AWS" },
    ],
    examples: [
      { command: 'gd-ir findings show 0ac1e1b4c6f24d27a1c1d2e3f4a5b6c7', description: 'the finding in the configured region' },
      { command: 'gd-ir findings show e84f6f384a7085068f4f506172839405 --region us-east-1 --json | jq .actor', description: 'where the caller came from, as JSON' },
      { command: 'aws guardduty get-findings --detector-id … --finding-ids … | gd-ir findings show --from-file -', description: 'read an AWS CLI response offline' },
    ],
    usesAws: true,
    load: () => import('../commands/findings/show.js'),
  },
  {
    path: ['investigate'],
    summary: 'from a finding to a decision: what the principal did, what it can do, what breaks, what to run now',
    description:
      'Reads the finding, then gathers at once the CloudTrail trail (as trail --finding, derived credentials followed), the permissions (as policies), the user\'s access keys with last use, and other open findings about the principal. Reports, in order: verdict, the finding, data source, activity (malicious window vs earlier use), permissions (used vs granted), blast radius, and the exact containment commands. A part that cannot be read becomes a warning; the rest stands. See docs/commands/investigate.md.',
    args: [{ name: '[findingId]', description: 'the finding ID (32 lowercase hexadecimal characters); omit with --from-file' }],
    options: [
      { flags: '--from-file <path>', description: "read the finding from a file or '-' (stdin): an exported finding, a GetFindings response or an EventBridge event" },
      { flags: '--detector-id <id>', description: 'use this detector instead of looking it up (ListDetectors)' },
      { flags: '--report <file>', description: 'also write the report as Markdown to this file (for a ticket); refuses to overwrite without --force' },
      { flags: '--force', description: 'let --report replace an existing file' },
      { flags: '--strict', description: 'exit 1 when any part of the report could not be gathered (default: warn and exit 0)' },
      { flags: '--no-follow', description: 'do not look up the activity of temporary credentials minted by the key' },
      { flags: '--max-events <n>', description: 'cap on CloudTrail events fetched', defaultValue: '10000' },
      { flags: '--rate <n>', description: 'LookupEvents requests per second per region (AWS allows 2)', defaultValue: '2' },
    ],
    examples: [
      { command: 'gd-ir investigate 0ac1e1b4c6f24d27a1c1d2e3f4a5b6c7', description: 'the full report for a finding in the configured region' },
      { command: 'gd-ir investigate 0ac1e1b4c6f24d27a1c1d2e3f4a5b6c7 --report incident-4711.md', description: 'the same report as Markdown for the ticket' },
      { command: "gd-ir investigate 0ac1e1b4c6f24d27a1c1d2e3f4a5b6c7 --json | jq '.recommendation.commands[]'", description: 'just the containment commands' },
      { command: 'gd-ir investigate --from-file guardduty-event.json --sandbox', description: 'investigate the finding of an EventBridge e-mail' },
    ],
    usesAws: true,
    load: () => import('../commands/investigate.js'),
  },
  {
    path: ['trail'],
    summary: "a principal's CloudTrail history at the API's speed limit, summarised for an analyst",
    description:
      "Reads CloudTrail's 90-day event history (LookupEvents) for an access key, a user or a finding's principal in every region asked for, in parallel at 2 requests/s per region, without throttling errors. " +
      'Summarises what the principal did (classified as reconnaissance, credential access, persistence, privilege escalation, defense evasion, exfiltration/impact), from which IPs and user agents, what failed, and which temporary credentials it minted, then prints the timeline. See docs/commands/trail.md.',
    options: [
      { flags: '--key <accessKeyId>', description: 'the access key (AKIA… or ASIA…) whose calls to read (lookup by AccessKeyId)' },
      { flags: '--user <name>', description: "the IAM user whose calls to read (lookup by Username; with --key, only names the principal)" },
      { flags: '--finding <findingId>', description: "take key, user, window (first seen − 24 h … last seen + 1 h) and regions from this GuardDuty finding" },
      { flags: '--detector-id <id>', description: 'GuardDuty detector of --finding (default: the region\'s detector)' },
      { flags: '--since <time>', description: 'window start: a duration before now (24h, 7d) or an ISO-8601 date/time (default 24h before --until)' },
      { flags: '--until <time>', description: 'window end: a duration before now or an ISO-8601 date/time (default now)' },
      { flags: '--regions <list>', description: 'comma-separated regions, or all (default: the current region and us-east-1, where IAM/STS events are)' },
      { flags: '--event <name>', description: 'only events with this name (repeatable, case-insensitive)', repeatable: true },
      { flags: '--source <service>', description: 'only events from this service (iam, ssm, s3.amazonaws.com…)' },
      { flags: '--ip <address>', description: 'only events from this source IP' },
      { flags: '--errors-only', description: 'only failed calls (errorCode set)' },
      { flags: '--read-only', description: 'only read-only calls' },
      { flags: '--write-only', description: 'only calls that change something' },
      { flags: '--follow', description: 'also read the activity of temporary credentials the key minted (GetSessionToken, AssumeRole, GetFederationToken)' },
      { flags: '--max-events <n>', description: 'stop after this many events (then warns and sets truncated)', defaultValue: '10000' },
      { flags: '--rate <n>', description: 'LookupEvents requests per second per region (AWS allows 2)', defaultValue: '2' },
      { flags: '--oldest-first', description: 'print the timeline oldest first (default newest first)' },
      { flags: '--jsonl', description: 'stream one JSON event per line as they arrive (nothing else on stdout)' },
      { flags: '--raw', description: 'with --json/--jsonl, add the raw LookupEvents record to each event' },
    ],
    examples: [
      { command: 'gd-ir trail --finding 0ac1e1b4c6f24d27a1c1d2e3f4a5b6c7 --follow', description: "everything the finding's key did around the finding, plus its derived session keys" },
      { command: 'gd-ir trail --key AKIAIOSFODNN7EXAMPLE --since 7d --regions all', description: 'a week of one key in every region' },
      { command: 'gd-ir trail --user GuardDuty-Example-Compromised-Simulated --errors-only --oldest-first', description: "the user's failed calls in the last 24 hours, in order" },
      { command: "gd-ir trail --key AKIAIOSFODNN7EXAMPLE --json | jq '.summary.sourceIps'", description: 'which IPs used the key, how often, first and last' },
    ],
    usesAws: true,
    load: () => import('../commands/trail.js'),
  },
  {
    path: ['policies'],
    summary: "what an IAM user or role can do: every policy, decoded, with admin access and high-risk capabilities flagged",
    description:
      'Reads the attached managed policies, inline policies, group policies and the permissions boundary (or a role and its trust policy), expands wildcards against the AWS action catalogue and flags administrator-equivalent access and high-risk capabilities (privilege escalation, persistence, credential and secret access, data access, defense evasion) with the statement granting each. Conditions are reported, not evaluated. See docs/commands/policies.md.',
    args: [{ name: '[userName]', description: 'the IAM user (same as --user)' }],
    options: [
      { flags: '--user <name>', description: 'the IAM user' },
      { flags: '--role <name>', description: 'the IAM role (its trust policy is shown too)' },
      { flags: '--key <accessKeyId>', description: "the user owning this access key (AKIA…), looked up with GetAccessKeyLastUsed" },
      { flags: '--documents', description: 'also print every policy document (pretty-printed)' },
    ],
    examples: [
      { command: 'gd-ir policies GuardDuty-Example-Compromised-Simulated', description: 'what the compromised user can do, and what of it is dangerous' },
      { command: 'gd-ir policies --key AKIAIOSFODNN7EXAMPLE --documents', description: "the key owner's policies, with every document" },
      { command: 'gd-ir policies --role GuardDuty-Example-EC2-Compromised-Role', description: "a role's policies and who can assume it" },
      { command: "gd-ir policies dev-alice --json | jq '.analysis.risks[] | {capability, policy}'", description: 'the high-risk capabilities and the policy granting each' },
    ],
    usesAws: true,
    load: () => import('../commands/policies.js'),
  },
  {
    path: ['remediate'],
    summary: 'contain a compromised access key: deactivate it (and revoke its sessions), verified, audited and reversible',
    description:
      'Shows the caller, the key, its user and the other keys, says exactly what will change and how to undo it, asks you to type the key ID, then acts, reads the result back and records intent and outcome in the audit log. See docs/commands/remediate.md and docs/permissions.md.',
    options: [
      { flags: '--key <accessKeyId>', description: 'the access key to contain (AKIA… long-term, or ASIA… with --revoke-sessions)' },
      { flags: '--finding <findingId>', description: 'take the key and user from this GuardDuty finding (in --region)' },
      { flags: '--user <name>', description: "the key's user (default: looked up with GetAccessKeyLastUsed); required for ASIA keys" },
      { flags: '--revoke-sessions', description: 'also attach the inline policy gd-ir-revoke-older-sessions: deny temporary credentials issued before now' },
      { flags: '--reactivate', description: 'undo: make the key Active again' },
      { flags: '--restore-sessions', description: 'undo: remove the gd-ir-revoke-older-sessions policy (that policy only)' },
      { flags: '--dry-run', description: 'do every read and check and print the plan; change nothing' },
      { flags: '-y, --yes', description: 'do not ask for confirmation (required when not interactive)' },
      { flags: '--force', description: 'allow deactivating the key you are signed in with' },
      { flags: '--audit-log <path>', description: 'audit log file, JSON Lines (default: $XDG_STATE_HOME/gd-ir/audit.jsonl; with --sandbox, gd-ir/sandbox/audit.jsonl)', env: 'GD_IR_AUDIT_LOG' },
    ],
    examples: [
      { command: 'gd-ir remediate --key AKIAIOSFODNN7EXAMPLE --dry-run', description: 'show who owns the key, its last use and what would change' },
      { command: 'gd-ir remediate --key AKIAIOSFODNN7EXAMPLE --revoke-sessions', description: 'deactivate the key and end sessions minted from it (asks you to type the key ID)' },
      { command: 'gd-ir remediate --finding 0ac1e1b4c6f24d27a1c1d2e3f4a5b6c7 --yes --json', description: 'contain the key in a finding without a prompt; JSON result' },
      { command: 'gd-ir remediate --key AKIAIOSFODNN7EXAMPLE --reactivate --restore-sessions', description: 'undo both' },
    ],
    usesAws: true,
    load: () => import('../commands/remediate.js'),
  },
  {
    path: ['audit'],
    summary: 'list the remediation audit log: intents, outcomes, and changes a stopped process left unfinished',
    description:
      'Pairs every intent record with its outcome and reports intents without an outcome (the process stopped mid-change) with the command that reconciles them. See docs/commands/audit.md.',
    options: [
      { flags: '--key <accessKeyId>', description: 'only operations on this access key' },
      { flags: '--audit-log <path>', description: 'audit log file, JSON Lines (default: $XDG_STATE_HOME/gd-ir/audit.jsonl; with --sandbox, gd-ir/sandbox/audit.jsonl)', env: 'GD_IR_AUDIT_LOG' },
    ],
    examples: [
      { command: 'gd-ir audit', description: 'every remediation recorded on this machine' },
      { command: 'gd-ir audit --key AKIAIOSFODNN7EXAMPLE', description: 'the history of one key' },
      { command: "gd-ir audit --json | jq '.dangling'", description: 'changes a stopped process left without an outcome' },
    ],
    usesAws: false,
    load: () => import('../commands/audit.js'),
  },
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
