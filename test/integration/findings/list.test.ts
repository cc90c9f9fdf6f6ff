import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInProcess } from '../../helpers/cli.js';
import { useSandbox } from '../../helpers/sandbox.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import type { RequestRecord } from '../../../src/sandbox/index.js';
import type { Clock } from '../../../src/cli/context.js';
import { GUARDDUTY_REGIONS } from '../../../src/core/regions.js';
import { FINDING_TYPES } from '../../../src/core/finding-types.js';
import { buildScenario } from '../../../src/sandbox/scenarios/index.js';

const NOW = new Date('2026-11-27T12:00:00.000Z');
const clock: Clock = { now: () => new Date(NOW), sleep: async () => {} };
const F = WORKSHOP.findings;

interface Summary {
  id: string;
  type: string;
  severity: number;
  lastSeen: string;
  region: string;
  archived: boolean;
  principal: { userName: string | null; accessKeyId: string | null } | null;
}

describe('gd-ir findings list (workshop sandbox)', () => {
  const sb = useSandbox({ now: () => new Date(NOW) });

  /** Runs gd-ir and returns what it printed plus the requests the sandbox received meanwhile. */
  async function run(args: string[], opts: Parameters<typeof runInProcess>[1] = {}) {
    const before = sb.get().requests.length;
    const res = await runInProcess(['findings', 'list', ...args], { env: sb.env(), clock, ...opts });
    return { ...res, requests: sb.get().requests.slice(before) as RequestRecord[] };
  }
  const criterionOf = (requests: RequestRecord[]): Record<string, unknown> => {
    const list = requests.filter((r) => r.operation === 'ListFindings');
    expect(list.length).toBeGreaterThan(0);
    return ((list[0]?.input as { findingCriteria?: { criterion?: Record<string, unknown> } }).findingCriteria?.criterion ?? {});
  };

  it('lists unarchived findings most severe first, the two MaliciousIPCaller findings of the compromised user among them', async () => {
    const { code, stdout, stderr, requests } = await run(['--json']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const list = JSON.parse(stdout) as Summary[];
    expect(list).toHaveLength(11);
    expect(list.some((s) => s.archived)).toBe(false);
    const ids = list.map((s) => s.id);
    const custom = ids.indexOf(F.unauthorizedAccessCustom);
    const recon = ids.indexOf(F.reconCustom);
    expect(custom).toBeGreaterThanOrEqual(0);
    expect(recon).toBe(custom + 1);
    for (const id of [F.unauthorizedAccessCustom, F.reconCustom]) {
      expect(list.find((s) => s.id === id)?.principal?.userName).toBe(WORKSHOP.compromised.userName);
    }
    for (let i = 1; i < list.length; i++) {
      const a = list[i - 1]!;
      const b = list[i]!;
      expect(a.severity).toBeGreaterThanOrEqual(b.severity);
      if (a.severity === b.severity) expect(a.lastSeen >= b.lastSeen).toBe(true);
    }
    expect(criterionOf(requests)).toEqual({ 'service.archived': { equals: ['false'] } });
    const lf = requests.find((r) => r.operation === 'ListFindings')?.input as { sortCriteria: unknown; maxResults: number };
    expect(lf.sortCriteria).toEqual({ attributeName: 'severity', orderBy: 'DESC' });
    expect(lf.maxResults).toBe(50);
    expect(requests.map((r) => r.operation)).toEqual(['ListDetectors', 'ListFindings', 'GetFindings']);
  });

  it.each([
    [['--severity', 'high'], { severity: { greaterThanOrEqual: 7 } }, [F.s3Exfiltration, F.credentialExfiltration, F.bitcoinDns]],
    [['--min-severity', '8'], { severity: { greaterThanOrEqual: 8 } }, [F.s3Exfiltration, F.credentialExfiltration, F.bitcoinDns]],
    [
      ['--type', 'UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom'],
      { type: { equals: ['UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom'] } },
      [F.unauthorizedAccessCustom],
    ],
    [['--user', WORKSHOP.compromised.userName], { 'resource.accessKeyDetails.userName': { equals: [WORKSHOP.compromised.userName] } }, [F.unauthorizedAccessCustom, F.reconCustom, F.hostileKali]],
    [['--key', WORKSHOP.compromised.accessKeyId], { 'resource.accessKeyDetails.accessKeyId': { equals: [WORKSHOP.compromised.accessKeyId] } }, [F.unauthorizedAccessCustom, F.reconCustom]],
    [['--since', '2h'], { updatedAt: { greaterThanOrEqual: NOW.getTime() - 2 * 3_600_000 } }, [F.s3Exfiltration, F.credentialExfiltration, F.unauthorizedAccessCustom, F.reconCustom, F.hostileKali]],
    [['--since', '2026-11-27T09:30:00Z'], { updatedAt: { greaterThanOrEqual: Date.parse('2026-11-27T09:30:00Z') } }, [F.s3Exfiltration, F.credentialExfiltration, F.unauthorizedAccessCustom, F.reconCustom, F.hostileKali]],
  ])('%j narrows the list through the API', async (args, expected, ids) => {
    const { code, stdout, requests } = await run([...args, '--json']);
    expect(code).toBe(0);
    expect(criterionOf(requests)).toEqual({ 'service.archived': { equals: ['false'] }, ...expected });
    expect((JSON.parse(stdout) as Summary[]).map((s) => s.id)).toEqual(ids);
  });

  it("expands a type prefix into an equals list of the types the detector holds (GetFindingsStatistics grouped by type)", async () => {
    const { stdout, requests } = await run(['--type', 'Recon:IAMUser/', '--type', 'UnauthorizedAccess:IAMUser/', '--json']);
    const stats = requests.filter((r) => r.operation === 'GetFindingsStatistics');
    expect(stats).toHaveLength(1);
    // The current request shape (groupBy/orderBy/maxResults), not the deprecated findingStatisticTypes, over the same
    // criteria as the list minus the type.
    expect(stats[0]?.input).toEqual({ groupBy: 'FINDING_TYPE', orderBy: 'DESC', maxResults: 100, findingCriteria: { criterion: { 'service.archived': { equals: ['false'] } } } });
    const type = criterionOf(requests).type as { equals: string[] };
    expect(type.equals.sort()).toEqual(
      [...new Set((sb.get().world.regions['us-west-2']?.findings ?? []).filter((f) => !f.service.archived).map((f) => f.type))]
        .filter((t) => t.startsWith('Recon:IAMUser/') || t.startsWith('UnauthorizedAccess:IAMUser/'))
        .sort(),
    );
    expect(type.equals).toContain('Recon:IAMUser/MaliciousIPCaller.Custom');
    expect(type.equals).toContain('UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS');
    expect(type.equals.every((t) => t.startsWith('Recon:IAMUser/') || t.startsWith('UnauthorizedAccess:IAMUser/'))).toBe(true);
    expect((JSON.parse(stdout) as Summary[]).map((s) => s.id)).toEqual([F.credentialExfiltration, F.unauthorizedAccessCustom, F.reconCustom]);
  });

  it('--archived lists only archived findings and --all both', async () => {
    const archived = await run(['--archived', '--json']);
    expect(criterionOf(archived.requests)).toEqual({ 'service.archived': { equals: ['true'] } });
    expect((JSON.parse(archived.stdout) as Summary[]).map((s) => s.id).sort()).toEqual([F.archivedPortProbe, F.archivedBucketPolicy, F.archivedPortscan].sort());
    const all = await run(['--all', '--json']);
    expect(criterionOf(all.requests)).toEqual({});
    expect(JSON.parse(all.stdout)).toHaveLength(14);
  });

  it('--limit asks GuardDuty for that many and says there are more; --sort count orders by count', async () => {
    const { stdout, stderr, requests } = await run(['--limit', '3', '--sort', 'count', '--json']);
    const list = JSON.parse(stdout) as Array<Summary & { count: number }>;
    expect(list.map((s) => s.count)).toEqual([211, 40, 40]);
    const lf = requests.filter((r) => r.operation === 'ListFindings');
    expect(lf).toHaveLength(1);
    expect(lf[0]?.input).toMatchObject({ maxResults: 3, sortCriteria: { attributeName: 'service.count', orderBy: 'DESC' } });
    expect(stderr).toBe('');
    const human = await run(['--limit', '3']);
    expect(human.stderr).toContain('Showing the first 3 findings; use --limit <n> (up to 10000) or --all-pages for more.');
  });

  it('piped human output: summary line, full table, ISO times, a next step on stderr', async () => {
    const { code, stdout, stderr } = await run([]);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('Total: 11  High 3 · Medium 5 · Low 3');
    expect(lines[2]).toMatch(/^SEVERITY\s+TYPE\s+PRINCIPAL\/RESOURCE\s+REMOTE IP\s+COUNT\s+LAST SEEN\s+ID$/);
    expect(stdout).toContain(`Medium    UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom                   GuardDuty-Example-Compromised-Simulated  198.51.100.77      40  2026-11-27T11:58:07Z  ${F.unauthorizedAccessCustom}`);
    expect(stdout).toContain('[SAMPLE] Stealth:IAMUser/CloudTrailLoggingDisabled');
    expect(stdout).not.toContain('\u001b');
    expect(stderr).toBe(`Next: gd-ir findings show ${F.s3Exfiltration}\n`);
  });

  it('TTY output: colour, relative times, fitted to the terminal', async () => {
    const { stdout } = await run([], { stdoutTTY: true, stderrTTY: true, columns: 150, env: sb.env({ FORCE_COLOR: '1' }) });
    const text = stdout.replace(/\u001b\[[0-9;]*m/g, '');
    expect(stdout).toContain('\u001b[');
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(150);
    expect(text).toMatch(new RegExp(`Medium\\s+UnauthorizedAccess:IAMUser/MaliciousIP\\S*\\s+GuardDuty-Example-\\S+\\s+198\\.51\\.100\\.77\\s+40\\s+2m ago\\s+${F.unauthorizedAccessCustom}`));
  });

  it('a progress line on a terminal stderr when fetching takes a while, cleared before the table', async () => {
    let t = NOW.getTime();
    const slowClock: Clock = { now: () => new Date((t += 1_000)), sleep: async () => {} };
    const { code, stdout, stderr } = await run([], { clock: slowClock, stderrTTY: true, stdoutTTY: false });
    expect(code).toBe(0);
    expect(stderr).toContain('Fetching findings… 11 so far');
    expect(stderr).toContain('\r\u001b[2K');
    expect(stdout).not.toContain('Fetching');
    const piped = await run([], { clock: slowClock });
    expect(piped.stderr).not.toContain('Fetching');
  });

  it('--regions lists several regions in parallel, merged, with a REGION column', async () => {
    const { code, stdout, requests } = await run(['--regions', 'us-west-2,us-east-1']);
    expect(code).toBe(0);
    expect(stdout.split('\n')[2]).toMatch(/^SEVERITY\s+REGION\s+TYPE/);
    expect(stdout).toContain(F.aliceAnomalous);
    expect(stdout).toContain(F.unauthorizedAccessCustom);
    expect(new Set(requests.map((r) => r.region))).toEqual(new Set(['us-west-2', 'us-east-1']));
    const json = await run(['--regions', 'us-east-1,us-west-2', '--json']);
    const list = JSON.parse(json.stdout) as Summary[];
    expect(list).toHaveLength(13);
    expect(list.filter((s) => s.region === 'us-east-1').map((s) => s.id).sort()).toEqual([F.aliceAnomalous, F.passwordPolicyChange].sort());
  });

  it('--regions all skips regions without a detector with a note', async () => {
    const { code, stdout, stderr, requests } = await run(['--regions', 'all', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toHaveLength(13);
    expect(new Set(requests.filter((r) => r.operation === 'ListDetectors').map((r) => r.region))).toEqual(new Set(GUARDDUTY_REGIONS));
    const human = await run(['--regions', 'all']);
    expect(human.stderr).toMatch(/^note: no GuardDuty detector in us-east-2, .*eu-west-1.* \(skipped\)$/m);
    expect(stderr).toBe('');
  });

  it('a region without a detector is an error with a remedy (exit 1)', async () => {
    const { code, stdout, stderr } = await run(['--region', 'eu-west-1']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('no GuardDuty detector in eu-west-1');
    expect(stderr).toMatch(/enable GuardDuty in eu-west-1/);
    const many = await run(['--regions', 'eu-west-1,eu-central-1']);
    expect(many.code).toBe(1);
    expect(many.stderr).toContain('no GuardDuty detector in any of the 2 regions listed');
  });

  it('--detector-id skips ListDetectors', async () => {
    const { code, requests } = await run(['--detector-id', WORKSHOP.detectors['us-west-2'] as string, '--json']);
    expect(code).toBe(0);
    expect(requests.map((r) => r.operation)).toEqual(['ListFindings', 'GetFindings']);
  });

  it('nothing found: a note on stderr, exit 0; [] in --json', async () => {
    const none = await run(['--key', 'AKIANOTHINGHERE00000']);
    expect(none).toMatchObject({ code: 0, stdout: '', stderr: 'No findings match.\n' });
    const json = await run(['--key', 'AKIANOTHINGHERE00000', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([]);
  });

  it.each([
    [['--severity', 'urgent'], /invalid severity 'urgent': expected one of low, medium, high, critical/],
    [['--min-severity', '-1'], /expected a number from 0 to 10/],
    [['--limit', '0'], /expected a whole number from 1 to 10000/],
    [['--limit', '5', '--all-pages'], /cannot be used together/],
    [['--since', 'last tuesday'], /invalid --since/],
    [['--key', 'not-a-key'], /invalid access key ID/],
    [['--type', 'has space'], /invalid finding type 'has space'/],
    [['--regions', 'mars-1'], /invalid region 'mars-1'/],
    [['--regions', 'all', '--detector-id', 'abc'], /--detector-id names the detector of one region/],
    [['--sort', 'name'], /Allowed choices are severity, updated, count/],
  ])('%j is a usage error (exit 2) before any AWS call', async (args, message) => {
    const { code, stdout, stderr, requests } = await run(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(requests).toEqual([]);
  });

  it('a prefix no finding type starts with: nothing listed, a warning against a typo, exit 0', async () => {
    const { code, stdout, stderr, requests } = await run(['--type', 'Nope:', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([]);
    expect(JSON.parse(stderr.trim())).toEqual({ warning: "no finding type in the detector starts with 'Nope:', and none of gd-ir's catalogue does either: check the spelling (gd-ir findings list --help)" });
    // No ListFindings with an empty (invalid) equals list.
    expect(requests.map((r) => r.operation)).toEqual(['ListDetectors', 'GetFindingsStatistics']);
  });

  describe('--from-file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gd-ir-findings-'));
    const file = (name: string, content: string): string => {
      const p = join(dir, name);
      writeFileSync(p, content);
      return p;
    };

    it('filters and sorts a GetFindings export locally, without AWS', async () => {
      const all = [...(sb.get().world.regions['us-west-2']?.findings ?? [])];
      const path = file('export.json', JSON.stringify({ findings: all }));
      const { code, stdout, requests } = await run(['--from-file', path, '--user', WORKSHOP.compromised.userName, '--json']);
      expect(code).toBe(0);
      expect(requests).toEqual([]);
      expect((JSON.parse(stdout) as Summary[]).map((s) => s.id)).toEqual([F.unauthorizedAccessCustom, F.reconCustom, F.hostileKali]);
      const archived = await run(['--from-file', path, '--archived', '--json']);
      expect(JSON.parse(archived.stdout)).toHaveLength(3);
    });

    it('bad files are usage errors with one clear line', async () => {
      const cases: Array<[string, RegExp]> = [
        [file('truncated.json', '{"findings":[{"id":'), /truncated\.json is not valid JSON/],
        [file('binary.bin', '\u0000\u0001\u0002'), /looks binary/],
        [file('other.json', '{"Records":[]}'), /not GuardDuty findings \(an object with keys Records\)/],
        [join(dir, 'missing.json'), /cannot read .*missing\.json: no such file/],
        [dir, /it is a directory/],
      ];
      for (const [path, message] of cases) {
        const { code, stdout, stderr } = await run(['--from-file', path]);
        expect(code, path).toBe(2);
        expect(stdout).toBe('');
        expect(stderr).toMatch(message);
        expect(stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
      }
      const both = await run(['--from-file', join(dir, 'x.json'), '--regions', 'us-east-1']);
      expect(both.code).toBe(2);
    });
  });
});

/**
 * --type means the same online and offline: a prefix selects every type that starts with it. Online the detector's
 * own types are asked for (GetFindingsStatistics), so a type newer than gd-ir's catalogue is not silently dropped.
 */
describe('gd-ir findings list --type: the same meaning online and offline', () => {
  const NEW_TYPE = 'UnauthorizedAccess:IAMUser/TypeNewerThanTheCatalogue';
  const world = buildScenario('workshop', { now: NOW });
  const west = world.regions['us-west-2'];
  const custom = west?.findings.find((f) => f.id === F.unauthorizedAccessCustom);
  if (!west || !custom) throw new Error('workshop findings moved');
  const NEW_ID = 'e'.repeat(32);
  west.findings.push({ ...structuredClone(custom), id: NEW_ID, type: NEW_TYPE, arn: String(custom.arn).replace(custom.id, NEW_ID) });
  const sb = useSandbox({ world, now: () => new Date(NOW) });
  const dir = mkdtempSync(join(tmpdir(), 'gd-ir-types-'));
  const exportPath = join(dir, 'export.json');
  writeFileSync(exportPath, JSON.stringify({ findings: west.findings }));

  const ids = async (args: string[]): Promise<string[]> => {
    const r = await runInProcess(['findings', 'list', '--all', '--json', ...args], { env: sb.env(), clock });
    expect(r.code, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as Summary[]).map((x) => x.id).sort();
  };

  it('the new type is not in the catalogue (otherwise this test proves nothing)', () => {
    expect(FINDING_TYPES).not.toContain(NEW_TYPE);
  });

  it.each([
    [['--type', 'UnauthorizedAccess:IAMUser/']],
    [['--type', 'UnauthorizedAccess:']],
    [['--type', 'UnauthorizedAccess:IAMUser/*']],
    [['--type', 'Recon:', '--type', NEW_TYPE]],
    [['--type', NEW_TYPE]],
    [['--type', 'Nope:']],
    [['--type', 'Recon:IAMUser/', '--severity', 'medium']],
  ])('%j: online = offline', async (args) => {
    const online = await ids(args);
    const offline = await ids([...args, '--from-file', exportPath]);
    expect(online).toEqual(offline);
    if (args.includes('UnauthorizedAccess:IAMUser/') || args.includes(NEW_TYPE)) expect(online).toContain(NEW_ID);
  });

  it('when the detector\'s types cannot be read (statistics denied), the catalogue is used and a warning says what that misses', async () => {
    sb.get().setKnobs({ deny: ['GuardDuty:GetFindingsStatistics'] });
    try {
      const r = await runInProcess(['findings', 'list', '--all', '--type', 'UnauthorizedAccess:IAMUser/', '--json'], { env: sb.env(), clock });
      expect(r.code).toBe(0);
      expect((JSON.parse(r.stdout) as Summary[]).map((x) => x.id)).not.toContain(NEW_ID);
      expect(JSON.parse(r.stderr.trim())).toEqual({
        warning: "us-west-2: cannot read the detector's finding types (guardduty:GetFindingsStatistics denied), so --type prefixes were matched against gd-ir's catalogue of finding types: findings of newer types are left out",
      });
    } finally {
      sb.get().setKnobs({ deny: [] });
    }
  });
});
