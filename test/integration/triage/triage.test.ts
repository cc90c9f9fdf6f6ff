/**
 * The console run in-process against a real sandbox through the real SDK: the scripted prompter stands
 * for the analyst, the sandbox records what the console asked AWS for and what it changed.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PromptCancelledError } from '../../../src/cli/prompter.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import { baseEnv, runInProcess, ScriptedPrompter } from '../../helpers/cli.js';
import { useSandbox } from '../../helpers/sandbox.js';

const KEY = WORKSHOP.compromised.accessKeyId;
const CUSTOM = WORKSHOP.findings.unauthorizedAccessCustom;
const tty = { stdinTTY: true, stderrTTY: true, stdoutTTY: true, columns: 160 } as const;

describe('gd-ir triage against the sandbox', () => {
  const sb = useSandbox();
  const dir = mkdtempSync(join(tmpdir(), 'gd-ir-triage-it-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('picks the Custom finding, reads the report, deactivates the key with the typed ID, and it is Inactive', async () => {
    const prompter = new ScriptedPrompter([{ kind: 'finding', id: CUSTOM }, 'actions', 'deactivate', KEY, 'commands', 'quit']);
    const before = sb.get().requests.length;
    const r = await runInProcess(['triage'], { ...tty, env: sb.env({ GD_IR_AUDIT_LOG: join(dir, 'audit.jsonl'), NO_COLOR: '1' }), prompter });
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/gd-ir · account 111122223333 · us-west-2 · user\/ir-analyst · detector \S+ · 11 findings: High 3 · Medium 5 · Low 3/);
    expect(r.stdout).toContain('UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom · Medium (5)');
    expect(r.stdout).toContain(`✔ ${KEY} is now Inactive (verified)`);
    expect(r.stdout).toContain(`gd-ir remediate --key ${KEY} --reactivate --yes`);
    // The remediate flow's own display and typed confirmation.
    expect(r.stderr).toContain(`Remediation plan for access key ${KEY}`);
    expect(prompter.asked.find((a) => a.kind === 'input')?.message).toContain('type the access key ID');
    expect(sb.get().world.iam.accessKeys[KEY]?.status).toBe('Inactive');
    const ops = sb.get().requests.slice(before).map((q) => `${q.service}:${q.operation}`);
    expect(ops).toEqual(expect.arrayContaining(['sts:GetCallerIdentity', 'guardduty:ListDetectors', 'guardduty:ListFindings', 'guardduty:GetFindings', 'cloudtrail:LookupEvents', 'iam:UpdateAccessKey']));
    expect(ops.filter((o) => o === 'iam:UpdateAccessKey')).toHaveLength(1);
    // The list asked only for active findings.
    const list = sb.get().requests.slice(before).find((q) => q.operation === 'ListFindings');
    expect(JSON.stringify(list?.input)).toContain('service.archived');
    const audit = readFileSync(join(dir, 'audit.jsonl'), 'utf8');
    expect(audit).toContain(KEY);
  });

  it('archives a finding after confirmation, then the list leaves it out', async () => {
    const prompter = new ScriptedPrompter([{ kind: 'finding', id: WORKSHOP.findings.sample }, 'actions', 'archive', true, 'back', { kind: 'quit' }]);
    const r = await runInProcess(['triage'], { ...tty, env: sb.env({ NO_COLOR: '1' }), prompter });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`✔ Archived ${WORKSHOP.findings.sample}`);
    expect(r.stdout).toContain('10 findings: High 3 · Medium 5 · Low 2');
    const archive = sb.get().requests.filter((q) => q.operation === 'ArchiveFindings');
    expect(archive).toHaveLength(1);
    expect(archive[0]?.input).toMatchObject({ findingIds: [WORKSHOP.findings.sample] });
  });

  it('exports the Markdown report to the path given, and refuses to overwrite without a yes', async () => {
    const path = join(dir, 'report.md');
    const prompter = new ScriptedPrompter([{ kind: 'finding', id: CUSTOM }, 'actions', 'export', path, 'export', path, false, 'quit']);
    const r = await runInProcess(['triage'], { ...tty, env: sb.env({ NO_COLOR: '1' }), prompter });
    expect(r.code).toBe(0);
    expect(existsSync(path)).toBe(true);
    const md = readFileSync(path, 'utf8');
    expect(md).toContain('UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom');
    expect(r.stderr).toContain('Not written.');
    expect(prompter.asked.filter((a) => a.kind === 'confirm').map((a) => a.message)).toEqual([`${path} exists. Overwrite it?`]);
  });

  it('switches region to us-east-1 and lists its findings', async () => {
    const prompter = new ScriptedPrompter([{ kind: 'region' }, 'us-east-1', { kind: 'quit' }]);
    const before = sb.get().requests.length;
    const r = await runInProcess(['triage'], { ...tty, env: sb.env({ NO_COLOR: '1' }), prompter });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`us-east-1 · user/ir-analyst · detector ${WORKSHOP.detectors['us-east-1']}`);
    expect(sb.get().requests.slice(before).some((q) => q.operation === 'ListFindings' && q.region === 'us-east-1')).toBe(true);
  });

  it('Esc at the findings list quits with exit 130', async () => {
    const r = await runInProcess(['triage'], { ...tty, env: sb.env({ NO_COLOR: '1' }), prompter: new ScriptedPrompter([new PromptCancelledError()]) });
    expect(r.code).toBe(130);
    expect(r.stdout).toContain('gd-ir · account');
  });

  it('`gd-ir` alone on a terminal opens the console', async () => {
    const prompter = new ScriptedPrompter([{ kind: 'quit' }]);
    const r = await runInProcess([], { ...tty, env: sb.env({ NO_COLOR: '1' }), prompter });
    expect(r.code).toBe(0);
    expect(prompter.asked[0]?.message).toMatch(/^Pick a finding/);
  });
});

describe('without a terminal', () => {
  it('`gd-ir triage` says it needs one (exit 2), before any AWS call', async () => {
    const r = await runInProcess(['triage']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('error: gd-ir triage needs a terminal (use the subcommands in scripts: gd-ir findings list, gd-ir investigate …)\n');
  });

  it('`gd-ir triage --json` on a terminal is refused the same way', async () => {
    const r = await runInProcess(['triage', '--json'], { ...tty });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr)).toEqual({ error: { code: 'usage', message: expect.stringContaining('needs a terminal') } });
  });

  it('`gd-ir` alone prints the help, exit 0', async () => {
    const r = await runInProcess([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: gd-ir');
    expect(r.stdout).toMatch(/triage .*the interactive console/);
    expect(r.stdout).toMatch(/demo .*start here/);
  });
});

describe('gd-ir demo', () => {
  const state = mkdtempSync(join(tmpdir(), 'gd-ir-demo-it-'));
  afterAll(() => rmSync(state, { recursive: true, force: true }));
  const env = baseEnv({ XDG_STATE_HOME: state, NO_COLOR: '1' });

  it('without a terminal prints the walkthrough: findings, the investigation, the commands (exit 0)', async () => {
    const r = await runInProcess(['demo'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`The incident: IAM user ${WORKSHOP.compromised.userName}'s access key ${KEY} leaked.`);
    expect(r.stdout).toContain('Total: 11  High 3 · Medium 5 · Low 3');
    expect(r.stdout).toContain(`The investigation (gd-ir --sandbox investigate ${CUSTOM})`);
    expect(r.stdout).toContain('UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom · Medium (5)');
    expect(r.stdout).toContain(`  gd-ir remediate --key ${KEY} --user ${WORKSHOP.compromised.userName} --revoke-sessions --sandbox\n`);
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });

  it('restores the scenario on every run, while `--sandbox` keeps the changes', async () => {
    // Change the sandbox state as a --sandbox user would…
    const changed = await runInProcess(['--sandbox', 'remediate', '--key', KEY, '--yes', '--json'], { env: { ...env, GD_IR_AUDIT_LOG: join(state, 'a.jsonl') } });
    expect(changed.code).toBe(0);
    const kept = await runInProcess(['--sandbox', 'remediate', '--key', KEY, '--dry-run', '--json'], { env: { ...env, GD_IR_AUDIT_LOG: join(state, 'a.jsonl') } });
    expect(JSON.parse(kept.stdout)).toMatchObject({ status: 'Inactive' });
    // …then the demo starts over: the walkthrough's report sees the key Active again.
    const r = await runInProcess(['demo'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`${KEY} ◀ finding +Active`));
  });

  it('--json is refused (exit 2)', async () => {
    const r = await runInProcess(['demo', '--json'], { env });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr).error.message).toBe('gd-ir demo has no JSON output');
  });

  it('on a terminal opens the console on the sandbox, after three lines of story', async () => {
    const prompter = new ScriptedPrompter([{ kind: 'quit' }]);
    const r = await runInProcess(['demo'], { ...tty, env, prompter });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^The incident: /);
    expect(lines[1]).toMatch(/^The alert: /);
    expect(lines[2]).toMatch(/^Your move: /);
    expect(r.stdout).toContain('gd-ir (sandbox) · account 111122223333 · us-west-2');
  });
});
