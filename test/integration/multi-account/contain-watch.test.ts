/**
 * `gd-ir contain` and `gd-ir watch` for a member account's finding, in process through the real SDK against the `org`
 * sandbox: the plan is read through the member's read role and carried out through its MFA-protected write role
 * (assumed and checked with GetCallerIdentity before the confirmation), verified in the member's state, audited with
 * the account, role and session, and undone the same way; without MFA the write role is refused (exit 4) before
 * anything changes. `watch` reads the member's CloudTrail through the read role: a call of the member's key shows up
 * as a containment failure before `contain`, and nothing gets through after it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/cli/context.js';
import type { AuditRecord } from '../../../src/core/audit.js';
import type { RequestRecord } from '../../../src/sandbox/index.js';
import { totp } from '../../../src/sandbox/mfa.js';
import { ORG } from '../../../src/sandbox/scenarios/org-facts.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import { runInProcess, ScriptedPrompter } from '../../helpers/cli.js';
import { useSandbox } from '../../helpers/sandbox.js';

const PROD = ORG.prod.accountId;
const DATA = ORG.data.accountId;
const ADMIN = ORG.administratorId;
const KEY = ORG.prod.user.accessKeyId;
const USER = ORG.prod.user.userName;
const SERIAL = ORG.analystMfa.serialNumber;
const ANALYST = WORKSHOP.analyst.userName;
const REVOKE = 'gd-ir-revoke-older-sessions';
const code = (): string => totp(ORG.analystMfa.totpSeed, new Date());
const readArn = (a: string): string => `arn:aws:iam::${a}:role/${ORG.readRoleName}`;
const writeArn = (a: string): string => `arn:aws:iam::${a}:role/${ORG.writeRoleName}`;
const writeSessionArn = (a: string): string => `arn:aws:sts::${a}:assumed-role/${ORG.writeRoleName}/${ANALYST}`;
const ROLES = ['--read-role', ORG.readRoleName, '--write-role', ORG.writeRoleName];

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('multi-account: contain and watch a member account incident (org sandbox)', () => {
  const sb = useSandbox({ scenario: 'org' });
  let dir: string;
  let auditLog: string;
  beforeEach(async () => {
    await sb.get().reset();
    dir = mkdtempSync(join(tmpdir(), 'gd-ir-ma-contain-'));
    auditLog = join(dir, 'audit.jsonl');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const env = (): Record<string, string | undefined> => sb.env({ GD_IR_AUDIT_LOG: auditLog });
  const member = (a: string) => sb.get().world.members?.[a];
  const records = (): AuditRecord[] => (existsSync(auditLog) ? readFileSync(auditLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AuditRecord) : []);
  const since = (from: number): RequestRecord[] => sb.get().requests.slice(from);
  /** The role session (by role name) of a member a request was signed with, if any. */
  const sessionRole = (a: string, q: RequestRecord): string | undefined => (q.accessKeyId ? member(a)?.iam.sessions[q.accessKeyId]?.roleName : undefined);

  it('contain --all --yes: reads through the read role, writes through the write role (MFA, identity-checked), verified in the member, audited with account, role and session; --undo the same way', async () => {
    const before = sb.get().requests.length;
    const r = await runInProcess(['contain', ORG.prod.findingId, ...ROLES, '--mfa-serial', SERIAL, '--mfa-code', code(), '--all', '--yes', '--json'], { env: env() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Json;
    expect(j).toMatchObject({ accountId: PROD, findingId: ORG.prod.findingId, dryRun: false });
    expect(j.access).toEqual({
      read: expect.objectContaining({ account: PROD, purpose: 'read', via: 'role', roleArn: readArn(PROD), sessionName: ANALYST, sourceIdentity: ANALYST }),
      write: expect.objectContaining({ account: PROD, purpose: 'write', via: 'role', roleArn: writeArn(PROD), sessionName: ANALYST, actingArn: writeSessionArn(PROD) }),
      analystArn: `arn:aws:iam::${ADMIN}:user/${ANALYST}`,
    });
    expect((j.steps as Json[]).map((s) => [s.action, s.result?.verified])).toEqual([
      ['deactivate', true],
      ['revoke-sessions', true],
    ]);
    // Suggested commands act in the member account, with the roles typed.
    expect(j.watch).toBe(`gd-ir watch --finding ${ORG.prod.findingId} --read-role ${ORG.readRoleName}`);
    expect((j.steps as Json[])[0]?.undo).toBe(`gd-ir remediate --key ${KEY} --reactivate --account ${PROD} --read-role ${ORG.readRoleName} --write-role ${ORG.writeRoleName}`);

    // The member's state changed; the administrator's same-named user did not.
    expect(member(PROD)?.iam.accessKeys[KEY]?.status).toBe('Inactive');
    expect(Object.keys(member(PROD)?.iam.users[USER]?.inlinePolicies ?? {})).toContain(REVOKE);
    expect(sb.get().world.iam.accessKeys[ORG.adminNamesake.accessKeyId]?.status).toBe('Active');
    expect(Object.keys(sb.get().world.iam.users[ORG.adminNamesake.userName]?.inlinePolicies ?? {})).not.toContain(REVOKE);

    // Read role first (the plan), then the write role with MFA and the analyst as SourceIdentity.
    const calls = since(before);
    expect(calls.filter((q) => q.operation === 'AssumeRole').map((q) => q.input as Json)).toEqual([
      expect.objectContaining({ RoleArn: readArn(PROD), SourceIdentity: ANALYST, RoleSessionName: ANALYST }),
      expect.objectContaining({ RoleArn: writeArn(PROD), SerialNumber: SERIAL, SourceIdentity: ANALYST }),
    ]);
    const writes = calls.filter((q) => q.operation === 'UpdateAccessKey' || q.operation === 'PutUserPolicy');
    expect(writes.map((q) => [q.operation, sessionRole(PROD, q)])).toEqual([
      ['UpdateAccessKey', ORG.writeRoleName],
      ['PutUserPolicy', ORG.writeRoleName],
    ]);
    // The identity check ran on the write session before the first write; every other call of the write session is a
    // write (reads, the read-backs included, never use it): the read-backs went through the read role.
    const first = calls.indexOf(writes[0] as RequestRecord);
    expect(calls.slice(0, first).some((q) => q.operation === 'GetCallerIdentity' && sessionRole(PROD, q) === ORG.writeRoleName)).toBe(true);
    expect(calls.filter((q) => sessionRole(PROD, q) === ORG.writeRoleName).map((q) => q.operation).sort()).toEqual(['GetCallerIdentity', 'PutUserPolicy', 'UpdateAccessKey']);
    const after = calls.slice(first);
    expect(after.filter((q) => q.operation === 'ListAccessKeys' || q.operation === 'GetUserPolicy').every((q) => sessionRole(PROD, q) === ORG.readRoleName)).toBe(true);
    expect(after.some((q) => q.operation === 'GetUserPolicy' && sessionRole(PROD, q) === ORG.readRoleName)).toBe(true);
    // The plan's trail was the member's, read through the read role.
    const lookups = calls.filter((q) => q.operation === 'LookupEvents');
    expect(lookups.length).toBeGreaterThan(0);
    expect(lookups.every((q) => sessionRole(PROD, q) === ORG.readRoleName)).toBe(true);

    // Every audit record names the account, the write role, its session, the read role and the analyst.
    const recs = records();
    expect(recs.map((x) => `${x.kind} ${x.step}`)).toEqual(['intent 1', 'outcome 1', 'intent 2', 'outcome 2']);
    for (const rec of recs) {
      expect(rec).toMatchObject({
        accountId: PROD,
        planId: j.planId,
        roleArn: writeArn(PROD),
        roleSessionName: ANALYST,
        sourceIdentity: ANALYST,
        readRoleArn: readArn(PROD),
        callerArn: writeSessionArn(PROD),
        analystArn: `arn:aws:iam::${ADMIN}:user/${ANALYST}`,
      });
    }
    const table = await runInProcess(['audit', '--no-color'], { env: env(), columns: 400 });
    expect(table.stdout).toContain(`Plan ${j.planId as string} · finding ${ORG.prod.findingId}`);
    expect(table.stdout).toContain(`· account ${PROD} via ${writeArn(PROD)} (session ${ANALYST}) · analyst arn:aws:iam::${ADMIN}:user/${ANALYST} · 2/2 steps verified`);

    // The member's CloudTrail shows the role session acting, with the analyst as SourceIdentity and MFA.
    const trail = Object.values(member(PROD)?.regions ?? {}).flatMap((x) => x.events);
    const put = trail.find((e) => e.eventName === 'PutUserPolicy' && e.userIdentity.type === 'AssumedRole');
    expect(put?.userIdentity).toMatchObject({ arn: writeSessionArn(PROD), sessionContext: { sourceIdentity: ANALYST, attributes: { mfaAuthenticated: 'true' } } });

    // --undo: the audited plan's account, through the same roles (a new MFA code: the run is new).
    const undo = await runInProcess(['contain', '--undo', j.planId as string, '--account', PROD, ...ROLES, '--mfa-serial', SERIAL, '--mfa-code', code(), '--yes', '--json'], { env: env() });
    expect(undo.stderr).toBe('');
    expect(undo.code).toBe(0);
    const u = JSON.parse(undo.stdout) as Json;
    expect(u).toMatchObject({ undoOf: j.planId, accountId: PROD, access: { write: { roleArn: writeArn(PROD), actingArn: writeSessionArn(PROD) } } });
    expect(member(PROD)?.iam.accessKeys[KEY]?.status).toBe('Active');
    expect(Object.keys(member(PROD)?.iam.users[USER]?.inlinePolicies ?? {})).not.toContain(REVOKE);
    expect(records().filter((x) => x.undoOf === j.planId).every((x) => x.accountId === PROD && x.roleArn === writeArn(PROD))).toBe(true);
    // --account must be the plan's.
    const wrong = await runInProcess(['contain', '--undo', j.planId as string, '--account', DATA, ...ROLES, '--dry-run'], { env: env() });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(`plan ${j.planId as string} acted on account ${PROD}, not ${DATA}`);
  });

  it('on a terminal: the plan names the roles, the MFA code is asked after the steps are chosen, the confirmation names the account and the session', async () => {
    const prompter = new ScriptedPrompter([[1, 2], code(), '2']);
    const r = await runInProcess(['contain', ORG.data.findingId, ...ROLES, '--external-id', ORG.data.externalId, '--mfa-serial', SERIAL], {
      env: sb.env({ GD_IR_AUDIT_LOG: auditLog, NO_COLOR: '1' }),
      prompter,
      stdinTTY: true,
      stderrTTY: true,
      columns: 200,
    });
    expect(r.code).toBe(0);
    expect(prompter.asked.map((a) => [a.kind, a.message])).toEqual([
      ['checkbox', 'Steps to run (space toggles, Enter accepts)'],
      ['input', `MFA code of ${SERIAL} (to assume ${writeArn(DATA)})`],
      ['input', `To run 2 steps (1, 2) in account ${DATA} as role ${writeArn(DATA)} as session ${ANALYST}, type 2:`],
    ]);
    expect(r.stderr).toMatch(new RegExp(`Account\\s+${DATA} \\(member account\\)`));
    expect(r.stderr).toMatch(new RegExp(`Reads with\\s+role ${readArn(DATA)} as session ${ANALYST}`));
    expect(r.stderr).toMatch(new RegExp(`Changes with\\s+role ${writeArn(DATA)} as session ${ANALYST}`));
    expect(r.stderr).toContain(`acting in account ${DATA} as ${writeSessionArn(DATA)} (checked with GetCallerIdentity)`);
    expect(r.stderr).toContain(`undo with gd-ir contain --undo`);
    expect(r.stderr).toMatch(new RegExp(`gd-ir contain --undo [0-9a-f]{12} --account ${DATA} --read-role ${ORG.readRoleName} --write-role ${ORG.writeRoleName}`));
    expect(member(DATA)?.iam.accessKeys[ORG.data.user.accessKeyId]?.status).toBe('Inactive');
  });

  it('refuses with exit 4 before any change when the write role needs MFA and none was given, or no role is configured; --account must be the finding\'s (exit 2)', async () => {
    const before = sb.get().requests.length;
    const r = await runInProcess(['contain', ORG.prod.findingId, ...ROLES, '--all', '--yes'], { env: env() });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`cannot assume the write role ${writeArn(PROD)} in account ${PROD}`);
    expect(r.stderr).toContain('if it requires MFA, pass --mfa-serial (and --mfa-code)');
    expect(r.stderr).toContain('"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}');
    const calls = since(before);
    expect(calls.filter((q) => q.operation === 'AssumeRole').map((q) => [(q.input as Json).RoleArn, q.status])).toEqual([
      [readArn(PROD), 200],
      [writeArn(PROD), 403],
    ]);
    expect(calls.some((q) => /^(Update|Put|Delete|Attach|Detach|Set|Start)/.test(q.operation))).toBe(false);
    expect(records()).toEqual([]);
    expect(member(PROD)?.iam.accessKeys[KEY]?.status).toBe('Active');

    // Nothing configured for the member: exit 4, the ways to name a role; nothing read from the wrong account.
    const none = await runInProcess(['contain', ORG.prod.findingId, '--dry-run'], { env: env() });
    expect(none.code).toBe(4);
    expect(none.stderr).toContain(`account ${PROD} is not the account of your credentials (${ADMIN}), and no read role is configured for it`);
    const mismatch = await runInProcess(['contain', ORG.prod.findingId, '--account', DATA, ...ROLES, '--dry-run'], { env: env() });
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toContain(`finding ${ORG.prod.findingId} is in account ${PROD}, not ${DATA}`);
  });

  /**
   * A clock for `watch`: real time at first; each wait of the watch loop advances it and, at that instant, the
   * member's compromised key makes a call (when it still authenticates, the sandbox records it in the member's trail).
   */
  function keyCallingClock(): Clock & { calls: number } {
    let now = Date.now() + 1_000;
    const clock = {
      calls: 0,
      now: () => new Date(now),
      sleep: async (ms: number, signal?: AbortSignal) => {
        if (signal?.aborted) throw signal.reason ?? new Error('aborted');
        now += ms;
        if (ms >= 5_000) {
          clock.calls++;
          sb.get().recordCall({
            accessKeyId: KEY,
            eventSource: 'ssm.amazonaws.com',
            eventName: 'GetParameters',
            region: 'us-west-2',
            readOnly: true,
            requestParameters: { names: ['/prod/web/db-password'], withDecryption: true },
            sourceIPAddress: '198.51.100.77',
            time: new Date(now - 1_000),
          });
        }
      },
    };
    return clock;
  }

  it('watch reads the member key\'s CloudTrail through the read role: a call that still succeeds is a containment failure (exit 1)', async () => {
    const before = sb.get().requests.length;
    const clock = keyCallingClock();
    const w = await runInProcess(['watch', '--key', KEY, '--account', PROD, '--read-role', ORG.readRoleName, '--for', '20s', '--interval', '10s', '--delivery-delay', '0', '--json'], { env: env(), clock });
    expect(clock.calls).toBeGreaterThanOrEqual(2);
    const lines = w.stdout.trim().split('\n').map((l) => JSON.parse(l) as Json);
    expect(lines[0]).toMatchObject({ type: 'start', access: { account: PROD, via: 'role', roleArn: readArn(PROD), sessionName: ANALYST }, containment: null });
    const events = lines.filter((l) => l.type === 'event');
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.every((e) => e.verdict === 'failure' && e.event.accessKeyId === KEY && e.event.eventName === 'GetParameters')).toBe(true);
    expect(lines.at(-1)).toMatchObject({ type: 'summary', containmentHeld: false, failedCredentials: [KEY] });
    expect(w.code).toBe(1);
    // Every LookupEvents went to the member through its read role, for the member's key.
    const lookups = since(before).filter((q) => q.operation === 'LookupEvents');
    expect(lookups.length).toBeGreaterThan(0);
    expect(lookups.every((q) => sessionRole(PROD, q) === ORG.readRoleName)).toBe(true);
    expect(lookups.every((q) => JSON.stringify(q.input).includes(KEY))).toBe(true);

    // The member's key, watched without a read role: exit 4, nothing read in the administrator's trail instead.
    const refused = await runInProcess(['watch', '--key', KEY, '--account', PROD, '--for', '1s', '--interval', '1s', '--delivery-delay', '0'], { env: env() });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('no read role is configured for it');
  });

  it('after contain in the member, watch --finding (read role) sees the key calling no more: containment holds (exit 0)', async () => {
    // Contained in the member, watched by the finding: the key no longer authenticates, so nothing is recorded.
    const c = await runInProcess(['contain', ORG.prod.findingId, ...ROLES, '--mfa-serial', SERIAL, '--mfa-code', code(), '--all', '--yes', '--json'], { env: env() });
    expect(c.code).toBe(0);
    const planId = (JSON.parse(c.stdout) as Json).planId as string;
    const after = keyCallingClock();
    const held = await runInProcess(['watch', '--finding', ORG.prod.findingId, '--read-role', ORG.readRoleName, '--for', '20s', '--interval', '10s', '--delivery-delay', '0'], {
      env: sb.env({ GD_IR_AUDIT_LOG: auditLog, NO_COLOR: '1' }),
      clock: after,
    });
    expect(after.calls).toBeGreaterThanOrEqual(2);
    expect(held.stderr).toContain(`Reading the CloudTrail of account ${PROD} through role ${readArn(PROD)} as session ${ANALYST}.`);
    expect(held.stderr).toContain(`Containment: plan ${planId}`);
    expect(held.stderr).toContain('Nothing succeeded after containment: it holds so far.');
    expect(held.code).toBe(0);
  });
});
