import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runInProcess } from '../../helpers/cli.js';
import { useSandbox } from '../../helpers/sandbox.js';
import { WORKSHOP as F } from '../../../src/sandbox/scenarios/workshop-facts.js';
import type { RequestRecord } from '../../../src/sandbox/index.js';

interface Json {
  schemaVersion: number;
  finding: Record<string, unknown> & { id: string; raw: unknown };
  dataSource: string | null;
  principal: Record<string, unknown>;
  activity: null | {
    summary: { totalEvents: number; sourceIps: Array<{ ip: string; findingIp: boolean }> };
    evidence: {
      maliciousIp: { ip: string; firstSeen: string; userAgents: string[] } | null;
      before: { since: string; ips: Array<{ ip: string; userAgents: string[]; count: number }> } | null;
      newUserAgents: string[];
      conclusions: string[];
    };
    events: Array<{ time: string; sourceIp: string | null; eventName: string; derived: boolean }>;
    derivedCredentials: Array<{ accessKeyId: string; via: string }>;
    truncated: boolean;
  };
  permissions: null | {
    principal: { type: string; name: string };
    policies: Array<{ kind: string; name: string; source: string }>;
    analysis: { isAdmin: boolean; risks: Array<{ category: string; actions: string[] }> };
  };
  usage: null | { used: Array<{ action: string; granted: boolean | null }>; denied: Array<{ action: string; fromFindingIp: boolean }>; grantedUnused: number | null };
  accessKeys: null | Array<{ accessKeyId: string; status: string; createdAt: string | null; lastUsed: { date: string | null; service: string | null; region: string | null } | null }>;
  relatedFindings: null | Array<{ id: string }>;
  blastRadius: { otherCallers: Array<{ ip: string; userAgents: string[]; activeDuringAttack: boolean }>; impact: string[]; automationCaveats: string[] };
  recommendation: { action: string; commands: string[]; watch: string[]; rationale: string[]; manualSteps: string[] };
  warnings: Array<{ section: string; message: string }>;
}

const since = (sb: { get(): { requests: RequestRecord[] } }, from: number): RequestRecord[] => sb.get().requests.slice(from);
/** The raw finding (SDK PascalCase or API camelCase) moved to another account. */
const withAccount = (raw: unknown, account: string): Record<string, unknown> => {
  const r = { ...(raw as Record<string, unknown>) };
  if ('AccountId' in r) r.AccountId = account;
  else r.accountId = account;
  return r;
};

describe('gd-ir investigate on the workshop (sandbox)', () => {
  // A little latency makes concurrency observable as overlapping requests (no timing thresholds).
  const sb = useSandbox({ latencyMs: 20 });

  it('answers the four workshop questions from data, and names the key and the user', async () => {
    const before = sb.get().requests.length;
    const r = await runInProcess(['investigate', F.findings.unauthorizedAccessCustom, '--json'], { env: sb.env() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Json;
    expect(j.schemaVersion).toBe(1);
    expect(j.finding.id).toBe(F.findings.unauthorizedAccessCustom);

    // 1. Which data source?
    expect(j.dataSource).toBe('CloudTrail management events');

    // 2. How was the key compromised? Threat-list IP first seen at…, user agent change, corporate IP before.
    const ev = j.activity?.evidence;
    const firstBad = j.activity?.events.filter((e) => e.sourceIp === F.threatListIp).map((e) => e.time).sort()[0];
    expect(ev?.maliciousIp).toMatchObject({ ip: F.threatListIp, firstSeen: firstBad });
    expect(ev?.before?.ips.map((p) => p.ip)).toEqual([F.corporateIp]);
    expect(ev?.before?.ips[0]?.userAgents).toEqual([F.ciUserAgent]);
    expect(ev?.newUserAgents).toContain(F.attackerUserAgent);
    expect(ev?.conclusions[0]).toContain(`${F.threatListIp} (threat list ${F.threatListName}) first used the key at ${firstBad}`);
    expect(j.activity?.summary.sourceIps.find((s) => s.ip === F.threatListIp)?.findingIp).toBe(true);
    expect(j.activity?.derivedCredentials).toEqual([expect.objectContaining({ accessKeyId: F.compromised.derivedSessionKeyId, via: 'GetSessionToken' })]);
    // Derived credentials were followed: the session's own calls are in the trail, marked.
    expect(j.activity?.events.some((e) => e.derived && e.eventName === 'GetParameters')).toBe(true);

    // 3. What permissions? One inline policy; SSM parameter read flagged; not admin; used vs granted.
    expect(j.permissions?.policies).toEqual([expect.objectContaining({ source: 'direct', kind: 'inline', name: F.compromised.inlinePolicyName })]);
    expect(j.permissions?.analysis.isAdmin).toBe(false);
    expect(j.permissions?.analysis.risks).toEqual([expect.objectContaining({ category: 'credential-access', actions: expect.arrayContaining(['ssm:GetParameters']) })]);
    expect(j.usage?.used.find((u) => u.action === 'ssm:GetParameters')?.granted).toBe(true);
    expect(j.usage?.denied.find((d) => d.action === 'iam:CreateUser')?.fromFindingIp).toBe(true);

    // 4. Why not automate? The CI workload uses the same key from the corporate IP.
    expect(j.blastRadius.otherCallers).toEqual([expect.objectContaining({ ip: F.corporateIp, userAgents: [F.ciUserAgent], activeDuringAttack: true })]);
    expect(j.blastRadius.automationCaveats[0]).toContain(F.corporateIp);
    expect(j.accessKeys).toEqual([
      { accessKeyId: F.compromised.accessKeyId, status: 'Active', createdAt: expect.any(String), lastUsed: { date: expect.any(String), service: 'ssm', region: 'us-west-2' } },
    ]);

    // The decision: the key and the user, and --revoke-sessions because a session was minted.
    expect(j.recommendation.action).toBe('deactivate-key');
    expect(j.recommendation.commands).toEqual([`gd-ir remediate --key ${F.compromised.accessKeyId} --user ${F.compromised.userName} --revoke-sessions`]);
    expect(j.recommendation.watch[0]).toBe(`gd-ir trail --key ${F.compromised.accessKeyId} --since 1h`);
    expect(j.relatedFindings?.map((f) => f.id)).toEqual(expect.arrayContaining([F.findings.reconCustom, F.findings.hostileKali]));
    expect(j.relatedFindings?.map((f) => f.id)).not.toContain(F.findings.unauthorizedAccessCustom);
    expect(j.warnings).toEqual([]);

    // What the sandbox received: the related-findings query asked GuardDuty for this user's open findings…
    const reqs = since(sb, before);
    const list = reqs.find((q) => q.operation === 'ListFindings' && q.region === 'us-west-2');
    // IAM findings about global calls live in us-east-1: that region is asked too.
    expect(reqs.some((q) => q.operation === 'ListFindings' && q.region === 'us-east-1')).toBe(true);
    expect(JSON.stringify(list?.input)).toContain('"resource.accessKeyDetails.userName":{"equals":["GuardDuty-Example-Compromised-Simulated"]}');
    expect(JSON.stringify(list?.input)).toContain('"service.archived":{"equals":["false"]}');
    // …the trail looked the key up in the finding's region and in us-east-1, and the derived key too…
    const lookups = reqs.filter((q) => q.operation === 'LookupEvents');
    expect(new Set(lookups.map((q) => q.region))).toEqual(new Set(['us-west-2', 'us-east-1']));
    expect(lookups.some((q) => JSON.stringify(q.input).includes(F.compromised.derivedSessionKeyId))).toBe(true);
    // …and IAM was read while CloudTrail was being paged: the parts overlap instead of running one after another.
    const iam = reqs.filter((q) => q.service === 'iam');
    expect(iam.map((q) => q.operation)).toEqual(expect.arrayContaining(['GetUser', 'ListUserPolicies', 'GetUserPolicy', 'ListAccessKeys', 'GetAccessKeyLastUsed']));
    const overlaps = iam.some((a) => lookups.some((b) => a.start < b.end && b.start < a.end));
    expect(overlaps).toBe(true);
  });

  it('the human report, piped: every section in order, the commands, no control characters', async () => {
    const r = await runInProcess(['investigate', F.findings.unauthorizedAccessCustom, '--rate', '10'], { env: sb.env() });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const order = ['── 1. Verdict', '── 2. Finding', '── 3. Data source', '── 4. Activity', '── 5. Changes', '── 6. Permissions', '── 7. Blast radius', '── 8. Recommendation'].map((h) => r.stdout.indexOf(h));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(r.stdout.split('\n')[1]).toBe(
      `UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom · Medium (5) · IAM user ${F.compromised.userName} (${F.compromised.accessKeyId}) · account ${F.accountId} · us-west-2 · real finding`,
    );
    expect(r.stdout).toContain(`$ gd-ir remediate --key ${F.compromised.accessKeyId} --user ${F.compromised.userName} --revoke-sessions`);
    expect(r.stdout).toContain(`${F.threatListIp} ◀ finding`);
    // The workshop's attacker changed nothing (its CreateUser was denied): the section says so.
    expect(r.stdout).toMatch(/── 5\. Changes ─+\n {2}No successful writes by the principal and 1 credential it minted or created: nothing to undo\./);
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
  });

  it('stdout on a terminal: relative times, lines fitted; with --json and a terminal stderr: no spinner, nothing on stderr', async () => {
    const r = await runInProcess(['investigate', F.findings.unauthorizedAccessCustom, '--rate', '10'], { env: sb.env(), stdoutTTY: true, columns: 100 });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\d+m ago/);
    expect(r.stderr).toBe('');
    const j = await runInProcess(['investigate', F.findings.unauthorizedAccessCustom, '--json', '--rate', '10'], { env: sb.env(), stderrTTY: true });
    expect(j.code).toBe(0);
    expect(j.stderr).toBe('');
  });

  it('an AssumedRole finding: revoke the role\'s sessions, the role\'s permissions, no key to disable, no gd-ir remediate', async () => {
    const before = sb.get().requests.length;
    const r = await runInProcess(['investigate', F.findings.credentialExfiltration, '--json'], { env: sb.env() });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Json;
    expect(j.principal).toMatchObject({ kind: 'assumed-role', roleName: F.role.roleName, sessionName: F.role.instanceId, accessKeyId: F.role.sessionKeyId });
    expect(j.recommendation.action).toBe('revoke-role-sessions');
    expect(j.recommendation.commands).toHaveLength(1);
    expect(j.recommendation.commands[0]).toMatch(new RegExp(`^aws iam put-role-policy --role-name ${F.role.roleName} --policy-name AWSRevokeOlderSessions `));
    expect(j.recommendation.commands.join(' ')).not.toContain('gd-ir remediate');
    expect(j.permissions?.principal).toMatchObject({ type: 'role', name: F.role.roleName });
    expect(j.accessKeys).toBeNull();
    expect(j.activity?.evidence.maliciousIp?.ip).toBe(F.role.exfilIp);
    const ops = since(sb, before).map((q) => q.operation);
    expect(ops).toContain('GetRole');
    expect(ops).not.toContain('ListAccessKeys');
    expect(ops).not.toContain('GetUser');
  });

  it('the sample finding: not actionable, says why, and reads nothing but the finding', async () => {
    const before = sb.get().requests.length;
    const r = await runInProcess(['investigate', F.findings.sample, '--json'], { env: sb.env() });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Json;
    expect(j.principal).toMatchObject({ kind: 'sample', actionable: false });
    expect(j.recommendation).toMatchObject({ action: 'none', commands: [], watch: [] });
    expect(j.recommendation.rationale[0]).toMatch(/sample finding/);
    expect(j.activity).toBeNull();
    expect(j.permissions).toBeNull();
    expect(new Set(since(sb, before).map((q) => q.operation))).toEqual(new Set(['ListDetectors', 'GetFindings']));
  });

  it('the Root finding: manual steps, gd-ir acts on nothing, no IAM reads', async () => {
    const before = sb.get().requests.length;
    const r = await runInProcess(['investigate', F.findings.rootUsage, '--json'], { env: sb.env() });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Json;
    expect(j.principal.kind).toBe('root');
    expect(j.recommendation).toMatchObject({ action: 'manual-root', commands: [] });
    expect(j.recommendation.manualSteps.join(' ')).toMatch(/MFA/);
    expect(since(sb, before).some((q) => q.service === 'iam')).toBe(false);
  });

  it('--from-file: an EventBridge event gives the same decision', async () => {
    const online = JSON.parse((await runInProcess(['investigate', F.findings.unauthorizedAccessCustom, '--json', '--rate', '10'], { env: sb.env() })).stdout) as Json;
    const dir = mkdtempSync(join(tmpdir(), 'gd-ir-inv-'));
    const file = join(dir, 'event.json');
    writeFileSync(file, JSON.stringify({ version: '0', 'detail-type': 'GuardDuty Finding', source: 'aws.guardduty', detail: online.finding.raw }));
    const before = sb.get().requests.length;
    const r = await runInProcess(['investigate', '--from-file', file, '--json', '--rate', '10'], { env: sb.env() });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Json;
    expect(j.recommendation.commands).toEqual(online.recommendation.commands);
    // The finding came from the file: the only GetFindings is the related-findings batch, after its ListFindings.
    const gd = since(sb, before).filter((q) => q.service === 'guardduty').map((q) => q.operation);
    expect(gd.filter((o) => o === 'GetFindings')).toHaveLength(1);
    expect(gd.indexOf('ListFindings')).toBeLessThan(gd.indexOf('GetFindings'));
  });

  it('a member account\'s finding seen from the administrator: no CloudTrail or IAM read of the wrong account, and it says so', async () => {
    const online = JSON.parse((await runInProcess(['investigate', F.findings.unauthorizedAccessCustom, '--json', '--rate', '10'], { env: sb.env() })).stdout) as Json;
    const dir = mkdtempSync(join(tmpdir(), 'gd-ir-inv-'));
    const file = join(dir, 'member.json');
    writeFileSync(file, JSON.stringify(withAccount(online.finding.raw, '999988887777')));
    const r = await runInProcess(['investigate', '--from-file', file, '--json', '--rate', '10'], { env: sb.env() });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Json & { warnings: Array<{ section: string; message: string }> };
    expect(j.activity).toBeNull();
    expect(j.permissions).toBeNull();
    expect(j.accessKeys).toBeNull();
    expect(j.warnings).toEqual(expect.arrayContaining([
      { section: 'finding', message: expect.stringContaining('the finding is in account 999988887777 and your credentials are for account') as unknown },
      { section: 'activity', message: expect.stringContaining('CloudTrail not read') as unknown },
    ]));
    // Related findings are those of the finding's own account only.
    const before = sb.get().requests.length;
    await runInProcess(['investigate', '--from-file', file, '--json', '--rate', '10'], { env: sb.env() });
    const list = since(sb, before).filter((q) => q.operation === 'ListFindings');
    expect(list.length).toBeGreaterThan(0);
    for (const q of list) {
      expect((q.input as { findingCriteria: { criterion: Record<string, unknown> } }).findingCriteria.criterion.accountId).toEqual({ equals: ['999988887777'] });
    }
  });

  describe('--report', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gd-ir-report-'));
    it('writes the Markdown report; refuses to overwrite without --force (exit 2, before any AWS call); --force replaces it', async () => {
      const file = join(dir, 'incident.md');
      const r = await runInProcess(['investigate', F.findings.unauthorizedAccessCustom, '--report', file, '--rate', '10'], { env: sb.env() });
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`Report written to ${file}`);
      const md = readFileSync(file, 'utf8');
      expect(md.startsWith(`# Investigation of GuardDuty finding ${F.findings.unauthorizedAccessCustom}\n`)).toBe(true);
      expect(md).toContain('| IP | Calls | Errors | First | Last | User agents |');
      expect(md).toContain(`gd-ir remediate --key ${F.compromised.accessKeyId} --user ${F.compromised.userName} --revoke-sessions`);
      expect(md).not.toMatch(/\u001b/);

      writeFileSync(file, 'keep me');
      const before = sb.get().requests.length;
      const again = await runInProcess(['investigate', F.findings.unauthorizedAccessCustom, '--report', file, '--rate', '10'], { env: sb.env() });
      expect(again.code).toBe(2);
      expect(again.stderr).toContain('already exists: not overwriting it');
      expect(readFileSync(file, 'utf8')).toBe('keep me');
      expect(sb.get().requests.length).toBe(before);

      const nowhere = await runInProcess(['investigate', F.findings.unauthorizedAccessCustom, '--report', join(dir, 'no-such-dir', 'x.md')], { env: sb.env() });
      expect(nowhere.code).toBe(2);
      expect(nowhere.stderr).toContain('does not exist');
      expect(sb.get().requests.length).toBe(before);

      const forced = await runInProcess(['investigate', F.findings.unauthorizedAccessCustom, '--report', file, '--force', '--json', '--rate', '10'], { env: sb.env() });
      expect(forced.code).toBe(0);
      expect(readFileSync(file, 'utf8')).toContain('## 8. Recommendation');
    });
  });

  it('usage errors before any AWS call (exit 2)', async () => {
    const before = sb.get().requests.length;
    expect((await runInProcess(['investigate', 'not-a-finding-id'], { env: sb.env() })).code).toBe(2);
    expect((await runInProcess(['investigate'], { env: sb.env() })).code).toBe(2);
    expect((await runInProcess(['investigate', F.findings.sample, '--from-file', '-'], { env: sb.env() })).code).toBe(2);
    expect((await runInProcess(['investigate', F.findings.sample, '--max-events', '0'], { env: sb.env() })).code).toBe(2);
    expect((await runInProcess(['investigate', F.findings.sample, '--rate', '50'], { env: sb.env() })).code).toBe(2);
    expect(sb.get().requests.length).toBe(before);
    expect(existsSync('-')).toBe(false);
  });

  it('an unknown finding: exit 1 with the detector and region', async () => {
    const r = await runInProcess(['investigate', 'ffffffffffffffffffffffffffffffff'], { env: sb.env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`finding ffffffffffffffffffffffffffffffff not found in detector ${F.detectors['us-west-2']} (region us-west-2)`);
  });
});

describe('gd-ir investigate with parts denied (partial failure)', () => {
  const sb = useSandbox();
  afterEach(() => sb.get().setKnobs({ deny: [] }));

  it('IAM ListAttachedUserPolicies denied: a permissions warning, the rest intact, exit 0; --strict exits 1', async () => {
    sb.get().setKnobs({ deny: ['IAM:ListAttachedUserPolicies'] });
    const r = await runInProcess(['investigate', F.findings.unauthorizedAccessCustom, '--json', '--rate', '10'], { env: sb.env() });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Json;
    expect(j.warnings).toEqual([expect.objectContaining({ section: 'permissions', message: expect.stringContaining('iam:ListAttachedUserPolicies') })]);
    expect(r.stderr).toContain('"warning":"permissions:');
    expect(j.permissions?.policies.map((p) => p.name)).toEqual([F.compromised.inlinePolicyName]);
    expect(j.activity?.evidence.maliciousIp?.ip).toBe(F.threatListIp);
    expect(j.recommendation.commands[0]).toContain('--revoke-sessions');

    const strict = await runInProcess(['investigate', F.findings.unauthorizedAccessCustom, '--strict', '--rate', '10'], { env: sb.env() });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('── 8. Recommendation');
    expect(strict.stderr).toContain('warning: permissions:');
  });

  it('CloudTrail LookupEvents denied: the activity section says so, permissions and keys intact, exit 0; --strict exits 1', async () => {
    sb.get().setKnobs({ deny: ['CloudTrail:LookupEvents'] });
    const r = await runInProcess(['investigate', F.findings.unauthorizedAccessCustom, '--json'], { env: sb.env() });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Json;
    expect(j.activity).toBeNull();
    expect(j.warnings).toEqual([expect.objectContaining({ section: 'activity', message: expect.stringMatching(/CloudTrail could not be read: access denied/) })]);
    expect(j.permissions?.policies).toHaveLength(1);
    expect(j.accessKeys).toHaveLength(1);
    // Without the trail there is no evidence of derived sessions: the command does not claim any, the rationale says why.
    expect(j.recommendation.commands).toEqual([`gd-ir remediate --key ${F.compromised.accessKeyId} --user ${F.compromised.userName}`]);
    expect(j.recommendation.rationale.join(' ')).toContain('--revoke-sessions anyway');

    const human = await runInProcess(['investigate', F.findings.unauthorizedAccessCustom, '--rate', '10'], { env: sb.env() });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/── 4\. Activity ─+\n {2}⚠ warning: CloudTrail could not be read/);
    expect(human.stdout).toMatch(/── 5\. Changes ─+\n {2}Not swept: the trail could not be read \(see Activity\)\./);
    expect(human.stdout).toContain('── 6. Permissions');

    const strict = await runInProcess(['investigate', F.findings.unauthorizedAccessCustom, '--strict', '--json'], { env: sb.env() });
    expect(strict.code).toBe(1);
    expect(JSON.parse(strict.stdout)).toHaveProperty('recommendation');
  });
});
