import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, appendFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog, isWriterAlive, resolveAuditLogPath } from '../../../src/audit/audit-log.js';
import { danglingIntents, pairAuditRecords, parseAuditLog, reconcileCommand, reconcileNote, type AuditRecord } from '../../../src/core/audit.js';

function rec(kind: AuditRecord['kind'], operationId: string, over: Partial<AuditRecord> = {}): AuditRecord {
  return {
    v: 1,
    kind,
    time: '2026-11-27T10:00:00.000Z',
    operationId,
    action: 'deactivate',
    accessKeyId: 'AKIAQCOMPROMISED0EX1',
    userName: 'u',
    findingId: null,
    accountId: '111122223333',
    region: 'us-west-2',
    callerArn: 'arn:aws:iam::111122223333:user/ir-analyst',
    statusBefore: 'Active',
    statusAfter: kind === 'intent' ? 'Inactive' : 'Inactive',
    verified: kind === 'intent' ? null : true,
    error: null,
    gdIrVersion: '0.1.0',
    ...over,
  };
}

describe('audit records', () => {
  it('parses JSON Lines and reports bad and torn lines without failing', () => {
    const text = `${JSON.stringify(rec('intent', 'a'))}\nnot json\n\n${JSON.stringify(rec('outcome', 'a'))}\n{"kind":"intent","operationId":"b","ti`;
    const parsed = parseAuditLog(text);
    expect(parsed.records.map((r) => `${r.kind}:${r.operationId}`)).toEqual(['intent:a', 'outcome:a']);
    expect(parsed.corrupt).toEqual([
      { line: 2, excerpt: 'not json', truncated: false },
      { line: 5, excerpt: '{"kind":"intent","operationId":"b","ti', truncated: true },
    ]);
  });

  it('pairs intents with outcomes and classifies each operation', () => {
    const ops = pairAuditRecords([
      rec('intent', 'ok'),
      rec('intent', 'dead'),
      rec('outcome', 'ok'),
      rec('intent', 'failed'),
      rec('outcome', 'failed', { error: 'AccessDenied', verified: false, statusAfter: null }),
      rec('intent', 'slow'),
      rec('outcome', 'slow', { verified: false, statusAfter: 'Active' }),
      rec('intent', 'fixed'),
      rec('reconcile', 'fixed', { note: 'x' }),
      rec('intent', 'live', { pid: 42 }),
      rec('outcome', 'stray'),
    ], (i) => i.pid === 42);
    expect(Object.fromEntries(ops.map((o) => [o.operationId, o.state]))).toEqual({
      ok: 'complete',
      dead: 'dangling',
      failed: 'failed',
      slow: 'unverified',
      fixed: 'reconciled',
      live: 'in-progress',
      stray: 'orphan',
    });
    expect(danglingIntents(ops).map((r) => r.operationId)).toEqual(['dead']);
    expect(danglingIntents(ops, 'AKIAOTHER00000000000')).toEqual([]);
  });

  it('says whether the interrupted change took effect, and how to reconcile', () => {
    const intent = rec('intent', 'a');
    expect(reconcileNote(intent, 'Inactive')).toContain('the change is in effect (Active → Inactive)');
    expect(reconcileNote(intent, 'Active')).toContain('did not take effect (still Active)');
    expect(reconcileNote(intent, null)).toContain('could not be read');
    expect(reconcileCommand(intent)).toBe('gd-ir remediate --key AKIAQCOMPROMISED0EX1');
    expect(reconcileCommand(rec('intent', 'b', { action: 'revoke-sessions', accessKeyId: 'ASIAQDERIVEDSESSION01' }))).toBe(
      'gd-ir remediate --key ASIAQDERIVEDSESSION01 --user u --revoke-sessions',
    );
  });
});

describe('AuditLog file', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('creates an owner-only directory and file, one record per line', () => {
    dir = mkdtempSync(join(tmpdir(), 'gd-ir-audit-'));
    const log = new AuditLog(join(dir, 'state', 'gd-ir', 'audit.jsonl'));
    log.append(rec('intent', 'a'), { durable: true });
    log.append(rec('outcome', 'a'), { durable: true });
    expect(statSync(join(dir, 'state', 'gd-ir')).mode & 0o777).toBe(0o700);
    expect(statSync(log.path).mode & 0o777).toBe(0o600);
    const lines = readFileSync(log.path, 'utf8').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    const read = log.read();
    expect(read.records.map((r) => r.kind)).toEqual(['intent', 'outcome']);
    expect(read.missing).toBe(false);
    expect(read.permissionWarning).toBeUndefined();
  });

  it('a missing file is an empty log', () => {
    dir = mkdtempSync(join(tmpdir(), 'gd-ir-audit-'));
    expect(new AuditLog(join(dir, 'none.jsonl')).read()).toEqual({ records: [], corrupt: [], missing: true });
  });

  it('a record appended after a torn last line is still read; the fragment is reported', () => {
    dir = mkdtempSync(join(tmpdir(), 'gd-ir-audit-'));
    const path = join(dir, 'audit.jsonl');
    writeFileSync(path, `${JSON.stringify(rec('intent', 'a'))}\n{"v":1,"kind":"outc`, { mode: 0o600 });
    const log = new AuditLog(path);
    expect(log.read().corrupt).toEqual([{ line: 2, excerpt: '{"v":1,"kind":"outc', truncated: true }]);
    log.append(rec('outcome', 'a'), { durable: true });
    const read = log.read();
    expect(read.records.map((r) => `${r.kind}:${r.operationId}`)).toEqual(['intent:a', 'outcome:a']);
    expect(read.corrupt).toEqual([{ line: 2, excerpt: '{"v":1,"kind":"outc', truncated: true }]);
  });

  it('warns when others can read the log', () => {
    dir = mkdtempSync(join(tmpdir(), 'gd-ir-audit-'));
    const path = join(dir, 'audit.jsonl');
    appendFileSync(path, '');
    chmodSync(path, 0o644);
    expect(new AuditLog(path).read().permissionWarning).toBe(`the audit log ${path} is readable by others (mode 0644); run: chmod 600 ${path}`);
  });

  it('resolves --audit-log, then GD_IR_AUDIT_LOG, then the state directory', () => {
    expect(resolveAuditLogPath({ option: '/x/a.jsonl', env: { GD_IR_AUDIT_LOG: '/y/b.jsonl' }, stateDir: '/s' })).toBe('/x/a.jsonl');
    expect(resolveAuditLogPath({ env: { GD_IR_AUDIT_LOG: '/y/b.jsonl' }, stateDir: '/s' })).toBe('/y/b.jsonl');
    expect(resolveAuditLogPath({ env: {}, stateDir: '/s/gd-ir' })).toBe('/s/gd-ir/audit.jsonl');
    expect(resolveAuditLogPath({ option: 'rel.jsonl', env: {}, stateDir: '/s', cwd: '/w' })).toBe('/w/rel.jsonl');
  });

  it('keeps --sandbox rehearsals in their own log unless a log is named', () => {
    expect(resolveAuditLogPath({ env: {}, stateDir: '/s/gd-ir', sandbox: true })).toBe('/s/gd-ir/sandbox/audit.jsonl');
    expect(resolveAuditLogPath({ env: { GD_IR_AUDIT_LOG: '/y/b.jsonl' }, stateDir: '/s', sandbox: true })).toBe('/y/b.jsonl');
  });

  it('tells a live writer from a dead one', () => {
    expect(isWriterAlive({ pid: process.pid, host: AuditLog.writer.host })).toBe(true);
    expect(isWriterAlive({ pid: 2 ** 22 + 12345, host: AuditLog.writer.host })).toBe(false);
    expect(isWriterAlive({ pid: process.pid, host: 'another-host' })).toBe(false);
    expect(isWriterAlive({})).toBe(false);
  });
});
