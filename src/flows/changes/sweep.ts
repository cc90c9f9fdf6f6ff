/**
 * The changes sweep (investigate, trail --changes, contain): follow the credentials the principal created, turn
 * every successful write into a change, read back the current state of IAM and CloudTrail artifacts concurrently,
 * and judge it. The classification and the judging are pure (src/core/changes/); this module does the I/O.
 */
import type { TrailResult } from '../../core/trail/index.js';
import type { Context } from '../../cli/context.js';
import { assembleChanges, createdKeys, judgeChanges, principalCredentials, principalStreams, readsFor, type ChangesResult } from '../../core/changes/index.js';
import type { TrailRead } from '../trail-source.js';
import { followCreatedKeys } from './follow.js';
import { readBack } from './readback.js';

export interface SweepOptions {
  /** The account the trail was read in (ARNs, and which trust principals are outside it). */
  accountId?: string;
  /** False: classify only, read nothing back (`trail --changes`). */
  readBack?: boolean;
  /** False: only the principal and its sessions, not the keys it created (`trail --changes` without --follow). */
  followKeys?: boolean;
  /** Where the created keys' activity is read: the principal's own source (default: event history). */
  read?: TrailRead;
}

export async function sweepChanges(ctx: Context, trail: TrailResult, opts: SweepOptions = {}): Promise<ChangesResult> {
  const followed =
    opts.followKeys === false
      ? { streams: principalStreams(trail), followed: principalCredentials(trail), notFollowed: createdKeys(trail.events).map((k) => k.accessKeyId), warnings: [] }
      : await followCreatedKeys(ctx, trail, opts.read);
  const drafts = assembleChanges(followed.streams, opts.accountId);
  const reads = opts.readBack === false ? undefined : await readBack(ctx, readsFor(drafts));
  const changes = reads ? judgeChanges(drafts, reads, opts.accountId) : drafts;
  return { changes, followed: followed.followed, notFollowed: followed.notFollowed, warnings: followed.warnings, ...(reads ? { reads } : {}) };
}
