import { mkdtempSync, readFileSync, rmSync, statSync, chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyEffect } from '../../../src/sandbox/effects.js';
import type { Effect } from '../../../src/sandbox/effects.js';
import { Journal, loadOverlay, migrateV1, saveOverlay, serializeOverlay } from '../../../src/sandbox/state.js';
import { MEMBER, TINY, twoAccountWorld } from '../../integration/sandbox/helpers.js';

const ADMIN = '111122223333';
const NOW = new Date('2026-06-01T12:00:00Z');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'gd-ir-state-'));
  dirs.push(d);
  return d;
}

describe('applyEffect', () => {
  it('changes the named account only', () => {
    const w = twoAccountWorld(NOW);
    expect(applyEffect(w, { kind: 'accessKeyStatus', account: MEMBER.accountId, accessKeyId: MEMBER.accessKey, status: 'Inactive' })).toBe(true);
    expect(w.members?.[MEMBER.accountId]?.iam.accessKeys[MEMBER.accessKey]?.status).toBe('Inactive');
    // The same key ID named in the other account: nothing there to apply it to.
    expect(applyEffect(w, { kind: 'accessKeyStatus', account: ADMIN, accessKeyId: MEMBER.accessKey, status: 'Active' })).toBe(false);
    expect(w.members?.[MEMBER.accountId]?.iam.accessKeys[MEMBER.accessKey]?.status).toBe('Inactive');
    expect(applyEffect(w, { kind: 'accessKeyStatus', account: '999999999999', accessKeyId: MEMBER.accessKey, status: 'Active' })).toBe(false);
  });

  it('puts and deletes user inline policies; a missing user or policy is a no-op', () => {
    const w = twoAccountWorld(NOW);
    const put: Effect = { kind: 'userPolicyPut', account: ADMIN, userName: TINY.userName, policyName: 'q', document: '{"Statement":[]}' };
    expect(applyEffect(w, put)).toBe(true);
    expect(w.iam.users[TINY.userName]?.inlinePolicies.q).toBe('{"Statement":[]}');
    expect(applyEffect(w, { kind: 'userPolicyDelete', account: ADMIN, userName: TINY.userName, policyName: 'q' })).toBe(true);
    expect(w.iam.users[TINY.userName]?.inlinePolicies).not.toHaveProperty('q');
    expect(applyEffect(w, { kind: 'userPolicyDelete', account: ADMIN, userName: TINY.userName, policyName: 'constructor' })).toBe(false);
    expect(applyEffect(w, { ...put, userName: 'nobody' })).toBe(false);
  });

  it('archives findings: updatedAt moves to the change time only forwards, and only when the flag changes', () => {
    const w = twoAccountWorld(NOW);
    const f = w.regions['us-west-2']?.findings.find((x) => x.id === 'f001');
    if (!f) throw new Error('no f001');
    const before = f.updatedAt;
    const later = new Date(NOW.getTime() + 60_000).toISOString();
    expect(applyEffect(w, { kind: 'findingsArchived', account: ADMIN, region: 'us-west-2', findingIds: ['f001', 'nope'], archived: true, at: later })).toBe(true);
    expect(f.service.archived).toBe(true);
    expect(f.updatedAt).toBe(later);
    // Unarchive with a time older than the finding's update (a replay onto a rebuilt world): flag changes, time stays.
    const older = new Date(NOW.getTime() - 86400_000 * 10).toISOString();
    applyEffect(w, { kind: 'findingsArchived', account: ADMIN, region: 'us-west-2', findingIds: ['f001'], archived: false, at: older });
    expect(f.service.archived).toBe(false);
    expect(f.updatedAt).toBe(later);
    expect(before < later).toBe(true);
    // The member's finding in its own detector is not the administrator's.
    expect(applyEffect(w, { kind: 'findingsArchived', account: ADMIN, region: 'us-west-2', findingIds: [MEMBER.ownFindingId], archived: true, at: later })).toBe(false);
    expect(applyEffect(w, { kind: 'findingsArchived', account: MEMBER.accountId, region: 'us-west-2', findingIds: [MEMBER.ownFindingId], archived: true, at: later })).toBe(true);
  });

  it('records feedback', () => {
    const w = twoAccountWorld(NOW);
    expect(applyEffect(w, { kind: 'findingsFeedback', account: ADMIN, region: 'us-west-2', findingIds: ['f002'], feedback: 'NOT_USEFUL' })).toBe(true);
    expect(w.regions['us-west-2']?.findings.find((x) => x.id === 'f002')?.service.userFeedback).toBe('NOT_USEFUL');
  });

  it('an effect of an unknown kind (a newer journal) applies to nothing', () => {
    const w = twoAccountWorld(NOW);
    expect(applyEffect(w, { kind: 'fromTheFuture', account: ADMIN } as unknown as Effect)).toBe(false);
  });
});

describe('the state overlay', () => {
  it('is written atomically, owner-only (0600), one effect per line, and read back as written', () => {
    const path = join(tmp(), 'sub', 'state.json');
    const effects: Effect[] = [
      { kind: 'accessKeyStatus', account: ADMIN, accessKeyId: 'AKIABAD', status: 'Inactive' },
      { kind: 'userPolicyPut', account: MEMBER.accountId, userName: MEMBER.userName, policyName: 'p', document: '{"a":"\\n"}' },
    ];
    saveOverlay(path, { version: 2, scenario: 'tiny', effects });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(5);
    expect(loadOverlay(path, 'tiny', ADMIN)).toEqual({ overlay: { version: 2, scenario: 'tiny', effects }, migrated: false });
    expect(JSON.parse(serializeOverlay({ version: 2, scenario: 'tiny', effects: [] }))).toEqual({ version: 2, scenario: 'tiny', effects: [] });
  });

  it('a world-readable file (an older gd-ir) is made owner-only when read', () => {
    const path = join(tmp(), 'state.json');
    writeFileSync(path, serializeOverlay({ version: 2, scenario: 'tiny', effects: [] }));
    chmodSync(path, 0o644);
    loadOverlay(path, 'tiny', ADMIN);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('migrates version 1 (three maps, one account) to the equivalent effects of the primary account', () => {
    const v1 = {
      version: 1,
      scenario: 'tiny',
      keyStatus: { AKIABAD: 'Inactive', AKIAX: 'Bogus' },
      userPolicies: { victim: { quarantine: '{"Statement":[]}', gone: null } },
      archived: { 'us-west-2': { f001: { archived: true, at: '2026-05-01T00:00:00.000Z' } } },
    };
    expect(migrateV1(v1, ADMIN)).toEqual([
      { kind: 'accessKeyStatus', account: ADMIN, accessKeyId: 'AKIABAD', status: 'Inactive' },
      { kind: 'userPolicyPut', account: ADMIN, userName: 'victim', policyName: 'quarantine', document: '{"Statement":[]}' },
      { kind: 'userPolicyDelete', account: ADMIN, userName: 'victim', policyName: 'gone' },
      { kind: 'findingsArchived', account: ADMIN, region: 'us-west-2', findingIds: ['f001'], archived: true, at: '2026-05-01T00:00:00.000Z' },
    ]);
    const path = join(tmp(), 'state.json');
    writeFileSync(path, JSON.stringify(v1));
    const loaded = loadOverlay(path, 'tiny', ADMIN);
    expect(loaded.migrated).toBe(true);
    expect(loaded.overlay.version).toBe(2);
    expect(loaded.overlay.effects).toHaveLength(4);
  });

  it('ignores a foreign scenario\'s file, an unreadable file and malformed entries, and says so', () => {
    const dir = tmp();
    const lines: string[] = [];
    const foreign = join(dir, 'foreign.json');
    writeFileSync(foreign, serializeOverlay({ version: 2, scenario: 'large', effects: [{ kind: 'accessKeyStatus', account: ADMIN, accessKeyId: 'K', status: 'Inactive' }] }));
    expect(loadOverlay(foreign, 'tiny', ADMIN, (l) => lines.push(l)).overlay.effects).toEqual([]);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"version":2,');
    expect(loadOverlay(broken, 'tiny', ADMIN, (l) => lines.push(l)).overlay.effects).toEqual([]);
    const partial = join(dir, 'partial.json');
    writeFileSync(partial, JSON.stringify({ version: 2, scenario: 'tiny', effects: [{ kind: 'accessKeyStatus', account: ADMIN, accessKeyId: 'K', status: 'Inactive' }, { nope: 1 }, 'x'] }));
    expect(loadOverlay(partial, 'tiny', ADMIN, (l) => lines.push(l)).overlay.effects).toHaveLength(1);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('belongs to scenario large');
    expect(lines[1]).toContain('cannot read state');
    expect(lines[2]).toContain('skipped 2 malformed entries');
  });

  it('the journal writes only when something was appended, and rewrites a migrated file', () => {
    const path = join(tmp(), 'state.json');
    const j = new Journal({ version: 2, scenario: 'tiny', effects: [] }, path);
    j.flush();
    expect(() => statSync(path)).toThrow();
    j.append({ kind: 'accessKeyStatus', account: ADMIN, accessKeyId: 'AKIABAD', status: 'Inactive' });
    j.append({ kind: 'accessKeyStatus', account: ADMIN, accessKeyId: 'AKIABAD', status: 'Active' });
    j.flush();
    expect(loadOverlay(path, 'tiny', ADMIN).overlay.effects.map((e) => (e.kind === 'accessKeyStatus' ? e.status : ''))).toEqual(['Inactive', 'Active']);
    j.reset('tiny');
    expect(() => statSync(path)).toThrow();
    expect(j.effects).toEqual([]);
  });
});
