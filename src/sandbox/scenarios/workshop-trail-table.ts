/**
 * The workshop's Athena table over its organisation trail bucket, as `gd-ir athena setup` creates it
 * (partition projection on account, region and day, Athena User Guide, "Create the table for CloudTrail
 * logs in Athena using partition projection"), so `--logs athena:cloudtrail.org_logs` works in the
 * sandbox without a setup step (the workshop, org and persistence scenarios have it). `athena setup --apply` can
 * still create others.
 */
import { accounts } from '../accounts.js';
import { SANDBOX_ORG_ID } from '../logs/export.js';
import { SANDBOX_TRAIL_BUCKET } from '../logs/bucket.js';
import type { World } from '../model.js';

export const WORKSHOP_ATHENA_DATABASE = 'cloudtrail';
export const WORKSHOP_ATHENA_TABLE = 'org_logs';

export function withWorkshopTrailTable(world: World): World {
  const ids = accounts(world).map((a) => a.accountId);
  const regions = [...new Set(accounts(world).flatMap((a) => Object.keys(a.regions)).concat('us-east-1'))].sort();
  const start = new Date(Date.parse(world.anchor) - 90 * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '/');
  const root = `s3://${SANDBOX_TRAIL_BUCKET}/AWSLogs/${SANDBOX_ORG_ID}/`;
  const properties: Record<string, string> = {
    'projection.enabled': 'true',
    'projection.account.type': 'enum',
    'projection.account.values': ids.join(','),
    'projection.region.type': 'enum',
    'projection.region.values': regions.join(','),
    'projection.timestamp.type': 'date',
    'projection.timestamp.format': 'yyyy/MM/dd',
    'projection.timestamp.interval': '1',
    'projection.timestamp.interval.unit': 'DAYS',
    'projection.timestamp.range': `${start},NOW`,
    'storage.location.template': `${root}\${account}/CloudTrail/\${region}/\${timestamp}`,
  };
  world.athena = {
    databases: {
      [WORKSHOP_ATHENA_DATABASE]: {
        name: WORKSHOP_ATHENA_DATABASE,
        createdAt: world.anchor,
        tables: {
          [WORKSHOP_ATHENA_TABLE]: {
            name: WORKSHOP_ATHENA_TABLE,
            createdAt: world.anchor,
            location: root,
            partitionKeys: ['account', 'region', 'timestamp'],
            properties,
            ddl: `CREATE EXTERNAL TABLE ${WORKSHOP_ATHENA_DATABASE}.${WORKSHOP_ATHENA_TABLE} (…CloudTrail columns…) PARTITIONED BY (account string, region string, timestamp string) … LOCATION '${root}'`,
          },
        },
      },
    },
  };
  return world;
}
