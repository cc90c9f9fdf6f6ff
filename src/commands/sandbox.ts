/**
 * `gd-ir sandbox`: run the AWS-compatible sandbox in the foreground, print how to point any AWS tool
 * at it, and serve until Ctrl-C. (`reset` and `export-logs` are subcommands with their own files.)
 */
import type { Context } from '../cli/context.js';
import { UsageError } from '../core/errors.js';
import { sandboxStatePath } from '../cli/sandbox-mode.js';
import type { SandboxInput, SandboxScenario } from '../cli/commands/sandbox.js';
import { sanitize } from '../core/sanitize.js';

export interface SandboxServeOptions {
  host: string;
  port: number;
  scenario: SandboxScenario;
  latencyMs: number;
  faultRate: number;
  faultSeed: number;
  deny: string[];
  cloudTrailRateLimit: number | false;
  statePath?: string;
  logRequests: boolean;
  /** The live attacker's interval (scenarios that have one); undefined: the scenario's default. */
  attackerIntervalMs?: number;
}

export function toServeOptions(ctx: Context, { options: o }: SandboxInput): SandboxServeOptions {
  return {
    host: o.host,
    port: o.port,
    scenario: o.scenario,
    latencyMs: o.latency,
    faultRate: o.faultRate,
    faultSeed: o.faultSeed,
    deny: o.deny,
    cloudTrailRateLimit: o.rateLimit,
    // The large scenario is for scale tests and keeps no state unless asked; the others share the --sandbox state.
    statePath: o.state ?? (o.scenario !== 'large' ? sandboxStatePath(ctx.stateDir, o.scenario) : undefined),
    logRequests: o.logRequests,
    ...(o.attackerInterval !== undefined ? { attackerIntervalMs: o.attackerInterval } : {}),
  };
}

export async function execute(ctx: Context, input: SandboxInput): Promise<number> {
  const opts = toServeOptions(ctx, input);
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
      ...(opts.attackerIntervalMs !== undefined ? { attackerIntervalMs: opts.attackerIntervalMs } : {}),
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
      attackerIntervalMs: sandbox.hasAttacker ? sandbox.knobs.attackerIntervalMs : null,
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
    if (sandbox.hasAttacker) {
      const every = sandbox.knobs.attackerIntervalMs;
      ctx.io.info(every > 0 ? `A live attacker keeps using its credentials every ${every / 1000}s (--attacker-interval 0 stops it).` : 'The live attacker is off (--attacker-interval 0).');
    }
    ctx.io.info('Paste the lines above into a shell to use gd-ir or the AWS CLI against it. Ctrl-C stops it.');
  }
  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) resolve();
    else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await sandbox.close();
  return 0;
}
