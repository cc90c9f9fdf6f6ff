/**
 * `gd-ir sandbox`: run the AWS-compatible sandbox in the foreground, print how to point any AWS tool
 * at it, and serve until Ctrl-C. `gd-ir sandbox reset`: restore the scenario for `--sandbox` runs.
 */
import { existsSync, rmSync } from 'node:fs';
import type { Context } from '../cli/context.js';
import { UsageError } from '../core/errors.js';
import { sandboxStatePath } from '../cli/sandbox-mode.js';
import { parseInteger } from '../core/validate.js';
import { sanitize } from '../core/sanitize.js';

const SCENARIOS = ['workshop', 'large'] as const;
type Scenario = (typeof SCENARIOS)[number];

export interface SandboxServeOptions {
  host: string;
  port: number;
  scenario: Scenario;
  latencyMs: number;
  faultRate: number;
  faultSeed: number;
  deny: string[];
  cloudTrailRateLimit: number | false;
  statePath?: string;
  logRequests: boolean;
}

/** "100ms", "0.5s", "250" (milliseconds). */
export function parseLatency(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(value.trim());
  const n = m ? Number(m[1]) * (m[2] === 's' ? 1000 : 1) : NaN;
  if (!m || !Number.isFinite(n) || n > 60_000) {
    throw new UsageError(`invalid latency '${sanitize(value, { maxLength: 40 })}': expected milliseconds such as 100ms, 0.5s or 250 (at most 60s)`);
  }
  return Math.round(n);
}

export function parseFaultRate(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new UsageError(`invalid fault rate '${sanitize(value, { maxLength: 40 })}': expected a probability from 0 to 1, e.g. 0.2`);
  }
  return n;
}

const DENY = /^(GuardDuty|CloudTrail|IAM|STS):(\*|[A-Za-z]+)$/;

export function parseServeOptions(ctx: Context, options: Record<string, unknown>): SandboxServeOptions {
  const scenario = (options.scenario as string | undefined) ?? 'workshop';
  if (!(SCENARIOS as readonly string[]).includes(scenario)) {
    throw new UsageError(`invalid scenario '${sanitize(scenario, { maxLength: 40 })}': expected one of ${SCENARIOS.join(', ')}`);
  }
  const deny = (options.deny as string[] | undefined) ?? [];
  for (const d of deny) {
    if (!DENY.test(d)) throw new UsageError(`invalid --deny '${sanitize(d, { maxLength: 60 })}': expected Service:Operation, e.g. IAM:GetUser or CloudTrail:*`);
  }
  let cloudTrailRateLimit: number | false = 2;
  if (options.rateLimit === false) cloudTrailRateLimit = false;
  else if (typeof options.rateLimit === 'string') cloudTrailRateLimit = parseInteger(options.rateLimit, 'CloudTrail rate limit', 1, 1000);
  const statePath =
    typeof options.state === 'string' ? options.state : scenario === 'workshop' ? sandboxStatePath(ctx.stateDir, 'workshop') : undefined;
  return {
    host: typeof options.host === 'string' ? options.host : '127.0.0.1',
    port: typeof options.port === 'string' ? parseInteger(options.port, 'port', 0, 65535) : 4566,
    scenario: scenario as Scenario,
    latencyMs: typeof options.latency === 'string' ? parseLatency(options.latency) : 0,
    faultRate: typeof options.faultRate === 'string' ? parseFaultRate(options.faultRate) : 0,
    faultSeed: typeof options.faultSeed === 'string' ? parseInteger(options.faultSeed, 'fault seed', 0, 2 ** 31) : 1,
    deny,
    cloudTrailRateLimit,
    statePath,
    logRequests: options.logRequests === true,
  };
}

export async function execute(ctx: Context, args: string[], options: Record<string, unknown>): Promise<number> {
  if (args[0] === 'reset') return reset(ctx);
  if (args[0] !== undefined) {
    throw new UsageError(`unknown sandbox action '${sanitize(args[0], { maxLength: 40 })}': expected 'reset', or none to serve`, { remedy: 'gd-ir sandbox reset restores the scenario; gd-ir sandbox serves it' });
  }
  const opts = parseServeOptions(ctx, options);
  if (opts.host !== '127.0.0.1' && opts.host !== 'localhost' && opts.host !== '::1') {
    throw new UsageError('the sandbox only listens on loopback (127.0.0.1, localhost or ::1)');
  }
  const { startSandbox, SANDBOX_CREDENTIALS } = await import('../sandbox/index.js');
  let sandbox;
  try {
    sandbox = await startSandbox({
      host: opts.host,
      port: opts.port,
      scenario: opts.scenario,
      latencyMs: opts.latencyMs,
      faultRate: opts.faultRate,
      faultSeed: opts.faultSeed,
      deny: opts.deny,
      cloudTrailRateLimit: opts.cloudTrailRateLimit,
      statePath: opts.statePath,
      log: opts.logRequests ? (line) => ctx.io.err(ctx.io.errStyle.dim(sanitize(line))) : undefined,
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UsageError(`port ${opts.port} is already in use`, { remedy: 'pick another with --port <n>, or --port 0 for any free port' });
    }
    throw err;
  }
  if (ctx.globals.json) {
    ctx.io.printJson({
      schemaVersion: 1,
      endpoint: sandbox.endpoint,
      region: 'us-west-2',
      scenario: opts.scenario,
      accessKeyId: SANDBOX_CREDENTIALS.accessKeyId,
      secretAccessKey: SANDBOX_CREDENTIALS.secretAccessKey,
      statePath: opts.statePath ?? null,
    });
  } else {
    ctx.io.out(
      [
        `export AWS_ENDPOINT_URL=${sandbox.endpoint}`,
        `export AWS_ACCESS_KEY_ID=${SANDBOX_CREDENTIALS.accessKeyId}`,
        `export AWS_SECRET_ACCESS_KEY=${SANDBOX_CREDENTIALS.secretAccessKey}`,
        'export AWS_REGION=us-west-2',
        // The AWS CLI v1 and older SDKs read only this one.
        'export AWS_DEFAULT_REGION=us-west-2',
      ].join('\n'),
    );
    const knobs = [
      opts.latencyMs ? `latency ${opts.latencyMs}ms` : '',
      opts.faultRate ? `fault rate ${opts.faultRate} (seed ${opts.faultSeed})` : '',
      opts.deny.length ? `deny ${opts.deny.join(', ')}` : '',
      opts.cloudTrailRateLimit === false ? 'CloudTrail rate limit off' : `CloudTrail ${opts.cloudTrailRateLimit} req/s per region`,
    ].filter(Boolean);
    ctx.io.info(`Sandbox (${opts.scenario}) listening on ${sandbox.endpoint}: ${knobs.join('; ')}.`);
    if (opts.statePath) ctx.io.info(`State: ${opts.statePath}`);
    ctx.io.info('Paste the lines above into a shell to use gd-ir or the AWS CLI against it. Ctrl-C stops it.');
  }
  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) resolve();
    else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await sandbox.close();
  return 0;
}

function reset(ctx: Context): number {
  const path = sandboxStatePath(ctx.stateDir, 'workshop');
  const existed = existsSync(path);
  rmSync(path, { force: true });
  if (ctx.globals.json) ctx.io.printJson({ schemaVersion: 1, reset: true, statePath: path, hadState: existed });
  else ctx.io.info(existed ? `Sandbox reset: the workshop scenario is restored (${path} removed).` : 'Sandbox reset: already in its initial state.');
  return 0;
}
