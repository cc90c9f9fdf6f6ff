/** `gd-ir watch`: declaration. Handler: src/commands/watch.ts; the loop: src/flows/watch/. */
import { UsageError } from '../../core/errors.js';
import { sanitize } from '../../core/sanitize.js';
import { parseDuration } from '../../core/validate.js';
import { declareCommand, type InputOf } from '../command-spec.js';
import { opt } from '../options.js';
import { shared } from '../shared-options.js';

function bounded(name: string, min: number, max: number): (v: string) => number {
  return (v) => {
    const ms = parseDuration(v);
    if (ms < min || ms > max) throw new UsageError(`invalid ${name} '${sanitize(v, { maxLength: 40 })}': expected ${min / 1000}s to ${max / 3_600_000}h`);
    return ms;
  };
}

export const watch = declareCommand({
  path: ['watch'],
  summary: 'does containment hold? follow the contained credentials in CloudTrail and flag any call that still succeeds',
  description:
    "Follows CloudTrail for the finding's key (or a key, or a user), the sessions it minted and every key the attacker created, printing each new event once, at LookupEvents' rate. Any successful call after the containment recorded in the audit log is a containment failure. Watches for --for, then for CloudTrail's delivery delay more (events show up late). A member account's CloudTrail (the finding's, or --account) is read through its read role. Exit 0 when nothing succeeded, 1 when something did, 130 on Ctrl-C (after the summary). See docs/commands/watch.md and docs/multi-account.md.",
  options: {
    finding: shared.finding("watch this finding's principal and everything it minted or created (in --region)"),
    key: shared.key('watch this access key and what it minted or created'),
    user: shared.user('watch every call of this IAM user (lookup by Username)'),
    for: opt.withDefault('--for <duration>', 'how long to watch (then the delivery delay more)', '30m', bounded('--for', 1_000, 24 * 3_600_000)),
    interval: opt.withDefault('--interval <duration>', 'how often to read CloudTrail', '60s', bounded('--interval', 1_000, 3_600_000)),
    deliveryDelay: opt.value('--delivery-delay <duration>', "how long CloudTrail may take to show an event (default: 5m, CloudTrail's documented average; the sandbox's own with --sandbox)", (v) => (v.trim() === '0' ? 0 : bounded('--delivery-delay', 1_000, 3_600_000)(v))),
    regions: shared.regions("comma-separated regions, or all (default: the finding's or current region and us-east-1)"),
    detectorId: shared.detectorId("GuardDuty detector of --finding (default: the region's detector)"),
    auditLog: shared.auditLog(),
    account: shared.account("the account whose CloudTrail to watch (default: the finding's with --finding, else yours); another account is read through --read-role"),
    ...shared.readAccess(),
  },
  check: ({ options: o }) => {
    const given = [o.finding, o.key, o.user].filter((x) => x !== undefined).length;
    if (given === 0) throw new UsageError('say what to watch: --finding <findingId>, --key <accessKeyId> or --user <userName>');
    if (given > 1) throw new UsageError('give one of --finding, --key and --user');
  },
  examples: [
    { command: 'gd-ir watch --finding b0c1d2e3f4a5061728394a5b6c7d8e9f', description: 'after gd-ir contain: 30 minutes (+5 for delivery) of the whole incident, any success flagged' },
    { command: 'gd-ir watch --key AKIAIOSFODNN7EXAMPLE --for 2h --interval 5m', description: 'a key and what it minted or created, for two hours' },
    { command: 'gd-ir watch --key AKIAPRODCIDEPLOYER01 --account 444455556666 --read-role gd-ir-read', description: "a member account's key, its CloudTrail read through the member's read role" },
    { command: "gd-ir watch --user backup-svc --json | jq 'select(.type == \"event\" and .verdict == \"failure\")'", description: 'stream JSON lines; keep only calls that still succeed' },
  ],
  usesAws: true,
});

export type WatchInput = InputOf<typeof watch>;
