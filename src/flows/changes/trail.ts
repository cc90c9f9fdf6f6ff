/**
 * `gd-ir trail --changes`: the trail's successful writes, classified, without reading anything back (a trail is a
 * read of CloudTrail only; `gd-ir investigate` reads the current state). With --follow, the keys the principal
 * created are followed too.
 */
import type { TrailResult } from '../../core/trail/index.js';
import type { Context } from '../../cli/context.js';
import type { AccountAccess } from '../../core/access.js';
import { runScope } from '../../cli/invocation.js';
import type { ChangesResult } from '../../core/changes/index.js';
import { trailChangesJson, renderTrailChanges } from '../../render/trail-changes.js';
import type { TrailRead } from '../trail-source.js';
import { sweepChanges } from './sweep.js';

/**
 * `ctx` is the one the trail was read with: a member account's read context (src/access/), so the created keys it
 * follows are looked up in that account too; `access` says which account, for the suggested commands; `read` is the
 * source the trail came from (`--logs`), which the created keys are followed through.
 */
export async function showTrailChanges(
  ctx: Context,
  trail: TrailResult,
  opts: { followKeys: boolean; accountId?: string; access?: AccountAccess; read?: TrailRead },
): Promise<ChangesResult> {
  const result = await sweepChanges(ctx, trail, {
    readBack: false,
    followKeys: opts.followKeys,
    ...(opts.accountId !== undefined ? { accountId: opts.accountId } : {}),
    ...(opts.read ? { read: opts.read } : {}),
  });
  const notRead = 'not read: trail --changes reads CloudTrail only (gd-ir investigate reads the current state back)';
  const changes = result.changes.map((c) => (c.state.detail === 'not read yet' ? { ...c, state: { ...c.state, detail: notRead } } : c));
  for (const w of result.warnings) ctx.io.warn(w);
  const scope = runScope(ctx, await ctx.aws.region(), opts.access);
  if (ctx.globals.json) ctx.io.printJson(trailChangesJson(trail, { ...result, changes }, scope));
  else ctx.io.out(renderTrailChanges(trail, { ...result, changes }, { style: ctx.io.style, columns: ctx.io.columns, tty: ctx.io.stdoutIsTTY, now: ctx.clock.now(), scope }));
  return result;
}
