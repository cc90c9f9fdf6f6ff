/**
 * `--logs` → the source that reads it. S3 and Athena read with their own credentials when
 * `--logs-profile` names them (the log archive usually lives in another account than the findings);
 * event history always reads with the run's own.
 */
import { AwsClients } from '../aws/clients.js';
import type { Context } from '../cli/context.js';
import { UsageError } from '../core/errors.js';
import type { LogsSpec } from '../core/trail/index.js';
import { AthenaSource } from './athena.js';
import { cacheDirFor } from './cache.js';
import { LocalLogSource } from './local.js';
import { LookupSource } from './lookup.js';
import { S3LogSource } from './s3.js';
import type { TrailSource } from './types.js';

export interface SourceOptions {
  /** LookupEvents requests per second per region. */
  rate?: number;
  /** S3: keep log files in the cache directory (default true). */
  cache?: boolean;
  athenaWorkgroup?: string;
  athenaOutput?: string;
  logsProfile?: string;
}

/** The clients the log source reads with: the run's own, or a profile of the log-archive account. */
export function logClients(ctx: Pick<Context, 'aws' | 'globals'>, profile: string | undefined): AwsClients {
  if (profile === undefined) return ctx.aws;
  if (ctx.globals.sandbox) throw new UsageError('--logs-profile cannot be used with --sandbox: the sandbox serves its logs with its own credentials');
  return new AwsClients({ ...ctx.aws.settings, profile, credentials: undefined });
}

export function openTrailSource(ctx: Context, spec: LogsSpec, opts: SourceOptions = {}): TrailSource {
  switch (spec.kind) {
    case 'lookup':
      return new LookupSource(ctx, opts.rate);
    case 'local':
      return new LocalLogSource(spec.paths);
    case 's3': {
      const aws = logClients(ctx, opts.logsProfile);
      return new S3LogSource({ aws, signal: ctx.signal }, spec, { cacheDir: cacheDirFor(ctx.env), persistent: opts.cache !== false, ownsClients: aws !== ctx.aws });
    }
    case 'athena': {
      const aws = logClients(ctx, opts.logsProfile);
      return new AthenaSource({ aws, clock: ctx.clock, signal: ctx.signal }, spec, {
        ...(opts.athenaWorkgroup ? { workgroup: opts.athenaWorkgroup } : {}),
        ...(opts.athenaOutput ? { outputLocation: opts.athenaOutput } : {}),
        ownsClients: aws !== ctx.aws,
      });
    }
    default: {
      const never: never = spec;
      throw new Error(`unknown source ${String(never)}`);
    }
  }
}
