/**
 * Part 6, crash safety. test/integration/remediate/crash.test.ts covers a crash in the first step of a
 * deactivation and two racing deactivations; this file extends it to every step of both two-step
 * plans (deactivate + revoke sessions, and the undo: reactivate + restore sessions), to racing
 * two-step remediations, and to a log with a torn last line. The built binary kills itself
 * (GD_IR_TEST_CRASH_AFTER) after the intent record or after the API call; then the log must parse line
 * by line, `gd-ir audit` must report exactly the unfinished step, and the next run must reconcile it
 * and finish the job.
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { WORKSHOP } from '../../src/sandbox/scenarios/workshop-facts.js';
import { sandboxEnv } from '../helpers/sandbox.js';
import { assertNoLeaks, bin, gd, outputs, printSummary } from './harness.js';

const KEY = WORKSHOP.compromised.accessKeyId;
const USER = WORKSHOP.compromised.userName;
const POLICY = 'gd-ir-revoke-older-sessions';

interface Record_ {
  kind: 'intent' | 'outcome' | 'reconcile';
  operationId: string;
  action: string;
  statusAfter?: string | null;
}

interface AuditReport {
  operations: Array<{ operationId: string; state: string; action: string }>;
  dangling: Array<{ operationId: string; accessKeyId: string; action: string; reconcileCommand: string }>;
  corruptLines: unknown[];
}

const FORWARD = ['remediate', '--key', KEY, '--revoke-sessions', '--yes'];
const UNDO = ['remediate', '--key', KEY, '--reactivate', '--restore-sessions', '--yes'];

const SCENARIOS = [
  { plan: 'forward', argv: FORWARD, at: 'intent:deactivate', applied: { key: 'Active', policy: false } },
  { plan: 'forward', argv: FORWARD, at: 'call:deactivate', applied: { key: 'Inactive', policy: false } },
  { plan: 'forward', argv: FORWARD, at: 'intent:revoke-sessions', applied: { key: 'Inactive', policy: false } },
  { plan: 'forward', argv: FORWARD, at: 'call:revoke-sessions', applied: { key: 'Inactive', policy: true } },
  { plan: 'undo', argv: UNDO, at: 'intent:reactivate', applied: { key: 'Inactive', policy: true } },
  { plan: 'undo', argv: UNDO, at: 'call:reactivate', applied: { key: 'Active', policy: true } },
  { plan: 'undo', argv: UNDO, at: 'intent:restore-sessions', applied: { key: 'Active', policy: true } },
  { plan: 'undo', argv: UNDO, at: 'call:restore-sessions', applied: { key: 'Active', policy: false } },
] as const;

const counts = { crashes: 0, reconciled: 0, races: 0, auditLines: 0 };

describe('crash safety of remediation', () => {
  let sb: RunningSandbox;
  let dir: string;
  let log: string;
  beforeAll(async () => {
    sb = await startSandbox({ port: 0, cloudTrailRateLimit: false });
  });
  afterAll(async () => {
    await sb?.close();
    const scanned = assertNoLeaks();
    printSummary('crash safety', {
      'processes killed mid-remediation': counts.crashes,
      'dangling steps reconciled': counts.reconciled,
      'concurrent remediations': counts.races,
      'audit lines parsed': counts.auditLines,
      'outputs scanned for secrets': scanned,
    });
  });
  beforeEach(async () => {
    await sb.reset();
    sb.setKnobs({ latencyMs: 0 });
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = mkdtempSync(join(tmpdir(), 'gd-ir-crash-'));
    log = join(dir, 'audit.jsonl');
  });

  const env = (extra: Record<string, string> = {}) => sandboxEnv(sb, { XDG_STATE_HOME: dir, GD_IR_AUDIT_LOG: log, ...extra });
  const state = () => ({ key: sb.world.iam.accessKeys[KEY]?.status, policy: POLICY in (sb.world.iam.users[USER]?.inlinePolicies ?? {}) });
  /** The log, line by line: every line must be a whole JSON record. */
  const records = (): Record_[] => {
    if (!existsSync(log)) return [];
    const text = readFileSync(log, 'utf8');
    outputs.add('audit log', text);
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    counts.auditLines += lines.length;
    return lines.map((l) => JSON.parse(l) as Record_);
  };
  const audit = async (): Promise<AuditReport> => {
    const run = await gd(['audit', '--json'], { env: env() });
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as AuditReport;
  };
  const pairsComplete = (rs: Record_[]): boolean =>
    rs.filter((r) => r.kind === 'intent').every((i) => rs.filter((r) => r.operationId === i.operationId && r.kind !== 'intent').length === 1);

  for (const s of SCENARIOS) {
    it(`killed at ${s.at} (${s.plan}): the log parses, audit names the step, the next run reconciles and finishes`, { timeout: 30_000 }, async () => {
      if (s.plan === 'undo') {
        const contained = await gd(FORWARD, { env: env() });
        expect(contained.code, contained.stderr).toBe(0);
        expect(state()).toEqual({ key: 'Inactive', policy: true });
      }
      const before = records().length;

      const crashed = await bin(s.argv, { env: env({ GD_IR_TEST_CRASH_AFTER: s.at }) });
      counts.crashes++;
      expect(crashed.signal).toBe('SIGKILL');
      expect(state()).toEqual(s.applied);
      const afterCrash = records();
      const last = afterCrash.at(-1);
      expect(last).toMatchObject({ kind: 'intent', action: s.at.split(':')[1] });
      expect(pairsComplete(afterCrash.slice(0, -1))).toBe(true);

      const report = await audit();
      expect(report.corruptLines).toEqual([]);
      expect(report.dangling).toEqual([
        expect.objectContaining({ operationId: last?.operationId, accessKeyId: KEY, action: s.at.split(':')[1], reconcileCommand: expect.stringContaining(`gd-ir remediate --key ${KEY}`) }),
      ]);
      const human = await gd(['audit'], { env: env() });
      expect(human.code).toBe(0);
      expect(human.stdout).toContain('NO OUTCOME');
      expect(human.stderr).toContain('intent without outcome');

      const next = await gd(s.argv, { env: env() });
      expect(next.code, next.stderr).toBe(0);
      expect(state()).toEqual(s.plan === 'forward' ? { key: 'Inactive', policy: true } : { key: 'Active', policy: false });
      const final = records();
      expect(final.slice(0, afterCrash.length)).toEqual(afterCrash);
      const reconcile = final.find((r) => r.kind === 'reconcile' && r.operationId === last?.operationId);
      expect(reconcile).toBeDefined();
      counts.reconciled++;
      expect(pairsComplete(final)).toBe(true);
      const settled = await audit();
      expect(settled.dangling).toEqual([]);
      expect(settled.operations.length).toBe(final.filter((r) => r.kind === 'intent').length);
      expect(final.length).toBeGreaterThan(before);
    });
  }

  it('three processes contain the same key at once: complete record pairs, one consistent final state', { timeout: 30_000 }, async () => {
    sb.setKnobs({ latencyMs: 30 });
    const runs = await Promise.all([1, 2, 3].map(() => bin(FORWARD, { env: env() })));
    counts.races += runs.length;
    expect(runs.map((r) => r.code), runs.map((r) => r.stderr.split('\n').slice(-4).join('\n')).join('\n---\n')).toEqual([0, 0, 0]);
    expect(state()).toEqual({ key: 'Inactive', policy: true });
    const rs = records();
    expect(rs.filter((r) => r.kind === 'intent').length).toBeGreaterThanOrEqual(2);
    expect(pairsComplete(rs)).toBe(true);
    const report = await audit();
    expect(report.dangling).toEqual([]);
    expect(report.corruptLines).toEqual([]);
    // Every recorded outcome of a deactivation says what the key is now (at least one process changed it).
    const deactivations = rs.filter((r) => r.kind === 'outcome' && r.action === 'deactivate');
    expect(deactivations.length).toBeGreaterThanOrEqual(1);
    expect(deactivations.map((r) => r.statusAfter)).toEqual(deactivations.map(() => 'Inactive'));
  });

  it('a contain and an undo racing: both logged in full, every step with its outcome', { timeout: 30_000 }, async () => {
    const contained = await gd(FORWARD, { env: env() });
    expect(contained.code).toBe(0);
    await sb.reset();
    sb.setKnobs({ latencyMs: 30 });
    const runs = await Promise.all([bin(FORWARD, { env: env() }), bin(UNDO, { env: env() })]);
    counts.races += runs.length;
    for (const r of runs) expect([0, 1]).toContain(r.code);
    const rs = records();
    expect(pairsComplete(rs)).toBe(true);
    expect((await audit()).dangling).toEqual([]);
    // Opposite orders interleave, so either end state (or a mix) is legitimate; what matters is that each
    // process read back and recorded what it saw, and no step is left without its outcome.
    // The key starts Active, so the contain run has at least its deactivation to record.
    const outcomes = rs.filter((r) => r.kind === 'outcome');
    expect(outcomes.length).toBeGreaterThanOrEqual(1);
    expect(outcomes.filter((r) => r.statusAfter === undefined)).toEqual([]);
  });

  it('a torn last line (a write cut by power loss) is reported, not fatal, and later records still count', async () => {
    const first = await gd(FORWARD, { env: env() });
    expect(first.code).toBe(0);
    appendFileSync(log, '{"v":1,"kind":"intent","time":"2026-11-20T12:00:00.000Z","operationId":"torn-');
    const undo = await gd(UNDO, { env: env() });
    expect(undo.code, undo.stderr).toBe(0);
    const report = await audit();
    expect(report.corruptLines.length).toBe(1);
    expect(report.dangling).toEqual([]);
    expect(report.operations.map((o) => o.action)).toEqual(['deactivate', 'revoke-sessions', 'reactivate', 'restore-sessions']);
    const human = await gd(['audit'], { env: env() });
    expect(human.code).toBe(0);
    expect(state()).toEqual({ key: 'Active', policy: false });
  });
});
