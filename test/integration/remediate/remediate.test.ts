/**
 * `gd-ir remediate` in-process against the sandbox through the real SDK: the workshop key goes
 * Active → Inactive → Active, every guard, the prompt through the prompter seam, the audit trail.
 */
import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IAMClient, GetUserCommand } from '@aws-sdk/client-iam';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { runInProcess, ScriptedPrompter } from '../../helpers/cli.js';
import { useSandbox } from '../../helpers/sandbox.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import type { AuditRecord } from '../../../src/core/audit.js';

const KEY = WORKSHOP.compromised.accessKeyId;
const USER = WORKSHOP.compromised.userName;
const POLICY = 'gd-ir-revoke-older-sessions';
const WRITES = new Set(['UpdateAccessKey', 'PutUserPolicy', 'DeleteUserPolicy']);

describe('gd-ir remediate (sandbox)', () => {
  const sb = useSandbox();
  let dir: string;
  let auditLog: string;
  let seq0 = 0;

  beforeEach(async () => {
    await sb.get().reset();
    dir = mkdtempSync(join(tmpdir(), 'gd-ir-remediate-'));
    auditLog = join(dir, 'audit.jsonl');
    seq0 = sb.get().requests.length;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const env = (extra: Record<string, string> = {}) => sb.env({ GD_IR_AUDIT_LOG: auditLog, ...extra });
  const requests = () => sb.get().requests.slice(seq0);
  const writes = () => requests().filter((r) => WRITES.has(r.operation));
  const keyStatus = (id: string = KEY) => sb.get().world.iam.accessKeys[id]?.status;
  const policies = () => Object.keys(sb.get().world.iam.users[USER]?.inlinePolicies ?? {});
  const records = (): AuditRecord[] =>
    existsSync(auditLog) ? readFileSync(auditLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AuditRecord) : [];
  const tty = { stdinTTY: true, stderrTTY: true };

  function client<T>(Ctor: new (c: object) => T, accessKeyId: string, secretAccessKey: string, sessionToken?: string): T {
    return new Ctor({
      region: 'us-west-2',
      endpoint: sb.get().endpoint,
      maxAttempts: 1,
      credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
    });
  }

  it('deactivates the workshop key with --yes; the sandbox then rejects it; --reactivate brings it back', async () => {
    const sts = client(STSClient, KEY, WORKSHOP.compromised.secretAccessKey);
    await expect(sts.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Arn: `arn:aws:iam::111122223333:user/${USER}` });

    const off = await runInProcess(['remediate', '--key', KEY, '--yes'], { env: env() });
    expect(off.code).toBe(0);
    expect(off.stdout).toBe(`✔ ${KEY} is now Inactive (verified)\n`);
    expect(off.stderr).toContain(`Remediation plan for access key ${KEY}`);
    expect(off.stderr).toMatch(/Signed in as +arn:aws:iam::111122223333:user\/ir-analyst \(key AKIAANALYST000EXAMPLE\)/);
    expect(off.stderr).toContain(`gd-ir remediate --key ${KEY} --reactivate`);
    expect(keyStatus()).toBe('Inactive');
    const update = writes();
    expect(update.map((r) => [r.operation, (r.input as Record<string, string>).Status, (r.input as Record<string, string>).UserName])).toEqual([
      ['UpdateAccessKey', 'Inactive', USER],
    ]);
    // Read back after the write.
    const ops = requests().map((r) => r.operation);
    expect(ops.lastIndexOf('ListAccessKeys')).toBeGreaterThan(ops.indexOf('UpdateAccessKey'));

    await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'InvalidClientTokenId' });

    const on = await runInProcess(['remediate', '--key', KEY, '--reactivate', '--yes'], { env: env() });
    expect(on.code).toBe(0);
    expect(on.stdout).toBe(`✔ ${KEY} is now Active (verified)\n`);
    expect(keyStatus()).toBe('Active');
    await expect(sts.send(new GetCallerIdentityCommand({}))).resolves.toBeDefined();

    const log = records();
    expect(log.map((r) => `${r.kind}:${r.action}:${r.statusBefore}->${r.statusAfter}:${r.verified}`)).toEqual([
      'intent:deactivate:Active->Inactive:null',
      'outcome:deactivate:Active->Inactive:true',
      'intent:reactivate:Inactive->Active:null',
      'outcome:reactivate:Inactive->Active:true',
    ]);
    expect(log[0]!.operationId).toBe(log[1]!.operationId);
    expect(log[0]).toMatchObject({ accessKeyId: KEY, userName: USER, accountId: '111122223333', region: 'us-west-2', callerArn: 'arn:aws:iam::111122223333:user/ir-analyst', findingId: null, error: null });
    const raw = readFileSync(auditLog, 'utf8');
    expect(raw).not.toContain(WORKSHOP.compromised.secretAccessKey);
    expect(raw).not.toContain(WORKSHOP.analyst.secretAccessKey);
  });

  it('--dry-run does every read and writes nothing', async () => {
    const r = await runInProcess(['remediate', '--key', KEY, '--revoke-sessions', '--dry-run'], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Dry run — remediation plan');
    expect(r.stderr).toContain('Dry run: nothing was changed.');
    expect(new Set(requests().map((q) => q.operation))).toEqual(new Set(['GetCallerIdentity', 'GetAccessKeyLastUsed', 'ListAccessKeys', 'GetUserPolicy']));
    expect(writes()).toEqual([]);
    expect(keyStatus()).toBe('Active');
    expect(policies()).not.toContain(POLICY);
    expect(existsSync(auditLog)).toBe(false);
  });

  it('--json: the contract, and no human display', async () => {
    const r = await runInProcess(['remediate', '--key', KEY, '--yes', '--json'], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({
      schemaVersion: 1,
      action: 'deactivate',
      accessKeyId: KEY,
      userName: USER,
      accountId: '111122223333',
      region: 'us-west-2',
      previousStatus: 'Active',
      status: 'Inactive',
      changed: true,
      verified: true,
      dryRun: false,
      revokeSessions: null,
      auditLog,
    });
  });

  describe('confirmation through the prompter seam', () => {
    it('typing the key ID confirms', async () => {
      const prompter = new ScriptedPrompter([KEY]);
      const r = await runInProcess(['remediate', '--key', KEY], { env: env(), ...tty, prompter });
      expect(r.code).toBe(0);
      expect(prompter.asked).toEqual([{ kind: 'input', message: `To deactivate the key, type the access key ID (${KEY}):` }]);
      expect(keyStatus()).toBe('Inactive');
    });

    it('anything else declines: exit 3, nothing changed, nothing recorded', async () => {
      for (const answer of ['y', 'yes', KEY.toLowerCase(), '']) {
        const r = await runInProcess(['remediate', '--key', KEY], { env: env(), ...tty, prompter: new ScriptedPrompter([answer]) });
        expect(r.code).toBe(3);
        expect(r.stderr).toContain(`Confirmation did not match ${KEY}: nothing was changed.`);
      }
      expect(writes()).toEqual([]);
      expect(keyStatus()).toBe('Active');
      expect(records()).toEqual([]);
    });
  });

  describe('guards', () => {
    it('no TTY without --yes: exit 2 before any call', async () => {
      for (const argv of [['remediate', '--key', KEY], ['remediate', '--key', KEY, '--no-input']]) {
        const r = await runInProcess(argv, { env: env(), ...(argv.includes('--no-input') ? tty : {}) });
        expect(r.code).toBe(2);
        expect(r.stderr).toContain('--yes required when not running interactively');
      }
      expect(requests()).toEqual([]);
      expect(keyStatus()).toBe('Active');
    });

    it("refuses the caller's own key unless --force", async () => {
      const own = WORKSHOP.analyst.accessKeyId;
      const r = await runInProcess(['remediate', '--key', own, '--yes'], { env: env() });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`${own} is the access key you are signed in with`);
      expect(r.stderr).toContain('--force');
      expect(writes()).toEqual([]);
      expect(keyStatus(own)).toBe('Active');
      expect(records()).toEqual([]);
    });

    it('already inactive: exit 0, nothing written', async () => {
      const old = WORKSHOP.developer.inactiveAccessKeyId;
      const r = await runInProcess(['remediate', '--key', old, '--yes'], { env: env() });
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`• ${old} is already inactive; nothing changed\n`);
      expect(writes()).toEqual([]);
      expect(records()).toEqual([]);
    });

    it('ASIA key: explains and points to --revoke-sessions on the parent user', async () => {
      const asia = WORKSHOP.compromised.derivedSessionKeyId;
      const r = await runInProcess(['remediate', '--key', asia, '--user', USER, '--yes'], { env: env() });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('temporary (session) access key');
      expect(r.stderr).toContain(`gd-ir remediate --key ${asia} --user ${USER} --revoke-sessions`);
      expect(requests()).toEqual([]);
    });

    it('unknown key: exit 1', async () => {
      const r = await runInProcess(['remediate', '--key', 'AKIAQUNKNOWNKEY00000', '--yes'], { env: env() });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('access key AKIAQUNKNOWNKEY00000 does not belong to an IAM user in this account');
      expect(writes()).toEqual([]);
    });

    it('a key of another user than --user: exit 1', async () => {
      const r = await runInProcess(['remediate', '--key', KEY, '--user', WORKSHOP.developer.userName, '--yes'], { env: env() });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`access key ${KEY} does not belong to IAM user ${WORKSHOP.developer.userName}`);
      expect(writes()).toEqual([]);
    });

    it('malformed input: exit 2 before any call', async () => {
      for (const argv of [
        ['remediate', '--key', 'akiaqcompromised0ex1', '--yes'],
        ['remediate', '--key', 'AKIA123', '--yes'],
        ['remediate', '--yes'],
        ['remediate', '--key', KEY, '--finding', WORKSHOP.findings.unauthorizedAccessCustom, '--yes'],
        ['remediate', '--key', KEY, '--reactivate', '--revoke-sessions', '--yes'],
        ['remediate', '--key', KEY, '--user', 'bad name!', '--yes'],
      ]) {
        const r = await runInProcess(argv, { env: env() });
        expect(r.code, argv.join(' ')).toBe(2);
      }
      expect(requests()).toEqual([]);
    });

    it('a denied write is recorded as a failed outcome and exits 4', async () => {
      sb.get().setKnobs({ deny: ['IAM:UpdateAccessKey'] });
      try {
        const r = await runInProcess(['remediate', '--key', KEY, '--yes'], { env: env() });
        expect(r.code).toBe(4);
        expect(r.stdout).toContain(`✖ ${KEY}: access denied for iam:UpdateAccessKey`);
        expect(r.stderr).toContain('iam:UpdateAccessKey');
        const log = records();
        expect(log.map((x) => x.kind)).toEqual(['intent', 'outcome']);
        expect(log[1]).toMatchObject({ verified: false, statusAfter: null });
        expect(log[1]!.error).toContain('access denied');
      } finally {
        sb.get().setKnobs({ deny: [] });
      }
      expect(keyStatus()).toBe('Active');
    });
  });

  describe('sessions', () => {
    const derived = WORKSHOP.compromised.derivedSessionKeyId;
    const derivedIam = () => client(IAMClient, derived, WORKSHOP.compromised.derivedSessionSecret, 'sandbox-session-token');

    it('--revoke-sessions denies the sessions already minted; --restore-sessions removes only that policy', async () => {
      await expect(derivedIam().send(new GetUserCommand({}))).resolves.toBeDefined();
      const before = policies();

      const r = await runInProcess(['remediate', '--key', KEY, '--revoke-sessions', '--yes', '--json'], { env: env() });
      expect(r.code).toBe(0);
      const json = JSON.parse(r.stdout);
      expect(json).toMatchObject({ action: 'deactivate', status: 'Inactive', changed: true, verified: true });
      expect(json.revokeSessions).toMatchObject({ action: 'attach', policyName: POLICY, previous: 'absent', state: 'present', changed: true, verified: true });
      const doc = JSON.parse(sb.get().world.iam.users[USER]!.inlinePolicies[POLICY]!);
      expect(doc.Statement[0]).toMatchObject({ Sid: 'GdIrRevokeOlderSessions', Effect: 'Deny', Action: '*', Resource: '*' });
      expect(doc.Statement[0].Condition.DateLessThan['aws:TokenIssueTime']).toBe(json.revokeSessions.tokenIssuedBefore);
      expect(requests().map((q) => q.operation)).toContain('GetUserPolicy');
      await expect(derivedIam().send(new GetUserCommand({}))).rejects.toMatchObject({ name: 'AccessDenied' });

      const undo = await runInProcess(['remediate', '--key', KEY, '--reactivate', '--restore-sessions', '--yes'], { env: env() });
      expect(undo.code).toBe(0);
      expect(undo.stdout).toBe(`✔ ${KEY} is now Active (verified)\n✔ ${POLICY} removed from user ${USER} (verified)\n`);
      expect(policies()).toEqual(before);
      expect(writes().filter((w) => w.operation === 'DeleteUserPolicy').map((w) => (w.input as Record<string, string>).PolicyName)).toEqual([POLICY]);
      await expect(derivedIam().send(new GetUserCommand({}))).resolves.toBeDefined();
      expect(records().map((x) => `${x.kind}:${x.action}`)).toEqual([
        'intent:deactivate', 'outcome:deactivate', 'intent:revoke-sessions', 'outcome:revoke-sessions',
        'intent:reactivate', 'outcome:reactivate', 'intent:restore-sessions', 'outcome:restore-sessions',
      ]);
    });

    it('an ASIA key with its parent user: revoke sessions only', async () => {
      const r = await runInProcess(['remediate', '--key', derived, '--user', USER, '--revoke-sessions', '--yes'], { env: env() });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^✔ ${POLICY} attached to user ${USER} \\(verified\\): sessions issued before \\S+ are denied\\n$`));
      expect(writes().map((w) => w.operation)).toEqual(['PutUserPolicy']);
      expect(keyStatus()).toBe('Active');
    });
  });

  describe('--finding', () => {
    it('takes key and user from the finding and records the finding ID', async () => {
      const id = WORKSHOP.findings.unauthorizedAccessCustom;
      const r = await runInProcess(['remediate', '--finding', id, '--yes', '--json'], { env: env() });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ accessKeyId: KEY, userName: USER, findingId: id, status: 'Inactive' });
      expect(records().length).toBeGreaterThan(0);
      expect(records().filter((x) => x.findingId !== id)).toEqual([]);
    });

    it.each([
      [WORKSHOP.findings.credentialExfiltration, 'Revoke active sessions'],
      [WORKSHOP.findings.rootUsage, 'enable MFA'],
      [WORKSHOP.findings.sample, 'sample finding'],
      [WORKSHOP.findings.ec2MaliciousIp, 'not an IAM access key'],
    ])('refuses %s with what to do instead (exit 1)', async (id, text) => {
      const r = await runInProcess(['remediate', '--finding', id, '--yes'], { env: env() });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(text);
      expect(writes()).toEqual([]);
    });
  });

  describe('reconciliation of an intent without outcome', () => {
    it('the next run closes it with the real state and says so', async () => {
      const intent: AuditRecord = {
        v: 1, kind: 'intent', time: '2026-11-27T09:00:00.000Z', operationId: 'dead-op', action: 'deactivate', accessKeyId: KEY, userName: USER,
        findingId: null, accountId: '111122223333', region: 'us-west-2', callerArn: 'arn:aws:iam::111122223333:user/ir-analyst',
        statusBefore: 'Active', statusAfter: 'Inactive', verified: null, error: null, gdIrVersion: '0.1.0', pid: 2 ** 22 + 7, host: 'elsewhere',
      };
      writeFileSync(auditLog, JSON.stringify(intent) + '\n', { mode: 0o600 });
      const audit1 = await runInProcess(['audit'], { env: env() });
      expect(audit1.stderr).toContain(`intent without outcome: the process stopped between the intent to deactivate ${KEY}`);
      expect(audit1.stderr).toContain(`run gd-ir remediate --key ${KEY} to reconcile`);

      const r = await runInProcess(['remediate', '--key', KEY, '--yes'], { env: env() });
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`! reconciled an unfinished deactivate of ${KEY}`);
      expect(r.stderr).toContain('the change did not take effect (still Active)');
      const log = records();
      expect(log.map((x) => `${x.kind}:${x.operationId === 'dead-op'}`)).toEqual(['intent:true', 'reconcile:true', 'intent:false', 'outcome:false']);
      expect(log[1]).toMatchObject({ statusAfter: 'Active', verified: true });

      const audit2 = await runInProcess(['audit', '--json'], { env: env() });
      const json = JSON.parse(audit2.stdout);
      expect(json.dangling).toEqual([]);
      expect(json.operations.map((o: { state: string }) => o.state)).toEqual(['reconciled', 'complete']);
    });
  });
});
