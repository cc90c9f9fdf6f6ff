import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { pairAuditRecords, type AuditRecord } from '../../../src/core/audit.js';
import { planRemediation, type RemediationFacts, type RemediationRequest, type RemediationResult } from '../../../src/core/remediation/index.js';
import { auditJson, renderAuditProblems, renderAuditTable } from '../../../src/render/audit.js';
import { confirmationMessage, remediationJson, renderReconciled, renderRemediationPlan, renderStepResult } from '../../../src/render/remediate.js';

const plain = new Chalk({ level: 0 });
const color = new Chalk({ level: 1 });
const NOW = new Date('2026-11-27T10:00:00.000Z');
const KEY = 'AKIAQCOMPROMISED0EX1';

const request: RemediationRequest = { accessKeyId: KEY, reactivate: false, revokeSessions: true, restoreSessions: false, force: false, dryRun: false };
const facts: RemediationFacts = {
  accountId: '111122223333',
  region: 'us-west-2',
  caller: { arn: 'arn:aws:iam::111122223333:user/ir-analyst', userId: 'AIDA1', accountId: '111122223333', accessKeyId: 'AKIAANALYST000EXAMPLE' },
  userName: 'evil\u001b[31mname',
  key: { accessKeyId: KEY, status: 'Active', createdAt: '2026-05-11T10:00:00Z', lastUsed: { date: '2026-11-27T09:55:00Z', service: 'ssm', region: 'us-west-2' } },
  otherKeys: [{ accessKeyId: 'AKIAQOTHERKEY0000001', status: 'Inactive' }],
  revokePolicy: { present: false },
};

describe('renderRemediationPlan', () => {
  const plan = planRemediation(request, facts, NOW);

  it('piped: ISO times, no colour, sanitised names, effect and undo', () => {
    expect(renderRemediationPlan(plan, { style: plain, tty: false, now: NOW, auditLog: '/s/audit.jsonl', dryRun: false })).toBe(
      [
        'Remediation plan for access key AKIAQCOMPROMISED0EX1',
        '  Account        111122223333 · region us-west-2',
        '  Signed in as   arn:aws:iam::111122223333:user/ir-analyst (key AKIAANALYST000EXAMPLE)',
        '  User           evilname',
        '  Access key     AKIAQCOMPROMISED0EX1 · Active · created 2026-05-11T10:00:00Z (200 days old) · last used 2026-11-27T09:55:00Z (ssm, us-west-2)',
        '  Revoke policy  none',
        '  Other keys     AKIAQOTHERKEY0000001 · Inactive · never used',
        '',
        'What will happen',
        '  1. Deactivate AKIAQCOMPROMISED0EX1 (UpdateAccessKey → Inactive): every request signed with it is rejected. The key is kept, not deleted (evidence, and a way back).',
        "  2. Attach the inline policy gd-ir-revoke-older-sessions to user evilname (PutUserPolicy): deny every action to the user's temporary credentials issued before the moment of the change (aws:TokenIssueTime), so sessions already minted from the key stop working.",
        '     Long-term keys and sessions issued after that time are not affected; role sessions assumed with the key are not covered (revoke them on the role).',
        '',
        'How to undo',
        '  gd-ir remediate --key AKIAQCOMPROMISED0EX1 --reactivate',
        '  gd-ir remediate --key AKIAQCOMPROMISED0EX1 --restore-sessions',
        '',
        'Audit log  /s/audit.jsonl',
      ].join('\n'),
    );
  });

  it('TTY: relative times and colour that only decorates', () => {
    const out = renderRemediationPlan(plan, { style: color, tty: true, now: NOW, auditLog: '/s/audit.jsonl', dryRun: true });
    expect(out).toContain('\u001b[1mDry run — remediation plan for access key AKIAQCOMPROMISED0EX1\u001b[22m');
    expect(out).toContain('\u001b[32mActive\u001b[39m · created 200 days ago · last used 5m ago (ssm, us-west-2)');
    expect(out).toContain('last used 5m ago (ssm, us-west-2)');
    expect(out).not.toContain('\u001b[31mname');
  });

  it('asks for the key ID', () => {
    expect(confirmationMessage(plan)).toBe('To deactivate the key and revoke older sessions, type the access key ID (AKIAQCOMPROMISED0EX1):');
  });
});

describe('result lines', () => {
  const plan = planRemediation(request, facts, NOW);
  const [deactivate, revoke] = plan.steps as [typeof plan.steps[0], typeof plan.steps[0]];
  it('one line per change', () => {
    expect(renderStepResult({ step: deactivate, changed: true, verified: true, observed: 'Inactive' }, plain)).toBe('✔ AKIAQCOMPROMISED0EX1 is now Inactive (verified)');
    expect(renderStepResult({ step: deactivate, changed: true, verified: false, observed: 'Active' }, plain)).toBe(
      '! AKIAQCOMPROMISED0EX1 was set to Inactive but reads Active (not verified)',
    );
    expect(renderStepResult({ step: deactivate, changed: false, verified: false, error: 'access denied for iam:UpdateAccessKey' }, plain)).toBe(
      '✖ AKIAQCOMPROMISED0EX1: access denied for iam:UpdateAccessKey',
    );
    expect(renderStepResult({ step: { ...revoke, cutoff: '2026-11-27T10:00:05.000Z' }, changed: true, verified: true, observed: 'present' }, plain)).toBe(
      '✔ gd-ir-revoke-older-sessions attached to user evilname (verified): sessions issued before 2026-11-27T10:00:05.000Z are denied',
    );
    expect(renderStepResult({ step: { ...deactivate, noop: true, before: 'Inactive' }, changed: false, verified: true }, plain)).toBe(
      '• AKIAQCOMPROMISED0EX1 is already inactive; nothing changed',
    );
  });
  it('reports reconciliation', () => {
    expect(
      renderReconciled(
        { operationId: 'o', action: 'deactivate', accessKeyId: KEY, intendedState: 'Inactive', observed: 'Inactive', note: 'the change is in effect', recorded: true, intentTime: '2026-11-27T09:00:00.000Z' },
        plain,
        { tty: false, now: NOW },
      ),
    ).toBe('! reconciled an unfinished deactivate of AKIAQCOMPROMISED0EX1 from 2026-11-27T09:00:00Z: the change is in effect');
  });
});

describe('remediationJson', () => {
  it('lists exactly the documented fields', () => {
    const plan = planRemediation(request, facts, NOW);
    const result: RemediationResult = {
      plan,
      dryRun: false,
      auditLog: '/s/audit.jsonl',
      reconciled: [],
      results: [
        { step: plan.steps[0]!, operationId: 'op1', changed: true, verified: true, observed: 'Inactive' },
        { step: plan.steps[1]!, operationId: 'op2', changed: true, verified: true, observed: 'present' },
      ],
    };
    const json = remediationJson(result);
    expect(Object.keys(json)).toEqual([
      'schemaVersion', 'action', 'accessKeyId', 'userName', 'accountId', 'region', 'findingId', 'previousStatus', 'status',
      'changed', 'verified', 'dryRun', 'revokeSessions', 'auditLog', 'access', 'steps', 'reconciled',
    ]);
    expect(json.access).toBeNull();
    expect(json).toMatchObject({
      schemaVersion: 1,
      action: 'deactivate',
      userName: 'evil\u001b[31mname',
      previousStatus: 'Active',
      status: 'Inactive',
      changed: true,
      verified: true,
      dryRun: false,
      revokeSessions: { action: 'attach', policyName: 'gd-ir-revoke-older-sessions', previous: 'absent', state: 'present', changed: true, verified: true },
    });
    expect(json.steps.map((s) => s.operationId)).toEqual(['op1', 'op2']);
  });

  it('a dry run is neither changed nor verified', () => {
    const plan = planRemediation({ ...request, revokeSessions: false, dryRun: true }, facts, NOW);
    const json = remediationJson({ plan, dryRun: true, auditLog: '/a', reconciled: [], results: [] });
    expect(json).toMatchObject({ changed: false, verified: false, dryRun: true, status: 'Active', revokeSessions: null });
    expect(json.steps[0]).toMatchObject({ after: 'Active', changed: false, operationId: null });
  });
});

describe('audit rendering', () => {
  const base = { v: 1, accessKeyId: KEY, userName: 'u', findingId: null, accountId: '111122223333', region: 'us-west-2', callerArn: 'arn:aws:iam::111122223333:user/ir-analyst', gdIrVersion: '0.1.0', error: null };
  const records: AuditRecord[] = [
    { ...base, kind: 'intent', time: '2026-11-27T09:00:00.000Z', operationId: 'a', action: 'deactivate', statusBefore: 'Active', statusAfter: 'Inactive', verified: null },
    { ...base, kind: 'outcome', time: '2026-11-27T09:00:01.000Z', operationId: 'a', action: 'deactivate', statusBefore: 'Active', statusAfter: 'Inactive', verified: true },
    { ...base, kind: 'intent', time: '2026-11-27T09:30:00.000Z', operationId: 'b', action: 'reactivate', statusBefore: 'Inactive', statusAfter: 'Active', verified: null },
  ];
  const view = { path: '/s/audit.jsonl', missing: false, records, operations: pairAuditRecords(records), corrupt: [{ line: 4, excerpt: '{"kin', truncated: true }] };

  it('table, piped', () => {
    expect(renderAuditTable(view, { style: plain, width: undefined, tty: false, now: NOW })).toBe(
      [
        'TIME                  ACTION      KEY                   USER  CHANGE             RESULT      CALLER                                     FINDING',
        '2026-11-27T09:00:00Z  deactivate  AKIAQCOMPROMISED0EX1  u     Active → Inactive  ok          arn:aws:iam::111122223333:user/ir-analyst  -',
        '2026-11-27T09:30:00Z  reactivate  AKIAQCOMPROMISED0EX1  u     Inactive → ?       NO OUTCOME  arn:aws:iam::111122223333:user/ir-analyst  -',
      ].join('\n'),
    );
  });

  it('dangling intents and torn lines', () => {
    expect(renderAuditProblems(view, { style: plain, tty: false, now: NOW })).toEqual([
      'intent without outcome: the process stopped between the intent to reactivate AKIAQCOMPROMISED0EX1 (user u, 2026-11-27T09:30:00Z) and its result; run gd-ir remediate --key AKIAQCOMPROMISED0EX1 --reactivate to reconcile',
      'warning: line 4 of /s/audit.jsonl is truncated (a write was cut short): {"kin',
    ]);
  });

  it('json', () => {
    const json = auditJson(view);
    expect(Object.keys(json)).toEqual(['schemaVersion', 'auditLog', 'exists', 'operations', 'plans', 'dangling', 'corruptLines', 'records']);
    expect(json.operations.map((o) => [o.operationId, o.state, o.statusAfter, o.verified])).toEqual([
      ['a', 'complete', 'Inactive', true],
      ['b', 'dangling', null, null],
    ]);
    expect(json.plans).toEqual([]);
    expect(json.dangling).toEqual([
      { operationId: 'b', accessKeyId: KEY, action: 'reactivate', time: '2026-11-27T09:30:00.000Z', reconcileCommand: `gd-ir remediate --key ${KEY} --reactivate` },
    ]);
  });
});
