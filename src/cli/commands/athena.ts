/** `gd-ir athena setup`: declaration. Handler: src/commands/athena-setup.ts. */
import { UsageError } from '../../core/errors.js';
import { isAccountId, isOrgId } from '../../core/logs/layout.js';
import { GUARDDUTY_REGIONS } from '../../core/regions.js';
import { sanitize } from '../../core/sanitize.js';
import { parseRegionList } from '../../core/validate.js';
import { declareCommand, type InputOf } from '../command-spec.js';
import { opt } from '../options.js';
import { shared } from '../shared-options.js';

export const athenaGroup = { path: ['athena'], summary: 'query the trail\'s S3 logs with Athena: create the table gd-ir reads with --logs athena:…' };

const show = (v: string): string => `'${sanitize(v, { maxLength: 80 })}'`;

function parseAccounts(value: string): string[] {
  const list = value.split(',').map((a) => a.trim());
  for (const a of list) if (!isAccountId(a)) throw new UsageError(`invalid --accounts ${show(value)}: expected comma-separated 12-digit account IDs`);
  return [...new Set(list)];
}

/** `2026/01/31`, `2026-01-31` or a full ISO date-time → `yyyy/MM/dd` (UTC). */
function parseStartDay(value: string): string {
  const m = /^(\d{4})[/-](\d{2})[/-](\d{2})(?:T.*)?$/.exec(value.trim());
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== `${m[1]}-${m[2]}-${m[3]}`) {
    throw new UsageError(`invalid --start ${show(value)}: expected a day such as 2026-01-31`);
  }
  return `${m[1]}/${m[2]}/${m[3]}`;
}

const NAME = (what: string) => (v: string): string => {
  if (!/^[A-Za-z0-9_]{1,255}$/.test(v)) throw new UsageError(`invalid --${what} ${show(v)}: expected letters, digits and underscores (Athena names)`);
  return v.toLowerCase();
};

export const athenaSetup = declareCommand({
  path: ['athena', 'setup'],
  summary: 'print (and with --apply run) the Athena DDL for a CloudTrail table over the trail bucket, with partition projection',
  description:
    "Writes CREATE DATABASE and CREATE EXTERNAL TABLE with AWS's CloudTrail columns, SerDe and input format, partitioned by account (organisation trails), region and day with partition projection, so no partition ever needs adding and every gd-ir query reads only its window's days. Prints the statements; --apply runs them with StartQueryExecution. Then: gd-ir trail … --logs athena:<database>.<table>. See docs/commands/athena.md.",
  options: {
    bucket: opt.value('--bucket <name>', "the trail's S3 bucket (the organisation's log archive)", (v) => {
      if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v)) throw new UsageError(`invalid --bucket ${show(v)}: expected an S3 bucket name`);
      return v;
    }),
    prefix: opt.withDefault('--prefix <prefix>', "the trail's S3 key prefix, if it has one (before AWSLogs/)", '', (v) => v.replace(/^\/+|\/+$/g, ''), { defaultValue: undefined }),
    org: opt.value('--org <o-id>', 'organisation trail: the organisation ID in the key layout (AWSLogs/o-…/<account>/…)', (v) => {
      if (!isOrgId(v)) throw new UsageError(`invalid --org ${show(v)}: expected o- and 10–32 lower-case letters or digits`);
      return v;
    }),
    accounts: opt.value('--accounts <list>', 'comma-separated account IDs whose logs the table covers', parseAccounts),
    regions: opt.withDefault('--regions <list>', "comma-separated regions the table covers, or all", 'all', (v) => {
      const r = parseRegionList(v);
      return r === 'all' ? [...GUARDDUTY_REGIONS] : r;
    }),
    start: opt.value('--start <day>', 'first day the table covers (default: 90 days ago)', parseStartDay),
    database: opt.withDefault('--database <name>', 'Athena database (created if missing)', 'cloudtrail', NAME('database')),
    table: opt.withDefault('--table <name>', 'table name', 'org_logs', NAME('table')),
    apply: opt.flag('--apply', 'run the statements (StartQueryExecution) instead of only printing them'),
    athenaWorkgroup: shared.athenaWorkgroup(),
    athenaOutput: shared.athenaOutput(),
    logsProfile: shared.logsProfile(),
  },
  check: ({ options: o }) => {
    if (!o.bucket) throw new UsageError('say which bucket holds the trail: --bucket <name>');
    if (!o.accounts) throw new UsageError('say which accounts the table covers: --accounts 111122223333[,…]');
  },
  examples: [
    { command: 'gd-ir athena setup --bucket org-cloudtrail-logs --org o-a1b2c3d4e5 --accounts 111122223333,444455556666 --regions us-east-1,us-west-2', description: 'print the DDL for an organisation trail' },
    { command: 'gd-ir athena setup --bucket org-cloudtrail-logs --org o-a1b2c3d4e5 --accounts 111122223333 --apply --logs-profile log-archive', description: 'create it in the log-archive account' },
    { command: 'gd-ir --sandbox athena setup --bucket example-corp-org-cloudtrail --org o-exampleorgid --accounts 111122223333 --table mine --apply', description: 'practise against the sandbox' },
  ],
  usesAws: true,
});

export type AthenaSetupInput = InputOf<typeof athenaSetup>;
