/** `gd-ir triage` (and `gd-ir` alone on a terminal) and `gd-ir demo`: declarations. Handlers: src/commands/. */
import { declareCommand, type InputOf } from '../command-spec.js';
import { opt } from '../options.js';
import { shared } from '../shared-options.js';

export const demo = declareCommand({
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
});

export type DemoInput = InputOf<typeof demo>;

export const triage = declareCommand({
  path: ['triage'],
  summary: 'the interactive console: pick a finding, read the investigation, contain it (also `gd-ir` alone on a terminal)',
  description:
    'Opens the triage console: a one-line header (account, region, caller, detector, counts by severity), a searchable list of findings (most severe and newest first), ' +
    'then for the finding you pick the investigation report in sections and an action menu: the full CloudTrail timeline, policy documents, deactivate the access key, revoke sessions, ' +
    'export a Markdown report, archive the finding, and the commands that repeat or undo what you did. Esc or Ctrl-C goes back one level; at the list it quits. ' +
    "A member account's finding is read through the read role and contained through the write role (the console says which account it acts in). " +
    'Needs a terminal: scripts use the subcommands. See docs/commands/triage.md.',
  options: {
    all: opt.flag('--all', 'include archived findings in the list (toggle it in the console too)'),
    // A member account's finding is read and contained through these (docs/multi-account.md).
    ...shared.writeAccess(),
  },
  examples: [
    { command: 'gd-ir', description: 'on a terminal, with no arguments: open the console for the current profile and region' },
    { command: 'gd-ir triage --region us-east-1 --profile security-audit', description: 'triage another region with the audit profile' },
    { command: 'gd-ir --sandbox triage', description: 'the console on the local sandbox, keeping what earlier --sandbox runs changed' },
  ],
  usesAws: true,
});

export type TriageInput = InputOf<typeof triage>;
