import { mkdtempSync, readFileSync, rmSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ListDetectorsCommand, ListFindingsCommand, ArchiveFindingsCommand, GetFindingsCommand } from '@aws-sdk/client-guardduty';
import { GetUserCommand, GetUserPolicyCommand, ListAccessKeysCommand, PutUserPolicyCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { startSandbox } from '../../../src/sandbox/index.js';
import type { RequestRecord, RunningSandbox } from '../../../src/sandbox/index.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import { caught, clients, destroy } from './helpers.js';

const DET = WORKSHOP.detectors['us-west-2'] as string;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function faultPattern(seed: number): Promise<Array<RequestRecord['fault'] | 'ok'>> {
  const sb = await startSandbox({ faultRate: 0.5, faultSeed: seed });
  const c = clients(sb, { maxAttempts: 1 });
  for (let i = 0; i < 24; i++) {
    try {
      await c.sts.send(new GetCallerIdentityCommand({}));
    } catch {
      /* faults expected */
    }
  }
  destroy(c);
  await sb.close();
  return sb.requests.map((r) => r.fault ?? 'ok');
}

describe('knobs', () => {
  it('faults are deterministic per seed and cover every kind', async () => {
    const a = await faultPattern(7);
    const b = await faultPattern(7);
    const other = await faultPattern(8);
    expect(a).toEqual(b);
    expect(a).not.toEqual(other);
    expect(a.filter((x) => x !== 'ok').length).toBeGreaterThan(3);
    const kinds = new Set([...a, ...other, ...(await faultPattern(9))]);
    for (const k of ['error500', 'error503', 'throttle', 'reset']) expect(kinds.has(k as RequestRecord['fault'])).toBe(true);
  });

  it('the SDK retries transient faults (500/503/throttle/reset) to success', async () => {
    const sb = await startSandbox({ faultRate: 0.4, faultSeed: 7 });
    const c = clients(sb, { maxAttempts: 12 });
    for (let i = 0; i < 8; i++) {
      expect((await c.gd.send(new ListDetectorsCommand({}))).DetectorIds).toEqual([DET]);
      expect((await c.iam.send(new GetUserCommand({}))).User?.UserName).toBe(WORKSHOP.analyst.userName);
    }
    const kinds = new Set<string>(sb.requests.map((r) => r.fault ?? 'none'));
    for (const k of ['error500', 'error503', 'throttle', 'reset']) expect(kinds.has(k), k).toBe(true);
    expect(sb.requests.find((r) => r.fault === 'reset')?.status).toBe(0);
    // Every throttle is in its service's wire shape (the loop above guarantees there is at least one).
    const throttleShape: Record<string, { status: number; errorCode: string }> = {
      guardduty: { status: 429, errorCode: 'TooManyRequestsException' },
      iam: { status: 400, errorCode: 'Throttling' },
    };
    const throttles = sb.requests.filter((r) => r.fault === 'throttle');
    expect(throttles.length).toBeGreaterThan(0);
    for (const t of throttles) expect(t, t.service).toMatchObject(throttleShape[t.service] ?? { service: 'guardduty or iam' });
    destroy(c);
    await sb.close();
  });

  it('forced deny per Service:Operation with wildcards, in each service\'s shape', async () => {
    const sb = await startSandbox({ deny: ['IAM:GetUser', 'GuardDuty:List*', 'CloudTrail:LookupEvents'] });
    const c = clients(sb);
    const e1 = await caught(() => c.iam.send(new GetUserCommand({})));
    expect(e1.name).toBe('AccessDenied');
    expect(e1.$metadata?.httpStatusCode).toBe(403);
    expect(e1.message).toBe(
      `User: arn:aws:iam::${WORKSHOP.accountId}:user/ir-analyst is not authorized to perform: iam:GetUser on resource: arn:aws:iam::${WORKSHOP.accountId}:user/ir-analyst because no identity-based policy allows the iam:GetUser action`,
    );
    const e2 = await caught(() => c.gd.send(new ListFindingsCommand({ DetectorId: DET })));
    expect(e2.name).toBe('AccessDeniedException');
    expect(e2.$metadata?.httpStatusCode).toBe(403);
    const e3 = await caught(() => c.ct.send(new LookupEventsCommand({})));
    expect(e3.name).toBe('AccessDeniedException');
    expect(e3.$metadata?.httpStatusCode).toBe(400);
    expect((await c.iam.send(new ListAccessKeysCommand({}))).AccessKeyMetadata).toHaveLength(1);
    sb.setKnobs({ deny: ['IAM:*', 'STS:GetCallerIdentity'] });
    expect((await caught(() => c.iam.send(new ListAccessKeysCommand({})))).name).toBe('AccessDenied');
    expect((await caught(() => c.sts.send(new GetCallerIdentityCommand({})))).name).toBe('AccessDenied');
    sb.setKnobs({ deny: [] });
    expect((await c.iam.send(new GetUserCommand({}))).User).toBeDefined();
    expect(sb.requests.filter((r) => r.fault === 'denied')).toHaveLength(5);
    destroy(c);
    await sb.close();
  });

  it('faults never apply to requests rejected for auth', async () => {
    const sb = await startSandbox({ faultRate: 1 });
    const c = clients(sb, { credentials: { accessKeyId: 'AKIANOBODY0000000000', secretAccessKey: 'x' } });
    for (let i = 0; i < 5; i++) expect((await caught(() => c.sts.send(new GetCallerIdentityCommand({})))).name).toBe('InvalidClientTokenId');
    expect(sb.requests).toHaveLength(5);
    expect(sb.requests.every((r) => r.fault === undefined && r.status === 403)).toBe(true);
    destroy(c);
    await sb.close();
  });

  it('latency is added and recorded; requests are recorded with their inputs', async () => {
    const sb = await startSandbox({ latencyMs: 30 });
    const c = clients(sb);
    await c.gd.send(new ListFindingsCommand({ DetectorId: DET, MaxResults: 5 }));
    const rec = sb.requests.at(-1) as RequestRecord;
    expect(rec).toMatchObject({ service: 'guardduty', operation: 'ListFindings', region: 'us-west-2', accessKeyId: WORKSHOP.analyst.accessKeyId, status: 200, fault: 'latency' });
    expect(rec.input).toMatchObject({ maxResults: 5 });
    expect(rec.end).toBeGreaterThan(rec.start);
    sb.setKnobs({ latencyMs: 0 });
    await c.iam.send(new GetUserCommand({ UserName: WORKSHOP.developer.userName }));
    expect(sb.requests.at(-1)).toMatchObject({ service: 'iam', operation: 'GetUser', input: { UserName: WORKSHOP.developer.userName } });
    expect(sb.requests.at(-1)?.fault).toBeUndefined();
    expect(sb.requests.map((r) => r.seq)).toEqual([1, 2]);
    destroy(c);
    await sb.close();
  });

  it('several sandboxes run side by side with separate state', async () => {
    const [a, b] = await Promise.all([startSandbox(), startSandbox()]);
    if (!a || !b) throw new Error('no sandbox');
    const ca = clients(a);
    await ca.iam.send(new UpdateAccessKeyCommand({ UserName: WORKSHOP.compromised.userName, AccessKeyId: WORKSHOP.compromised.accessKeyId, Status: 'Inactive' }));
    expect(a.world.iam.accessKeys[WORKSHOP.compromised.accessKeyId]?.status).toBe('Inactive');
    expect(b.world.iam.accessKeys[WORKSHOP.compromised.accessKeyId]?.status).toBe('Active');
    destroy(ca);
    await Promise.all([a.close(), b.close()]);
  });
});

describe('state overlay', () => {
  it('persists key status, inline policies and archived flags across restarts; reset() drops them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gd-ir-sandbox-'));
    dirs.push(dir);
    const statePath = join(dir, 'state.json');
    let sb: RunningSandbox = await startSandbox({ statePath });
    let c = clients(sb);
    const doc = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}';
    await c.iam.send(new UpdateAccessKeyCommand({ UserName: WORKSHOP.compromised.userName, AccessKeyId: WORKSHOP.compromised.accessKeyId, Status: 'Inactive' }));
    await c.iam.send(new PutUserPolicyCommand({ UserName: WORKSHOP.compromised.userName, PolicyName: 'quarantine', PolicyDocument: doc }));
    await c.gd.send(new ArchiveFindingsCommand({ DetectorId: DET, FindingIds: [WORKSHOP.findings.unauthorizedAccessCustom] }));
    const overlay = JSON.parse(readFileSync(statePath, 'utf8')) as Record<string, unknown>;
    // Version 2: a journal of effects (version-1 files are migrated; see 'migrates a version-1 overlay' below).
    expect(overlay).toMatchObject({ version: 2, scenario: 'workshop' });
    expect(overlay.effects).toContainEqual({ kind: 'accessKeyStatus', account: WORKSHOP.accountId, accessKeyId: WORKSHOP.compromised.accessKeyId, status: 'Inactive' });
    expect(readFileSync(statePath, 'utf8').length).toBeLessThan(10_000);
    destroy(c);
    await sb.close();

    sb = await startSandbox({ statePath });
    c = clients(sb);
    const keys = await c.iam.send(new ListAccessKeysCommand({ UserName: WORKSHOP.compromised.userName }));
    expect(keys.AccessKeyMetadata?.[0]?.Status).toBe('Inactive');
    const pol = await c.iam.send(new GetUserPolicyCommand({ UserName: WORKSHOP.compromised.userName, PolicyName: 'quarantine' }));
    expect(decodeURIComponent(pol.PolicyDocument ?? '')).toBe(doc);
    const f = await c.gd.send(new GetFindingsCommand({ DetectorId: DET, FindingIds: [WORKSHOP.findings.unauthorizedAccessCustom] }));
    expect(f.Findings?.[0]?.Service?.Archived).toBe(true);
    const attacker = clients(sb, { credentials: { accessKeyId: WORKSHOP.compromised.accessKeyId, secretAccessKey: WORKSHOP.compromised.secretAccessKey } });
    expect((await caught(() => attacker.sts.send(new GetCallerIdentityCommand({})))).name).toBe('InvalidClientTokenId');

    await sb.reset();
    expect(existsSync(statePath)).toBe(false);
    expect((await c.iam.send(new ListAccessKeysCommand({ UserName: WORKSHOP.compromised.userName }))).AccessKeyMetadata?.[0]?.Status).toBe('Active');
    const f2 = await c.gd.send(new GetFindingsCommand({ DetectorId: DET, FindingIds: [WORKSHOP.findings.unauthorizedAccessCustom] }));
    expect(f2.Findings?.[0]?.Service?.Archived).toBe(false);
    destroy(c);
    destroy(attacker);
    await sb.close();
    const sb3 = await startSandbox({ statePath });
    expect(sb3.world.iam.accessKeys[WORKSHOP.compromised.accessKeyId]?.status).toBe('Active');
    await sb3.close();
  });

  it('rebuilds the scenario relative to now() at each start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gd-ir-sandbox-'));
    dirs.push(dir);
    const statePath = join(dir, 'state.json');
    const t1 = new Date('2026-03-01T12:00:00Z');
    const a = await startSandbox({ statePath, now: () => t1 });
    const ca = clients(a);
    await ca.gd.send(new ArchiveFindingsCommand({ DetectorId: DET, FindingIds: [WORKSHOP.findings.reconCustom] }));
    destroy(ca);
    await a.close();
    const t2 = new Date('2026-06-01T12:00:00Z');
    const b = await startSandbox({ statePath, now: () => t2 });
    expect(b.world.anchor).toBe(t2.toISOString());
    const f = b.world.regions['us-west-2']?.findings.find((x) => x.id === WORKSHOP.findings.reconCustom);
    expect(f?.service.archived).toBe(true);
    await b.close();
  });
  it('migrates a version-1 overlay (an older gd-ir\'s) and keeps it owner-only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gd-ir-sandbox-'));
    dirs.push(dir);
    const statePath = join(dir, 'state.json');
    const doc = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}';
    const at = new Date().toISOString();
    writeFileSync(
      statePath,
      JSON.stringify({
        version: 1,
        scenario: 'workshop',
        keyStatus: { [WORKSHOP.compromised.accessKeyId]: 'Inactive' },
        userPolicies: { [WORKSHOP.compromised.userName]: { quarantine: doc, [WORKSHOP.compromised.inlinePolicyName]: null } },
        archived: { 'us-west-2': { [WORKSHOP.findings.reconCustom]: { archived: true, at } } },
      }),
      { mode: 0o644 },
    );
    const sb = await startSandbox({ statePath });
    const user = sb.world.iam.users[WORKSHOP.compromised.userName];
    expect(sb.world.iam.accessKeys[WORKSHOP.compromised.accessKeyId]?.status).toBe('Inactive');
    expect(user?.inlinePolicies.quarantine).toBe(doc);
    expect(Object.keys(user?.inlinePolicies ?? {})).not.toContain(WORKSHOP.compromised.inlinePolicyName);
    expect(sb.world.regions['us-west-2']?.findings.find((f) => f.id === WORKSHOP.findings.reconCustom)?.service.archived).toBe(true);
    // Rewritten as version 2 at once, readable by its owner only.
    const file = JSON.parse(readFileSync(statePath, 'utf8')) as { version: number; effects: unknown[] };
    expect(file.version).toBe(2);
    expect(file.effects).toHaveLength(4);
    expect(statSync(statePath).mode & 0o777).toBe(0o600);
    await sb.close();
  });
});
