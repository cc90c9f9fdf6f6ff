/** `gd-ir audit`: declaration. Handler: src/commands/audit.ts. */
import { UsageError } from '../../core/errors.js';
import { sanitize } from '../../core/sanitize.js';
import { declareCommand, type InputOf } from '../command-spec.js';
import { opt } from '../options.js';
import { shared } from '../shared-options.js';

export const audit = declareCommand({
  path: ['audit'],
  summary: 'list the audit log: every remediation and containment plan step, intents, outcomes, and changes a stopped process left unfinished',
  description:
    'Pairs every intent record with its outcome, shows containment plans (gd-ir contain) with their steps grouped in order, and reports intents without an outcome (the process stopped mid-change) with the command that reconciles them. See docs/commands/audit.md.',
  options: {
    key: shared.key('only operations on this access key (a plan step that acts on no key names the incident\'s key)'),
    plan: opt.value('--plan <planId>', 'only the steps of this containment plan', (v) => {
      if (!/^[0-9a-f]{12}$/.test(v)) throw new UsageError(`invalid --plan '${sanitize(v, { maxLength: 40 })}': expected a plan ID of 12 hexadecimal characters`);
      return v;
    }),
    auditLog: shared.auditLog(),
  },
  examples: [
    { command: 'gd-ir audit', description: 'every remediation recorded on this machine' },
    { command: 'gd-ir audit --key AKIAIOSFODNN7EXAMPLE', description: 'the history of one key' },
    { command: 'gd-ir audit --plan 3f9c2a7d41be', description: 'the steps of one containment plan, in order' },
    { command: "gd-ir audit --json | jq '.dangling'", description: 'changes a stopped process left without an outcome' },
  ],
  usesAws: false,
});

export type AuditInput = InputOf<typeof audit>;
