/**
 * Issue 17 end to end, in process through the real SDK against the `org` sandbox: the administrator's findings of
 * three accounts; a member's finding investigated through its read role (and refused, exit 4, with the trust-policy
 * remedy when the role is wrong, needs an ExternalId or MFA); containment through the MFA-protected write role,
 * verified, audited with the account, role and session, and visible in the member's CloudTrail with SourceIdentity.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScriptedPrompter, runInProcess } from '../../helpers/cli.js';
import { useSandbox } from '../../helpers/sandbox.js';
import type { RequestRecord } from '../../../src/sandbox/index.js';
import { totp } from '../../../src/sandbox/mfa.js';
import { ORG } from '../../../src/sandbox/scenarios/org-facts.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';

const PROD = ORG.prod.accountId;
const DATA = ORG.data.accountId;
const ADMIN = ORG.administratorId;
const SERIAL = ORG.analystMfa.serialNumber;
const code = (): string => totp(ORG.analystMfa.totpSeed, new Date());
const readArn = (a: string): string => `arn:aws:iam::${a}:role/${ORG.readRoleName}`;
const writeArn = (a: string): string => `arn:aws:iam::${a}:role/${ORG.writeRoleName}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON outputs, read by path in the assertions
type J = Record<string, any>;

function since(sb: { get(): { requests: RequestRecord[] } }, from: number): RequestRecord[] {
  return sb.get().requests.slice(from);
}

/** The account a request acted in (the key it was signed with, wherever it lives). */
function signedIn(sb: { get(): { world: { members?: Record<string, { iam: { sessions: Record<string, unknown>; accessKeys: Record<string, unknown> } }> } } }, q: RequestRecord): string {
  for (const [id, m] of Object.entries(sb.get().world.members ?? {})) if (q.accessKeyId && (q.accessKeyId in m.iam.sessions || q.accessKeyId in m.iam.accessKeys)) return id;
  return ADMIN;
}

describe('multi-account: the administrator, its members, their roles (org sandbox)', () => {
  const sb = useSandbox({ scenario: 'org' });

  it('findings list shows three accounts in an ACCOUNT column; --account filters through findingCriteria', async () => {
    const all = await runInProcess(['findings', 'list', '--no-color'], { env: sb.env() });
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^SEVERITY\s+ACCOUNT\s+TYPE/m);
    for (const a of [ADMIN, PROD, DATA]) expect(all.stdout).toContain(a);
    const before = sb.get().requests.length;
    const some = await runInProcess(['findings', 'list', '--account', PROD, '--account', DATA, '--json'], { env: sb.env() });
    const items = JSON.parse(some.stdout) as J[];
    expect(new Set(items.map((f) => f.accountId))).toEqual(new Set([PROD, DATA]));
    const list = since(sb, before).find((q) => q.operation === 'ListFindings');
    expect((list?.input as J).findingCriteria.criterion.accountId).toEqual({ equals: [PROD, DATA] });
    // One account: no ACCOUNT column.
    const one = await runInProcess(['findings', 'list', '--account', PROD, '--no-color'], { env: sb.env() });
    expect(one.stdout).not.toMatch(/ACCOUNT/);
    const bad = await runInProcess(['findings', 'list', '--account', '12345'], { env: sb.env() });
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining("invalid account ID '12345'")]);
  });

  it('findings show names the member account and how gd-ir would reach it', async () => {
    const none = await runInProcess(['findings', 'show', ORG.prod.findingId, '--no-color'], { env: sb.env() });
    expect(none.stdout).toContain(`Account          ${PROD}`);
    expect(none.stdout).toMatch(/Reached with\s+member account: no read role configured/);
    const r = await runInProcess(['findings', 'show', ORG.prod.findingId, '--json', '--read-role', ORG.readRoleName, '--write-role', ORG.writeRoleName], { env: sb.env() });
    const j = JSON.parse(r.stdout) as J;
    expect(j.access.read).toMatchObject({ account: PROD, via: 'role', roleArn: readArn(PROD), sessionName: WORKSHOP.analyst.userName, sourceIdentity: WORKSHOP.analyst.userName });
    expect(j.access.write).toMatchObject({ via: 'role', roleArn: writeArn(PROD) });
    // Nothing was assumed to say so.
    expect(sb.get().requests.some((q) => q.operation === 'AssumeRole')).toBe(false);
  });

  it("investigate reads the member's trail and IAM through the read role, related findings from the administrator", async () => {
    const before = sb.get().requests.length;
    const r = await runInProcess(['investigate', ORG.prod.findingId, '--json', '--read-role', ORG.readRoleName, '--write-role', ORG.writeRoleName], { env: sb.env() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as J;
    expect(j.access).toMatchObject({ account: PROD, via: 'role', roleArn: readArn(PROD), actingArn: `arn:aws:sts::${PROD}:assumed-role/${ORG.readRoleName}/${WORKSHOP.analyst.userName}` });
    expect(j.activity.events.length).toBeGreaterThan(30);
    expect(j.activity.events.every((e: J) => e.accessKeyId === ORG.prod.user.accessKeyId)).toBe(true);
    expect(j.permissions.principal.arn).toBe(`arn:aws:iam::${PROD}:user/ci/ci-deployer`);
    expect(j.accessKeys.map((k: J) => k.accessKeyId).sort()).toEqual([ORG.prod.user.accessKeyId, ORG.prod.user.oldAccessKeyId].sort());
    expect(j.warnings).toEqual([]);
    // The containment commands act in the member account, through the same roles.
    expect(j.recommendation.commands[0]).toBe(
      `gd-ir remediate --key ${ORG.prod.user.accessKeyId} --user ${ORG.prod.user.userName} --account ${PROD} --read-role ${ORG.readRoleName} --write-role ${ORG.writeRoleName}`,
    );
    const calls = since(sb, before);
    const assume = calls.filter((q) => q.operation === 'AssumeRole');
    expect(assume).toHaveLength(1);
    expect(assume[0]?.input).toMatchObject({ RoleArn: readArn(PROD), RoleSessionName: WORKSHOP.analyst.userName, SourceIdentity: WORKSHOP.analyst.userName, DurationSeconds: '3600' });
    // CloudTrail and IAM in the member (role session), GuardDuty in the administrator; never the write role.
    for (const q of calls.filter((c) => c.service === 'iam' || c.service === 'cloudtrail')) expect(signedIn(sb, q), q.operation).toBe(PROD);
    for (const q of calls.filter((c) => c.service === 'guardduty')) expect(q.accessKeyId).toBe(WORKSHOP.analyst.accessKeyId);
    expect(calls.some((q) => q.operation === 'AssumeRole' && (q.input as J).RoleArn === writeArn(PROD))).toBe(false);
  });

  it('without a role it warns and reads nothing in the wrong account; the Markdown report names the account and the role', async () => {
    const r = await runInProcess(['investigate', ORG.prod.findingId, '--json'], { env: sb.env() });
    const j = JSON.parse(r.stdout) as J;
    expect(j.permissions).toBeNull();
    expect(j.warnings[0].message).toContain(`configure a read role there (--read-role <name>`);
    const dir = mkdtempSync(join(tmpdir(), 'gd-ir-ma-'));
    const file = join(dir, 'r.md');
    const md = await runInProcess(['investigate', ORG.prod.findingId, '--read-role', ORG.readRoleName, '--report', file], { env: sb.env() });
    expect(md.code).toBe(0);
    const text = (await import('node:fs')).readFileSync(file, 'utf8');
    expect(text).toContain(`Read with        role ${readArn(PROD)} as session ${WORKSHOP.analyst.userName} (member account)`);
    expect(text).toContain(`--account ${PROD} --read-role ${ORG.readRoleName}`);
  });

  it('refuses with exit 4 and the trust policy when the role is wrong, needs an ExternalId, or needs MFA', async () => {
    const wrong = await runInProcess(['investigate', ORG.prod.findingId, '--read-role', 'gd-ir-nope'], { env: sb.env() });
    expect(wrong.code).toBe(4);
    expect(wrong.stderr).toContain(`cannot assume the read role arn:aws:iam::${PROD}:role/gd-ir-nope in account ${PROD}: the role does not exist there, or its trust policy does not allow you`);
    expect(wrong.stderr).toContain(`"Principal":{"AWS":"arn:aws:iam::${ADMIN}:root"},"Action":["sts:AssumeRole","sts:SetSourceIdentity"]`);
    const ext = await runInProcess(['investigate', ORG.data.findingId, '--read-role', ORG.readRoleName, '--json'], { env: sb.env() });
    expect(ext.code).toBe(4);
    expect(JSON.parse(ext.stderr).error.remedy).toContain('if the role requires an ExternalId, pass --external-id');
    const ok = await runInProcess(['investigate', ORG.data.findingId, '--read-role', ORG.readRoleName, '--external-id', ORG.data.externalId, '--json'], { env: sb.env() });
    expect(ok.code).toBe(0);
    expect((JSON.parse(ok.stdout) as J).permissions.principal.arn).toBe(`arn:aws:iam::${DATA}:user/service/etl-runner`);
    // The write role as a read role: it needs MFA.
    const mfa = await runInProcess(['investigate', ORG.prod.findingId, '--read-role', ORG.writeRoleName], { env: sb.env() });
    expect(mfa.code).toBe(4);
    expect(mfa.stderr).toContain('if it requires MFA, pass --mfa-serial');
  });

  it('trail and policies read another account with --account', async () => {
    const t = await runInProcess(['trail', '--key', ORG.prod.user.accessKeyId, '--account', PROD, '--read-role', ORG.readRoleName, '--since', '2h', '--json'], { env: sb.env() });
    expect(t.code).toBe(0);
    const tj = JSON.parse(t.stdout) as J;
    expect(tj.access).toMatchObject({ account: PROD, via: 'role' });
    expect(tj.events.length).toBeGreaterThan(20);
    const p = await runInProcess(['policies', 'ci-deployer', '--account', PROD, '--read-role', ORG.readRoleName, '--json'], { env: sb.env() });
    expect(JSON.parse(p.stdout).principal.arn).toBe(`arn:aws:iam::${PROD}:user/ci/ci-deployer`);
    // The administrator's own ci-deployer is another user.
    const mine = await runInProcess(['policies', 'ci-deployer', '--json'], { env: sb.env() });
    expect(JSON.parse(mine.stdout).principal.arn).toBe(`arn:aws:iam::${ADMIN}:user/ci-deployer`);
    const none = await runInProcess(['trail', '--key', ORG.prod.user.accessKeyId, '--account', PROD], { env: sb.env({ GD_IR_CONFIG: '/nonexistent/gd-ir.ini' }) });
    expect(none.code).toBe(2);
    const noRole = await runInProcess(['trail', '--key', ORG.prod.user.accessKeyId, '--account', PROD], { env: sb.env() });
    expect(noRole.code).toBe(4);
    expect(noRole.stderr).toContain(`account ${PROD} is not the account of your credentials (${ADMIN}), and no read role is configured for it`);
  });
});

describe('multi-account: containment through the write role', () => {
  const sb = useSandbox({ scenario: 'org' });

  it('remediate --finding --write-role --mfa-code deactivates the member key, verified, audited, SourceIdentity in its CloudTrail', async () => {
    const before = sb.get().requests.length;
    const r = await runInProcess(
      ['remediate', '--finding', ORG.prod.findingId, '--read-role', ORG.readRoleName, '--write-role', ORG.writeRoleName, '--mfa-serial', SERIAL, '--mfa-code', code(), '--yes', '--json'],
      { env: sb.env() },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as J;
    expect(j).toMatchObject({ accountId: PROD, status: 'Inactive', changed: true, verified: true });
    expect(j.access.write).toMatchObject({ via: 'role', roleArn: writeArn(PROD), actingArn: `arn:aws:sts::${PROD}:assumed-role/${ORG.writeRoleName}/${WORKSHOP.analyst.userName}` });
    const world = sb.get().world;
    expect(world.members?.[PROD]?.iam.accessKeys[ORG.prod.user.accessKeyId]?.status).toBe('Inactive');
    expect(world.iam.accessKeys[ORG.adminNamesake.accessKeyId]?.status).toBe('Active');

    const calls = since(sb, before);
    const assumes = calls.filter((q) => q.operation === 'AssumeRole').map((q) => q.input as J);
    expect(assumes.map((a) => a.RoleArn)).toEqual([readArn(PROD), writeArn(PROD)]);
    expect(assumes[1]).toMatchObject({ SerialNumber: SERIAL, SourceIdentity: WORKSHOP.analyst.userName });
    const update = calls.find((q) => q.operation === 'UpdateAccessKey');
    const writeSession = Object.entries(world.members?.[PROD]?.iam.sessions ?? {}).find(([, s]) => s.roleName === ORG.writeRoleName)?.[0];
    expect(update?.accessKeyId).toBe(writeSession);
    // The identity check ran on the write session before the write; the read-back used the read session.
    const idx = calls.indexOf(update as RequestRecord);
    expect(calls.slice(0, idx).some((q) => q.operation === 'GetCallerIdentity' && q.accessKeyId === writeSession)).toBe(true);
    expect(calls.slice(idx + 1).filter((q) => q.operation === 'ListAccessKeys').every((q) => q.accessKeyId !== writeSession)).toBe(true);

    // The audit record names the account, the role, the session and the analyst.
    const audit = await runInProcess(['audit', '--json'], { env: sb.env() });
    const op = (JSON.parse(audit.stdout) as J).operations.at(-1) as J;
    expect(op).toMatchObject({
      accountId: PROD,
      roleArn: writeArn(PROD),
      roleSessionName: WORKSHOP.analyst.userName,
      sourceIdentity: WORKSHOP.analyst.userName,
      callerArn: `arn:aws:sts::${PROD}:assumed-role/${ORG.writeRoleName}/${WORKSHOP.analyst.userName}`,
      analystArn: `arn:aws:iam::${ADMIN}:user/${WORKSHOP.analyst.userName}`,
      state: 'complete',
    });
    const table = await runInProcess(['audit', '--no-color'], { env: sb.env(), columns: 400 });
    expect(table.stdout).toContain(`${PROD}  ${writeArn(PROD)} (session ${WORKSHOP.analyst.userName})`);

    // The member's CloudTrail: the change made by the role session, carrying the analyst as SourceIdentity.
    const east = Object.values(world.members?.[PROD]?.regions ?? {}).flatMap((x) => x.events);
    const rec = east.find((e) => e.eventName === 'UpdateAccessKey' && e.userIdentity.type === 'AssumedRole');
    expect(rec?.userIdentity).toMatchObject({
      arn: `arn:aws:sts::${PROD}:assumed-role/${ORG.writeRoleName}/${WORKSHOP.analyst.userName}`,
      sessionContext: { sourceIdentity: WORKSHOP.analyst.userName, attributes: { mfaAuthenticated: 'true' } },
    });
    const assumedThere = east.filter((e) => e.eventName === 'AssumeRole').map((e) => e.requestParameters?.roleArn);
    expect(assumedThere).toEqual(expect.arrayContaining([readArn(PROD), writeArn(PROD)]));
  });

  it('without an MFA code and no terminal it stops before changing anything (exit 2); on a terminal it asks for it', async () => {
    const before = sb.get().requests.length;
    const r = await runInProcess(['remediate', '--finding', ORG.data.findingId, '--read-role', ORG.readRoleName, '--external-id', ORG.data.externalId, '--write-role', ORG.writeRoleName, '--mfa-serial', SERIAL, '--yes'], {
      env: sb.env(),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('an MFA code is needed to assume');
    expect(since(sb, before).some((q) => q.operation === 'UpdateAccessKey')).toBe(false);
    // Interactive: the prompter asks for the code, then for the key ID.
    const prompter = new ScriptedPrompter([code(), ORG.data.user.accessKeyId]);
    const ok = await runInProcess(['remediate', '--finding', ORG.data.findingId, '--read-role', ORG.readRoleName, '--external-id', ORG.data.externalId, '--write-role', ORG.writeRoleName, '--mfa-serial', SERIAL], {
      env: sb.env(),
      prompter,
      stdinTTY: true,
      stderrTTY: true,
    });
    expect(ok.code).toBe(0);
    expect(prompter.asked.map((a) => a.message)).toEqual([
      `MFA code of ${SERIAL} (to assume ${writeArn(DATA)})`,
      `To deactivate the key in account ${DATA} as role ${writeArn(DATA)} as session ${WORKSHOP.analyst.userName}, type the access key ID (${ORG.data.user.accessKeyId}):`,
    ]);
    const plain = ok.stderr.replace(/\u001b\[[0-9;]*m/g, '');
    expect(plain).toContain(`Changes with  role ${writeArn(DATA)} as session ${WORKSHOP.analyst.userName}`);
    expect(plain).toContain(`acting in account ${DATA} as arn:aws:sts::${DATA}:assumed-role/${ORG.writeRoleName}/${WORKSHOP.analyst.userName} (checked with GetCallerIdentity)`);
    expect(sb.get().world.members?.[DATA]?.iam.accessKeys[ORG.data.user.accessKeyId]?.status).toBe('Inactive');
  });

  it('stops with exit 1 and changes nothing when the credentials act in another account (the identity check)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gd-ir-ma-'));
    // A profile for "prod" that really lands in data: the mistake the GetCallerIdentity check exists for.
    writeFileSync(join(dir, 'aws-config'), `[profile prod-ir]\nrole_arn = ${readArn(DATA)}\nexternal_id = ${ORG.data.externalId}\nsource_profile = analyst\n`);
    writeFileSync(join(dir, 'aws-credentials'), `[analyst]\naws_access_key_id = ${WORKSHOP.analyst.accessKeyId}\naws_secret_access_key = ${WORKSHOP.analyst.secretAccessKey}\n`);
    writeFileSync(join(dir, 'gd-ir.ini'), `[account ${PROD}]\nprofile = prod-ir\n`);
    const env = sb.env({ AWS_CONFIG_FILE: join(dir, 'aws-config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'aws-credentials'), GD_IR_CONFIG: join(dir, 'gd-ir.ini') });
    const before = sb.get().requests.length;
    const key = sb.get().world.members?.[PROD]?.iam.accessKeys[ORG.prod.user.oldAccessKeyId]?.status;
    const r = await runInProcess(['remediate', '--key', ORG.prod.user.oldAccessKeyId, '--account', PROD, '--reactivate', '--yes'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`profile prod-ir is in account ${DATA}, not ${PROD}: refusing to read there with it; nothing was changed`);
    expect(since(sb, before).some((q) => q.operation === 'UpdateAccessKey')).toBe(false);
    expect(sb.get().world.members?.[PROD]?.iam.accessKeys[ORG.prod.user.oldAccessKeyId]?.status).toBe(key);
    // An explicit role ARN of another account is refused before any call to it.
    const arn = await runInProcess(['remediate', '--key', ORG.prod.user.oldAccessKeyId, '--account', PROD, '--read-role', readArn(DATA), '--dry-run'], { env: sb.env() });
    expect(arn.code).toBe(1);
    expect(arn.stderr).toContain(`the read role ${readArn(DATA)} is in account ${DATA}, not ${PROD}`);
  });
});

describe('multi-account: a named profile from the configuration file, and service-specific endpoints', () => {
  const sb = useSandbox({ scenario: 'org' });

  it('reaches the member through a profile whose role gd-ir assumes with the analyst as SourceIdentity, over AWS_ENDPOINT_URL_<SERVICE>', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gd-ir-ma-'));
    writeFileSync(join(dir, 'aws-config'), `[profile prod-ir]\nrole_arn = ${readArn(PROD)}\nsource_profile = analyst\nregion = us-west-2\n`);
    writeFileSync(join(dir, 'aws-credentials'), `[analyst]\naws_access_key_id = ${WORKSHOP.analyst.accessKeyId}\naws_secret_access_key = ${WORKSHOP.analyst.secretAccessKey}\n`);
    writeFileSync(join(dir, 'gd-ir.ini'), `# the security team's gd-ir configuration\n[account ${PROD}]\nprofile = prod-ir\n`);
    const endpoint = sb.get().endpoint;
    const env = sb.env({
      AWS_ENDPOINT_URL: undefined,
      AWS_ENDPOINT_URL_GUARDDUTY: endpoint,
      AWS_ENDPOINT_URL_CLOUDTRAIL: endpoint,
      AWS_ENDPOINT_URL_IAM: endpoint,
      AWS_ENDPOINT_URL_STS: endpoint,
      AWS_CONFIG_FILE: join(dir, 'aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'aws-credentials'),
      GD_IR_CONFIG: join(dir, 'gd-ir.ini'),
    });
    const before = sb.get().requests.length;
    const r = await runInProcess(['investigate', ORG.prod.findingId, '--json'], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as J;
    expect(j.access).toMatchObject({ account: PROD, via: 'profile', profile: 'prod-ir', roleArn: readArn(PROD), sourceIdentity: WORKSHOP.analyst.userName });
    expect(j.permissions.principal.arn).toBe(`arn:aws:iam::${PROD}:user/ci/ci-deployer`);
    const assume = since(sb, before).find((q) => q.operation === 'AssumeRole');
    expect(assume?.input).toMatchObject({ RoleArn: readArn(PROD), RoleSessionName: WORKSHOP.analyst.userName, SourceIdentity: WORKSHOP.analyst.userName });
    // The suggested AWS CLI commands acting in the member use its profile, never the caller's.
    expect(j.recommendation.commands[0]).toContain(`--account ${PROD}`);
  });

  it('--debug shows the AssumeRole call with its secrets redacted', async () => {
    const r = await runInProcess(['remediate', '--finding', ORG.prod.findingId, '--read-role', ORG.readRoleName, '--write-role', ORG.writeRoleName, '--mfa-serial', SERIAL, '--mfa-code', code(), '--dry-run', '--debug'], {
      env: sb.env(),
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('[aws] sts AssumeRoleCommand output');
    const session = Object.values(sb.get().world.members?.[PROD]?.iam.sessions ?? {})[0];
    expect(session).toBeDefined();
    for (const secret of Object.values(sb.get().world.members?.[PROD]?.iam.sessions ?? {}).flatMap((s) => [s.secretAccessKey, s.sessionToken ?? ''])) {
      expect(r.stderr).not.toContain(secret);
    }
    expect(r.stderr).toMatch(/"Credentials":"\[redacted\]"/);
  });
});
