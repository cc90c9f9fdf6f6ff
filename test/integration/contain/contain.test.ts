/**
 * The persistence scenario end to end through the real SDK: investigate lists every change with its state;
 * `contain --all --yes` leaves no attacker artifact in place (read from the sandbox's state), audits every step, and
 * `watch` afterwards sees no successful call while the attacker keeps calling; after a single-key `remediate`, watch
 * reports the backdoor's calls as a failure; a failure injected at step 3 stops the plan there; `--undo` reverses it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/cli/context.js';
import type { AuditRecord } from '../../../src/core/audit.js';
import { PERSISTENCE as P } from '../../../src/sandbox/scenarios/persistence-facts.js';
import { PERSISTENCE_TRUST_BEFORE } from '../../../src/sandbox/scenarios/persistence.js';
import { runInProcess, ScriptedPrompter } from '../../helpers/cli.js';
import { useSandbox } from '../../helpers/sandbox.js';

const F = P.findings.maliciousIp;
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const QUARANTINE_V3 = 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3';
const POLICY = `arn:aws:iam::${P.accountId}:policy/${P.policy.policyName}`;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('the persistence incident (sandbox)', () => {
  const sb = useSandbox({ scenario: 'persistence', attackerIntervalMs: 0 });
  let dir: string;
  let auditLog: string;
  beforeEach(async () => {
    await sb.get().reset();
    sb.get().setKnobs({ deny: [] });
    dir = mkdtempSync(join(tmpdir(), 'gd-ir-contain-'));
    auditLog = join(dir, 'audit.jsonl');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const env = (): Record<string, string | undefined> => sb.env({ GD_IR_AUDIT_LOG: auditLog });
  const world = () => sb.get().world;
  const records = (): AuditRecord[] => (existsSync(auditLog) ? readFileSync(auditLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AuditRecord) : []);
  const writes = (from: number) => sb.get().requests.slice(from).filter((r) => /^(Update|Put|Delete|Detach|Attach|Set|Start|Stop|Create)/.test(r.operation));

  /**
   * A clock for `watch`: real time at first, then each wait of the watch loop (never the limiter's short waits)
   * advances it and lets the attacker make its calls at that instant, so no test sleeps.
   */
  function attackerClock(): Clock & { ticks: number } {
    let now = Date.now() + 1_000;
    const clock = {
      ticks: 0,
      now: () => new Date(now),
      sleep: async (ms: number, signal?: AbortSignal) => {
        if (signal?.aborted) throw signal.reason ?? new Error('aborted');
        now += ms;
        if (ms >= 5_000) {
          clock.ticks++;
          sb.get().tickAttacker(new Date(now - 1_000));
        }
      },
    };
    return clock;
  }

  it('investigate lists every change the attacker made, with its state read back and the command that contains them all', async () => {
    const r = await runInProcess(['investigate', F, '--json'], { env: env() });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Json;
    const changes = j.changes as Json[];
    expect(Object.keys(changes[0] ?? {})).toEqual(['time', 'eventName', 'service', 'region', 'actor', 'category', 'resource', 'state', 'undo']);
    const row = (name: string, id?: string) => changes.find((c) => c.eventName === name && (id === undefined || c.resource.id === id));
    expect(changes.map((c) => c.eventName).sort()).toEqual(
      ['AttachUserPolicy', 'CreateAccessKey', 'CreateAccessKey', 'CreateFunction20150331', 'CreateLoginProfile', 'CreatePolicyVersion', 'CreateUser', 'SetDefaultPolicyVersion', 'StopLogging', 'UpdateAssumeRolePolicy'].sort(),
    );
    expect(row('CreateUser')).toMatchObject({ category: 'persistence', actor: { accessKeyId: P.compromised.accessKeyId, kind: 'principal' }, resource: { type: 'AWS::IAM::User', id: P.backdoor.userName }, state: { status: 'present' } });
    expect(row('CreateAccessKey', P.backdoor.accessKeyId)).toMatchObject({ state: { status: 'present', detail: `${P.backdoor.accessKeyId} is Active` }, undo: { reversible: true } });
    // Followed one hop further: the backdoor key made a key for reporting-svc.
    expect(row('CreateAccessKey', P.loginUser.attackerKeyId)).toMatchObject({ actor: { accessKeyId: P.backdoor.accessKeyId, kind: 'created-key' }, state: { status: 'present' } });
    expect(row('CreateLoginProfile')).toMatchObject({ resource: { id: P.loginUser.userName }, state: { status: 'present' }, undo: { reversible: false } });
    expect(row('AttachUserPolicy')).toMatchObject({ category: 'privilege-escalation', state: { status: 'present', detail: `AdministratorAccess is attached to user ${P.backdoor.userName}` } });
    expect(row('UpdateAssumeRolePolicy')?.state).toEqual({ status: 'present', detail: `role ${P.role.roleName} still trusts arn:aws:iam::${P.role.outsideAccount}:root` });
    expect(row('SetDefaultPolicyVersion')?.state.status).toBe('present');
    expect(row('StopLogging')).toMatchObject({ category: 'defense-evasion', resource: { type: 'AWS::CloudTrail::Trail', id: P.trail.name }, state: { status: 'present' } });
    expect(row('CreateFunction20150331')).toMatchObject({ service: 'lambda', state: { status: 'unknown', detail: expect.stringContaining('not read') }, undo: { command: null } });
    expect(j.recommendation.action).toBe('contain-incident');
    expect(j.recommendation.commands).toEqual([`gd-ir contain ${F}`]);
    expect(j.recommendation.watch).toEqual([`gd-ir watch --finding ${F}`]);
    const human = await runInProcess(['investigate', F], { env: env() });
    expect(human.stdout.split('\n')[1]).toMatch(/· 9 attacker changes still in place$/);
    expect(human.stdout).toMatch(/── 5\. Changes ─+\n {2}10 successful writes by the principal and 4 credentials it minted or created: 9 still in place, 1 not read\./);
  });

  it('contain --all --yes: every step verified and audited, no attacker artifact left in place, and watch sees no success while the attacker keeps calling', async () => {
    const r = await runInProcess(['contain', F, '--all', '--yes'], { env: env() });
    expect(r.stderr).toContain(`Containment plan`);
    expect(r.code).toBe(0);
    const steps = r.stdout.trim().split('\n');
    expect(steps).toHaveLength(10);
    expect(steps.every((l) => l.startsWith('✔'))).toBe(true);
    expect(steps[2]).toBe(`✔ 3. Deactivate access key ${P.backdoor.accessKeyId} of user ${P.backdoor.userName} (verified: Inactive)`);

    // The sandbox's state: nothing the attacker left still works.
    const iam = world().iam;
    for (const k of [P.compromised.accessKeyId, P.backdoor.accessKeyId, P.loginUser.attackerKeyId]) expect(iam.accessKeys[k]?.status).toBe('Inactive');
    expect(iam.accessKeys[P.loginUser.accessKeyId]?.status).toBe('Active');
    expect(Object.keys(iam.users[P.compromised.userName]?.inlinePolicies ?? {})).toContain('gd-ir-revoke-older-sessions');
    expect(Object.keys(iam.users[P.backdoor.userName]?.inlinePolicies ?? {})).toContain('gd-ir-revoke-older-sessions');
    expect(iam.users[P.loginUser.userName]?.loginProfile).toBeUndefined();
    expect(iam.users[P.backdoor.userName]?.attachedPolicyArns).toEqual([]);
    expect(JSON.parse(iam.roles[P.role.roleName]?.assumeRolePolicyDocument ?? '')).toEqual(JSON.parse(PERSISTENCE_TRUST_BEFORE));
    expect(iam.managedPolicies[POLICY]?.defaultVersionId).toBe(P.policy.previousDefault);
    expect(world().regions['us-west-2']?.trails?.[P.trail.name]?.isLogging).toBe(true);

    // The audit log holds intent and outcome of every step, numbered, in one plan.
    const log = records();
    expect(log).toHaveLength(20);
    const planId = log[0]?.planId as string;
    expect(planId).toMatch(/^[0-9a-f]{12}$/);
    expect(log.every((x) => x.planId === planId && x.steps === 10 && x.findingId === F)).toBe(true);
    expect(log.filter((x) => x.kind === 'outcome').map((x) => [x.step, x.verified, x.api])).toEqual([
      [1, true, 'iam:UpdateAccessKey'], [2, true, 'iam:PutUserPolicy'], [3, true, 'iam:UpdateAccessKey'], [4, true, 'iam:UpdateAccessKey'],
      [5, true, 'iam:PutUserPolicy'], [6, true, 'iam:DeleteLoginProfile'], [7, true, 'iam:DetachUserPolicy'], [8, true, 'iam:UpdateAssumeRolePolicy'],
      [9, true, 'iam:SetDefaultPolicyVersion'], [10, true, 'cloudtrail:StartLogging'],
    ]);
    const audit = JSON.parse((await runInProcess(['audit', '--json'], { env: env() })).stdout) as Json;
    expect(audit.plans).toEqual([expect.objectContaining({ planId, findingId: F, steps: 10, verified: 10 })]);

    // Read back again: nothing the attacker made is in place (the user itself stays, inert, for a human to delete).
    const after = JSON.parse((await runInProcess(['investigate', F, '--json'], { env: env() })).stdout) as Json;
    expect((after.changes as Json[]).filter((c) => c.state.status === 'present')).toEqual([]);
    expect((after.changes as Json[]).find((c) => c.eventName === 'CreateUser')?.state.status).toBe('changed');

    // The attacker keeps calling: every credential is refused or silent.
    const clock = attackerClock();
    const w = await runInProcess(['watch', '--finding', F, '--for', '30s', '--interval', '10s', '--delivery-delay', '0', '--json'], { env: env(), clock });
    expect(clock.ticks).toBeGreaterThanOrEqual(2);
    const lines = w.stdout.trim().split('\n').map((l) => JSON.parse(l) as Json);
    expect(lines[0]).toMatchObject({ type: 'start', containment: { planId } });
    const events = lines.filter((l) => l.type === 'event');
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.verdict === 'denied')).toBe(true);
    expect(lines[lines.length - 1]).toMatchObject({ type: 'summary', failures: 0, containmentHeld: true });
    expect(w.code).toBe(0);
  });

  it('after a single-key remediate, watch reports the backdoor key still working: exit 1', async () => {
    const r = await runInProcess(['remediate', '--finding', F, '--revoke-sessions', '--yes'], { env: env() });
    expect(r.code).toBe(0);
    const clock = attackerClock();
    const w = await runInProcess(['watch', '--finding', F, '--for', '20s', '--interval', '10s', '--delivery-delay', '0'], { env: env(), clock });
    expect(w.code).toBe(1);
    expect(w.stdout).toMatch(new RegExp(`✖ .*${P.backdoor.accessKeyId}  iam:ListUsers from ${P.backdoorIp.replaceAll('.', '\\.')} in us-east-1  SUCCEEDED after containment: containment failure`));
    expect(w.stdout).toMatch(new RegExp(`✔ .*${P.compromised.sessionKeyId} .*AccessDenied: containment held`));
    // The deactivated key is silent: a call that fails authentication leaves nothing in the sandbox's CloudTrail.
    expect(w.stdout).not.toContain(`${P.compromised.accessKeyId}  ssm:GetParameters`);
    expect(w.stderr).toMatch(/Containment FAILED for .*AKIAQBACKUPSVCKEY001/);
  });

  it('watch: Ctrl-C prints the summary and exits 130; a watch with nothing to flag still says what it watched', async () => {
    const abort = new AbortController();
    let now = Date.now() + 1_000;
    const clock: Clock = {
      now: () => new Date(now),
      sleep: async (ms, signal) => {
        if (ms >= 5_000) {
          now += ms;
          sb.get().tickAttacker(new Date(now - 1_000));
          abort.abort(new Error('interrupted'));
        }
        if (signal?.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
      },
    };
    const w = await runInProcess(['watch', '--key', P.backdoor.accessKeyId, '--interval', '10s', '--delivery-delay', '0'], { env: env(), clock, signal: abort.signal });
    expect(w.code).toBe(130);
    expect(w.stderr).toContain(`Watching`);
    expect(w.stderr).toContain(P.backdoor.sessionKeyId);
    expect(w.stderr).toMatch(/No containment of these credentials in the audit log/);
    expect(w.stderr).toMatch(/Stopped \(Ctrl-C\)\. \d+ events?: /);
  });

  it('trail --changes: the successful writes of a key, classified; --follow adds what the keys it created did', async () => {
    const plain = await runInProcess(['trail', '--key', P.compromised.accessKeyId, '--changes', '--since', '2h'], { env: env() });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('Persistence           created IAM user backup-svc');
    expect(plain.stdout).toMatch(/9 successful writes of \d+ events; current state not read/);
    expect(plain.stdout).toContain(`Keys it created, not followed (add --follow to read what they did): ${P.backdoor.accessKeyId}`);
    const j = JSON.parse((await runInProcess(['trail', '--key', P.compromised.accessKeyId, '--changes', '--follow', '--since', '2h', '--json'], { env: env() })).stdout) as Json;
    expect((j.changes as Json[]).map((c) => c.eventName)).toContain('CreateAccessKey');
    expect((j.changes as Json[]).find((c) => c.resource.id === P.loginUser.attackerKeyId)).toMatchObject({ actor: { kind: 'created-key', accessKeyId: P.backdoor.accessKeyId }, state: { status: 'unknown' } });
    expect((j.followed as Json[]).map((f) => f.kind)).toEqual(['principal', 'session', 'created-key', 'session', 'created-key']);
    expect((await runInProcess(['trail', '--key', P.compromised.accessKeyId, '--changes', '--errors-only'], { env: env() })).code).toBe(2);
  });

  it('a failure injected at step 3 stops the plan there: steps 1–2 verified and audited, the rest printed as commands, exit 1', async () => {
    sb.get().setKnobs({ deny: ['IAM:UpdateAccessKey:user/backup-svc'] });
    const from = sb.get().requests.length;
    const r = await runInProcess(['contain', F, '--all', '--yes'], { env: env() });
    expect(r.code).toBe(1);
    expect(r.stdout.trim().split('\n')).toEqual([
      `✔ 1. Deactivate access key ${P.compromised.accessKeyId} of user ${P.compromised.userName} (verified: Inactive)`,
      expect.stringMatching(/^✔ 2\. Revoke temporary credentials of user build-pipeline issued before now \(verified: present\)$/),
      expect.stringMatching(new RegExp(`^✖ 3\\. Deactivate access key ${P.backdoor.accessKeyId} of user backup-svc: access denied for iam:UpdateAccessKey`)),
    ]);
    expect(r.stderr).toContain('error: the plan stopped at step 3');
    expect(r.stderr).toContain('steps 1, 2 are done and verified, 7 not run');
    expect(r.stderr).toContain(`aws iam update-access-key --user-name reporting-svc --access-key-id ${P.loginUser.attackerKeyId} --status Inactive`);
    expect(r.stderr).toContain(`aws cloudtrail start-logging --name ${P.trail.name}`);
    // Nothing after step 3 was attempted.
    expect(writes(from).map((w) => w.operation)).toEqual(['UpdateAccessKey', 'PutUserPolicy', 'UpdateAccessKey']);
    expect(world().iam.accessKeys[P.backdoor.accessKeyId]?.status).toBe('Active');
    const log = records();
    expect(log.map((x) => [x.kind, x.step, x.verified, x.error === null])).toEqual([
      ['intent', 1, null, true], ['outcome', 1, true, true], ['intent', 2, null, true], ['outcome', 2, true, true], ['intent', 3, null, true], ['outcome', 3, false, false],
    ]);
  });

  it('--undo reverses the verified, reversible steps, last first; a deleted console password is said to be lost', async () => {
    expect((await runInProcess(['contain', F, '--all', '--yes'], { env: env() })).code).toBe(0);
    const planId = records()[0]?.planId as string;
    const u = await runInProcess(['contain', '--undo', planId, '--yes'], { env: env() });
    expect(u.code).toBe(0);
    expect(u.stderr).toContain(`step 6 (the console password of user ${P.loginUser.userName}) is not undone: a deleted console password cannot be restored`);
    const lines = u.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^✔ 1\. Stop logging on trail management-events/);
    expect(lines[lines.length - 1]).toMatch(new RegExp(`^✔ 9\\. Reactivate access key ${P.compromised.accessKeyId}`));
    const iam = world().iam;
    expect(iam.accessKeys[P.backdoor.accessKeyId]?.status).toBe('Active');
    expect(iam.users[P.backdoor.userName]?.attachedPolicyArns).toEqual([ADMIN]);
    expect(iam.roles[P.role.roleName]?.assumeRolePolicyDocument).toContain(P.role.outsideAccount);
    expect(iam.managedPolicies[POLICY]?.defaultVersionId).toBe(P.policy.attackerVersion);
    expect(iam.users[P.loginUser.userName]?.loginProfile).toBeUndefined();
    const undo = records().filter((x) => x.undoOf === planId);
    expect(undo).toHaveLength(18);

    // Watch afterwards: the plan is no longer in place, so nothing is contained and the backdoor works again.
    const clock = attackerClock();
    const w = await runInProcess(['watch', '--finding', F, '--for', '20s', '--interval', '10s', '--delivery-delay', '0', '--json'], { env: env(), clock });
    const out = w.stdout.trim().split('\n').map((l) => JSON.parse(l) as Json);
    expect(out[0]).toMatchObject({ type: 'start', containment: null, undone: { planId, undoneBy: `plan ${undo[0]?.planId as string}` } });
    expect(Date.parse(out[0]?.containedAt as string)).toBeGreaterThan(Date.parse(out[0]?.undone.undoneAt as string));
    expect(out.filter((l) => l.type === 'event' && l.verdict === 'failure').map((l) => l.event.accessKeyId)).toContain(P.backdoor.accessKeyId);
    expect(w.code).toBe(1);
    const human = await runInProcess(['watch', '--finding', F, '--for', '10s', '--interval', '10s', '--delivery-delay', '0'], { env: env(), clock: attackerClock() });
    expect(human.stderr).toContain(`No containment in place: plan ${planId} (last verified step 10: trail ${P.trail.name}), completed `);
    expect(human.stderr).toMatch(new RegExp(`was undone .* by plan ${undo[0]?.planId as string}\\. Watching from now`));
  });

  it('--quarantine attaches the newest quarantine policy the account has (V3 here), verified', async () => {
    const r = await runInProcess(['contain', F, '--all', '--yes', '--quarantine', '--json'], { env: env() });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Json;
    const last = (j.steps as Json[])[(j.steps as Json[]).length - 1];
    expect(last).toMatchObject({ action: 'attach-policy', api: 'iam:AttachUserPolicy', result: { verified: true } });
    expect(world().iam.users[P.compromised.userName]?.attachedPolicyArns).toEqual([QUARANTINE_V3]);
    expect(j.watch).toBe(`gd-ir watch --finding ${F}`);
  });

  it('on a terminal: tick the steps, type their number; a wrong number changes nothing (exit 3); without a terminal, --yes and --all/--steps are required (exit 2)', async () => {
    const tty = { stdinTTY: true, stderrTTY: true };
    const declined = await runInProcess(['contain', F], { env: env(), ...tty, prompter: new ScriptedPrompter([[1, 2], '3']) });
    expect(declined.code).toBe(3);
    expect(records()).toEqual([]);
    const p = new ScriptedPrompter([[1, 2], '2']);
    const ok = await runInProcess(['contain', F], { env: env(), ...tty, prompter: p });
    expect(ok.code).toBe(0);
    expect(p.asked.map((a) => a.kind)).toEqual(['checkbox', 'input']);
    expect(p.asked[1]?.message).toBe('To run 2 steps (1, 2), type 2:');
    expect(records().filter((x) => x.kind === 'outcome').map((x) => x.step)).toEqual([1, 2]);

    expect((await runInProcess(['contain', F], { env: env() })).code).toBe(2);
    const noSteps = await runInProcess(['contain', F, '--yes'], { env: env() });
    expect(noSteps.code).toBe(2);
    expect(noSteps.stderr).toContain('choose the steps: --all, or --steps 1,3,4');
    const bad = await runInProcess(['contain', F, '--yes', '--steps', '40'], { env: env() });
    expect(bad.code).toBe(2);
    expect((await runInProcess(['contain', F, '--steps', '1', '--all'], { env: env() })).code).toBe(2);
    const dry = await runInProcess(['contain', F, '--dry-run', '--json'], { env: env() });
    expect(dry.code).toBe(0);
    expect((JSON.parse(dry.stdout) as Json).dryRun).toBe(true);
  });
});
