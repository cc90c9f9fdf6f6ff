import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { runInProcess } from '../../helpers/cli.js';
import { useSandbox } from '../../helpers/sandbox.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import type { RequestRecord } from '../../../src/sandbox/index.js';
import type { Clock, Context } from '../../../src/cli/context.js';
import { readFindingsFile } from '../../../src/flows/finding-file.js';

const NOW = new Date('2026-11-27T12:00:00.000Z');
const clock: Clock = { now: () => new Date(NOW), sleep: async () => {} };
const F = WORKSHOP.findings;
const FORBIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/;

describe('gd-ir findings show (workshop sandbox)', () => {
  const sb = useSandbox({ now: () => new Date(NOW) });
  async function run(args: string[], opts: Parameters<typeof runInProcess>[1] = {}) {
    const before = sb.get().requests.length;
    const res = await runInProcess(['findings', 'show', ...args], { env: sb.env(), clock, ...opts });
    return { ...res, requests: sb.get().requests.slice(before) as RequestRecord[] };
  }

  it('shows the Custom finding: user, key, API, threat-list IP and list, data source', async () => {
    const { code, stdout, stderr, requests } = await run([F.unauthorizedAccessCustom]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain(`  User name        ${WORKSHOP.compromised.userName}`);
    expect(stdout).toContain(`  Access key ID    ${WORKSHOP.compromised.accessKeyId}`);
    expect(stdout).toContain('  API              GetParameters');
    expect(stdout).toContain(`  Remote IP        ${WORKSHOP.threatListIp}`);
    expect(stdout).toContain(`  Threat list      ${WORKSHOP.threatListName}`);
    expect(stdout).toContain('  Source           CloudTrail management events');
    expect(stdout).toContain(`  gd-ir investigate ${F.unauthorizedAccessCustom}\n  gd-ir trail --key ${WORKSHOP.compromised.accessKeyId}`);
    expect(stdout).not.toContain('--region');
    expect(stdout).not.toContain('\u001b');
    // GetCallerIdentity (asked while the finding is read) says whether the finding's account is the caller's.
    expect(requests.map((r) => r.operation).sort()).toEqual(['GetCallerIdentity', 'GetFindings', 'ListDetectors']);
    expect(requests.find((r) => r.operation === 'GetFindings')?.input).toMatchObject({ findingIds: [F.unauthorizedAccessCustom] });
    expect(stdout).toContain('  Reached with     your own credentials (this is your account)');
  });

  it('--json: summary fields, sections and the untouched SDK object under raw', async () => {
    const { code, stdout } = await run([F.unauthorizedAccessCustom, '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as Record<string, unknown> & { raw: Record<string, unknown> };
    expect(json).toMatchObject({
      schemaVersion: 1,
      id: F.unauthorizedAccessCustom,
      principal: { userName: WORKSHOP.compromised.userName, accessKeyId: WORKSHOP.compromised.accessKeyId },
      remoteIp: WORKSHOP.threatListIp,
      threatListName: WORKSHOP.threatListName,
      dataSource: { name: 'CloudTrail management events' },
      action: { api: 'GetParameters', serviceName: 'ssm.amazonaws.com', callerType: 'Remote IP' },
      actor: { ipAddress: WORKSHOP.threatListIp, country: 'Netherlands', asn: '64500' },
      threatIntel: { threatListName: WORKSHOP.threatListName, source: 'evidence' },
      resource: { resourceType: 'AccessKey', accessKey: { userName: WORKSHOP.compromised.userName } },
    });
    expect(json.raw.Id).toBe(F.unauthorizedAccessCustom);
    expect((json.raw.Service as { AdditionalInfo: { Value: string } }).AdditionalInfo.Value).toBe(JSON.stringify({ threatListName: WORKSHOP.threatListName }));
  });

  it('the hostile user agent is sanitised and flagged for humans, kept exactly in JSON', async () => {
    const human = await run([F.hostileKali], { stdoutTTY: true, columns: 120, env: sb.env({ NO_COLOR: '1' }) });
    expect(human.code).toBe(0);
    expect(human.stdout).not.toMatch(FORBIDDEN);
    expect(human.stdout).not.toContain('evil.example');
    // On a terminal long values wrap with a hanging indent; read the field as one logical line.
    const unwrapped = human.stdout.replace(/\n {6,}(?=\S)/g, ' ');
    expect(unwrapped).toMatch(/User agent\s+aws-cli\/1\.18\.147 .*kali.*⚠ contained terminal control sequences — shown sanitised/);
    const json = await run([F.hostileKali, '--json']);
    expect((JSON.parse(json.stdout) as { action: { userAgent: string } }).action.userAgent).toBe(WORKSHOP.hostileUserAgent);
  });

  it('a finding in another region, named with --region, suggests --region in the next commands', async () => {
    const { code, stdout } = await run([F.aliceAnomalous, '--region', 'us-east-1']);
    expect(code).toBe(0);
    expect(stdout).toContain('  Region           us-east-1');
    expect(stdout).toContain(`gd-ir trail --key ${WORKSHOP.developer.accessKeyId}`);
    expect(stdout).toContain(`  gd-ir investigate ${F.aliceAnomalous} --region us-east-1\n  gd-ir trail --key ${WORKSHOP.developer.accessKeyId} --region us-east-1`);
  });

  it('an unknown ID is not found (exit 1) naming the detector and region', async () => {
    const id = 'ffffffffffffffffffffffffffffffff';
    const { code, stdout, stderr } = await run([id]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(`finding ${id} not found in detector ${WORKSHOP.detectors['us-west-2']} (region us-west-2)`);
    const json = await run([id, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { code: 'not_found' } });
  });

  it.each([
    [['0AC1E1B4C6F24D27A1C1D2E3F4A5B6C7'], /invalid finding ID '0AC1E1B4C6F24D27A1C1D2E3F4A5B6C7': expected 32 lowercase hexadecimal characters/],
    [['abc'], /invalid finding ID 'abc'/],
    [['0ac1e1b4c6f24d27a1c1d2e3f4a5b6c7\u001b[31m'], /invalid finding ID/],
    [[], /missing finding ID/],
    [[F.unauthorizedAccessCustom, '--detector-id', 'bad id!'], /invalid detector ID/],
  ])('%j is a usage error before any call', async (args, message) => {
    const { code, stdout, stderr, requests } = await run(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).not.toContain('\u001b[31m');
    expect(requests).toEqual([]);
  });

  describe('--from-file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gd-ir-show-'));
    const write = (name: string, value: unknown): string => {
      const p = join(dir, name);
      writeFileSync(p, JSON.stringify(value));
      return p;
    };
    const finding = (id: string): Record<string, unknown> => {
      const f = sb.get().world.regions['us-west-2']?.findings.find((x) => x.id === id);
      if (!f) throw new Error(id);
      return JSON.parse(JSON.stringify(f)) as Record<string, unknown>;
    };

    it('reads the workshop e-mail path (EventBridge event) without AWS', async () => {
      const event = { version: '0', id: 'x', 'detail-type': 'GuardDuty Finding', source: 'aws.guardduty', detail: finding(F.unauthorizedAccessCustom) };
      const path = write('event.json', event);
      const { code, stdout, requests } = await run(['--from-file', path]);
      expect(code).toBe(0);
      expect(requests).toEqual([]);
      expect(stdout).toContain('  API              GetParameters');
      expect(stdout).toContain('  Source           CloudTrail management events');
      const json = await run(['--from-file', path, '--json']);
      expect((JSON.parse(json.stdout) as { raw: unknown }).raw).toEqual(event.detail);
    });

    it('picks the named finding from a file of several; asks for one when there are several', async () => {
      const path = write('several.json', { findings: [finding(F.unauthorizedAccessCustom), finding(F.reconCustom)] });
      const picked = await run([F.reconCustom, '--from-file', path, '--json']);
      expect(picked.code).toBe(0);
      expect((JSON.parse(picked.stdout) as { id: string }).id).toBe(F.reconCustom);
      const ambiguous = await run(['--from-file', path]);
      expect(ambiguous.code).toBe(2);
      expect(ambiguous.stderr).toContain('holds 2 findings; name one');
      const missing = await run([F.sshBruteForce, '--from-file', path]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain(`finding ${F.sshBruteForce} not found in`);
    });

    it('reads stdin with -', async () => {
      const text = JSON.stringify({ Findings: [finding(F.unauthorizedAccessCustom)] });
      const ctx = { io: { streams: { stdin: Object.assign(Readable.from([Buffer.from(text)]), { isTTY: false }) } } } as unknown as Context;
      const found = await readFindingsFile(ctx, '-');
      expect(found.map((f) => f.id)).toEqual([F.unauthorizedAccessCustom]);
      const tty = { io: { streams: { stdin: Object.assign(Readable.from([]), { isTTY: true }) } } } as unknown as Context;
      await expect(readFindingsFile(tty, '-')).rejects.toThrow(/stdin is a terminal/);
      const huge = { io: { streams: { stdin: Object.assign(Readable.from([Buffer.alloc(21 * 1024 * 1024, 0x20)]), { isTTY: false }) } } } as unknown as Context;
      await expect(readFindingsFile(huge, '-')).rejects.toThrow(/stdin is larger than 20 MiB/);
    });
  });
});
