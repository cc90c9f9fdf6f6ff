/**
 * CloudTrail trails (awsJson1_1): DescribeTrails, GetTrail, GetTrailStatus, StopLogging, StartLogging. Shapes and
 * rules from botocore's cloudtrail/2013-11-01 model: a trail lives in its home region; a multi-region trail also
 * shows in every other region as a shadow trail (DescribeTrails includes shadows unless includeShadowTrails is
 * false; a shadow is reached by ARN); StopLogging and StartLogging must be called in the home region
 * (InvalidHomeRegionException). Stopping a trail stops its delivery to S3, not the account's event history:
 * LookupEvents keeps answering, so the recorder is never stopped.
 */
import type { HandlerContext } from '../../context.js';
import type { Trail } from '../../model.js';
import type { Operation } from '../../service.js';
import { ServiceError, isoSeconds } from '../../wire.js';
import type { CloudTrailCache } from './cache.js';

const ARN_RE = /^arn:aws[a-z-]*:cloudtrail:([a-z0-9-]+):(\d{12}):trail\/(.+)$/;
/** InvalidTrailNameException's rules: letters, digits, . _ -; starts and ends with a letter or digit; 3–128 characters. */
const NAME_RE = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{1,126})[A-Za-z0-9]$/;

function fail(code: string, message: string): ServiceError {
  return new ServiceError(code, message, 400);
}

function trailsOf(ctx: HandlerContext, region: string): Trail[] {
  return Object.values(ctx.account.regions[region]?.trails ?? {});
}

/** Every trail of the account, wherever its home region. */
function allTrails(ctx: HandlerContext): Trail[] {
  return Object.keys(ctx.account.regions).flatMap((r) => trailsOf(ctx, r));
}

/** The trail a `Name` parameter (name or ARN) designates, seen from the request's region. */
function resolve(ctx: HandlerContext, input: Record<string, unknown>): Trail {
  const name = input.Name;
  if (typeof name !== 'string' || name === '') throw fail('InvalidTrailNameException', 'Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).');
  const notFound = (): ServiceError => fail('TrailNotFoundException', `Unknown trail: ${name} for the user: ${ctx.account.accountId}`);
  if (name.startsWith('arn:')) {
    const m = ARN_RE.exec(name);
    if (!m) throw fail('CloudTrailARNInvalidException', `Invalid trail ARN: ${name}`);
    const [, region, account] = m;
    if (account !== ctx.account.accountId) throw notFound();
    const trail = trailsOf(ctx, region as string).find((t) => t.arn === name);
    if (!trail) throw notFound();
    // A trail of another region is visible here only as the shadow of a multi-region trail.
    if (trail.homeRegion !== ctx.region && !trail.isMultiRegionTrail) throw notFound();
    return trail;
  }
  if (!NAME_RE.test(name)) throw fail('InvalidTrailNameException', 'Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).');
  const trail = trailsOf(ctx, ctx.region).find((t) => t.name === name);
  if (!trail) throw notFound();
  return trail;
}

function trailJson(t: Trail): Record<string, unknown> {
  return {
    Name: t.name,
    S3BucketName: t.s3BucketName,
    ...(t.s3KeyPrefix ? { S3KeyPrefix: t.s3KeyPrefix } : {}),
    IncludeGlobalServiceEvents: t.includeGlobalServiceEvents,
    IsMultiRegionTrail: t.isMultiRegionTrail,
    HomeRegion: t.homeRegion,
    TrailARN: t.arn,
    LogFileValidationEnabled: t.logFileValidationEnabled,
    ...(t.kmsKeyId ? { KmsKeyId: t.kmsKeyId } : {}),
    HasCustomEventSelectors: t.hasCustomEventSelectors,
    HasInsightSelectors: t.hasInsightSelectors,
    IsOrganizationTrail: t.isOrganizationTrail,
  };
}

/** awsJson timestamps are epoch seconds. */
const epoch = (iso: string): number => Date.parse(iso) / 1000;

function setLogging(ctx: HandlerContext, input: Record<string, unknown>, logging: boolean): Record<string, never> {
  const trail = resolve(ctx, input);
  if (trail.homeRegion !== ctx.region) {
    throw fail('InvalidHomeRegionException', `This operation must be called from the trail's home region (${trail.homeRegion}).`);
  }
  // Starting a trail that logs (or stopping one that does not) succeeds and changes nothing.
  if (trail.isLogging !== logging) {
    ctx.mutate({ kind: 'trailLogging', account: ctx.account.accountId, region: trail.homeRegion, name: trail.name, logging, at: isoSeconds(ctx.now) });
  }
  return {};
}

export const TRAIL_OPERATIONS: Record<string, Operation<CloudTrailCache>> = {
  DescribeTrails: {
    readOnly: true,
    handle: (ctx, call) => {
      const names = call.input.trailNameList;
      const shadows = call.input.includeShadowTrails !== false;
      if (names !== undefined && !Array.isArray(names)) throw new ServiceError('SerializationException', 'trailNameList must be a list.', 400);
      let trails: Trail[];
      if (Array.isArray(names) && names.length > 0) {
        trails = [];
        for (const n of names) {
          try {
            trails.push(resolve(ctx, { Name: n }));
          } catch (e) {
            // Names that match no trail are left out, as DescribeTrails does; malformed ones are errors.
            if (!(e instanceof ServiceError) || e.code !== 'TrailNotFoundException') throw e;
          }
        }
      } else {
        trails = allTrails(ctx).filter((t) => t.homeRegion === ctx.region || (shadows && t.isMultiRegionTrail));
      }
      return { trailList: trails.map(trailJson) };
    },
  },
  GetTrail: { readOnly: true, handle: (ctx, call) => ({ Trail: trailJson(resolve(ctx, call.input)) }) },
  GetTrailStatus: {
    readOnly: true,
    handle: (ctx, call) => {
      const t = resolve(ctx, call.input);
      return {
        IsLogging: t.isLogging,
        ...(t.startLoggingTime ? { StartLoggingTime: epoch(t.startLoggingTime) } : {}),
        ...(t.stopLoggingTime ? { StopLoggingTime: epoch(t.stopLoggingTime) } : {}),
      };
    },
  },
  StopLogging: { readOnly: false, handle: (ctx, call) => setLogging(ctx, call.input, false) },
  StartLogging: { readOnly: false, handle: (ctx, call) => setLogging(ctx, call.input, true) },
};
