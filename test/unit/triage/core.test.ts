import { describe, expect, it } from 'vitest';
import {
  availableActions,
  deactivateBlocker,
  defaultExportPath,
  filterFindings,
  pageOf,
  principalLabel,
  regionChoices,
  revokeBlocker,
  sessionCommands,
  sortForTriage,
  TIMELINE_PAGE_SIZE,
} from '../../../src/core/triage.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import { commandLine, shellQuote, type Suggestion } from '../../../src/core/suggestion.js';
import { F, summary, workshopSummaries } from './fixtures.js';

const KEY = WORKSHOP.compromised.accessKeyId;

describe('the findings list', () => {
  it('puts the most severe first, then the most recently seen', () => {
    const sorted = sortForTriage(workshopSummaries());
    const severities = sorted.map((f) => f.severity);
    expect(severities).toEqual([...severities].sort((a, b) => b - a));
    // Among the Medium (5) findings the Custom finding was seen last.
    const mediums = sorted.filter((f) => f.severity === 5);
    expect(mediums[0]?.id).toBe(F.unauthorizedAccessCustom);
    expect(sorted[0]?.severity).toBe(8);
  });

  it('filters on type, principal, key, IP and ID; every word must match', () => {
    const all = workshopSummaries();
    expect(filterFindings(all, undefined)).toHaveLength(all.length);
    expect(filterFindings(all, '  ')).toHaveLength(all.length);
    expect(filterFindings(all, 'UnauthorizedAccess:IAMUser/Malicious').map((f) => f.id)).toEqual([F.unauthorizedAccessCustom]);
    expect(filterFindings(all, 'maliciousipcaller.custom').map((f) => f.id).sort()).toEqual([F.unauthorizedAccessCustom, F.reconCustom, F.ec2MaliciousIp].sort());
    expect(filterFindings(all, `recon ${KEY.toLowerCase()}`).map((f) => f.id)).toEqual([F.reconCustom]);
    expect(filterFindings(all, F.sshBruteForce.slice(0, 10)).map((f) => f.id)).toEqual([F.sshBruteForce]);
    expect(filterFindings(all, 'dev-alice').map((f) => f.id)).toEqual([F.archivedBucketPolicy]);
    expect(filterFindings(all, 'no-such-thing')).toEqual([]);
  });

  it('names the principal by kind', () => {
    expect(principalLabel(summary(F.unauthorizedAccessCustom))).toBe(WORKSHOP.compromised.userName);
    expect(principalLabel(summary(F.credentialExfiltration))).toBe(`role ${WORKSHOP.role.roleName}`);
    expect(principalLabel(summary(F.rootUsage))).toBe('root');
    expect(principalLabel(summary(F.sshBruteForce))).toMatch(/^i-/);
    expect(principalLabel(summary(F.kubernetesAnonymous))).toBe('EKSCluster');
  });

  it('offers the current region first when switching', () => {
    expect(regionChoices('us-west-2', ['us-east-1', 'us-west-2', 'eu-west-1'])).toEqual(['us-west-2', 'us-east-1', 'eu-west-1']);
  });
});

describe('which actions make sense for a principal', () => {
  const ids = (list: ReturnType<typeof availableActions>) => list.filter((a) => !a.disabled).map((a) => a.id);

  it('an IAM user with a long-term key: everything', () => {
    const list = availableActions({ summary: summary(F.unauthorizedAccessCustom), hasTimeline: true, hasPolicies: true, keyStatus: 'Active' });
    expect(ids(list)).toEqual(['sections', 'timeline', 'policies', 'deactivate', 'revoke-sessions', 'contain', 'export', 'archive', 'commands', 'back', 'quit']);
  });

  it('a key this session already deactivated is not offered again, with the reason', () => {
    expect(deactivateBlocker(summary(F.unauthorizedAccessCustom), 'Inactive')).toBe(`${KEY} is already Inactive`);
  });

  it('roles, root, temporary keys, samples and resources: no deactivation, and why', () => {
    expect(deactivateBlocker(summary(F.credentialExfiltration))).toMatch(/role session.*revoke the role's sessions/);
    expect(revokeBlocker(summary(F.credentialExfiltration))).toMatch(/Revoke active sessions/);
    expect(deactivateBlocker(summary(F.rootUsage))).toMatch(/^root credentials/);
    expect(revokeBlocker(summary(F.rootUsage))).toMatch(/^root credentials/);
    expect(deactivateBlocker(summary(F.hostileKali))).toBe(`${WORKSHOP.compromised.derivedSessionKeyId} is a temporary session key: revoke the sessions instead`);
    expect(revokeBlocker(summary(F.hostileKali))).toBeUndefined();
    expect(deactivateBlocker(summary(F.sample))).toMatch(/^a sample finding/);
    expect(revokeBlocker(summary(F.sample))).toMatch(/^a sample finding/);
    expect(deactivateBlocker(summary(F.sshBruteForce))).toBe('no access key in this finding (resource: Instance)');
  });

  it('greys out what the report has nothing for, and archive when already archived', () => {
    const list = availableActions({ summary: summary(F.archivedBucketPolicy), hasTimeline: false, hasPolicies: false });
    expect(list.find((a) => a.id === 'timeline')?.disabled).toBe('no CloudTrail events for this principal');
    expect(list.find((a) => a.id === 'policies')?.disabled).toBe('no IAM policies read for this principal');
    expect(list.find((a) => a.id === 'archive')?.disabled).toBe('already archived');
    // The way out is never disabled.
    expect(ids(list)).toEqual(expect.arrayContaining(['back', 'quit', 'export', 'commands']));
  });
});

describe('paging', () => {
  const items = Array.from({ length: 65 }, (_, i) => i);
  it('cuts 30 rows a page and says where it is', () => {
    expect(TIMELINE_PAGE_SIZE).toBe(30);
    expect(pageOf(items, 0)).toMatchObject({ index: 0, count: 3, from: 1, to: 30, total: 65 });
    expect(pageOf(items, 2)).toMatchObject({ index: 2, from: 61, to: 65, items: [60, 61, 62, 63, 64] });
  });
  it('clamps past either end, and an empty list is one empty page', () => {
    expect(pageOf(items, 9).index).toBe(2);
    expect(pageOf(items, -1).index).toBe(0);
    expect(pageOf([], 0)).toEqual({ items: [], index: 0, count: 1, from: 0, to: 0, total: 0 });
  });
});

describe('the session as commands', () => {
  it('repeats and undoes each change, quoting only what needs it', () => {
    const line = (x: Suggestion | undefined): string | undefined => (x ? commandLine(x, { sandbox: true }) : undefined);
    const cmds = sessionCommands(
      [
        { kind: 'deactivate', findingId: F.unauthorizedAccessCustom, accessKeyId: KEY, userName: WORKSHOP.compromised.userName },
        { kind: 'revoke-sessions', findingId: F.hostileKali, accessKeyId: 'ASIAQDERIVEDSESSION01', userName: 'GuardDuty-Example-Compromised-Simulated', cutoff: '2026-11-27T12:00:00.000Z' },
        { kind: 'archive', findingId: F.sample, detectorId: 'det1', region: 'us-west-2' },
        { kind: 'export', findingId: F.unauthorizedAccessCustom, path: './my report.md' },
      ],
      'us-west-2',
    ).map((c) => ({ done: c.done, repeat: line(c.repeat), ...(c.undo ? { undo: line(c.undo) } : {}) }));
    expect(cmds[0]).toEqual({
      done: `Deactivated access key ${KEY} of user ${WORKSHOP.compromised.userName}`,
      repeat: `gd-ir remediate --key ${KEY} --yes --sandbox`,
      undo: `gd-ir remediate --key ${KEY} --reactivate --yes --sandbox`,
    });
    expect(cmds[1]?.repeat).toBe('gd-ir remediate --key ASIAQDERIVEDSESSION01 --user GuardDuty-Example-Compromised-Simulated --revoke-sessions --yes --sandbox');
    expect(cmds[1]?.undo).toBe('gd-ir remediate --key ASIAQDERIVEDSESSION01 --user GuardDuty-Example-Compromised-Simulated --restore-sessions --yes --sandbox');
    expect(cmds[2]?.undo).toBe(`aws guardduty unarchive-findings --detector-id det1 --finding-ids ${F.sample} --region us-west-2`);
    expect(cmds[3]).toEqual({
      done: `Exported the report of ${F.unauthorizedAccessCustom} to ./my report.md`,
      repeat: `gd-ir investigate ${F.unauthorizedAccessCustom} --region us-west-2 --report './my report.md' --force --sandbox`,
    });
  });

  it('quotes shell words safely', () => {
    expect(shellQuote('plain-word_1.md')).toBe('plain-word_1.md');
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('$(rm -rf ~)')).toBe(`'$(rm -rf ~)'`);
  });

  it('exports next to the analyst by default', () => {
    expect(defaultExportPath(F.unauthorizedAccessCustom)).toBe(`./gd-ir-${F.unauthorizedAccessCustom}.md`);
  });
});
