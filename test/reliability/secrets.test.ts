/**
 * Part 5, secrets: every command with --debug (which logs each request's headers and body), signed with
 * the analyst's key, a compromised key and a session (with a session token), through faults and
 * denials, in process and as the built binary. No secret access key, session token or SigV4 signature
 * may appear in stdout, stderr, the Markdown report or the audit log. Every other file of the suite
 * scans its own outputs the same way (harness `assertNoLeaks`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, SANDBOX_CREDENTIALS, type RunningSandbox } from '../../src/sandbox/index.js';
import { WORKSHOP } from '../../src/sandbox/scenarios/workshop-facts.js';
import { sandboxEnv } from '../helpers/sandbox.js';
import { FAKE_SESSION_TOKEN, STACK_FRAME, assertNoLeaks, bin, gd, outputs, printSummary } from './harness.js';

const F = WORKSHOP.findings;
const KEY = WORKSHOP.compromised.accessKeyId;

const IDENTITIES = {
  analyst: { AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey },
  'analyst with a session token': {
    AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: FAKE_SESSION_TOKEN,
  },
  'compromised key': { AWS_ACCESS_KEY_ID: KEY, AWS_SECRET_ACCESS_KEY: WORKSHOP.compromised.secretAccessKey },
  'derived session': {
    AWS_ACCESS_KEY_ID: WORKSHOP.compromised.derivedSessionKeyId,
    AWS_SECRET_ACCESS_KEY: WORKSHOP.compromised.derivedSessionSecret,
    AWS_SESSION_TOKEN: FAKE_SESSION_TOKEN,
  },
} as const;

const counts = { runs: 0, binaryRuns: 0, debugLines: 0 };

describe('secrets never reach any output', () => {
  let sb: RunningSandbox;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gd-ir-secrets-'));
    sb = await startSandbox({ port: 0, cloudTrailRateLimit: false });
  });
  afterAll(async () => {
    await sb?.close();
    outputs.addFile('audit log', join(dir, 'audit.jsonl'));
    rmSync(dir, { recursive: true, force: true });
    const scanned = assertNoLeaks();
    printSummary('secrets', { 'runs with --debug': counts.runs, 'of them the built binary': counts.binaryRuns, 'debug lines': counts.debugLines, 'outputs scanned for secrets': scanned });
  });

  const env = (identity: keyof typeof IDENTITIES, extra: Record<string, string> = {}) => ({
    ...sandboxEnv(sb, { XDG_STATE_HOME: dir, GD_IR_AUDIT_LOG: join(dir, 'audit.jsonl'), ...extra }),
    AWS_SESSION_TOKEN: undefined,
    ...IDENTITIES[identity],
  });

  const COMMANDS: string[][] = [
    ['findings', 'list', '--all'],
    ['findings', 'list', '--json', '--regions', 'us-west-2,us-east-1'],
    ['findings', 'show', F.hostileKali, '--json'],
    ['trail', '--finding', F.unauthorizedAccessCustom, '--follow', '--rate', '10'],
    ['trail', '--key', WORKSHOP.compromised.derivedSessionKeyId, '--since', '2h', '--jsonl', '--raw'],
    ['policies', WORKSHOP.developer.userName, '--documents'],
    ['policies', '--key', KEY, '--json'],
    ['investigate', F.unauthorizedAccessCustom, '--rate', '10'],
    ['remediate', '--key', KEY, '--revoke-sessions', '--dry-run'],
    ['audit'],
  ];

  it('every command, every identity, with --debug', { timeout: 120_000 }, async () => {
    const problems: string[] = [];
    for (const identity of Object.keys(IDENTITIES) as Array<keyof typeof IDENTITIES>) {
      for (const argv of COMMANDS) {
        const run = await gd([...argv, '--debug'], { env: env(identity) });
        counts.runs++;
        counts.debugLines += run.stderr.split('\n').filter((l) => /^\[(aws|http)\]/.test(l)).length;
        if (STACK_FRAME.test(run.stdout)) problems.push(`${identity} ${argv.join(' ')}: stack trace on stdout`);
        // Every identity but the analyst is refused somewhere: the error paths are logged too.
        if (identity.startsWith('analyst') && run.code !== 0) problems.push(`${identity} ${argv.join(' ')}: exit ${run.code}: ${run.stderr.slice(-300)}`);
      }
    }
    expect(problems).toEqual([]);
    // The scan means something only if --debug logged signed requests (redacted) and error stacks.
    const all = outputs.leaks().length === 0;
    expect(all).toBe(true);
    expect(counts.debugLines).toBeGreaterThan(500);
  });

  it('a remediation and its undo, with --debug, leave no secret in the audit log or outputs', async () => {
    for (const argv of [
      ['remediate', '--key', KEY, '--revoke-sessions', '--yes'],
      ['remediate', '--key', KEY, '--reactivate', '--restore-sessions', '--yes', '--json'],
    ]) {
      const run = await gd([...argv, '--debug'], { env: env('analyst with a session token') });
      counts.runs++;
      expect(run.code, run.stderr.slice(-400)).toBe(0);
      expect(run.stderr).toContain('Signature=[redacted]');
      expect(run.stderr).toContain('"x-amz-security-token":"[redacted]"');
    }
    outputs.addFile('audit log after remediation', join(dir, 'audit.jsonl'));
    const audit = await gd(['audit', '--json', '--debug'], { env: env('analyst') });
    expect((JSON.parse(audit.stdout) as { operations: unknown[] }).operations.length).toBeGreaterThanOrEqual(4);
    assertNoLeaks();
  });

  it('through transient faults and denials, with --debug (retries and error paths are logged)', async () => {
    sb.setKnobs({ faultRate: 0.3, faultSeed: 11, deny: ['IAM:ListGroupsForUser', 'CloudTrail:LookupEvents'] });
    try {
      for (const argv of [
        ['investigate', F.unauthorizedAccessCustom, '--json'],
        ['policies', WORKSHOP.developer.userName],
        ['trail', '--key', KEY],
      ]) {
        const run = await gd([...argv, '--debug'], { env: env('analyst with a session token') });
        counts.runs++;
        expect([0, 4]).toContain(run.code);
      }
    } finally {
      sb.setKnobs({ faultRate: 0, deny: [] });
    }
  });

  it('the built binary with --debug, and --sandbox mode (which holds the sandbox secret itself)', async () => {
    const runs = [
      await bin(['findings', 'list', '--debug'], { env: env('analyst with a session token') }),
      await bin(['investigate', F.credentialExfiltration, '--debug', '--report', join(dir, 'report.md')], { env: env('compromised key') }),
      await bin(['--sandbox', 'findings', 'show', F.unauthorizedAccessCustom, '--debug'], {
        env: { ...sandboxEnv(sb, { XDG_STATE_HOME: dir }), AWS_ENDPOINT_URL: undefined, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined },
      }),
      await bin(['--sandbox', 'trail', '--key', KEY, '--since', '1h', '--debug', '--json'], {
        env: { ...sandboxEnv(sb, { XDG_STATE_HOME: dir }), AWS_ENDPOINT_URL: undefined, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined },
      }),
    ];
    counts.binaryRuns += runs.length;
    counts.runs += runs.length;
    outputs.addFile('report', join(dir, 'report.md'));
    // The compromised key may read less than the analyst: a degraded report (0) or a refusal (4) are both fine here.
    expect(runs.map((r) => (r.code === 4 ? 0 : r.code))).toEqual([0, 0, 0, 0]);
    for (const r of runs) expect(r.stderr).toMatch(/Signature=\[redacted\]/);
    assertNoLeaks();
  });
});
