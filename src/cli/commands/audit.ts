/** `gd-ir audit`: declaration. Handler: src/commands/audit.ts. */
import { declareCommand, type InputOf } from '../command-spec.js';
import { shared } from '../shared-options.js';

export const audit = declareCommand({
  path: ['audit'],
  summary: 'list the remediation audit log: intents, outcomes, and changes a stopped process left unfinished',
  description:
    'Pairs every intent record with its outcome and reports intents without an outcome (the process stopped mid-change) with the command that reconciles them. See docs/commands/audit.md.',
  options: {
    key: shared.key('only operations on this access key'),
    auditLog: shared.auditLog(),
  },
  examples: [
    { command: 'gd-ir audit', description: 'every remediation recorded on this machine' },
    { command: 'gd-ir audit --key AKIAIOSFODNN7EXAMPLE', description: 'the history of one key' },
    { command: "gd-ir audit --json | jq '.dangling'", description: 'changes a stopped process left without an outcome' },
  ],
  usesAws: false,
});

export type AuditInput = InputOf<typeof audit>;
