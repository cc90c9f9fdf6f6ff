/** `gd-ir investigate`: declaration. Handler: src/commands/investigate.ts. */
import { UsageError } from '../../core/errors.js';
import { parseFindingId } from '../../core/validate.js';
import { declareCommand, optionalArg, type InputOf } from '../command-spec.js';
import { opt } from '../options.js';
import { checkTrailSourceOptions, shared, trailSourceOptions } from '../shared-options.js';

export const investigate = declareCommand({
  path: ['investigate'],
  summary: 'from a finding to a decision: what the principal did, what it can do, what breaks, what to run now',
  description:
    'Reads the finding, then gathers at once the CloudTrail trail (as trail --finding, derived credentials followed; from event history, or from --logs), the permissions (as policies), the user\'s access keys with last use, and other open findings about the principal. ' +
    "A member account's finding (a GuardDuty administrator's view) is read in that account through the read role (--read-role, GD_IR_READ_ROLE or the configuration file); --write-role is carried into the containment commands. Reports, in order: verdict, the finding, data source, activity (malicious window vs earlier use), permissions (used vs granted), blast radius, and the exact containment commands. A part that cannot be read becomes a warning; the rest stands. See docs/commands/investigate.md.",
  args: { findingId: optionalArg('[findingId]', 'the finding ID (32 lowercase hexadecimal characters); omit with --from-file', parseFindingId) },
  options: {
    fromFile: shared.fromFile("read the finding from a file or '-' (stdin): an exported finding, a GetFindings response or an EventBridge event"),
    detectorId: shared.detectorId(),
    report: opt.value('--report <file>', 'also write the report as Markdown to this file (for a ticket); refuses to overwrite without --force', (v) => {
      if (v.trim() === '') throw new UsageError('--report needs a file name, e.g. --report incident.md');
      return v;
    }),
    force: opt.flag('--force', 'let --report replace an existing file'),
    strict: opt.flag('--strict', 'exit 1 when any part of the report could not be gathered (default: warn and exit 0)'),
    follow: opt.negatable('--no-follow', 'do not look up the activity of temporary credentials minted by the key'),
    maxEvents: shared.maxEvents('cap on CloudTrail events fetched', 100_000),
    rate: shared.rate(),
    ...trailSourceOptions(),
    ...shared.writeAccess(),
  },
  check: ({ args, options: o }) => {
    if (args.findingId !== undefined && o.fromFile !== undefined) throw new UsageError('give either a finding ID or --from-file, not both');
    if (args.findingId === undefined && o.fromFile === undefined) {
      throw new UsageError('missing finding ID', { remedy: 'gd-ir investigate <findingId> (gd-ir findings list shows the IDs), or --from-file <path|-> for an exported finding' });
    }
    checkTrailSourceOptions(o);
  },
  examples: [
    { command: 'gd-ir investigate 0ac1e1b4c6f24d27a1c1d2e3f4a5b6c7', description: 'the full report for a finding in the configured region' },
    { command: 'gd-ir investigate 0ac1e1b4c6f24d27a1c1d2e3f4a5b6c7 --logs athena:cloudtrail.org_logs --report incident-4711.md', description: 'the trail from Athena over the organisation trail, report as Markdown for the ticket' },
    { command: "gd-ir investigate 0ac1e1b4c6f24d27a1c1d2e3f4a5b6c7 --json | jq '.recommendation.commands[]'", description: 'just the containment commands' },
    { command: 'gd-ir investigate a1b2c3d4e5f60718293a4b5c6d7e8f90 --read-role gd-ir-read --write-role gd-ir-write', description: "a member account's finding, read through its gd-ir-read role (the commands carry both roles)" },
  ],
  usesAws: true,
});

export type InvestigateInput = InputOf<typeof investigate>;
