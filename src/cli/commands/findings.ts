/** `gd-ir findings list` and `gd-ir findings show`: declarations. Handlers: src/commands/findings/. */
import { UsageError } from '../../core/errors.js';
import { checkListSelection, MAX_LIMIT, parseFindingSort } from '../../core/finding-selection.js';
import { FINDING_SORTS } from '../../core/finding/model.js';
import { parseFindingId, parseInteger, parseSeverityLevel, parseSeverityNumber } from '../../core/validate.js';
import { declareCommand, optionalArg, type InputOf } from '../command-spec.js';
import { opt } from '../options.js';
import { shared } from '../shared-options.js';

export const findingsGroup = { path: ['findings'], summary: 'list GuardDuty findings and read one in full (online or from a file)' };

export const findingsList = declareCommand({
  path: ['findings', 'list'],
  summary: 'list GuardDuty findings: severity, type, principal or resource, remote IP, last seen, ID',
  description:
    "Finds the region's detector, asks GuardDuty for the findings matching the filters (the filtering happens in GuardDuty, not here) and prints them most severe first, then most recently seen. --from-file reads a saved GetFindings response, finding or EventBridge event instead and filters locally. See docs/commands/findings.md.",
  options: {
    severity: opt.value('--severity <level>', 'that level and above: low, medium, high or critical', parseSeverityLevel),
    minSeverity: opt.value('--min-severity <n>', 'numeric severity floor, 0–10 (e.g. 5 or 7.5)', parseSeverityNumber),
    type: opt.list('--type <type>', "exact type, or a prefix ending in : or / such as UnauthorizedAccess:IAMUser/: every type the detector holds that starts with it (repeatable)"),
    user: shared.user('findings about this IAM user (resource.accessKeyDetails.userName)'),
    key: shared.key('findings about this access key (AKIA… or ASIA…)'),
    since: shared.since('updated since: a duration before now (24h, 7d) or an ISO date/time'),
    archived: opt.flag('--archived', 'only archived findings (default: only unarchived)'),
    all: opt.flag('--all', 'archived and unarchived findings'),
    limit: opt.value('--limit <n>', 'stop after n findings, 1–10000 (default 50)', (v) => parseInteger(v, '--limit', 1, MAX_LIMIT)),
    allPages: opt.flag('--all-pages', 'fetch every matching finding (no limit)'),
    sort: opt.withDefault('--sort <key>', 'order by severity (then last seen), updated or count', 'severity', parseFindingSort, { choices: FINDING_SORTS }),
    regions: shared.regions("comma-separated regions, or 'all' GuardDuty regions, listed in parallel (adds a REGION column)"),
    detectorId: shared.detectorId(),
    fromFile: shared.fromFile("read findings from a file or '-' (stdin) instead of AWS; filters apply locally"),
    account: shared.accounts("only findings of this account (repeatable): a GuardDuty administrator sees its members' findings (adds an ACCOUNT column when they span several)"),
  },
  check: ({ options: o }) => {
    checkListSelection(o);
    if (o.fromFile !== undefined && (o.regions !== undefined || o.detectorId !== undefined)) {
      throw new UsageError('--from-file reads findings without AWS: --regions and --detector-id do not apply');
    }
    if (o.detectorId !== undefined && o.regions !== undefined && (o.regions === 'all' || o.regions.length > 1)) {
      throw new UsageError('--detector-id names the detector of one region: use it with --region, not with several --regions');
    }
  },
  examples: [
    { command: 'gd-ir findings list --severity medium --type UnauthorizedAccess:IAMUser/', description: 'unauthorised IAM access findings of medium severity and above' },
    { command: "gd-ir findings list --regions all --all-pages --json | jq -r '.[] | select(.severity >= 7) | .id'", description: 'IDs of every high-severity finding in every region' },
    { command: 'gd-ir findings list --from-file event.json', description: 'the finding of an EventBridge / SNS e-mail, without AWS' },
    { command: 'gd-ir findings list --account 444455556666 --account 777788889999', description: 'as the GuardDuty administrator, only the findings of two member accounts' },
  ],
  usesAws: true,
});

export type FindingsListInput = InputOf<typeof findingsList>;

export const findingsShow = declareCommand({
  path: ['findings', 'show'],
  summary: 'read one finding in full: what happened, resource, API call, actor, threat list, data source, next steps',
  description:
    'Fetches one finding (GetFindings) and lays it out in the order of the GuardDuty console, denser, ending with the commands to run next. Names the finding\'s account and, for a member account, the role or profile gd-ir would reach it with (--read-role, --write-role, the environment or the configuration file). --json adds the untouched GuardDuty object under "raw". See docs/commands/findings.md.',
  args: {
    findingId: optionalArg('[findingId]', 'the finding ID (32 lowercase hexadecimal characters); optional with --from-file when the file holds one finding', parseFindingId),
  },
  options: {
    detectorId: shared.detectorId(),
    fromFile: shared.fromFile("read the finding from a file or '-' (stdin) instead of AWS"),
    readRole: shared.writeAccess().readRole,
    writeRole: shared.writeAccess().writeRole,
  },
  check: ({ args, options: o }) => {
    if (args.findingId === undefined && o.fromFile === undefined) {
      throw new UsageError('missing finding ID: gd-ir findings show <findingId> (32 lowercase hexadecimal characters), or --from-file <path|->');
    }
    if (o.fromFile !== undefined && o.detectorId !== undefined) throw new UsageError('--from-file reads the finding without AWS: --detector-id does not apply');
    if (o.fromFile !== undefined && (o.readRole !== undefined || o.writeRole !== undefined)) {
      throw new UsageError('--from-file reads the finding without AWS: --read-role and --write-role do not apply');
    }
  },
  examples: [
    { command: 'gd-ir findings show 0ac1e1b4c6f24d27a1c1d2e3f4a5b6c7', description: 'the finding in the configured region' },
    { command: 'gd-ir findings show e84f6f384a7085068f4f506172839405 --region us-east-1 --json | jq .actor', description: 'where the caller came from, as JSON' },
    { command: 'aws guardduty get-findings --detector-id … --finding-ids … | gd-ir findings show --from-file -', description: 'read an AWS CLI response offline' },
    { command: 'gd-ir findings show a1b2c3d4e5f60718293a4b5c6d7e8f90 --read-role gd-ir-read', description: "a member account's finding: which account, and the role gd-ir would read it with" },
  ],
  usesAws: true,
});

export type FindingsShowInput = InputOf<typeof findingsShow>;
