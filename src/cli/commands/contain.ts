/** `gd-ir contain`: declaration. Handler: src/commands/contain.ts; the flow: src/flows/containment/. */
import { UsageError } from '../../core/errors.js';
import { sanitize } from '../../core/sanitize.js';
import { parseFindingId } from '../../core/validate.js';
import { declareCommand, optionalArg, type InputOf } from '../command-spec.js';
import { opt } from '../options.js';
import { shared } from '../shared-options.js';

/** `--steps 1,3,4` or `--steps 2-5,7`: step numbers, each at most 99. */
export function parseStepList(value: string): number[] {
  const out = new Set<number>();
  for (const part of value.split(',')) {
    const m = /^\s*(\d{1,2})(?:\s*-\s*(\d{1,2}))?\s*$/.exec(part);
    const from = m ? Number(m[1]) : NaN;
    const to = m?.[2] !== undefined ? Number(m[2]) : from;
    if (!m || from < 1 || to < from) throw new UsageError(`invalid --steps '${sanitize(value, { maxLength: 60 })}': expected step numbers such as 1,3,4 or 2-5`);
    for (let n = from; n <= to; n++) out.add(n);
  }
  return [...out].sort((a, b) => a - b);
}

function parsePlanId(value: string): string {
  if (!/^[0-9a-f]{12}$/.test(value)) throw new UsageError(`invalid --undo '${sanitize(value, { maxLength: 40 })}': expected a plan ID of 12 hexadecimal characters (gd-ir audit lists them)`);
  return value;
}

export const contain = declareCommand({
  path: ['contain'],
  summary: 'contain a whole incident as one plan: every key the attacker made, what it granted, what it stopped — verified, audited, reversible',
  description:
    "Investigates the finding's principal and every credential it minted or created, reads back what the attacker changed, and plans the containment in numbered steps: deactivate the finding's key, revoke its older sessions, deactivate every key the attacker created, delete the console passwords it set, detach the policies it attached, remove the outside principals it added to role trust, set policy default versions back, start the trails it stopped (and, with --quarantine, attach AWS's quarantine policy). Each step shows its exact API call, what it breaks and how to undo it; users, roles, functions and instances are never deleted (manual steps say why). You choose the steps, type how many, and each is read back and audited; the plan stops at the first step that fails or is not verified. A member account's finding is read through its read role and changed through its write role, checked with GetCallerIdentity before the confirmation; the plan, the confirmation and the audit log name the account, the role and the session. See docs/commands/contain.md and docs/multi-account.md.",
  args: { findingId: optionalArg('[findingId]', 'the finding whose incident to contain (32 lowercase hexadecimal characters)', parseFindingId) },
  options: {
    steps: opt.value('--steps <list>', 'run only these steps of the plan: 1,3,4 or 2-5 (required without a terminal, or --all)', parseStepList),
    all: opt.flag('--all', 'run every step of the plan'),
    quarantine: opt.flag('--quarantine', "also attach AWS's AWSCompromisedKeyQuarantineV4 (or V3) managed policy to the compromised user"),
    undo: opt.value('--undo <planId>', 'reverse the verified, reversible steps of an audited plan, last first', parsePlanId),
    detectorId: shared.detectorId(),
    dryRun: shared.dryRun(),
    yes: shared.yes(),
    force: opt.flag('--force', 'allow a step on the key or the sessions you are signed in with'),
    auditLog: shared.auditLog(),
    account: shared.account("the account the finding (or with --undo, the plan) is in: a check, the finding names it; another account is read through --read-role and changed through --write-role"),
    ...shared.writeAccess(),
  },
  check: ({ args, options: o }) => {
    if (o.undo !== undefined && args.findingId !== undefined) throw new UsageError('give either a finding ID or --undo <planId>, not both');
    if (o.undo === undefined && args.findingId === undefined) {
      throw new UsageError('missing finding ID', { remedy: 'gd-ir contain <findingId> (gd-ir findings list shows the IDs), or gd-ir contain --undo <planId>' });
    }
    if (o.steps !== undefined && o.all) throw new UsageError('--steps and --all exclude each other: pass one of them');
    if (o.undo !== undefined && o.quarantine) throw new UsageError('--quarantine adds a step to a new plan; it does not apply to --undo');
  },
  examples: [
    { command: 'gd-ir contain b0c1d2e3f4a5061728394a5b6c7d8e9f --dry-run', description: 'read everything, print the plan with each call, its undo and what it breaks; change nothing' },
    { command: 'gd-ir contain a1b2c3d4e5f60718293a4b5c6d7e8f90 --write-role gd-ir-write --mfa-serial arn:aws:iam::111122223333:mfa/alice', description: "on a terminal, a member account's incident: tick the steps, give the MFA code, type their number; changed through its write role" },
    { command: 'gd-ir contain b0c1d2e3f4a5061728394a5b6c7d8e9f --all --yes --quarantine --json', description: 'every step without a prompt (scripts), plus AWS\'s quarantine policy; JSON result' },
    { command: 'gd-ir contain --undo 3f9c2a7d41be --yes', description: 'reverse what plan 3f9c2a7d41be changed (gd-ir audit lists the plans)' },
  ],
  usesAws: true,
});

export type ContainInput = InputOf<typeof contain>;
