/**
 * Processes that die between intent and outcome, and processes that race: the built CLI is spawned
 * (through tsx) against a sandbox started in this test process.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runInProcess } from '../../helpers/cli.js';
import { useSandbox } from '../../helpers/sandbox.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import type { AuditRecord } from '../../../src/core/audit.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const ENTRY = join(ROOT, 'src/cli/entry.ts');
const KEY = WORKSHOP.compromised.accessKeyId;

interface Spawned {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function spawnNode(args: string[], env: Record<string, string | undefined>): Promise<Spawned> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
}

describe('remediation interrupted or raced (spawned processes)', () => {
  const sb = useSandbox();
  let dir: string;
  let auditLog: string;

  beforeEach(async () => {
    await sb.get().reset();
    dir = mkdtempSync(join(tmpdir(), 'gd-ir-crash-'));
    auditLog = join(dir, 'audit.jsonl');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const env = (extra: Record<string, string> = {}) => ({ ...sb.env({ GD_IR_AUDIT_LOG: auditLog, ...extra }), NODE_OPTIONS: undefined });
  const records = (): AuditRecord[] => (existsSync(auditLog) ? readFileSync(auditLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AuditRecord) : []);
  const keyStatus = () => sb.get().world.iam.accessKeys[KEY]?.status;
  const gdIr = (args: string[], extra: Record<string, string> = {}) => spawnNode([ENTRY, ...args], env(extra));

  it('killed after the intent (before the call): audit reports it; the next run reconciles, then acts', async () => {
    const crashed = await gdIr(['remediate', '--key', KEY, '--yes'], { GD_IR_TEST_CRASH_AFTER: 'intent' });
    expect(crashed.signal).toBe('SIGKILL');
    expect(keyStatus()).toBe('Active');
    expect(records().map((r) => r.kind)).toEqual(['intent']);

    const audit = await runInProcess(['audit', '--json'], { env: env() });
    expect(audit.code).toBe(0);
    const report = JSON.parse(audit.stdout);
    expect(report.dangling).toHaveLength(1);
    expect(report.dangling[0]).toMatchObject({ accessKeyId: KEY, action: 'deactivate', reconcileCommand: `gd-ir remediate --key ${KEY}` });
    const human = await runInProcess(['audit'], { env: env() });
    expect(human.stdout).toContain('NO OUTCOME');
    expect(human.stderr).toContain('intent without outcome: the process stopped between the intent to deactivate');

    const next = await gdIr(['remediate', '--key', KEY, '--yes']);
    expect(next.code).toBe(0);
    expect(next.stderr).toContain('the change did not take effect (still Active)');
    expect(next.stdout).toBe(`✔ ${KEY} is now Inactive (verified)\n`);
    expect(records().map((r) => r.kind)).toEqual(['intent', 'reconcile', 'intent', 'outcome']);
    expect(records()[1]).toMatchObject({ operationId: records()[0]!.operationId, statusAfter: 'Active' });
    const after = JSON.parse((await runInProcess(['audit', '--json'], { env: env() })).stdout);
    expect(after.dangling).toEqual([]);
  });

  it('killed after the call (before the outcome): the next run finds the change in effect', async () => {
    const crashed = await gdIr(['remediate', '--key', KEY, '--yes'], { GD_IR_TEST_CRASH_AFTER: 'call' });
    expect(crashed.signal).toBe('SIGKILL');
    expect(keyStatus()).toBe('Inactive');
    expect(records().map((r) => r.kind)).toEqual(['intent']);

    const next = await runInProcess(['remediate', '--key', KEY, '--yes'], { env: env() });
    expect(next.code).toBe(0);
    expect(next.stderr).toContain('the change is in effect (Active → Inactive)');
    expect(next.stdout).toBe(`• ${KEY} is already inactive; nothing changed\n`);
    const log = records();
    expect(log.map((r) => r.kind)).toEqual(['intent', 'reconcile']);
    expect(log[1]).toMatchObject({ operationId: log[0]!.operationId, statusAfter: 'Inactive', verified: true });
  });

  it('two concurrent remediations of the same key: complete record pairs, one consistent final state', async () => {
    sb.get().setKnobs({ latencyMs: 40 });
    try {
      const [a, b] = await Promise.all([gdIr(['remediate', '--key', KEY, '--yes']), gdIr(['remediate', '--key', KEY, '--yes'])]);
      expect([a.code, b.code]).toEqual([0, 0]);
      const changedRuns = [a, b].filter((r) => r.stdout === `✔ ${KEY} is now Inactive (verified)\n`).length;
      const noopRuns = [a, b].filter((r) => r.stdout === `• ${KEY} is already inactive; nothing changed\n`).length;
      expect(changedRuns + noopRuns).toBe(2);
      expect(changedRuns).toBeGreaterThanOrEqual(1);
      const log = records();
      const intents = log.filter((r) => r.kind === 'intent');
      const outcomes = log.filter((r) => r.kind === 'outcome');
      expect(intents).toHaveLength(changedRuns);
      expect(outcomes.map((o) => o.operationId).sort()).toEqual(intents.map((i) => i.operationId).sort());
      expect(outcomes.every((o) => o.verified === true && o.statusAfter === 'Inactive')).toBe(true);
      expect(log.filter((r) => r.kind === 'reconcile')).toEqual([]);
      expect(keyStatus()).toBe('Inactive');
    } finally {
      sb.get().setKnobs({ latencyMs: 0 });
    }
  });

  it('concurrent writers never interleave partial lines', async () => {
    const script = join(dir, 'writer.ts');
    const code = `
      import { AuditLog } from ${JSON.stringify(join(ROOT, 'src/audit/audit-log.ts'))};
      const log = new AuditLog(process.argv[2]);
      const pad = 'x'.repeat(3000);
      for (let i = 0; i < 150; i++) {
        log.append({ v: 1, kind: 'intent', time: new Date().toISOString(), operationId: process.pid + '-' + i, action: 'deactivate',
          accessKeyId: 'AKIAQCOMPROMISED0EX1', userName: pad, findingId: null, accountId: '111122223333', region: 'us-west-2',
          callerArn: 'arn', statusBefore: 'Active', statusAfter: 'Inactive', verified: null, error: null, gdIrVersion: 't' }, { durable: i % 10 === 0 });
      }
    `;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(script, code);
    const runs = await Promise.all([1, 2, 3, 4].map(() => spawnNode([script, auditLog], { PATH: process.env.PATH })));
    expect(runs.map((r) => [r.code, r.stderr])).toEqual([[0, ''], [0, ''], [0, ''], [0, '']]);
    const lines = readFileSync(auditLog, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(600);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });
});
