/**
 * The AWS client factory. SDK packages are imported only when a command first needs a client, so
 * `gd-ir --help` and `--version` never load the SDK. One place decides region, profile, endpoint,
 * credentials, retries, user agent and the --debug log for every service.
 */
import type { GuardDutyClient } from '@aws-sdk/client-guardduty';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { STSClient } from '@aws-sdk/client-sts';
import type { S3Client } from '@aws-sdk/client-s3';
import type { AthenaClient } from '@aws-sdk/client-athena';
import { CredentialsError, UsageError } from '../core/errors.js';
import { sanitize } from '../core/sanitize.js';
import { redactBody, redactHeaders, redactValue } from './redact.js';
import { lookupProfile, sharedConfigPaths, type ProfileLookup, type SharedConfigPaths } from './shared-config.js';

export type ServiceName = 'guardduty' | 'cloudtrail' | 'iam' | 'sts' | 's3' | 'athena';

export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Credentials resolved when a client signs (an assumed role's, refreshed before they expire: src/access/). */
export type CredentialProvider = () => Promise<StaticCredentials & { expiration?: Date }>;

export interface AwsSettings {
  region?: string;
  profile?: string;
  /** --endpoint-url: wins over every environment variable. */
  endpointUrl?: string;
  /** Explicit credentials (the sandbox); otherwise the default credential chain. */
  credentials?: StaticCredentials;
  env: Record<string, string | undefined>;
  debug: boolean;
  /** Write one debug line to stderr. */
  debugLog: (line: string) => void;
  version: string;
  /** SDK attempts per call (standard retry mode). */
  maxAttempts?: number;
  /** Credentials from a provider (clients made by `derive` for another account); wins over every other source. */
  credentialProvider?: CredentialProvider;
}

/** Standard retry mode with more attempts than the SDK's 3: an incident responder's run must survive a bad minute. */
export const DEFAULT_MAX_ATTEMPTS = 8;

const ENDPOINT_ENV: Record<ServiceName, string> = {
  guardduty: 'AWS_ENDPOINT_URL_GUARDDUTY',
  cloudtrail: 'AWS_ENDPOINT_URL_CLOUDTRAIL',
  iam: 'AWS_ENDPOINT_URL_IAM',
  sts: 'AWS_ENDPOINT_URL_STS',
  s3: 'AWS_ENDPOINT_URL_S3',
  athena: 'AWS_ENDPOINT_URL_ATHENA',
};

/** Endpoint for a service: --endpoint-url, then AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL; undefined = AWS's own. */
export function resolveEndpoint(service: ServiceName, settings: Pick<AwsSettings, 'endpointUrl' | 'env'>): string | undefined {
  if (settings.endpointUrl) return settings.endpointUrl;
  const env = settings.env;
  if ((env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '').toLowerCase() === 'true') return undefined;
  return env[ENDPOINT_ENV[service]] || env.AWS_ENDPOINT_URL || undefined;
}

export function validateEndpointUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`invalid endpoint URL '${url.slice(0, 100)}': expected http(s)://host[:port]`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`invalid endpoint URL '${url.slice(0, 100)}': expected http(s)://host[:port]`);
  }
  return url;
}

interface AnyClient {
  config: { region: () => Promise<string> };
  middlewareStack: {
    add: (mw: unknown, options: Record<string, unknown>) => void;
    addRelativeTo: (mw: unknown, options: Record<string, unknown>) => void;
  };
  destroy(): void;
}

/**
 * A region must be usable as a hostname label (what the SDK requires of it). Deliberately looser than
 * core/validate's parseRegion: a new partition's region name must not be refused here.
 */
function checkRegionName(region: string, source: string): string {
  if (!/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/.test(region)) {
    throw new UsageError(`invalid region in ${source} '${sanitize(region, { maxLength: 80 })}': expected a region name such as us-west-2`);
  }
  return region;
}

export class AwsClients {
  private regionPromise?: Promise<string>;
  private readonly cache = new Map<string, Promise<unknown>>();
  private identity?: Promise<{ account: string; arn: string; userId: string }>;
  private readonly children = new Map<string, AwsClients>();
  private profileLookup?: { name: string; result: ProfileLookup };

  constructor(readonly settings: AwsSettings) {
    // --region is used for endpoints and signing as given: reject a malformed one before any call (exit 2)
    // rather than let the SDK fail per client, which a multi-region command would report as a partial result.
    if (settings.region) checkRegionName(settings.region, '--region');
  }

  /**
   * Point every client at a sandbox endpoint with its credentials (`--sandbox`). Must be called before
   * the first client is made. The region defaults to the sandbox's home region unless one was chosen.
   */
  useEndpoint(endpoint: string, credentials: StaticCredentials, defaultRegion: string): void {
    if (this.cache.size > 0) throw new Error('useEndpoint() after clients were created');
    this.settings.endpointUrl = endpoint;
    this.settings.credentials = credentials;
    this.settings.profile = undefined;
    this.settings.region = this.settings.region ?? defaultRegion;
  }

  /** The region commands act in: --region, AWS_REGION, AWS_DEFAULT_REGION, then the profile's config. */
  region(): Promise<string> {
    this.regionPromise ??= this.resolveRegion();
    return this.regionPromise;
  }

  /** The shared config/credentials files of this run's environment (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, ~/.aws). */
  sharedConfigPaths(): SharedConfigPaths {
    return sharedConfigPaths(this.settings.env);
  }

  /** The profile the SDK would use from the shared files: --profile, else AWS_PROFILE (unless static env keys win), else default. */
  private profileName(): { name: string; named: boolean } | undefined {
    if (this.settings.credentials) return undefined;
    if (this.settings.profile) return { name: this.settings.profile, named: true };
    const env = this.settings.env;
    if (env.AWS_PROFILE) return { name: env.AWS_PROFILE, named: true };
    if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return undefined;
    return { name: 'default', named: false };
  }

  /**
   * The named profile's entry in the shared files, read once. A profile named with --profile or AWS_PROFILE that is
   * in neither file stops the run before any AWS call (exit 4), naming the profile and the two files read.
   */
  private profile(): ProfileLookup | undefined {
    const p = this.profileName();
    if (!p) return undefined;
    if (this.profileLookup?.name !== p.name) this.profileLookup = { name: p.name, result: lookupProfile(this.sharedConfigPaths(), p.name) };
    const result = this.profileLookup.result;
    if (p.named && !result.found) {
      const paths = this.sharedConfigPaths();
      const shown = sanitize(p.name, { maxLength: 80 });
      const via = this.settings.profile ? '--profile' : 'AWS_PROFILE';
      throw new CredentialsError(
        `AWS profile '${shown}' (${via}) is not in ${sanitize(paths.configFile)} nor in ${sanitize(paths.credentialsFile)}`,
        {
          remedy: `profiles are read from AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/config and ~/.aws/credentials): 'aws configure list-profiles' lists them; 'aws configure --profile ${shown}' or 'aws configure sso --profile ${shown}' creates it`,
        },
      );
    }
    return result;
  }

  private async resolveRegion(): Promise<string> {
    const explicit = this.settings.region ?? this.settings.env.AWS_REGION ?? this.settings.env.AWS_DEFAULT_REGION;
    // A missing --profile is named first, whatever the region: the run cannot authenticate without it.
    const profile = this.profile();
    if (explicit) return checkRegionName(explicit, this.settings.region ? '--region' : this.settings.env.AWS_REGION ? 'AWS_REGION' : 'AWS_DEFAULT_REGION');
    if (profile?.region) return checkRegionName(profile.region, `the region of AWS profile '${sanitize(this.profileName()?.name ?? '', { maxLength: 80 })}'`);
    throw new UsageError('no AWS region configured', {
      remedy: 'pass --region <name>, set AWS_REGION, or set "region" in your AWS profile',
    });
  }

  private commonConfig(service: ServiceName, region: string): Record<string, unknown> {
    const config: Record<string, unknown> = {
      region,
      maxAttempts: this.settings.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      retryMode: 'standard',
      customUserAgent: [['gd-ir', this.settings.version]],
    };
    const endpoint = resolveEndpoint(service, this.settings);
    if (endpoint) config.endpoint = endpoint;
    if (this.settings.credentialProvider) {
      // Another identity of this run (derive): its provider resolved the credentials already.
      config.credentials = this.settings.credentialProvider;
      return config;
    }
    if (!this.settings.credentials) {
      // The SDK's credential chain (static keys, SSO, assume-role profiles…) reads the shared files of this run's
      // environment, not the process's: it takes the paths from the client config (fromIni/fromSSO `filepath` and
      // `configFilepath`), so --profile works the same in-process and in the binary.
      this.profile();
      const paths = this.sharedConfigPaths();
      config.filepath = paths.credentialsFile;
      config.configFilepath = paths.configFile;
    }
    if (this.settings.credentials) {
      config.credentials = { ...this.settings.credentials };
    } else if (this.settings.profile) {
      config.profile = this.settings.profile;
    } else {
      const env = this.settings.env;
      if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY && !env.AWS_PROFILE) {
        config.credentials = {
          accessKeyId: env.AWS_ACCESS_KEY_ID,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
          ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
        };
      } else if (env.AWS_PROFILE) {
        config.profile = env.AWS_PROFILE;
      }
    }
    return config;
  }

  private instrument<T extends AnyClient>(client: T, service: ServiceName): T {
    if (!this.settings.debug) return client;
    const log = this.settings.debugLog;
    client.middlewareStack.add(
      (next: (args: { input: unknown }) => Promise<{ output: unknown }>, context: { commandName?: string }) =>
        async (args: { input: unknown }) => {
          log(`[aws] ${service} ${context.commandName ?? ''} input ${truncateJson(redactValue(args.input))}`);
          const result = await next(args);
          log(`[aws] ${service} ${context.commandName ?? ''} output ${truncateJson(redactValue(result.output))}`);
          return result;
        },
      { step: 'initialize', name: 'gdIrDebugOperationLog', override: true },
    );
    client.middlewareStack.addRelativeTo(
      (next: (args: { request: unknown }) => Promise<{ response: unknown }>) => async (args: { request: unknown }) => {
        const req = args.request as { method?: string; hostname?: string; port?: number; path?: string; headers?: Record<string, string>; body?: unknown };
        const body = typeof req.body === 'string' ? ` body ${redactBody(req.body).slice(0, 2000)}` : '';
        log(`[http] --> ${req.method} ${req.hostname}${req.port ? ':' + req.port : ''}${req.path} ${JSON.stringify(redactHeaders(req.headers ?? {}))}${body}`);
        const started = Date.now();
        try {
          const result = await next(args);
          const res = result.response as { statusCode?: number; headers?: Record<string, string> };
          log(`[http] <-- ${res.statusCode} ${Date.now() - started}ms request-id=${res.headers?.['x-amzn-requestid'] ?? res.headers?.['x-amz-request-id'] ?? '-'}`);
          return result;
        } catch (err) {
          const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
          log(`[http] <-- ${e.$metadata?.httpStatusCode ?? 'error'} ${e.name ?? 'Error'} ${Date.now() - started}ms`);
          throw err;
        }
      },
      { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'gdIrDebugHttpLog', override: true },
    );
    return client;
  }

  private cached<T>(key: string, make: () => Promise<T>): Promise<T> {
    let p = this.cache.get(key) as Promise<T> | undefined;
    if (!p) {
      p = make();
      this.cache.set(key, p);
    }
    return p;
  }

  async guardDuty(region?: string): Promise<GuardDutyClient> {
    const r = region ?? (await this.region());
    return this.cached(`guardduty:${r}`, async () => {
      const { GuardDutyClient } = await import('@aws-sdk/client-guardduty');
      return this.instrument(new GuardDutyClient(this.commonConfig('guardduty', r)) as unknown as AnyClient, 'guardduty') as unknown as GuardDutyClient;
    });
  }

  /**
   * `options.maxAttempts` gives a separate client with its own retry budget: LookupEvents uses
   * `maxAttempts: 1` because gd-ir's rate limiter paces and retries every attempt itself
   * (src/aws/cloudtrail.ts), so SDK retries would bypass the 2 requests/s pacing.
   */
  async cloudTrail(region?: string, options: { maxAttempts?: number } = {}): Promise<CloudTrailClient> {
    const r = region ?? (await this.region());
    const attempts = options.maxAttempts;
    return this.cached(attempts === undefined ? `cloudtrail:${r}` : `cloudtrail:${r}:attempts=${attempts}`, async () => {
      const { CloudTrailClient } = await import('@aws-sdk/client-cloudtrail');
      const config = this.commonConfig('cloudtrail', r);
      if (attempts !== undefined) config.maxAttempts = attempts;
      return this.instrument(new CloudTrailClient(config) as unknown as AnyClient, 'cloudtrail') as unknown as CloudTrailClient;
    });
  }

  /** IAM is global; the client signs for the configured region against custom endpoints and us-east-1 against AWS. */
  async iam(): Promise<IAMClient> {
    const r = await this.region();
    return this.cached('iam', async () => {
      const { IAMClient } = await import('@aws-sdk/client-iam');
      return this.instrument(new IAMClient(this.commonConfig('iam', r)) as unknown as AnyClient, 'iam') as unknown as IAMClient;
    });
  }

  async sts(): Promise<STSClient> {
    const r = await this.region();
    return this.cached('sts', async () => {
      const { STSClient } = await import('@aws-sdk/client-sts');
      return this.instrument(new STSClient(this.commonConfig('sts', r)) as unknown as AnyClient, 'sts') as unknown as STSClient;
    });
  }

  /**
   * S3 (trail log buckets). Against a custom endpoint (the sandbox, an S3-compatible server) requests are
   * path-style, as such endpoints expect; against AWS the SDK addresses the bucket's own region.
   */
  async s3(): Promise<S3Client> {
    const r = await this.region();
    return this.cached('s3', async () => {
      const { S3Client } = await import('@aws-sdk/client-s3');
      const config = this.commonConfig('s3', r);
      if (config.endpoint) config.forcePathStyle = true;
      else config.followRegionRedirects = true;
      return this.instrument(new S3Client(config) as unknown as AnyClient, 's3') as unknown as S3Client;
    });
  }

  async athena(): Promise<AthenaClient> {
    const r = await this.region();
    return this.cached('athena', async () => {
      const { AthenaClient } = await import('@aws-sdk/client-athena');
      return this.instrument(new AthenaClient(this.commonConfig('athena', r)) as unknown as AnyClient, 'athena') as unknown as AthenaClient;
    });
  }

  /** The caller's identity (GetCallerIdentity), fetched once per run. */
  callerIdentity(signal?: AbortSignal): Promise<{ account: string; arn: string; userId: string }> {
    this.identity ??= (async () => {
      const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
      const sts = await this.sts();
      const out = await sts.send(new GetCallerIdentityCommand({}), { abortSignal: signal });
      return { account: out.Account ?? '', arn: out.Arn ?? '', userId: out.UserId ?? '' };
    })();
    this.identity.catch(() => {
      this.identity = undefined;
    });
    return this.identity;
  }

  /**
   * Clients acting as another identity in this run (a role in a member account, a named profile: src/access/):
   * same region, endpoints, retries, user agent and --debug log, other credentials. One per key, kept for the run.
   */
  derive(key: string, credentials: CredentialProvider): AwsClients {
    let child = this.children.get(key);
    if (!child) {
      child = new AwsClients({ ...this.settings, credentials: undefined, profile: undefined, credentialProvider: credentials });
      child.regionPromise = this.region();
      this.children.set(key, child);
    }
    return child;
  }

  /** Release sockets so the process can exit promptly. */
  async destroy(): Promise<void> {
    for (const child of this.children.values()) await child.destroy();
    this.children.clear();
    for (const p of this.cache.values()) {
      try {
        ((await p) as AnyClient).destroy();
      } catch {
        /* a client that failed to build has nothing to release */
      }
    }
    this.cache.clear();
  }
}

function truncateJson(value: unknown): string {
  const s = JSON.stringify(value) ?? 'undefined';
  return s.length > 2000 ? `${s.slice(0, 2000)}…(${s.length} chars)` : s;
}
