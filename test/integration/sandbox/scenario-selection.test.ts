/**
 * Which scenario `--sandbox` runs use: `gd-ir sandbox reset --scenario <name>` restores and selects it; the
 * GD_IR_SANDBOX_SCENARIO environment variable overrides the selection; the persistence timeline stays pinned across
 * runs once something changed, so a later run's history agrees with the audit log's times.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PERSISTENCE as P } from '../../../src/sandbox/scenarios/persistence-facts.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import { baseEnv, runInProcess } from '../../helpers/cli.js';

describe('--sandbox scenario selection', () => {
  let state: string;
  beforeEach(() => {
    state = mkdtempSync(join(tmpdir(), 'gd-ir-scenario-'));
  });
  afterEach(() => rmSync(state, { recursive: true, force: true }));
  const env = (extra: Record<string, string> = {}) => baseEnv({ XDG_STATE_HOME: state, ...extra });
  const ids = async (e: Record<string, string | undefined>): Promise<string[]> => {
    const r = await runInProcess(['--sandbox', 'findings', 'list', '--json'], { env: e });
    expect(r.code).toBe(0);
    return (JSON.parse(r.stdout) as Array<{ id: string }>).map((f) => f.id);
  };

  it('the workshop by default; sandbox reset --scenario persistence selects it; the environment overrides', async () => {
    expect(await ids(env())).toContain(WORKSHOP.findings.unauthorizedAccessCustom);
    const reset = await runInProcess(['sandbox', 'reset', '--scenario', 'persistence', '--json'], { env: env() });
    expect(reset.code).toBe(0);
    expect(JSON.parse(reset.stdout)).toMatchObject({ reset: true, scenario: 'persistence', statePath: join(state, 'gd-ir', 'sandbox', 'persistence.state.json') });
    expect(readFileSync(join(state, 'gd-ir', 'sandbox', 'scenario'), 'utf8').trim()).toBe('persistence');
    expect(await ids(env())).toEqual(expect.arrayContaining([P.findings.maliciousIp, P.findings.loggingDisabled]));
    expect(await ids(env({ GD_IR_SANDBOX_SCENARIO: 'workshop' }))).toContain(WORKSHOP.findings.unauthorizedAccessCustom);
    const bad = await runInProcess(['--sandbox', 'findings', 'list'], { env: env({ GD_IR_SANDBOX_SCENARIO: 'nope' }) });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("invalid GD_IR_SANDBOX_SCENARIO 'nope': expected one of workshop, large, org, persistence");
    // Back to the workshop.
    expect((await runInProcess(['sandbox', 'reset'], { env: env() })).code).toBe(0);
    expect(await ids(env())).toContain(WORKSHOP.findings.unauthorizedAccessCustom);
  });

  it('persistence: contain in one run, then investigate in another reads the same timeline and sees nothing in place', async () => {
    const e = env({ GD_IR_SANDBOX_SCENARIO: 'persistence' });
    const c = await runInProcess(['--sandbox', 'contain', P.findings.maliciousIp, '--all', '--yes', '--json'], { env: e });
    expect(c.code).toBe(0);
    const saved = JSON.parse(readFileSync(join(state, 'gd-ir', 'sandbox', 'persistence.state.json'), 'utf8')) as { anchor?: string };
    expect(saved.anchor).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const inv = await runInProcess(['--sandbox', 'investigate', P.findings.maliciousIp, '--json'], { env: e });
    const changes = (JSON.parse(inv.stdout) as { changes: Array<{ state: { status: string } }> }).changes;
    expect(changes).toHaveLength(10);
    expect(changes.filter((x) => x.state.status === 'present')).toEqual([]);
    const audit = JSON.parse((await runInProcess(['--sandbox', 'audit', '--json'], { env: e })).stdout) as { plans: unknown[] };
    expect(audit.plans).toHaveLength(1);
  });
});
