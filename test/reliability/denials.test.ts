/**
 * Part 2, permanent denials: every operation each command calls is denied in turn (AccessDenied from the
 * sandbox). The command then either degrades (exit 0, a warning naming the denied IAM action, the rest of
 * the output present) or stops (exit 4, the action named, a remedy). Never a stack trace, never exit 1,
 * never a section silently missing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { WORKSHOP } from '../../src/sandbox/scenarios/workshop-facts.js';
import { sandboxEnv } from '../helpers/sandbox.js';
import { FIXED_NOW, STACK_FRAME, assertNoLeaks, gd, outputs, printSummary } from './harness.js';

const F = WORKSHOP.findings;
const KEY = WORKSHOP.compromised.accessKeyId;
const IAM_PREFIX: Record<string, string> = { guardduty: 'guardduty', cloudtrail: 'cloudtrail', iam: 'iam', sts: 'sts' };
const DENY_LABEL: Record<string, string> = { guardduty: 'GuardDuty', cloudtrail: 'CloudTrail', iam: 'IAM', sts: 'STS' };

const instantClock = { now: () => new Date(FIXED_NOW.getTime()), sleep: async (_ms: number, signal?: AbortSignal) => signal?.throwIfAborted() };

interface Case {
  name: string;
  argv: string[];
  /** Changes the sandbox (reset before each run). */
  mutates?: boolean;
  /**
   * A write command: when a write is denied it still prints, with exit 4, what each step did (a change
   * already made must be reported), and that result names the denied action.
   */
  reportsSteps?: boolean;
}

const CASES: Case[] = [
  { name: 'findings list', argv: ['findings', 'list', '--all'] },
  { name: 'findings show', argv: ['findings', 'show', F.unauthorizedAccessCustom] },
  { name: 'trail --finding --follow', argv: ['trail', '--finding', F.unauthorizedAccessCustom, '--follow'] },
  { name: 'trail --key', argv: ['trail', '--key', KEY, '--regions', 'us-west-2,us-east-1'] },
  { name: 'policies user', argv: ['policies', WORKSHOP.developer.userName] },
  { name: 'policies --role', argv: ['policies', '--role', WORKSHOP.role.roleName] },
  { name: 'policies --key', argv: ['policies', '--key', KEY] },
  { name: 'investigate (user)', argv: ['investigate', F.unauthorizedAccessCustom] },
  { name: 'investigate (role)', argv: ['investigate', F.credentialExfiltration] },
  { name: 'remediate --dry-run', argv: ['remediate', '--key', KEY, '--revoke-sessions', '--dry-run'] },
  { name: 'remediate --yes', argv: ['remediate', '--key', KEY, '--revoke-sessions', '--yes'], mutates: true, reportsSteps: true },
];

const counts = { commands: 0, operations: 0, runs: 0, degraded: 0, stopped: 0 };

describe('permanent denials: every operation of every command, in turn', () => {
  let sb: RunningSandbox;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gd-ir-denials-'));
    sb = await startSandbox({ port: 0, cloudTrailRateLimit: false, now: () => new Date(FIXED_NOW.getTime()) });
  });
  afterAll(async () => {
    await sb?.close();
    const auditLog = join(dir, 'audit.jsonl');
    outputs.addFile('denials audit log', auditLog);
    rmSync(dir, { recursive: true, force: true });
    const scanned = assertNoLeaks();
    printSummary('permanent denials', {
      commands: counts.commands,
      'operations denied': counts.operations,
      runs: counts.runs,
      'degraded with a warning': counts.degraded,
      'stopped with exit 4': counts.stopped,
      'outputs scanned for secrets': scanned,
    });
  });

  const env = () => sandboxEnv(sb, { XDG_STATE_HOME: dir, GD_IR_AUDIT_LOG: join(dir, 'audit.jsonl') });

  for (const c of CASES) {
    it(`${c.name}: each denied operation degrades with a warning or stops with exit 4`, { timeout: 60_000 }, async () => {
      if (c.mutates) await sb.reset();
      sb.setKnobs({ deny: [] });
      const from = sb.requests.length;
      const base = await gd([...c.argv, '--json'], { env: env(), clock: instantClock });
      expect(base.code, base.stderr).toBe(0);
      const baseJson = JSON.parse(base.stdout) as Record<string, unknown>;
      // AWS lets every identity call sts:GetCallerIdentity, even under an explicit deny: not a denial to rehearse.
      const ops = [...new Set(sb.requests.slice(from).map((r) => `${r.service}:${r.operation}`))].filter((op) => op !== 'sts:GetCallerIdentity');
      expect(ops.length).toBeGreaterThan(0);
      counts.commands++;

      const problems: string[] = [];
      for (const op of ops) {
        const [service = '', operation = ''] = op.split(':');
        const action = `${IAM_PREFIX[service]}:${operation}`;
        counts.operations++;
        for (const mode of ['json', 'human'] as const) {
          if (c.mutates) await sb.reset();
          sb.setKnobs({ deny: [`${DENY_LABEL[service]}:${operation}`] });
          const before = sb.requests.length;
          const run = await gd(mode === 'json' ? [...c.argv, '--json'] : c.argv, { env: env(), clock: instantClock });
          sb.setKnobs({ deny: [] });
          counts.runs++;
          const denied = sb.requests.slice(before).filter((r) => r.fault === 'denied').length;
          const where = `${c.name} [${mode}] with ${action} denied`;
          if (denied === 0) problems.push(`${where}: the operation was not called again (the test's assumption broke)`);
          if (STACK_FRAME.test(run.stderr) || STACK_FRAME.test(run.stdout)) problems.push(`${where}: stack trace`);
          const mentions = run.stderr.toLowerCase().includes(action.toLowerCase());
          if (run.code === 0) {
            counts.degraded++;
            if (!mentions) problems.push(`${where}: exit 0 but no warning names ${action}; stderr: ${run.stderr.slice(0, 300)}`);
            if (mode === 'json') {
              try {
                const json = JSON.parse(run.stdout) as Record<string, unknown>;
                const missing = Object.keys(baseJson).filter((k) => !(k in json));
                if (missing.length > 0) problems.push(`${where}: JSON lost ${missing.join(', ')}`);
              } catch {
                problems.push(`${where}: exit 0 without a JSON document on stdout`);
              }
            } else if (run.stdout.trim() === '') problems.push(`${where}: exit 0 with nothing on stdout`);
          } else if (run.code === 4) {
            counts.stopped++;
            if (run.stdout !== '' && !(c.reportsSteps && run.stdout.includes(action))) problems.push(`${where}: exit 4 with unrelated output on stdout`);
            if (c.reportsSteps && mode === 'json' && run.stdout !== '') {
              const steps = (JSON.parse(run.stdout) as { steps?: Array<{ error: string | null }> }).steps ?? [];
              if (!steps.some((s) => s.error?.includes(action))) problems.push(`${where}: no step reports the denial`);
            }
            if (!mentions) problems.push(`${where}: exit 4 without naming ${action}: ${run.stderr.slice(0, 300)}`);
            const remedy = mode === 'json' ? /"remedy":"[^"]+"/.test(run.stderr) : /^hint: .+/m.test(run.stderr);
            if (!remedy) problems.push(`${where}: exit 4 without a remedy: ${run.stderr.slice(0, 300)}`);
          } else {
            problems.push(`${where}: exit ${run.code} (expected 0 with a warning, or 4); stderr: ${run.stderr.slice(0, 300)}`);
          }
        }
      }
      expect(problems).toEqual([]);
    });
  }
});
