/**
 * `gd-ir trail --changes`: the trail's successful writes, classified, without reading anything back (a trail is a
 * read of CloudTrail only; `gd-ir investigate` reads the current state). With --follow, the keys the principal
 * created are followed too.
 */
import type { TrailResult } from '../../core/trail/index.js';
import type { Context } from '../../cli/context.js';
import { runScope } from '../../cli/invocation.js';
import type { ChangesResult } from '../../core/changes/index.js';
import { trailChangesJson, renderTrailChanges } from '../../render/trail-changes.js';
import { sweepChanges } from './sweep.js';

export async function showTrailChanges(ctx: Context, trail: TrailResult, opts: { followKeys: boolean }): Promise<ChangesResult> {
  const result = await sweepChanges(ctx, trail, { readBack: false, followKeys: opts.followKeys });
  const notRead = 'not read: trail --changes reads CloudTrail only (gd-ir investigate reads the current state back)';
  const changes = result.changes.map((c) => (c.state.detail === 'not read yet' ? { ...c, state: { ...c.state, detail: notRead } } : c));
  for (const w of result.warnings) ctx.io.warn(w);
  const scope = runScope(ctx, await ctx.aws.region());
  if (ctx.globals.json) ctx.io.printJson(trailChangesJson(trail, { ...result, changes }, scope));
  else ctx.io.out(renderTrailChanges(trail, { ...result, changes }, { style: ctx.io.style, columns: ctx.io.columns, tty: ctx.io.stdoutIsTTY, now: ctx.clock.now(), scope }));
  return result;
}
