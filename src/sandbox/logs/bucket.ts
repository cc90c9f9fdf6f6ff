/**
 * The sandbox's organisation trail bucket: the scenario's CloudTrail (every account, management and
 * data events) as the log files CloudTrail would have delivered to S3 by now (src/sandbox/logs/trail-files.ts),
 * served by the S3 service and read by the Athena service.
 *
 * A file appears once its delivery time has passed, and never changes afterwards (late records go to
 * a new file, as on AWS). Built once per set of records and kept; rebuilt when recorded calls add
 * records.
 */
import { createHash } from 'node:crypto';
import { accounts } from '../accounts.js';
import type { CloudTrailRecord, World } from '../model.js';
import { SANDBOX_ORG_ID } from './export.js';
import { encodeTrailLogFile, TrailFileBuilder } from './trail-files.js';

/** The organisation trail's bucket (in the primary account, the organisation's log archive here). */
export const SANDBOX_TRAIL_BUCKET = 'example-corp-org-cloudtrail';
/** Its objects are encrypted with SSE-KMS under this key of the primary account. */
export const trailKmsKeyArn = (world: Pick<World, 'accountId'>): string => `arn:aws:kms:us-east-1:${world.accountId}:key/4f1c2e9a-7b3d-4c1e-9f2a-0d5e6b7c8a91`;

export interface BucketObject {
  key: string;
  body: Buffer;
  /** `"<md5>"`, as S3 writes a single-part object's ETag. */
  etag: string;
  size: number;
  lastModifiedMs: number;
}

interface Built {
  count: number;
  objects: BucketObject[];
  byKey: Map<string, BucketObject>;
}

const built = new WeakMap<World, Built>();

function records(world: World): CloudTrailRecord[] {
  const out: CloudTrailRecord[] = [];
  for (const a of accounts(world)) for (const r of Object.values(a.regions)) out.push(...r.events, ...(r.dataEvents ?? []));
  return out;
}

/** How many records the world holds (cheap: the cache is rebuilt when it changes). */
function recordCount(world: World): number {
  let n = 0;
  for (const a of accounts(world)) for (const r of Object.values(a.regions)) n += r.events.length + (r.dataEvents?.length ?? 0);
  return n;
}

function build(world: World): Built {
  const count = recordCount(world);
  const cached = built.get(world);
  if (cached && cached.count === count) return cached;
  const recs = records(world);
  recs.sort((a, b) => (a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : 0));
  const builder = new TrailFileBuilder({ orgId: SANDBOX_ORG_ID, defaultAccountId: world.accountId });
  const files = [...recs.flatMap((r) => builder.add(r)), ...builder.finish()];
  const objects = files
    .map((f) => {
      const body = encodeTrailLogFile(f);
      return { key: f.key, body, etag: `"${createHash('md5').update(body).digest('hex')}"`, size: body.length, lastModifiedMs: f.deliveredMs };
    })
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const fresh = { count, objects, byKey: new Map(objects.map((o) => [o.key, o])) };
  built.set(world, fresh);
  return fresh;
}

/** Every object of the trail bucket, sorted by key, delivered or not (filter by `lastModifiedMs`). */
export function allTrailObjects(world: World): BucketObject[] {
  return build(world).objects;
}

/** One object by key, if delivered by `nowMs`. */
export function trailObject(world: World, key: string, nowMs: number): BucketObject | undefined {
  const o = build(world).byKey.get(key);
  return o && o.lastModifiedMs <= nowMs ? o : undefined;
}

/** The objects delivered by `nowMs`. */
export function trailObjects(world: World, nowMs: number): BucketObject[] {
  return allTrailObjects(world).filter((o) => o.lastModifiedMs <= nowMs);
}
