import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { WORKSHOP as F } from '../../../src/sandbox/scenarios/workshop-facts.js';
import { normalizeFinding } from '../../../src/core/finding/index.js';
import { buildInvestigationReport } from '../../../src/core/investigation/index.js';
import { renderInvestigation, renderInvestigationSections } from '../../../src/render/investigation/terminal.js';
import { mdEscape, renderInvestigationMarkdown } from '../../../src/render/investigation/markdown.js';
import { investigationJson } from '../../../src/render/investigation/json.js';
import { NOW, accessKeysFor, permissionsFor, rawFinding, trailFor, workshopReport } from './fixture.js';

const plain = new Chalk({ level: 0 });
const piped = { style: plain, columns: undefined, stdoutIsTTY: false };
const tty = { style: plain, columns: 110, stdoutIsTTY: true };
// ESC, CSI/OSC remnants, CR, backspace, BEL, bidi overrides: none may reach a terminal or a ticket.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('terminal report: exact text', () => {
  it('workshop Custom finding, piped (ISO times, full width)', async () => {
    const r = await workshopReport(F.findings.unauthorizedAccessCustom);
    await expect(renderInvestigation(r, piped, NOW)).toMatchFileSnapshot('golden/custom-piped.txt');
  });
  it('workshop Custom finding, on a 110-column terminal (relative times, fitted tables)', async () => {
    const r = await workshopReport(F.findings.unauthorizedAccessCustom);
    const out = renderInvestigation(r, tty, NOW);
    await expect(out).toMatchFileSnapshot('golden/custom-tty.txt');
    // After the finding detail (the findings command's view), every line but the commands fits: they stay whole to be copied.
    const mine = out.slice(out.indexOf('── 3. Data source'));
    for (const line of mine.split('\n').filter((l) => !l.startsWith('    $ '))) expect(line.length).toBeLessThanOrEqual(110);
  });
  it('assumed role, sample and root findings, piped', async () => {
    await expect(renderInvestigation(await workshopReport(F.findings.credentialExfiltration), piped, NOW)).toMatchFileSnapshot('golden/role-piped.txt');
    await expect(renderInvestigation(await workshopReport(F.findings.sample), piped, NOW)).toMatchFileSnapshot('golden/sample-piped.txt');
    await expect(renderInvestigation(await workshopReport(F.findings.rootUsage), piped, NOW)).toMatchFileSnapshot('golden/root-piped.txt');
  });
  it('sections in the order of the issue, verdict first', async () => {
    const r = await workshopReport(F.findings.unauthorizedAccessCustom);
    const s = renderInvestigationSections(r, piped, NOW);
    expect(s.verdict).toBe(
      `UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom · Medium (5) · IAM user ${F.compromised.userName} (${F.compromised.accessKeyId}) · account ${F.accountId} · us-west-2 · real finding`,
    );
    expect(s.sections.map((x) => x.title)).toEqual(['Finding', 'Data source', 'Activity', 'Changes', 'Permissions', 'Blast radius', 'Recommendation']);
  });
  it('colour only decorates: the finding IP row is red on a colour terminal, same text without colour', async () => {
    const r = await workshopReport(F.findings.unauthorizedAccessCustom);
    const coloured = renderInvestigation(r, { ...tty, style: new Chalk({ level: 1 }) }, NOW);
    expect(coloured).toContain(`\u001b[31m${F.threatListIp} ◀ finding`);
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(renderInvestigation(r, tty, NOW));
  });
  it('a section that failed shows its warning and the others stay', async () => {
    const r = await workshopReport(F.findings.unauthorizedAccessCustom, { permissions: false, warnings: [{ section: 'permissions', message: 'permissions could not be read: access denied for iam:GetUser' }] });
    const s = renderInvestigationSections(r, piped, NOW);
    const perms = s.sections.find((x) => x.title === 'Permissions')?.text ?? '';
    expect(perms).toContain('⚠ warning: permissions could not be read: access denied for iam:GetUser');
    expect(perms).toContain('?'); // used actions: granted unknown
    expect(s.sections.find((x) => x.title === 'Activity')?.text).toContain(F.threatListIp);
  });
});

describe('Markdown report', () => {
  it('exact text for the workshop Custom finding', async () => {
    const r = await workshopReport(F.findings.unauthorizedAccessCustom);
    const md = renderInvestigationMarkdown(r, NOW);
    await expect(md).toMatchFileSnapshot('golden/custom.md');
    expect(md).not.toMatch(CONTROL);
    expect(md).toContain('| IP | Calls | Errors | First | Last | User agents |');
    expect(md).toContain(`\`\`\`sh\ngd-ir remediate --key ${F.compromised.accessKeyId} --user ${F.compromised.userName} --revoke-sessions\n\`\`\``);
  });

  it('escapes what would break a table or inject Markdown/HTML', () => {
    expect(mdEscape('a|b `c` *d* _e_ [x](y) <img src=x> ~f~')).toBe('a\\|b \\`c\\` \\*d\\* \\_e\\_ \\[x\\](y) &lt;img src=x&gt; \\~f\\~');
    expect(mdEscape('# not a heading')).toBe('\\# not a heading');
    expect(mdEscape('1. not a list')).toBe('1\\. not a list');
    expect(mdEscape('\u001b[31mred\u001b[0m\r\u202eevil')).toBe('red evil');
  });

  it('hostile strings (user agents, parameter names, a pipe and backticks) are sanitised and escaped, fences cannot be closed', async () => {
    const raw = rawFinding(F.findings.unauthorizedAccessCustom) as { service: { action: { awsApiCallAction: { userAgent: string } } } };
    raw.service.action.awsApiCallAction.userAgent = `${F.hostileUserAgent} | \`\`\`\n# owned`;
    const trail = trailFor(F.findings.unauthorizedAccessCustom);
    for (const e of trail.events) if (e.sourceIp === F.threatListIp) e.userAgent = `evil|ua \`x\` ${F.hostileUserAgent}`;
    const r = buildInvestigationReport({
      finding: normalizeFinding(raw),
      trail,
      permissions: await permissionsFor('user', F.compromised.userName),
      accessKeys: accessKeysFor(F.compromised.userName),
      warnings: [],
      now: NOW,
    });
    const md = renderInvestigationMarkdown(r, NOW);
    expect(md).not.toMatch(CONTROL);
    expect(md).toContain('evil\\|ua \\`x\\`');
    expect(md).not.toMatch(/evil\|ua/);
    // The finding detail sits in a fence longer than the longest backtick run inside it.
    expect(md).toContain('````text\n');
    const term = renderInvestigation(r, piped, NOW) + renderInvestigation(r, tty, NOW);
    expect(term).not.toMatch(CONTROL);
    expect(term).toContain('contained terminal control sequences');
  });

  it('the derived session\'s hostile user agent never reaches the terminal raw', async () => {
    const r = await workshopReport(F.findings.hostileKali);
    expect(r.trail?.events.some((e) => e.userAgent === F.hostileUserAgent)).toBe(true);
    expect(renderInvestigation(r, piped, NOW)).not.toMatch(CONTROL);
    expect(renderInvestigationMarkdown(r, NOW)).not.toMatch(CONTROL);
  });
});

describe('--json contract', () => {
  it('top-level and nested fields, listed by hand', async () => {
    const j = investigationJson(await workshopReport(F.findings.unauthorizedAccessCustom)) as Record<string, Record<string, unknown>>;
    expect(Object.keys(j)).toEqual([
      'schemaVersion', 'finding', 'access', 'dataSource', 'dataSourceAdvice', 'trailSource', 'principal', 'activity', 'changes', 'permissions', 'usage', 'accessKeys', 'relatedFindings', 'blastRadius', 'recommendation', 'warnings',
    ]);
    expect(j.schemaVersion).toBe(1);
    // The workshop's attacker changed nothing: an empty list, not null (null: the trail was not swept).
    expect(j.changes).toEqual([]);
    expect(Object.keys(j.principal ?? {})).toEqual(['kind', 'userType', 'userName', 'accessKeyId', 'principalId', 'roleName', 'sessionName', 'temporaryKey', 'actionable', 'notActionableReason', 'arn']);
    expect(Object.keys(j.activity ?? {})).toEqual(['window', 'regions', 'lookup', 'summary', 'evidence', 'timeline', 'events', 'derivedCredentials', 'truncated']);
    expect(Object.keys(j.permissions ?? {})).toEqual(['principal', 'policies', 'analysis']);
    expect(Object.keys(j.usage ?? {})).toEqual(['used', 'denied', 'grantedUnused']);
    expect(Object.keys(j.blastRadius ?? {})).toEqual(['otherCallers', 'otherKeys', 'tags', 'impact', 'automationCaveats']);
    expect(Object.keys(j.recommendation ?? {})).toEqual(['action', 'summary', 'commands', 'watch', 'manualSteps', 'rationale', 'suggestions']);
    expect(Object.keys((j.recommendation?.suggestions as Array<Record<string, unknown>>)[0] ?? {})).toEqual(['command', 'tool', 'argv', 'purpose', 'changes', 'region']);
    expect((j.accessKeys as unknown as Array<Record<string, unknown>>)[0]).toEqual({
      accessKeyId: F.compromised.accessKeyId,
      status: 'Active',
      createdAt: expect.any(String),
      lastUsed: { date: expect.any(String), service: 'ssm', region: 'us-west-2' },
    });
    // The finding as read, under `raw` (the only place a source object may appear).
    expect(j.finding?.raw).toMatchObject({ id: F.findings.unauthorizedAccessCustom, type: 'UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom' });
    expect(j.dataSource).toBe('CloudTrail management events');
  });
  it('raw values: JSON keeps the hostile user agent as recorded', async () => {
    const j = investigationJson(await workshopReport(F.findings.hostileKali)) as { activity: { events: Array<{ userAgent: string | null }> } };
    expect(j.activity.events.some((e) => e.userAgent === F.hostileUserAgent)).toBe(true);
  });
});
