/**
 * Part 7, pipes and signals, with the built binary:
 * - `gd-ir <listing> | head -1` and `gd-ir <listing> | true` (the reader gone before the first byte):
 *   gd-ir exits 0 (PIPESTATUS) and stderr holds nothing but lines a fully read run prints too (its
 *   warnings and hints; no EPIPE, no stack), for every listing command, with enough output to overflow
 *   the pipe buffer;
 * - SIGINT during a long, paced trail (300 ms latency, CloudTrail's 2 requests/s limit on) stops it within
 *   2 s, exit 130, and stdout holds nothing or whole JSON documents (never a cut one).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { LARGE } from '../../src/sandbox/scenarios/large-facts.js';
import { BIN } from '../helpers/bin.js';
import { sandboxEnv } from '../helpers/sandbox.js';
import { STACK_FRAME, assertNoLeaks, gd, outputs, printSummary, sh } from './harness.js';

const LARGE_PARAMS = { findings: 1500, users: 20, eventsPerKey: 3000 };
const counts = { pipelines: 0, signals: 0 };

describe('pipes and signals (built binary)', () => {
  let sb: RunningSandbox;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gd-ir-pipes-'));
    sb = await startSandbox({ port: 0, scenario: 'large', scenarioParams: LARGE_PARAMS, cloudTrailRateLimit: false });
    // A long audit log: one real remediation's records, repeated with fresh operation IDs.
    const log = join(dir, 'audit.jsonl');
    const run = await gd(['remediate', '--key', LARGE.busy.accessKeyId, '--yes'], { env: env() });
    expect(run.code, run.stderr).toBe(0);
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    const copies: string[] = [];
    for (let i = 0; i < 1500; i++) for (const l of lines) copies.push(l.replace(/"operationId":"[^"]+"/, `"operationId":"op-${i}"`));
    writeFileSync(log, `${copies.join('\n')}\n`);
  });
  afterAll(async () => {
    await sb?.close();
    rmSync(dir, { recursive: true, force: true });
    const scanned = assertNoLeaks();
    printSummary('pipes and signals', { 'pipelines closed early': counts.pipelines, 'SIGINTs during a paced trail': counts.signals, 'outputs scanned for secrets': scanned });
  });

  function env(extra: Record<string, string> = {}) {
    return sandboxEnv(sb, { XDG_STATE_HOME: dir, GD_IR_AUDIT_LOG: join(dir, 'audit.jsonl'), ...extra });
  }

  const LISTINGS: Array<{ name: string; args: string }> = [
    { name: 'findings list', args: 'findings list --all --all-pages' },
    { name: 'findings list --json', args: 'findings list --all --all-pages --json' },
    { name: 'trail', args: `trail --key ${LARGE.busy.accessKeyId} --since 1d --regions us-west-2,us-east-1,eu-west-1 --rate 10` },
    { name: 'trail --jsonl', args: `trail --key ${LARGE.busy.accessKeyId} --since 1d --regions us-west-2 --rate 10 --jsonl` },
    { name: 'policies', args: `policies ${LARGE.busy.userName} --documents` },
    { name: 'audit', args: 'audit' },
    { name: 'audit --json', args: 'audit --json' },
  ];

  it('`| head -1` and `| true`: gd-ir exits 0 and adds nothing to stderr', { timeout: 120_000 }, async () => {
    const problems: string[] = [];
    for (const l of LISTINGS) {
      // What the command says on stderr when its whole output is read (warnings, hints): closing the
      // pipe early may cut that short but must add nothing to it.
      const full = await sh(`gd ${l.args} >/dev/null`, env());
      expect(full.code, full.stderr).toBe(0);
      const normal = new Set(full.stderr.split('\n').filter(Boolean));
      // The reader keeps one line, or nothing at all; stderr of gd-ir alone goes to a file.
      for (const reader of ['head -1', 'true']) {
        const err = join(dir, 'stderr.txt');
        const run = await sh(`set -o pipefail; gd ${l.args} 2>${JSON.stringify(err)} | ${reader}; echo "status \${PIPESTATUS[0]}" >&2`, env());
        counts.pipelines++;
        const stderr = readFileSync(err, 'utf8');
        outputs.add(`${l.name} | ${reader} (stderr)`, stderr);
        const status = /status (\d+)/.exec(run.stderr)?.[1];
        const where = `${l.name} | ${reader}`;
        if (status !== '0') problems.push(`${where}: gd-ir exited ${status}; stderr ${JSON.stringify(stderr.slice(0, 300))}`);
        const extra = stderr.split('\n').filter((line) => line !== '' && !normal.has(line));
        if (extra.length > 0) problems.push(`${where}: stderr noise ${JSON.stringify(extra.slice(0, 3))}`);
        if (reader === 'head -1' && run.stdout.split('\n').filter(Boolean).length !== 1) problems.push(`${where}: stdout ${JSON.stringify(run.stdout.slice(0, 200))}`);
      }
    }
    expect(problems).toEqual([]);
  });

  /** Start the binary, send SIGINT once it has made `afterRequests` LookupEvents calls, and time the exit. */
  function interrupt(args: string[], afterRequests: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; exitMs: number }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...args], { env: env() as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      let sentAt = 0;
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const start = sb.requests.length;
      const poll = setInterval(() => {
        if (sentAt === 0 && sb.requests.slice(start).filter((r) => r.operation === 'LookupEvents').length >= afterRequests) {
          sentAt = performance.now();
          child.kill('SIGINT');
        }
      }, 20);
      const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('error', reject);
      child.on('close', (code, signal) => {
        clearInterval(poll);
        clearTimeout(guard);
        outputs.addRun(`SIGINT gd-ir ${args.join(' ')}`, { stdout, stderr });
        resolve({ code, signal, stdout, stderr, exitMs: sentAt === 0 ? Number.NaN : performance.now() - sentAt });
      });
    });
  }

  for (const mode of ['--json', '--jsonl', 'human'] as const) {
    it(`SIGINT during a long paced trail (${mode}): exit 130 within 2 s, no partial JSON`, { timeout: 40_000 }, async () => {
      sb.setKnobs({ latencyMs: 300, cloudTrailRateLimit: 2 });
      try {
        const args = ['trail', '--key', LARGE.busy.accessKeyId, '--since', '1d', '--regions', 'us-west-2,us-east-1,eu-west-1', ...(mode === 'human' ? [] : [mode])];
        const run = await interrupt(args, 6);
        counts.signals++;
        expect(Number.isNaN(run.exitMs), 'the trail ended before it could be interrupted').toBe(false);
        // A correctness bound, not a benchmark: in-flight requests are aborted, not awaited.
        expect(run.exitMs).toBeLessThan(2000);
        expect(run.code, `exit after ${Math.round(run.exitMs)} ms; stderr ${JSON.stringify(run.stderr)}`).toBe(130);
        expect(run.stderr).not.toMatch(STACK_FRAME);
        if (mode === '--json') {
          if (run.stdout !== '') expect(() => JSON.parse(run.stdout)).not.toThrow();
          expect(JSON.parse(run.stderr.trim().split('\n').pop() ?? '{}')).toMatchObject({ error: { code: expect.any(String) } });
        } else if (mode === '--jsonl') {
          expect(run.stdout === '' || run.stdout.endsWith('\n')).toBe(true);
          for (const line of run.stdout.split('\n').filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
        } else {
          // Ctrl-C is the user's choice, not an error: no "error:" line (src/cli/run.ts), and the trail,
          // printed only once complete, leaves nothing half-drawn on stdout.
          expect(run.stderr).not.toMatch(/^error:/m);
          expect(run.stdout).toBe('');
        }
      } finally {
        sb.setKnobs({ latencyMs: 0, cloudTrailRateLimit: false });
      }
    });
  }
});
