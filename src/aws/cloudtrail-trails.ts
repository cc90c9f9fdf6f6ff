/**
 * CloudTrail trails: a trail's logging status (the changes sweep's read-back), whether it exists, and StartLogging
 * (containment). A trail is addressed by name in its home region, or by ARN from any region. `undefined` answers
 * mean the trail does not exist (TrailNotFoundException).
 */
import type { Context } from '../cli/context.js';
import { awsCall } from './call.js';
import { awsErrorCode } from './errors.js';

type CtCtx = Pick<Context, 'aws' | 'signal'>;

function trailNotFound(err: unknown): boolean {
  const e = err as { cause?: unknown };
  return awsErrorCode(err) === 'TrailNotFoundException' || awsErrorCode(e.cause) === 'TrailNotFoundException';
}

async function orMissing<T>(action: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await awsCall(action, fn);
  } catch (err) {
    if (trailNotFound(err)) return undefined;
    throw err;
  }
}

const iso = (d: Date | undefined): string | undefined => (d ? d.toISOString().replace(/\.000Z$/, 'Z') : undefined);

export interface TrailStatus {
  isLogging: boolean;
  startLoggingTime?: string;
  stopLoggingTime?: string;
}

export async function getTrailStatus(ctx: CtCtx, trail: string, region: string): Promise<TrailStatus | undefined> {
  const { GetTrailStatusCommand } = await import('@aws-sdk/client-cloudtrail');
  const ct = await ctx.aws.cloudTrail(region);
  const out = await orMissing('cloudtrail:GetTrailStatus', () => ct.send(new GetTrailStatusCommand({ Name: trail }), { abortSignal: ctx.signal }));
  if (!out) return undefined;
  const start = iso(out.StartLoggingTime);
  const stop = iso(out.StopLoggingTime);
  return { isLogging: out.IsLogging ?? false, ...(start ? { startLoggingTime: start } : {}), ...(stop ? { stopLoggingTime: stop } : {}) };
}

export async function trailExists(ctx: CtCtx, trail: string, region: string): Promise<boolean> {
  const { GetTrailCommand } = await import('@aws-sdk/client-cloudtrail');
  const ct = await ctx.aws.cloudTrail(region);
  return (await orMissing('cloudtrail:GetTrail', () => ct.send(new GetTrailCommand({ Name: trail }), { abortSignal: ctx.signal }))) !== undefined;
}

/** StartLogging, in the trail's home region. */
export async function startLogging(ctx: CtCtx, trail: string, region: string): Promise<void> {
  const { StartLoggingCommand } = await import('@aws-sdk/client-cloudtrail');
  const ct = await ctx.aws.cloudTrail(region);
  await awsCall('cloudtrail:StartLogging', () => ct.send(new StartLoggingCommand({ Name: trail }), { abortSignal: ctx.signal }));
}

/** StopLogging (containment's undo of StartLogging). */
export async function stopLogging(ctx: CtCtx, trail: string, region: string): Promise<void> {
  const { StopLoggingCommand } = await import('@aws-sdk/client-cloudtrail');
  const ct = await ctx.aws.cloudTrail(region);
  await awsCall('cloudtrail:StopLogging', () => ct.send(new StopLoggingCommand({ Name: trail }), { abortSignal: ctx.signal }));
}
